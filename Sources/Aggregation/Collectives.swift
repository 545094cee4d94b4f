import Foundation

/// Collective operations, as nccl-tests names them.
public enum CollectiveOp: String, Sendable, CaseIterable {
    /// `sendrecv`: each rank sends its buffer to the next and receives the previous one's (a
    /// pipeline stage boundary; nccl-tests' sendrecv_perf).
    case allreduce, reducescatter, allgather, broadcast, alltoall, sendrecv

    /// nccl-tests' bus bandwidth of a collective over `p` ranks that achieved `algbw`
    /// (doc/PERFORMANCE.md): algbw × 2(p−1)/p for all-reduce, × (p−1)/p for reduce-scatter,
    /// all-gather and all-to-all, × 1 for broadcast and send/receive.
    public func busBandwidth(algbw: Double, ranks p: Int) -> Double {
        let n = Double(p)
        switch self {
        case .allreduce: return algbw * 2 * (n - 1) / n
        case .reducescatter, .allgather, .alltoall: return algbw * (n - 1) / n
        case .broadcast, .sendrecv: return algbw
        }
    }
}

/// Algorithms behind one protocol, chosen by name.
public enum CollectiveAlgorithm: String, Sendable, CaseIterable {
    /// Ring: reduce-scatter then all-gather around a ring.
    case ring
    /// Recursive halving and doubling (Rabenseifner) for all-reduce; recursive doubling otherwise.
    case halvingDoubling = "halving-doubling"
    /// Binomial tree (broadcast), or reduce + broadcast along a tree (all-reduce).
    case tree
    /// Two-level ring all-reduce: reduce-scatter inside each server, all-reduce of each
    /// server's 1/d share across servers (one ring per local rank, on its own NIC rail), then
    /// all-gather inside each server (``HierarchicalRingCost``).
    case hierarchical
    /// NVLink SHARP inside one NVSwitch server (Hopper and later): the switch reduces and
    /// multicasts, each rank sends and receives its buffer once (``NVLinkSHARP``).
    case nvls
    /// In-network reduction across servers (InfiniBand SHARP, NCCL's CollNet): each server's
    /// data reduced inside it (NVLink SHARP where the switch has it, else a reduce-scatter and
    /// all-gather ring), its shards reduced in the network switches (``SwitchReduction``).
    case sharp
    /// NCCL's own choice: the faster of its ring and double binary tree (all-reduce), each with
    /// its fastest protocol (``NCCLCollectiveCost``); with one latency per step, the ring.
    case auto
}

/// NVLink SHARP (NVLS): an all-reduce inside one NVSwitch server in which the switch adds the
/// ranks' buffers and multicasts the sum, so each rank sends its n bytes and receives n once:
/// time = 2α + n / B, B = η × the NVLink's one-way bandwidth. η = 0.6095 is calibrated on one
/// measurement, 8 × H100 SXM at busbw ≈ 480 GB/s (NVIDIA/nccl-tests issues 212 and 290: algbw
/// 480 × 8 / 14 = 274.3 GB/s of 450); with it 8 × H200 comes out at 480 against a measured
/// 475 (issue 272) and 8 × H800 (8 NVLinks, 200 GB/s one way) at 213 against 215 (NVIDIA/nccl
/// issue 1374). nccl-tests counts busbw as for any all-reduce: algbw × 2(p−1)/p. Over few
/// ranks the switch's rate is not what binds: 2 to 4 H100s measure the ring's busbw, 365–370
/// GB/s (NVIDIA/nccl issue 1455), so the algbw is never below the ring's on the same NVLinks,
/// B_ring · p / (2(p−1)) (``algorithmBandwidth(nvlsBytesPerS:ringBytesPerS:ranks:)``).
public enum NVLinkSHARP {
    /// Achieved fraction of the one-way NVLink bandwidth (algbw over link rate).
    public static let efficiency = 480.0 * 8 / 14 / 450

    /// The algorithm bandwidth per rank (0 without NVLS).
    public static func algorithmBandwidth(nvlinkOneWayBytesPerS: Double) -> Double { nvlinkOneWayBytesPerS * efficiency }

    /// The algorithm bandwidth of an NVLS all-reduce over `ranks` ranks: the switch's
    /// `nvlsBytesPerS`, or the ring's algbw on the same NVLinks (`ringBytesPerS` per rank) when
    /// that is more (few ranks).
    public static func algorithmBandwidth(nvlsBytesPerS: Double, ringBytesPerS: Double, ranks: Int) -> Double {
        guard ranks > 1 else { return nvlsBytesPerS }
        let p = Double(ranks)
        return max(nvlsBytesPerS, ringBytesPerS * p / (2 * (p - 1)))
    }

    /// Seconds of an all-reduce of `bytes` per rank inside one server.
    public static func seconds(bytes: Double, alphaS: Double, bandwidthBytesPerS: Double) -> Double {
        bytes > 0 ? 2 * alphaS + bytes / bandwidthBytesPerS : 0
    }
}

/// An all-reduce reduced in the network (InfiniBand SHARP; NCCL's CollNet algorithms) over
/// `servers` servers of `localRanks` ranks each. Inside each server the data is reduced to
/// shards and gathered back: on an NVSwitch with NVLink SHARP each rank sends and receives its
/// n bytes once at the NVLS bandwidth, otherwise a reduce-scatter and an all-gather ring move
/// 2(d−1)/d·n per rank. Between servers each of the server's NIC rails sends its 1/rails of the
/// data to the switches once and receives the reduced result once, whatever the number of
/// servers. NCCL pipelines the two, so the slower sets the pace:
///
///     time = latency + n · max(inside, 1 / (rails × r))
///
/// with r the network flow's rate per rail (``FabricLinks/sharpFlow(_:)``). Latency as NCCL's
/// tuning model counts CollNet Direct: 2·(3.7 µs + (d−1)·0.4 µs) + 31 µs (NVLink step, arity
/// serialization, network). nccl-tests counts busbw as for any all-reduce, algbw × 2(p−1)/p.
/// Not calibrated against a measurement (none is public in the calibration table yet).
public struct SwitchReduction: Sendable, Equatable {
    public var localRanks: Int
    public var bytes: Double
    /// Seconds per byte inside a server (2(d−1)/d / ring bandwidth, or 1 / NVLS bandwidth).
    public var insideSPerByte: Double
    /// The network's bandwidth for the server's data: rails × the rate of each.
    public var networkBytesPerS: Double

    public init(localRanks: Int, bytes: Double, insideSPerByte: Double, networkBytesPerS: Double) {
        self.localRanks = localRanks
        self.bytes = bytes
        self.insideSPerByte = insideSPerByte
        self.networkBytesPerS = networkBytesPerS
    }

    /// Seconds per byte inside a server of `localRanks` ranks: NVLink SHARP at
    /// `nvlsBytesPerS` (never below the ring on the same NVLinks, ``NVLinkSHARP``) where the
    /// switch has it, else a reduce-scatter and an all-gather ring, 2(d−1)/d per byte at the
    /// ring's `ringBytesPerS`; nothing with one rank a server.
    public static func insideSPerByte(localRanks d: Int, nvlsBytesPerS: Double, ringBytesPerS: Double) -> Double {
        guard d > 1 else { return 0 }
        if nvlsBytesPerS > 0 { return 1 / NVLinkSHARP.algorithmBandwidth(nvlsBytesPerS: nvlsBytesPerS, ringBytesPerS: ringBytesPerS, ranks: d) }
        return 2 * Double(d - 1) / Double(d) / ringBytesPerS
    }

    /// NCCL's CollNet Direct latency (s).
    public var latencyS: Double {
        let d = Double(localRanks)
        return (2 * (min(1, d - 1) * 3.7 + (d - 1) * 0.4) + 31) * 1e-6
    }

    /// Seconds of the all-reduce.
    public var seconds: Double {
        bytes > 0 ? latencyS + bytes * max(insideSPerByte, 1 / networkBytesPerS) : 0
    }
}

/// The hierarchical ring all-reduce over `servers` servers of `localRanks` ranks each:
/// intra-server reduce-scatter (d−1)·α_i + (d−1)/d·n/B_i, inter-server ring all-reduce of n/d
/// bytes 2(s−1)·α_e + 2(s−1)/s·(n/d)/B_e, and intra-server all-gather (d−1)·α_i + (d−1)/d·n/B_i
/// (Jia et al. 2018; NCCL's tree/ring hybrids), plus the reduction γ over n·(p−1)/p bytes.
public struct HierarchicalRingCost: Sendable, Equatable {
    public var localRanks: Int
    public var servers: Int
    public var bytes: Double
    public var intraAlphaS: Double
    public var intraBandwidthBytesPerS: Double
    public var interAlphaS: Double
    /// Bandwidth of each inter-server ring (one per local rank).
    public var interBandwidthBytesPerS: Double
    public var gammaSPerByte: Double

    public init(localRanks: Int, servers: Int, bytes: Double, intraAlphaS: Double, intraBandwidthBytesPerS: Double,
                interAlphaS: Double, interBandwidthBytesPerS: Double, gammaSPerByte: Double = 0) {
        self.localRanks = localRanks
        self.servers = servers
        self.bytes = bytes
        self.intraAlphaS = intraAlphaS
        self.intraBandwidthBytesPerS = intraBandwidthBytesPerS
        self.interAlphaS = interAlphaS
        self.interBandwidthBytesPerS = interBandwidthBytesPerS
        self.gammaSPerByte = gammaSPerByte
    }

    /// Seconds of the all-reduce.
    public var seconds: Double {
        let d = Double(localRanks), s = Double(servers), n = bytes, p = d * s
        let intra = d > 1 ? (d - 1) * intraAlphaS + (d - 1) / d * n / intraBandwidthBytesPerS : 0
        let inter = CollectivePricing.ringAllReduceSeconds(ranks: servers, bytes: n / d, alphaS: interAlphaS, bandwidthBytesPerS: interBandwidthBytesPerS)
        return 2 * intra + inter + (p - 1) / p * n * gammaSPerByte
    }
}

/// Hockney α–β–γ costs (Thakur, Rabenseifner and Gropp 2005; Patarasuk and Yuan 2009):
/// p ranks, n bytes per rank, α seconds per message, bandwidth B bytes/s per rank (the ring's
/// bottleneck share), γ seconds per byte reduced.
public struct CollectiveCost: Sendable, Equatable {
    public var ranks: Int
    public var bytes: Double
    public var alphaS: Double
    public var bandwidthBytesPerS: Double
    public var gammaSPerByte: Double

    public init(ranks: Int, bytes: Double, alphaS: Double, bandwidthBytesPerS: Double, gammaSPerByte: Double = 0) {
        self.ranks = ranks
        self.bytes = bytes
        self.alphaS = alphaS
        self.bandwidthBytesPerS = bandwidthBytesPerS
        self.gammaSPerByte = gammaSPerByte
    }

    /// Seconds for `op` by `algorithm` (a hierarchical all-reduce needs two levels: see
    /// ``HierarchicalRingCost``; here it is priced as one flat ring).
    public func seconds(_ op: CollectiveOp, _ algorithm: CollectiveAlgorithm) -> Double {
        let p = Double(ranks), n = bytes, a = alphaS, beta = 1 / bandwidthBytesPerS, g = gammaSPerByte
        guard ranks > 1 else { return 0 }
        let lg = log2(p).rounded(.up)
        switch (op, algorithm) {
        case (.allreduce, .nvls):
            return NVLinkSHARP.seconds(bytes: n, alphaS: a, bandwidthBytesPerS: bandwidthBytesPerS)
        case (.allreduce, .ring), (.allreduce, .hierarchical), (.allreduce, .auto), (.allreduce, .sharp):
            return CollectivePricing.ringAllReduceSeconds(ranks: ranks, bytes: n, alphaS: a, bandwidthBytesPerS: bandwidthBytesPerS) + (p - 1) / p * n * g
        case (.allreduce, .halvingDoubling): return 2 * lg * a + 2 * (p - 1) / p * n * beta + (p - 1) / p * n * g
        case (.allreduce, .tree): return 2 * lg * (a + n * beta) + lg * n * g
        case (.reducescatter, _): return (p - 1) * a + (p - 1) / p * n * beta + (p - 1) / p * n * g
        case (.allgather, .halvingDoubling): return lg * a + (p - 1) / p * n * beta
        case (.allgather, _): return (p - 1) * a + (p - 1) / p * n * beta
        case (.broadcast, .ring): return (p - 1) * a + n * beta   // pipelined chain, large messages
        case (.broadcast, _): return lg * (a + n * beta)
        case (.alltoall, _): return (p - 1) * a + (p - 1) / p * n * beta
        case (.sendrecv, _): return a + n * beta
        }
    }
}
