import Foundation

/// What one step of a collective crosses, for its latency: a GPU-to-GPU link (NVLink, xGMI,
/// HCCS, an NVLink bridge), PCIe through the host, or the network between servers.
public enum CollectiveHop: String, Sendable, Equatable, CaseIterable {
    case nvlink, pcie, network
}

/// NCCL's three protocols, with the latencies and bandwidth fractions of NCCL's own tuning
/// model (`src/graph/tuning.cc`, NCCL 2.2x: `baseLat`, `hwLat`, and the protocol factors of
/// `ncclTopoTuneModel`):
///
/// - **LL** (low latency): 8-byte stores carrying 4 bytes of data and a 4-byte flag, so no
///   fence is needed: the lowest latency, half the bandwidth (a tree: 1/3.8 of it).
/// - **LL128**: 128-byte lines with 8 bytes of flag: 120/128 of the bandwidth (NCCL counts
///   0.92 for rings) at a latency between the two.
/// - **Simple**: large chunks behind a memory fence: the whole bandwidth, the highest latency.
///
/// NCCL picks, for each collective and size, the algorithm and protocol of least predicted
/// time; ``NCCLCollectiveCost`` does the same.
public enum CollectiveProtocol: String, Sendable, CaseIterable {
    case ll = "LL", ll128 = "LL128", simple = "Simple"

    /// Fixed cost of one collective (µs): NCCL's `baseLat` for rings and trees.
    public func baseLatencyUs(tree: Bool) -> Double {
        switch self {
        case .ll: return tree ? 6.8 : 6.6
        case .ll128: return 14.0
        case .simple: return 8.4
        }
    }

    /// Latency of one step over `hop` (µs): NCCL's `hwLat` (NVLink, PCI, NET rows).
    public func hopLatencyUs(_ hop: CollectiveHop, tree: Bool) -> Double {
        switch (hop, self) {
        case (.nvlink, .ll): return 0.6
        case (.nvlink, .ll128): return tree ? 1.25 : 1.9
        case (.nvlink, .simple): return tree ? 4.0 : 3.4
        case (.pcie, .ll): return 1.0
        case (.pcie, .ll128): return tree ? 1.9 : 2.5
        case (.pcie, .simple): return tree ? 4.0 : 5.7
        case (.network, .ll): return tree ? 5.0 : 2.7
        case (.network, .ll128): return tree ? 8.5 : 4.0
        case (.network, .simple): return 14.0
        }
    }

    /// Bus bandwidth the protocol reaches on links whose ring bandwidth per rank is `ringBytesPerS`
    /// (NCCL's model refinements in `ncclTopoTuneModel`): a ring's LL half of it, capped at
    /// ``NCCLGeneration/lowLatencyCeilingBytesPerS(servers:)``, its LL128 0.92, Simple all of it;
    /// a tree's all-reduce 0.92 of it, LL a further 1/3.8 (same cap), LL128 a further 120/128
    /// across servers and 7/9 inside one. NCCL's per-channel caps (`perChMaxRingLL128Bw`,
    /// `perChMaxTreeBw`) are not modelled: they need its channel count, and at 16 or more
    /// channels they do not bind on the presets.
    public func busBandwidthBytesPerS(ringBytesPerS b: Double, tree: Bool, servers: Int, generation: NCCLGeneration) -> Double {
        let ceiling = generation.lowLatencyCeilingBytesPerS(servers: servers)
        switch (self, tree) {
        case (.ll, false): return min(ceiling, b * 0.5)
        case (.ll128, false): return b * 0.92
        case (.simple, false): return b
        case (.ll, true): return min(b * 0.92 / 3.8, ceiling)
        case (.ll128, true): return b * 0.92 * (servers > 1 ? 120.0 / 128 : 7.0 / 9)
        case (.simple, true): return b * 0.92
        }
    }

    /// NCCL's correction of a tree all-reduce's bandwidth for medium sizes (`treeCorrectionFactor`
    /// in tuning.cc, by ⌊log2(bytes / 64)⌋ from 0 to 22; 1 outside): trees fall short of their
    /// model between about 4 KiB and 64 MiB.
    public func treeCorrection(bytes: Double) -> Double {
        guard bytes >= 64 else { return 1 }
        let log = Int(log2(bytes / 64).rounded(.down))
        guard log < 23 else { return 1 }
        return Self.treeCorrections[self]![log]
    }

    static let treeCorrections: [CollectiveProtocol: [Double]] = [
        .ll: [1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 0.7, 0.7, 0.7, 0.7, 0.6, 0.5, 0.4, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.0, 1.0, 1.0],
        .ll128: [1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.8, 0.9, 0.9, 0.9, 0.9, 1.0, 1.0],
        .simple: [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.7, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.6, 0.7, 0.8, 0.7, 0.7, 0.8, 0.9, 0.9],
    ]
}

/// NCCL's tuning class of a GPU (its compute-capability index): it sets the ceiling of the LL
/// protocol's bandwidth on one server and how much a ring's latency grows on large multi-server
/// all-reduces. Non-NVIDIA accelerators (RCCL, HCCL) are priced as Hopper.
public enum NCCLGeneration: String, Sendable, CaseIterable {
    case volta, ampere, hopper, blackwell

    /// The class of an accelerator by its interconnect's name (`NVLink2` Volta, `NVLink3` or a
    /// PCIe 4 card Ampere, `NVLink5` Blackwell; anything else Hopper).
    public init(interconnect: String) {
        switch interconnect {
        case "NVLink2", "PCIe3": self = .volta
        case "NVLink3", "PCIe4": self = .ampere
        case "NVLink5": self = .blackwell
        default: self = .hopper
        }
    }

    /// NCCL's `llMaxBws` (bytes/s of bus bandwidth): on one server by GPU (Volta 39, Ampere
    /// 87.7, Hopper 141, Blackwell 282 GB/s); across servers by host CPU, Intel taken (39 GB/s
    /// on two servers, 20.4 on more).
    public func lowLatencyCeilingBytesPerS(servers: Int) -> Double {
        if servers > 2 { return 20.4e9 }
        if servers == 2 { return 39e9 }
        switch self {
        case .volta: return 39e9
        case .ampere: return 87.7e9
        case .hopper: return 141e9
        case .blackwell: return 282e9
        }
    }

    /// Factor on a multi-server ring all-reduce's latency with Simple once each rank's share of a
    /// channel reaches 64 bytes (NCCL's "plateau effect of ring": 1.9 before Ampere, 1.4 after).
    public var ringPlateau: Double { self == .volta ? 1.9 : 1.4 }
}

/// How a collective's latency is counted.
public enum ProtocolChoice: Sendable, Equatable {
    /// NCCL's choice: the fastest protocol for the size (``NCCLCollectiveCost``), with per-hop
    /// latencies by protocol.
    case auto
    /// One protocol, as `NCCL_PROTO` forces it.
    case only(CollectiveProtocol)
    /// The fabric's latency per step (the scenario's `io.fabric` latencies: each step inside a
    /// server at the intra-server one, each across servers at the inter-server one):
    /// how runs price their (large) all-reduces.
    case perStep

    /// Parses `auto`, `per-step` or a protocol name (`LL`, `LL128`, `Simple`; any case).
    public init?(name: String) {
        switch name.lowercased() {
        case "auto": self = .auto
        case "per-step": self = .perStep
        default:
            guard let p = CollectiveProtocol.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
            self = .only(p)
        }
    }

    /// The protocols this choice lets a collective use.
    public var protocols: [CollectiveProtocol] {
        switch self {
        case .auto: return CollectiveProtocol.allCases
        case .only(let p): return [p]
        case .perStep: return []
        }
    }
}

/// A collective priced as NCCL's tuning model prices it: for each protocol, a fixed latency
/// plus one per step by the hop it crosses, and the data at the protocol's share of the
/// bandwidth; the least time wins. A ring all-reduce over p ranks on s servers takes
/// 2(p−1) steps, 2(s−1) of them across the network; its time is
///
///     base + (2(p−1) − 2(s−1))·hop_intra + 2(s−1)·hop_net + 2(p−1)/p · n / busbw
///
/// and a double binary tree's (all-reduce only) base + 2·((p/s − 1)·hop_intra + log2(s)·hop_net)
/// + 2n / (busbw · correction(n)). busbw is the protocol's share of B, the fabric's bandwidth
/// per rank (the ring's max-min share; ``CollectiveProtocol/busBandwidthBytesPerS(ringBytesPerS:tree:servers:generation:)``).
/// Across servers, as NCCL: a ring step inside a server costs at least the network's overhead
/// (1 µs, 3 µs with Simple), a ring of one rank per server pays the tree's network latency, and
/// a Simple all-reduce's latency grows by ``NCCLGeneration/ringPlateau`` once each rank's share
/// of a channel reaches 64 bytes (16 channels taken).
public struct NCCLCollectiveCost: Sendable, Equatable {
    public var ranks: Int
    public var servers: Int
    public var bytes: Double
    public var bandwidthBytesPerS: Double
    /// What a step inside a server crosses.
    public var intraHop: CollectiveHop
    public var generation: NCCLGeneration

    public init(ranks: Int, servers: Int, bytes: Double, bandwidthBytesPerS: Double, intraHop: CollectiveHop, generation: NCCLGeneration = .hopper) {
        self.ranks = ranks
        self.servers = max(1, servers)
        self.bytes = bytes
        self.bandwidthBytesPerS = bandwidthBytesPerS
        self.intraHop = intraHop
        self.generation = generation
    }

    /// Channels NCCL is taken to use when it asks whether a ring has reached its plateau.
    static let channels = 16.0

    func busBandwidth(_ proto: CollectiveProtocol, tree: Bool) -> Double {
        proto.busBandwidthBytesPerS(ringBytesPerS: bandwidthBytesPerS, tree: tree, servers: servers, generation: generation)
    }

    /// Seconds of `op` on a ring with `proto` (all-reduce, reduce-scatter, all-gather; other
    /// operations are not ring-pipelined by NCCL and return nil).
    public func ringSeconds(_ op: CollectiveOp, _ proto: CollectiveProtocol) -> Double? {
        let p = Double(ranks), s = Double(servers)
        guard ranks > 1 else { return 0 }
        let (steps, interSteps, share): (Double, Double, Double)
        switch op {
        case .allreduce: (steps, interSteps, share) = (2 * (p - 1), 2 * (s - 1), 2 * (p - 1) / p)
        case .reducescatter, .allgather: (steps, interSteps, share) = (p - 1, s - 1, (p - 1) / p)
        case .broadcast, .alltoall, .sendrecv: return nil
        }
        var intraUs = proto.hopLatencyUs(intraHop, tree: false), interUs = proto.hopLatencyUs(.network, tree: false)
        if servers > 1 {
            intraUs = max(intraUs, proto == .simple ? 3 : 1)
            if ranks == servers { interUs = proto.hopLatencyUs(.network, tree: true) }
        }
        var latencyUs = proto.baseLatencyUs(tree: false) + (steps - interSteps) * intraUs + interSteps * interUs
        if op == .allreduce && proto == .simple && servers > 1 && bytes / (Self.channels * p) >= 64 { latencyUs *= generation.ringPlateau }
        return latencyUs * 1e-6 + share * bytes / busBandwidth(proto, tree: false)
    }

    /// Seconds of an all-reduce on NCCL's double binary tree with `proto`.
    public func treeSeconds(_ proto: CollectiveProtocol) -> Double {
        guard ranks > 1 else { return 0 }
        let perServer = Double(ranks) / Double(servers)
        let depth = Double(Int.bitWidth - 1 - servers.leadingZeroBitCount)   // ⌊log2 s⌋, as NCCL's log2i
        let latencyUs = proto.baseLatencyUs(tree: true)
            + 2 * ((perServer - 1) * proto.hopLatencyUs(intraHop, tree: true) + depth * proto.hopLatencyUs(.network, tree: true))
        return latencyUs * 1e-6 + 2 * bytes / (busBandwidth(proto, tree: true) * proto.treeCorrection(bytes: bytes))
    }

    /// The least time over `protocols` on a ring (and, with `tree`, on the tree for an
    /// all-reduce), with the algorithm and protocol that give it; nil when none applies.
    public func best(_ op: CollectiveOp, protocols: [CollectiveProtocol], tree: Bool) -> (seconds: Double, algorithm: String, proto: CollectiveProtocol)? {
        var best: (seconds: Double, algorithm: String, proto: CollectiveProtocol)?
        for proto in protocols {
            if let t = ringSeconds(op, proto), t < (best?.seconds ?? .infinity) { best = (t, "ring", proto) }
            if tree && op == .allreduce {
                let t = treeSeconds(proto)
                if t < (best?.seconds ?? .infinity) { best = (t, "tree", proto) }
            }
        }
        return best
    }
}
