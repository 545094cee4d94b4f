import Foundation
import Testing
@testable import Aggregation

@Suite struct MaxMinTests {
    /// Textbook max-min examples (Bertsekas and Gallager, Data Networks §6.5).
    @Test func sharedBottleneckAndParkingLot() {
        // Two flows on one link of 10: 5 each.
        #expect(MaxMinFairShare(capacities: [10]).solve([.init(links: [0]), .init(links: [0])]) == [5, 5])
        // Parking lot: A crosses links 0 and 1 (capacity 1 each), B only 0, C only 1: 1/2 each.
        let lot = MaxMinFairShare(capacities: [1, 1]).solve([.init(links: [0, 1]), .init(links: [0]), .init(links: [1])])
        #expect(lot.allSatisfy { abs($0 - 0.5) < 1e-12 })
        // A and B share link 0 (10); B also crosses link 1 (4): B gets 4, A the rest, 6.
        let two = MaxMinFairShare(capacities: [10, 4]).solve([.init(links: [0]), .init(links: [0, 1])])
        #expect(abs(two[0] - 6) < 1e-12 && abs(two[1] - 4) < 1e-12)
        // A flow's own limit freezes it early and leaves the rest to others.
        let limited = MaxMinFairShare(capacities: [10]).solve([.init(links: [0], limit: 2), .init(links: [0])])
        #expect(abs(limited[0] - 2) < 1e-12 && abs(limited[1] - 8) < 1e-12)
        // A flow crossing a link twice counts twice there.
        let twice = MaxMinFairShare(capacities: [12]).solve([.init(links: [0], uses: [2]), .init(links: [0])])
        #expect(abs(twice[0] - 4) < 1e-12 && abs(twice[1] - 4) < 1e-12)
    }

    /// Two identical rings over the same NICs each get half of the bottleneck.
    /// Hand reference: uses of very different sizes (a ten-millionth next to whole crossings).
    /// Flows 7 and 9 stop at their limits (1); link 1 (capacity 7) fills at 7 / 5.0000002 and
    /// freezes flows 2, 4, 6; link 3 (capacity 5) at 5 / 3.0000003 and freezes flows 3 and 5;
    /// flows 8, 1 and 0 rise to their limits (2, 2, 4): link 5 carries them at a ten-millionth
    /// and never fills. (A link whose flows had all frozen kept a residue of its weights, about
    /// 1e-16, that read as a link still filling and froze flows 0, 1, 3, 5 and 8 at 1.15.)
    @Test func usesOfVeryDifferentSizes() {
        let flows: [(links: [Int], uses: [Double], limit: Double)] = [
            ([5], [2e-7], 4), ([0, 5], [3e-7, 2e-7], 2), ([1, 2], [2e-7, 3], .infinity), ([3, 4, 5], [3e-7, 3, 1], .infinity),
            ([1, 2], [2, 3e-7], 4), ([3], [3], 5), ([1, 2], [3, 2], .infinity), ([4], [1e-7], 1), ([2, 4], [1, 2], 2), ([0], [2], 1),
        ]
        let rates = MaxMinFairShare(capacities: [10, 7, 12, 5, 9, 3]).solve(flows.map { MaxMinFairShare.Flow(links: $0.links, uses: $0.uses, limit: $0.limit) })
        let link1 = 7 / 5.0000002, link3 = 5 / 3.0000003
        let expected = [4, 2, link1, link3, link1, link3, link1, 1, 2, 1]
        for (i, (got, want)) in zip(rates, expected).enumerated() { #expect(abs(got - want) <= 1e-12 * want, "flow \(i): \(got) vs \(want)") }
    }

    @Test func twoRingsShareABottleneckEqually() {
        let links = FabricLinks(preset: FabricPreset.named("hgx-h100-400g-rail")!, servers: 2)
        let ranks = Array(0..<16)
        let ring = MaxMinFairShare.Flow(counting: links.ring(ranks).hops)
        let alone = MaxMinFairShare(capacities: links.capacities).solve([ring])[0]
        let both = MaxMinFairShare(capacities: links.capacities).solve([ring, ring])
        #expect(abs(alone - 48.5e9) < 1)
        #expect(abs(both[0] - alone / 2) < 1 && abs(both[1] - alone / 2) < 1)
    }
}

@Suite struct CollectiveCostTests {
    /// Exactness: an uncontended ring all-reduce on the model equals the α–β formula
    /// L + 2(p−1)/p·n/B for several p and n (to the nanosecond), L the latency of its steps as
    /// NCCL counts them: 2(p−1) steps, 2(s−1) of them across s servers at 10 µs, the rest
    /// inside a server at 5 µs.
    @Test(arguments: [(8, 1_048_576.0), (16, 1_073_741_824.0), (64, 8.0), (1_024, 134_217_728.0)])
    func uncontendedRingMatchesAlphaBeta(ranks: Int, bytes: Double) {
        let preset = FabricPreset.named("hgx-h100-400g-rail")!
        let links = FabricLinks(preset: preset, servers: (ranks + 7) / 8)
        let (flow, streams, alpha, _) = links.collectiveFlow(Array(0..<ranks))
        let b = MaxMinFairShare(capacities: links.capacities).solve([flow])[0] * Double(streams)
        let t = CollectiveCost(ranks: ranks, bytes: bytes, alphaS: alpha, bandwidthBytesPerS: b).seconds(.allreduce, .ring)
        let p = Double(ranks)
        // One server: one ring at NVLink speed. Across servers: 8 rail channels with an eighth
        // of the data each; NVLink (370.8 GB/s) binds before the 8 NICs (8 x 48.5 GB/s).
        let s = Double((ranks + 7) / 8)
        let expectedB = 370.8e9, latency = (2 * (p - 1) - 2 * (s - 1)) * 5e-6 + 2 * (s - 1) * 10e-6
        let formula = latency + 2 * (p - 1) / p * bytes / expectedB
        #expect(abs(t - formula) < 1e-9, "\(t) s vs \(formula) s")
    }

    /// REFERENCES.md §2: 8×H100 SXM ring all-reduce busbw ≈ 370 GB/s (nccl-tests issue 212);
    /// across servers 46–48 GB/s per 400G NIC (issue 290): the 8 rail channels' busbw divided by
    /// the 8 NICs. Large messages, tolerance 5%.
    @Test func presetsReproducePublishedBusBandwidth() {
        func busbw(ranks: Int, bytes: Double) -> Double {
            let links = FabricLinks(preset: FabricPreset.named("hgx-h100-400g-rail")!, servers: (ranks + 7) / 8)
            let (flow, streams, alpha, _) = links.collectiveFlow(Array(0..<ranks))
            let b = MaxMinFairShare(capacities: links.capacities).solve([flow])[0] * Double(streams)
            let t = CollectiveCost(ranks: ranks, bytes: bytes, alphaS: alpha, bandwidthBytesPerS: b).seconds(.allreduce, .ring)
            return CollectiveOp.allreduce.busBandwidth(algbw: bytes / t, ranks: ranks) / 1e9
        }
        let intra = busbw(ranks: 8, bytes: 4_294_967_296)
        #expect(abs(intra / 370 - 1) < 0.05, "8xH100 busbw \(intra) GB/s vs 370")
        let inter = busbw(ranks: 16, bytes: 8_589_934_592) / 8
        #expect(abs(inter / 47 - 1) < 0.05, "2x8 H100 over 400G busbw per NIC \(inter) GB/s vs 46-48")
        // busbw factors as nccl-tests defines them.
        #expect(CollectiveOp.allreduce.busBandwidth(algbw: 1, ranks: 8) == 2.0 * 7 / 8)
        #expect(CollectiveOp.allgather.busBandwidth(algbw: 1, ranks: 8) == 7.0 / 8 && CollectiveOp.broadcast.busBandwidth(algbw: 1, ranks: 8) == 1)
    }

    /// A 32-rank ring packed under one leaf versus spread over four leaves of a 2:1 oversubscribed
    /// fabric whose other leaves exchange heavy traffic: the packed ring keeps its NICs' speed,
    /// the spread one shares the saturated leaf uplinks and slows down.
    @Test func spreadRingsAreSlowerUnderContention() {
        var preset = FabricPreset.named("hgx-h100-100g-2to1")!
        preset.serversPerLeaf = 4
        let servers = 16
        let links = FabricLinks(preset: preset, servers: servers)
        var background: [MaxMinFairShare.Flow] = []
        // Every NIC of servers 4-15 (leaves 1-3) streams to the same NIC one leaf further on.
        for s in 4..<servers {
            for i in 0..<8 { background.append(links.transfer(from: s * 8 + i, to: (4 + (s - 4 + 4) % 12) * 8 + i)) }
        }
        func rate(_ placement: RankPlacement) -> Double {
            let ring = MaxMinFairShare.Flow(counting: links.ring(placement.ranks(32, servers: servers, perServer: 8)).hops)
            return MaxMinFairShare(capacities: links.capacities).solve([ring] + background)[0]
        }
        #expect(rate(.spread) < rate(.packed), "spread \(rate(.spread)) vs packed \(rate(.packed))")
    }
}

@Suite struct EfficiencyCurveTests {
    /// SimAI's measured ratios (data/calibration/nic_ratio.csv; REFERENCES.md §2: "16 MiB on 128
    /// nodes: 0.9%"): read back exactly at table points, interpolated in log size between them.
    @Test func simaiTableReadsBack() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data/calibration/nic_ratio.csv")
        let curve = try EfficiencyCurve.parse(String(contentsOf: url, encoding: .utf8))
        #expect(curve.servers == [1, 2, 4, 8, 16, 32, 64, 128])
        #expect(abs(curve.at(bytes: 16_777_216, servers: 128) - 0.0087) < 1e-12)
        #expect(abs(curve.at(bytes: 17_179_869_184, servers: 2) - 0.96) < 1e-12)
        // Halfway (in log size) between 16 MiB (0.32) and 32 MiB (0.47) on 2 servers.
        #expect(abs(curve.at(bytes: 16_777_216 * 2.0.squareRoot(), servers: 2) - 0.395) < 1e-9)
        // Clamped outside the table.
        #expect(curve.at(bytes: 8, servers: 2) == curve.at(bytes: 16_777_216, servers: 2))
        #expect(throws: EfficiencyCurve.CurveError.self) { try EfficiencyCurve.parse("Size,1 Node\n16,2.0\n") }
    }
}
