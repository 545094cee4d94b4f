import Aggregation
import SimKernel
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
        var draws = SplitMix64(seed: 42)
        for step in 0..<300 {
            let owner = draws.below(24)
            if shared.isAttached(owner) {
                shared.detach(owner)
                flows[owner] = nil
                streams[owner] = nil
            } else {
                let ranks = RankPlacement.shuffled.ranks([2, 8, 16, 64][draws.below(4)], servers: 16, perServer: 8, seed: UInt64(step + 1))
                let c = links.collectiveFlow(ranks, ringsPerReplica: draws.below(3) == 0 ? 2 : 1)
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
    /// settle gives every owner the same bandwidth, reports every owner whose bandwidth moved,
    /// and the spine loads are equal.
    @Test func railBundlesAndKeptLoadsChangeNoBit() {
        let links = Self.fabric()
        var plain = SharedFabric(links: links)
        var quick = SharedFabric(links: links)
        let spine = links.capacities.indices.filter { links.isSpineLink($0) }
        quick.keepLoad(only: spine)
        quick.declareBundles(links.railBundles())
        var draws = SplitMix64(seed: 7)
        var compared = 0
        for step in 0..<400 {
            if step % 97 == 96 {
                let nics = links.railBundles()
                let l = step % 2 == 0 ? spine[draws.below(spine.count)] : nics[draws.below(nics.count)][1]   // a spine link, or a NIC rail
                let capacity = draws.below(2) == 0 ? 0 : links.capacities[l] / 2
                plain.setCapacity(l, to: capacity)
                quick.setCapacity(l, to: capacity)
            }
            let owner = draws.below(24)
            if plain.isAttached(owner) {
                plain.detach(owner)
                quick.detach(owner)
            } else {
                let ranks = RankPlacement.shuffled.ranks([2, 8, 16, 64][draws.below(4)], servers: 16, perServer: 8, seed: UInt64(step + 1))
                let c = links.collectiveFlow(ranks, ringsPerReplica: draws.below(3) == 0 ? 2 : 1)
                plain.attach(owner, flow: c.flow, streams: c.streams)
                quick.attach(owner, flow: c.flow, streams: c.streams)
            }
            let before = (0..<24).map { plain.bandwidth($0) }
            let a = plain.settle(), b = quick.settle()
            for o in 0..<24 where plain.bandwidth(o) != quick.bandwidth(o) {
                Issue.record("step \(step) owner \(o): \(plain.bandwidth(o)) vs \(quick.bandwidth(o))")
            }
            // Every owner whose bandwidth moved is reported by both (the plain fabric, which
            // keeps every link's load, may skip re-pricing flows on links with room).
            for o in 0..<24 where plain.bandwidth(o) != before[o] {
                #expect(a.contains(o) && b.contains(o), "step \(step) owner \(o) moved but was not reported: \(a) and \(b)")
            }
            for l in spine where plain.load(l) != quick.load(l) { Issue.record("step \(step) spine link \(l): load \(plain.load(l)) vs \(quick.load(l))") }
            compared += b.count
        }
        #expect(compared > 1000)
    }

    /// Hand reference for the level a new flow fills its link at: one link of 12 carries flows
    /// limited to 2 and 4 and one unlimited (max-min: 2, 4 and 6). A fourth, unlimited, fills
    /// the link where 2 + 3L = 12, L = 10/3 (the flow at 2 stops below it, the others rise
    /// through it): the flow at 2 keeps its rate and only the three others are solved again,
    /// to 10/3 each. Fails if the level is read too high (the flow at 4 kept) or too low (the
    /// flow at 2 solved again).
    @Test func aNewFlowSolvesOnlyTheFlowsAboveTheLevelItFillsItsLinkAt() {
        var fabric = SharedFabric(capacities: [12])
        for (o, limit) in [(0, 2.0), (1, 4.0), (2, Double.infinity)] {
            fabric.attach(o, flow: MaxMinFairShare.Flow(links: [0], limit: limit))
        }
        #expect(fabric.settle() == [0, 1, 2])
        #expect([0, 1, 2].map { fabric.bandwidth($0) } == [2, 4, 6])
        let priced = fabric.flowsPriced
        fabric.attach(3, flow: MaxMinFairShare.Flow(links: [0]))
        #expect(fabric.settle() == [1, 2, 3])
        #expect(fabric.flowsPriced - priced == 3)
        #expect(fabric.bandwidth(0) == 2)
        for o in 1...3 { #expect(abs(fabric.bandwidth(o) - 10.0 / 3) < 1e-12) }
    }

    /// Hand reference for a flow leaving a full link: one link of 12 carries flows limited to 1
    /// and 2 and two unlimited (max-min: 1, 2, 4.5 and 4.5; the link fills at 4.5). The flow at 1
    /// leaves: the link fills higher, so the flow at 2 keeps its rate (its bound is below the old
    /// fill level) and only the two unlimited ones are solved again, to 5 each. Fails if the
    /// change's level is taken as the leaving flow's rate (the flow at 2 solved again) or too
    /// high (the unlimited flows kept at 4.5). Then, with two links, a flow that the leaver's
    /// link held at its fill level and that shares another link rises until that one fills: on
    /// links of 10 and 10, A crosses both, D the first, C (limited to 4) the second; A and D
    /// share the first at 5 and C runs at 4. D leaves: A rises to 6, where the second link
    /// fills, and C keeps 4.
    @Test func aFlowLeavingAFullLinkSolvesOnlyTheFlowsAtItsFillLevel() {
        var fabric = SharedFabric(capacities: [12])
        for (o, limit) in [(0, 1.0), (1, 2.0), (2, Double.infinity), (3, Double.infinity)] {
            fabric.attach(o, flow: MaxMinFairShare.Flow(links: [0], limit: limit))
        }
        _ = fabric.settle()
        #expect([0, 1, 2, 3].map { fabric.bandwidth($0) } == [1, 2, 4.5, 4.5])
        var priced = fabric.flowsPriced
        fabric.detach(0)
        #expect(fabric.settle() == [2, 3])
        #expect(fabric.flowsPriced - priced == 2)
        #expect([1, 2, 3].map { fabric.bandwidth($0) } == [2, 5, 5])

        var two = SharedFabric(capacities: [10, 10])
        two.attach(0, flow: MaxMinFairShare.Flow(links: [0, 1]))          // A
        two.attach(1, flow: MaxMinFairShare.Flow(links: [0]))             // D
        two.attach(2, flow: MaxMinFairShare.Flow(links: [1], limit: 4))   // C
        _ = two.settle()
        #expect([0, 1, 2].map { two.bandwidth($0) } == [5, 5, 4])
        priced = two.flowsPriced
        two.detach(1)
        #expect(two.settle() == [0])
        #expect(two.flowsPriced - priced == 1)
        #expect(abs(two.bandwidth(0) - 6) < 1e-12)
        #expect(two.bandwidth(2) == 4)
    }

    /// Reference: a detach followed by an attach. A storage transfer's stream takes its
    /// ingest's place with ``SharedFabric/replace(_:flow:streams:)``; through 400 random
    /// attaches, detaches and replacements on a storage system's six links (three tiers'
    /// bandwidth and IOPS, small enough to fill; a replacement on other links falls back to the
    /// detach and attach), the fabric that replaces settles the same owners at the same rates
    /// and carries the same loads, to the bit, as the one that detaches and attaches, whether
    /// it copies the flows into its own arrays or holds the caller's.
    @Test(arguments: [false, true]) func aReplacementLeavesTheStateOfADetachAndAnAttach(copies: Bool) {
        var draws = SplitMix64(seed: 31)
        let capacities = [40.0, 4e3, 20, 2e3, 10, 1e3]
        var apart = SharedFabric(capacities: capacities), together = apart
        // A fabric holding the callers' flows: copying them (and keeping a detached owner's
        // lists until its next attach) must change no bit.
        var holding = apart
        apart.copiesFlows = copies
        together.copiesFlows = copies
        func randomFlow() -> MaxMinFairShare.Flow {
            let tier = draws.below(3), write = draws.below(3) == 0
            var links = [2 * tier, 2 * tier + 1], uses = [1.0, 0.5 + Double(draws.below(100))]
            if write && tier > 0 { links.insert(0, at: 0); uses.insert(0.25, at: 0) }
            return MaxMinFairShare.Flow(links: links, uses: uses, limit: draws.below(4) == 0 ? .infinity : 0.5 + Double(draws.below(20)))
        }
        var attached = Set<Int>()
        var linksOf: [Int: [Int]] = [:]   // each attached owner's links
        var replaced = 0, inPlace = 0
        for step in 0..<400 {
            let owner = draws.below(24)
            if !attached.contains(owner) {
                let f = randomFlow()
                apart.attach(owner, flow: f)
                together.attach(owner, flow: f)
                holding.attach(owner, flow: f)
                attached.insert(owner)
                linksOf[owner] = f.links
            } else if draws.below(3) == 0 {
                apart.detach(owner)
                together.detach(owner)
                holding.detach(owner)
                attached.remove(owner)
            } else {
                // Half the time the same links (an ingest and its stream on one tier).
                var f = randomFlow()
                if draws.below(2) == 0 { f.links = linksOf[owner]! }
                f.uses = f.links.map { _ in 0.5 + Double(draws.below(50)) }
                if f.links == linksOf[owner] { inPlace += 1 }
                linksOf[owner] = f.links
                apart.detach(owner)
                apart.attach(owner, flow: f)
                together.replace(owner, flow: f)
                holding.detach(owner)
                holding.attach(owner, flow: f)
                replaced += 1
            }
            if draws.below(2) == 0 || step == 399 {
                let settled = apart.settle()
                #expect(settled == together.settle(), "step \(step)")
                #expect(settled == holding.settle(), "step \(step)")
                for o in 0..<24 where apart.bandwidth(o) != together.bandwidth(o) || apart.bandwidth(o) != holding.bandwidth(o) {
                    Issue.record("step \(step) owner \(o): \(apart.bandwidth(o)) vs \(together.bandwidth(o)) vs \(holding.bandwidth(o))")
                }
                for l in capacities.indices where apart.load(l) != together.load(l) {
                    Issue.record("step \(step) link \(l): load \(apart.load(l)) vs \(together.load(l))")
                }
            }
        }
        #expect(replaced > 100 && inPlace > 50)
        #expect(apart.flowsPriced == together.flowsPriced)

        // By hand: on a link of 10, an unlimited flow and one limited to 6 share it at 5 each;
        // replaced by a flow limited to 1, the first leaves a link that no longer fills, and the
        // other rises to its limit of 6.
        var hand = SharedFabric(capacities: [10])
        hand.copiesFlows = copies
        hand.attach(0, flow: MaxMinFairShare.Flow(links: [0]))
        hand.attach(1, flow: MaxMinFairShare.Flow(links: [0], limit: 6))
        _ = hand.settle()
        #expect(hand.bandwidth(0) == 5 && hand.bandwidth(1) == 5)
        hand.replace(0, flow: MaxMinFairShare.Flow(links: [0], limit: 1))
        #expect(hand.settle() == [0, 1])
        #expect(hand.bandwidth(0) == 1 && hand.bandwidth(1) == 6 && hand.load(0) == 7)
    }

    /// Hand reference for attaches that fill nothing: on the link of 12 above (2 and 4 by their
    /// limits), a flow limited to 3 reaches 9 at most (2 + 4 + 3 < 12), so it runs at 3 and is
    /// the only flow priced; the others keep their rates and the link carries 9. An unlimited
    /// fourth then fills the link at (12 − 2 − 3) / 2 = 3.5 and re-prices the flows above 3
    /// (the one at 4 and itself). A link with no capacity fills at 0 whatever it carries: a flow
    /// limited to 1 on a failed link of 0 runs at 0.
    @Test func anAttachThatFillsNothingIsPricedAtItsBound() {
        var fabric = SharedFabric(capacities: [12, 0])
        fabric.attach(0, flow: MaxMinFairShare.Flow(links: [0], limit: 2))
        fabric.attach(1, flow: MaxMinFairShare.Flow(links: [0], limit: 4))
        #expect(fabric.settle() == [0, 1])
        let priced = fabric.flowsPriced
        fabric.attach(2, flow: MaxMinFairShare.Flow(links: [0], limit: 3))
        #expect(fabric.settle() == [2])
        #expect(fabric.flowsPriced - priced == 1)
        #expect([0, 1, 2].map { fabric.bandwidth($0) } == [2, 4, 3])
        #expect(fabric.load(0) == 9)
        fabric.attach(3, flow: MaxMinFairShare.Flow(links: [0]))
        #expect(fabric.settle() == [1, 3])
        #expect([0, 1, 2, 3].map { fabric.bandwidth($0) } == [2, 3.5, 3, 3.5])
        fabric.attach(4, flow: MaxMinFairShare.Flow(links: [1], limit: 1))
        fabric.attach(5, flow: MaxMinFairShare.Flow(links: [1], limit: 1))
        _ = fabric.settle()
        #expect(fabric.bandwidth(4) == 0 && fabric.bandwidth(5) == 0)
    }

    /// A data-parallel job's channels leave each server by the NICs under its own accelerators
    /// (NCCL's search enters and leaves a server through a NIC close to one of the
    /// communicator's GPUs; a tenant's job is given its accelerators' NICs), so a job holding
    /// part of two servers neither borrows nor shares another job's NICs. Reference: on the
    /// 400G rail preset, a NIC gives 0.97 × 50 = 48.5 GB/s and the NVLink ring 370.8 GB/s, so a
    /// ring over k NICs a server is NIC-bound at k × 48.5 GB/s per rank (nccl-tests' bus
    /// bandwidth across servers is the NICs' line rate times their count).
    @Test func aJobsChannelsLeaveByTheNICsUnderItsAccelerators() {
        let links = FabricLinks(preset: FabricPreset.named("hgx-h100-400g-rail")!, servers: 2)
        let nic = 48.5e9
        // Whole servers: every rail, NVLink-bound as before.
        let whole = links.collectiveFlow(Array(0..<16))
        #expect(whole.streams == 8)
        #expect(abs(whole.flow.aloneRate(capacities: links.capacities) * 8 / 370.8e9 - 1) < 1e-9)
        // Two accelerators a server: two channels, through NICs 0 and 1 (or 0 and 4).
        let a = links.collectiveFlow([0, 1, 8, 9]), c = links.collectiveFlow([0, 4, 8, 12])
        #expect(a.streams == 2 && c.streams == 2)
        #expect(abs(a.flow.aloneRate(capacities: links.capacities) * 2 / (2 * nic) - 1) < 1e-9)
        // The fewest NICs on any server set the channels: three on one server, one on the other.
        #expect(links.collectiveFlow([0, 1, 2, 8]).streams == 1)
        // Jobs on the same servers with disjoint accelerators: each at its own rate, uncoupled.
        let b = links.collectiveFlow([2, 3, 10, 11])
        var fabric = SharedFabric(links: links)
        fabric.declareBundles(links.railBundles())
        fabric.attach(0, flow: a.flow, streams: a.streams)
        fabric.attach(1, flow: b.flow, streams: b.streams)
        #expect(fabric.settle() == [0, 1])
        for (o, job) in [(0, a), (1, b)] {
            #expect(fabric.bandwidth(o) == job.flow.aloneRate(capacities: links.capacities) * Double(job.streams))
        }
        // A job on the same accelerators' NICs (0, 1 and 8, 9 again) shares them: both slow down.
        let d = links.collectiveFlow([0, 1, 8, 9])
        fabric.attach(2, flow: d.flow, streams: d.streams)
        _ = fabric.settle()
        #expect(abs(fabric.bandwidth(0) / (a.flow.aloneRate(capacities: links.capacities) * 2) - 0.5) < 1e-9)
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
        let a = links.collectiveFlow(Array(0..<16))                                   // every rail
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

    /// Hand reference: flows 1 and 3 share link B (capacity 2: 1 each); flows 1 and 2 share
    /// link A (capacity 10: flow 2 gets the 9 left). Flow 4 joins A: A fills when
    /// 1 + 2t = 10, at 4.5, so flows 2 and 4 get 4.5 and flows 1 and 3, frozen at 1 below that,
    /// keep their rates without being solved (2 flows priced, not 4). Flow 2 leaves (its rate
    /// 4.5 is the level below which nothing moves): only flow 4 is solved, to 9. Flow 3 leaves
    /// (rate 1): flow 1 rises to B's whole 2, and flow 4, above it on A, falls to 8.
    @Test func flowsBelowAChangeKeepTheirRates() {
        var shared = SharedFabric(capacities: [10, 2])   // links A, B
        let a = MaxMinFairShare.Flow(links: [0]), b = MaxMinFairShare.Flow(links: [1])
        shared.attach(1, flow: MaxMinFairShare.Flow(links: [0, 1]))
        shared.attach(2, flow: a)
        shared.attach(3, flow: b)
        #expect(shared.settle() == [1, 2, 3])
        #expect([1, 2, 3].map(shared.bandwidth) == [1, 9, 1])
        shared.attach(4, flow: a)
        #expect(shared.settle() == [2, 4])
        #expect([1, 2, 3, 4].map(shared.bandwidth) == [1, 4.5, 1, 4.5])
        shared.detach(2)
        #expect(shared.settle() == [4])
        #expect([1, 3, 4].map(shared.bandwidth) == [1, 1, 9])
        shared.detach(3)
        #expect(shared.settle() == [1, 4])
        #expect([1, 4].map(shared.bandwidth) == [2, 8])
        #expect(shared.flowsPriced == 3 + 2 + 1 + 2)
    }

    /// Reference: a progressive-filling solve of every flow from scratch (``MaxMinFairShare``,
    /// relative 1e-9) after each of 300 instants of one to four changes together (flows of
    /// one to three links with uses of 1 to 3 and limits, attached, detached, attached and
    /// detached in the same instant, and a link's capacity changed now and then). Keeping the
    /// flows below the changes prices fewer flows than solving whole components. With `scale`
    /// below 1, half the uses are that much smaller (a storage tier's IOPS link is crossed a
    /// millionth of a time per byte): the level a new flow fills a link at must not lose them
    /// (relative 1e-7 there).
    @Test(arguments: [1.0, 1e-7]) func keptFlowsAgreeWithASolveFromScratch(scale: Double) {
        let capacities: [Double] = [10, 7, 12, 5, 9, 3]
        var kept = SharedFabric(capacities: capacities), whole = SharedFabric(capacities: capacities)
        whole.keepsFlowsBelowChanges = false
        var flows: [Int: MaxMinFairShare.Flow] = [:]
        var current = capacities
        // A link crossed a ten-millionth of a time per unit fills with the others' load within
        // 1e-7 of its capacity: its capacity less their load, and so the rate, carry 1e7 times
        // the rounding (a whole solve's own error is about 2e-9 here).
        let tolerance = scale < 1 ? 1e-7 : 1e-9
        var draws = SplitMix64(seed: 11)
        for instant in 0..<300 {
            if instant % 37 == 36 {
                let l = draws.below(capacities.count)
                current[l] = draws.below(3) == 0 ? 0 : capacities[l] * Double(1 + draws.below(3)) / 2
                kept.setCapacity(l, to: current[l]); whole.setCapacity(l, to: current[l])
            }
            for _ in 0...draws.below(4) {
                let owner = draws.below(16)
                if flows[owner] != nil {
                    kept.detach(owner); whole.detach(owner)
                    flows[owner] = nil
                } else {
                    let links = Array(Set((0...draws.below(3)).map { _ in draws.below(capacities.count) })).sorted()
                    let f = MaxMinFairShare.Flow(links: links, uses: links.map { _ in Double(1 + draws.below(3)) * (draws.below(2) == 0 ? 1 : scale) },
                                                 limit: draws.below(3) == 0 ? Double(1 + draws.below(6)) : .infinity)
                    kept.attach(owner, flow: f); whole.attach(owner, flow: f)
                    flows[owner] = f
                }
            }
            _ = kept.settle(); _ = whole.settle()
            let owners = flows.keys.sorted()
            let scratch = MaxMinFairShare(capacities: current).solve(owners.map { flows[$0]! })
            for (i, o) in owners.enumerated() {
                let got = kept.bandwidth(o), want = scratch[i]
                #expect(abs(got - want) <= tolerance * max(1, want), "instant \(instant) owner \(o): \(got) vs \(want)")
            }
        }
        #expect(kept.flowsPriced < whole.flowsPriced, "priced \(kept.flowsPriced) kept vs \(whole.flowsPriced) whole")
    }

    /// Reference: a solve of every flow from scratch (``MaxMinFairShare``, relative 1e-9), on
    /// the 2:1 fabric with its rails declared as bundles and loads kept for the spine links only,
    /// through 200 instants of one to three changes together: rings that take every rail, rings
    /// through some rails (bundles partly used), stops, and now and then a spine link or a NIC
    /// rail at half or no capacity.
    @Test func keptFlowsOnRailBundlesAgreeWithASolveFromScratch() {
        let links = Self.fabric()
        var shared = SharedFabric(links: links)
        let spine = links.capacities.indices.filter { links.isSpineLink($0) }
        shared.keepLoad(only: spine)
        shared.declareBundles(links.railBundles())
        var capacities = links.capacities
        var flows: [Int: (flow: MaxMinFairShare.Flow, streams: Int)] = [:]
        var draws = SplitMix64(seed: 23)
        for instant in 0..<200 {
            if instant % 41 == 40 {
                let nics = links.railBundles()
                let l = instant % 2 == 0 ? spine[draws.below(spine.count)] : nics[draws.below(nics.count)][draws.below(8)]
                capacities[l] = draws.below(2) == 0 ? 0 : links.capacities[l] / 2
                shared.setCapacity(l, to: capacities[l])
            }
            for _ in 0...draws.below(3) {
                let owner = draws.below(24)
                if flows[owner] != nil {
                    shared.detach(owner)
                    flows[owner] = nil
                    continue
                }
                let ranks = RankPlacement.shuffled.ranks([2, 8, 16, 64][draws.below(4)], servers: 16, perServer: 8, seed: UInt64(instant * 7 + owner + 1))
                // A ring through every rail, or (as a tensor-parallel job's) through some of them.
                let upper = ranks.filter { $0 % 8 >= 4 }
                let c = draws.below(3) == 0 && upper.count >= 2 ? links.collectiveFlow(upper, ringsPerReplica: 4)
                    : links.collectiveFlow(ranks, ringsPerReplica: draws.below(3) == 0 ? 2 : 1)
                shared.attach(owner, flow: c.flow, streams: c.streams)
                flows[owner] = (c.flow, c.streams)
            }
            _ = shared.settle()
            let owners = flows.keys.sorted()
            let scratch = MaxMinFairShare(capacities: capacities).solve(owners.map { flows[$0]!.flow })
            for (i, o) in owners.enumerated() {
                let want = scratch[i] * Double(flows[o]!.streams), got = shared.bandwidth(o)
                #expect(abs(got - want) <= 1e-9 * max(1, want), "instant \(instant) owner \(o): \(got) vs \(want)")
            }
        }
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

extension SplitMix64 {
    /// A draw from 0 ..< n (the random tests' choices of owners, sizes and links).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
