import Aggregation
import Testing

@Suite struct SharedFabricTests {
    /// A fabric of 16 servers, 4 to a leaf, leaf uplinks 2:1 oversubscribed, 2 spines (ECMP).
    static func fabric() -> FabricLinks {
        var preset = FabricPreset.named("hgx-h100-100g-2to1")!
        preset.serversPerLeaf = 4
        preset.spines = 2
        return FabricLinks(preset: preset, servers: 16)
    }

    /// Reference: the incremental solver (coupled components only, links that cannot fill
    /// dropped) gives every job exactly the max-min share a full progressive-filling solve of
    /// all jobs' flows gives (relative 1e-9), through 300 random starts and stops of jobs of
    /// 2-64 ranks placed anywhere.
    @Test func incrementalSharesEqualAFullSolve() {
        let links = Self.fabric()
        var shared = SharedFabric(links: links)
        var flows: [Int: MaxMinFairShare.Flow] = [:], streams: [Int: Double] = [:]
        var state: UInt64 = 42
        func draw(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for step in 0..<300 {
            let owner = draw(24)
            if shared.isAttached(owner) {
                shared.detach(owner)
                flows[owner] = nil
                streams[owner] = nil
            } else {
                let ranks = RankPlacement.shuffled.ranks([2, 8, 16, 64][draw(4)], servers: 16, perServer: 8, seed: UInt64(step + 1))
                let c = links.collectiveFlow(ranks, ringsPerReplica: draw(3) == 0 ? 2 : 1)
                shared.attach(owner, flow: c.flow, streams: c.streams)
                flows[owner] = c.flow
                streams[owner] = Double(c.streams)
            }
            _ = shared.settle()
            let owners = flows.keys.sorted()
            let full = MaxMinFairShare(capacities: links.capacities).solve(owners.map { flows[$0]! })
            for (i, o) in owners.enumerated() {
                #expect(abs(shared.bandwidth(o) / (full[i] * streams[o]!) - 1) < 1e-9, "step \(step) owner \(o): \(shared.bandwidth(o)) vs \(full[i])")
            }
        }
        #expect(shared.solves > 0)
    }

    /// Reference: the same fabric without the shortcuts. Declared rail bundles (a clean bundle
    /// searched and solved through its first link) and loads kept for the spine links only
    /// change no bit: through 400 random starts and stops of rings that take every rail
    /// (bundles clean) and of rings through each rank's own rail (bundles partly used), and
    /// capacity changes of a spine link and of a NIC (a bundle broken for good), every
    /// settle re-prices the same owners to the same bandwidths and the spine loads are equal.
    @Test func railBundlesAndKeptLoadsChangeNoBit() {
        let links = Self.fabric()
        var plain = SharedFabric(links: links)
        var quick = SharedFabric(links: links)
        let spine = links.capacities.indices.filter { links.isSpineLink($0) }
        quick.keepLoad(only: spine)
        quick.declareBundles(links.railBundles())
        var state: UInt64 = 7
        func draw(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var compared = 0
        for step in 0..<400 {
            if step % 97 == 96 {
                let nics = links.railBundles()
                let l = step % 2 == 0 ? spine[draw(spine.count)] : nics[draw(nics.count)][1]   // a spine link, or a NIC rail
                let capacity = draw(2) == 0 ? 0 : links.capacities[l] / 2
                plain.setCapacity(l, to: capacity)
                quick.setCapacity(l, to: capacity)
            }
            let owner = draw(24)
            if plain.isAttached(owner) {
                plain.detach(owner)
                quick.detach(owner)
            } else {
                let ranks = RankPlacement.shuffled.ranks([2, 8, 16, 64][draw(4)], servers: 16, perServer: 8, seed: UInt64(step + 1))
                let c = links.collectiveFlow(ranks, ringsPerReplica: draw(3) == 0 ? 2 : 1)
                plain.attach(owner, flow: c.flow, streams: c.streams)
                quick.attach(owner, flow: c.flow, streams: c.streams)
            }
            let a = plain.settle(), b = quick.settle()
            #expect(a == b, "step \(step): re-priced \(a) vs \(b)")
            for o in 0..<24 where plain.bandwidth(o) != quick.bandwidth(o) {
                Issue.record("step \(step) owner \(o): \(plain.bandwidth(o)) vs \(quick.bandwidth(o))")
            }
            for l in spine where plain.load[l] != quick.load[l] { Issue.record("step \(step) spine link \(l): load \(plain.load[l]) vs \(quick.load[l])") }
            compared += a.count
        }
        #expect(compared > 1000)
    }

    /// A ring that takes only some of a server's rails (one ring per tensor rank, each on its
    /// rank's own rail) splits the rails into classes of twins: rails 0–3 carry job A alone,
    /// rails 4–7 jobs A and B. The solve carries one rail of the shared class per server and
    /// direction (4 links, not 16) and prices every flow to the same bits as the plain fabric;
    /// when B leaves, the rails are one bundle again.
    @Test func partlyUsedRailsSplitIntoClassesOfTwins() {
        let links = FabricLinks(preset: FabricPreset.named("hgx-h100-400g-rail")!, servers: 2)
        var plain = SharedFabric(links: links)
        var quick = SharedFabric(links: links)
        quick.declareBundles(links.railBundles())
        let a = links.collectiveFlow([0, 1, 2, 3, 8, 9, 10, 11])                     // every rail
        let b = links.collectiveFlow([4, 5, 6, 7, 12, 13, 14, 15], ringsPerReplica: 4)   // rails 4–7
        plain.attach(0, flow: a.flow, streams: a.streams); quick.attach(0, flow: a.flow, streams: a.streams)
        plain.attach(1, flow: b.flow, streams: b.streams); quick.attach(1, flow: b.flow, streams: b.streams)
        #expect(plain.settle() == quick.settle())
        #expect(plain.linksSolved == 16 && quick.linksSolved == 4, "links solved: plain \(plain.linksSolved), classes \(quick.linksSolved)")
        for o in 0..<2 { #expect(plain.bandwidth(o) == quick.bandwidth(o)) }
        // B slows A on the rails they share: A goes at less than alone.
        #expect(quick.bandwidth(0) < a.flow.aloneRate(capacities: links.capacities) * Double(a.streams))
        plain.detach(1); quick.detach(1)
        #expect(plain.settle() == quick.settle())
        #expect(plain.bandwidth(0) == quick.bandwidth(0))
        #expect(quick.bandwidth(0) == a.flow.aloneRate(capacities: links.capacities) * Double(a.streams))
    }

    /// Textbook: two identical rings over the same NICs each get half of what one gets alone;
    /// when one leaves, the other gets all of it back.
    @Test func twoIdenticalRingsHalveAndRecover() {
        let links = FabricLinks(preset: FabricPreset.named("hgx-h100-400g-rail")!, servers: 2)
        var shared = SharedFabric(links: links)
        let c = links.collectiveFlow(Array(0..<16))
        shared.attach(0, flow: c.flow, streams: c.streams)
        _ = shared.settle()
        let alone = shared.bandwidth(0)
        shared.attach(1, flow: c.flow, streams: c.streams)
        #expect(shared.settle() == [0, 1])
        #expect(abs(shared.bandwidth(0) - alone / 2) < 1e-3 && abs(shared.bandwidth(1) - alone / 2) < 1e-3)
        shared.detach(1)
        #expect(shared.settle() == [0])
        #expect(abs(shared.bandwidth(0) - alone) < 1e-3)
    }

    /// Jobs on disjoint servers of a non-blocking fabric never touch each other: a start
    /// re-prices only the new job.
    @Test func disjointJobsArePricedAlone() {
        let links = FabricLinks(preset: FabricPreset.named("hgx-h100-400g-rail")!, servers: 8)
        var shared = SharedFabric(links: links)
        shared.attach(0, flow: links.collectiveFlow(Array(0..<32)).flow)
        _ = shared.settle()
        shared.attach(1, flow: links.collectiveFlow(Array(32..<64)).flow)
        #expect(shared.settle() == [1])
    }

    /// ECMP is a fixed hash: the same ring takes the same spines every time, and a fabric
    /// with several spines splits leaf uplink capacity among them.
    @Test func ecmpIsDeterministic() {
        let links = Self.fabric()
        let ranks = RankPlacement.spread.ranks(32, servers: 16, perServer: 8)
        #expect(links.ring(ranks, rail: 3).hops == links.ring(ranks, rail: 3).hops)
        let spineLinks = links.capacities.indices.filter { links.isSpineLink($0) }
        #expect(spineLinks.count == 4 * 2 * 2)
        #expect(links.linkName(spineLinks[0]) == "leaf0/spine0/up" && links.linkName(spineLinks[3]) == "leaf0/spine1/down")
    }
}
