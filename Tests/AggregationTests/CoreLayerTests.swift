import Aggregation
import Testing

/// A three-tier fabric: leaves in pods, each pod's spines joined by a core
/// (`io.fabric.leavesPerPod`, `io.fabric.coreOversubscription`).
@Suite struct CoreLayerTests {
    static let port = ServerPorts(accelerators: 8, intraBandwidthBytesPerS: 300e9, intraLatencyS: 2e-6, nics: 8, nicBandwidthBytesPerS: 50e9,
                                  interLatencyS: 5e-6)

    /// Reference: arithmetic of the links. Two servers, each under its own leaf in its own pod
    /// (8 NICs of 50 GB/s, 800 GB/s inside, leaves non-blocking, one spine plane): a ring
    /// across them runs one channel per NIC, all eight through the pod's core uplink of
    /// 400 / 4 = 100 GB/s under a 4:1 core, so each channel gets 12.5 GB/s, a quarter of its
    /// NIC's 50; with a 1:1 core the NICs bind again.
    @Test func aRingAcrossPodsGetsTheCoresShare() {
        var port = Self.port
        port.intraBandwidthBytesPerS = 800e9
        func alone(core: Double) -> Double {
            let links = FabricLinks(servers: [port, port], leafOfServer: [0, 1], leavesPerPod: 1, coreOversubscription: core)
            #expect(links.pods == 2)
            let ring = links.collectiveFlow(Array(0..<16))
            #expect(ring.streams == 8)
            #expect(ring.flow.links.contains { links.linkName($0) == "pod0/spine0/core/up" })
            return ring.flow.aloneRate(capacities: links.capacities)
        }
        #expect(abs(alone(core: 4) - 12.5e9) < 1)
        #expect(abs(alone(core: 1) - 50e9) < 1)
    }

    /// Reference: the core's capacity is the bound on traffic between pods (its bisection).
    /// Four pods of two leaves of four servers, leaves non-blocking, four spine planes, a 4:1
    /// core (each pod's uplinks to the core: 2 × 4 × 8 × 50 GB/s / 4 = 800 GB/s, 3.2 TB/s in
    /// all), loaded by 4,000 random streams (3 in 4 between pods): the core's uplinks carry at
    /// most their 3.2 TB/s and, filling before the NICs do, within 10% of it.
    @Test func trafficBetweenPodsIsTheCoresCapacity() {
        let links = FabricLinks(servers: Array(repeating: Self.port, count: 32), leafOfServer: (0..<32).map { Int32($0 / 4) },
                                spines: 4, leavesPerPod: 2, coreOversubscription: 4)
        #expect(links.pods == 4)
        let core = links.capacities.indices.filter { links.linkName($0).contains("/core/") }
        #expect(core.count == 4 * 4 * 2 && core.allSatisfy(links.isSpineLink))
        let coreUp = core.filter { links.linkName($0).hasSuffix("/up") }.reduce(0) { $0 + links.capacities[$1] }
        #expect(abs(coreUp - 3.2e12) < 1)
        var fabric = SharedFabric(links: links)
        let flows = links.randomTransfers(4000, seed: 11)
        for (i, f) in flows.enumerated() { fabric.attach(i, flow: f) }
        _ = fabric.settle()
        var carried = 0.0
        for l in core where links.linkName(l).hasSuffix("/up") {
            #expect(fabric.load(l) <= links.capacities[l] * (1 + 1e-9))
            carried += fabric.load(l)
        }
        #expect(carried > 0.9 * coreUp, "\(carried) of \(coreUp)")
    }

    /// Two tiers stay two tiers: no pods, or one pod holding every leaf, gives the fabric
    /// without a core, link for link.
    @Test func onePodIsTheTwoTierFabric() {
        let two = FabricLinks(servers: Array(repeating: Self.port, count: 32), leafOfServer: (0..<32).map { Int32($0 / 4) }, spines: 2)
        for pod in [0, 8, 100] {
            let links = FabricLinks(servers: Array(repeating: Self.port, count: 32), leafOfServer: (0..<32).map { Int32($0 / 4) }, spines: 2,
                                    leavesPerPod: pod, coreOversubscription: 3)
            #expect(links.pods == 1 && links.capacities == two.capacities)
            let ranks = RankPlacement.shuffled.ranks(64, servers: 32, perServer: 8, seed: 3)
            #expect(links.collectiveFlow(ranks).flow == two.collectiveFlow(ranks).flow)
            #expect(links.links(ofSpine: 1) == two.links(ofSpine: 1))
        }
    }
}
