import Aggregation
import Testing

/// The fabric and the storage tiers with parts down: a failed spine's traffic spreads over the
/// spines left (ECMP), and a storage tier loses a failed server's share.
@Suite struct FailedPartsTests {
    /// Reference: ECMP over what is left. A leaf-spine fabric of 2 leaves × 16 servers (8 NICs
    /// of 50 GB/s), 4:1 oversubscribed over 4 spines, loaded by 4,000 random point-to-point
    /// streams: every leaf-spine link fills, so the traffic between the leaves is the spines'
    /// capacity. With spine 2 down, no stream crosses its links, the streams on the other
    /// spines keep their paths, and the traffic between leaves falls to 3/4 (within 1%);
    /// with the spine back, it is what it was.
    @Test func aFailedSpineSpreadsItsTrafficOverTheOthers() throws {
        let port = ServerPorts(accelerators: 8, intraBandwidthBytesPerS: 300e9, intraLatencyS: 2e-6, nics: 8, nicBandwidthBytesPerS: 50e9, interLatencyS: 5e-6)
        var links = FabricLinks(servers: Array(repeating: port, count: 32), leafOfServer: (0..<32).map { Int32($0 / 16) }, oversubscription: 4, spines: 4)
        func crossLeafThroughput(_ links: FabricLinks, deadSpine: Int?) -> (total: Double, flows: [MaxMinFairShare.Flow]) {
            var fabric = SharedFabric(links: links)
            if let k = deadSpine { for l in links.links(ofSpine: k) { fabric.setCapacity(l, to: 0) } }
            let flows = links.randomTransfers(4000, seed: 7)
            for (i, f) in flows.enumerated() { fabric.attach(i, flow: f) }
            _ = fabric.settle()
            var total = 0.0
            for (i, f) in flows.enumerated() where f.links.contains(where: links.isSpineLink) { total += fabric.bandwidth(i) }
            return (total, flows)
        }
        let before = crossLeafThroughput(links, deadSpine: nil)
        links.setSpine(2, up: false)
        let during = crossLeafThroughput(links, deadSpine: 2)
        let dead = Set(links.links(ofSpine: 2))
        #expect(during.flows.allSatisfy { f in !f.links.contains(where: dead.contains) })
        for (a, b) in zip(before.flows, during.flows) where !a.links.contains(where: dead.contains) { #expect(a == b) }
        #expect(abs(during.total / before.total - 0.75) < 0.01, "\(during.total / before.total)")
        links.setSpine(2, up: true)
        let after = crossLeafThroughput(links, deadSpine: nil)
        #expect(after.flows == before.flows && after.total == before.total)
    }

    /// Reference: a link's max-min share. A stream alone on a storage tier of 4 servers gets the
    /// tier's bandwidth; with one server down (the tier's capacity × 3/4) it gets 3/4 of it,
    /// and all of it again once the server is back.
    @Test func aStorageServerDownTakesItsShareOfTheTier() {
        var shared = SharedFabric(capacities: [100e9, 1e6])
        shared.attach(0, flow: MaxMinFairShare.Flow(links: [0, 1], uses: [1, 1e-6]))
        _ = shared.settle()
        #expect(abs(shared.bandwidth(0) - 100e9) < 1)
        shared.setCapacity(0, to: 75e9)
        shared.setCapacity(1, to: 0.75e6)
        #expect(shared.settle() == [0])
        #expect(abs(shared.bandwidth(0) - 75e9) < 1)
        shared.setCapacity(0, to: 100e9)
        shared.setCapacity(1, to: 1e6)
        _ = shared.settle()
        #expect(abs(shared.bandwidth(0) - 100e9) < 1)
    }
}
