/// The one place collectives are priced, for runs (a training job's all-reduce on the shared
/// fabric, or at nominal speed without contention) and for `iccsim collective`: Hockney α–β–γ
/// costs (Thakur, Rabenseifner and Gropp 2005; Patarasuk and Yuan 2009) over the bandwidth and
/// latency the fabric gives the collective's flows.
public enum CollectivePricing {
    /// Seconds of a ring all-reduce of `bytes` per rank over `ranks` ranks, each step paying
    /// `alphaS` and each rank moving its data at `bandwidthBytesPerS` (the ring's bottleneck
    /// share): 2(p−1)·α + 2(p−1)/p · n / B. Zero for one rank or no data.
    @inlinable
    public static func ringAllReduceSeconds(ranks: Int, bytes: Double, alphaS: Double, bandwidthBytesPerS: Double) -> Double {
        let p = Double(ranks)
        guard ranks > 1, bytes > 0 else { return 0 }
        return 2 * (p - 1) * alphaS + 2 * (p - 1) / p * bytes / bandwidthBytesPerS
    }
}

/// What the fabric gives a collective: the bandwidth per rank of its flow (its bottleneck
/// share under max-min sharing) and the latency of one step; for a hierarchical all-reduce also
/// the intra-server ring's, and the ranks per server.
public struct CollectivePath: Sendable, Equatable {
    public var bandwidthBytesPerS: Double
    public var latencyS: Double
    public var intraBandwidthBytesPerS: Double
    public var intraLatencyS: Double
    /// Ranks of the collective on each server (hierarchical all-reduce).
    public var localRanks: Int
    /// What a step inside a server crosses (for protocol latencies).
    public var intraHop: CollectiveHop
    /// NCCL's tuning class of the accelerators (protocol latencies and ceilings).
    public var generation: NCCLGeneration = .hopper
    /// For an all-reduce reduced in the network (``SwitchReduction``): seconds per byte inside
    /// a server, and the network's bandwidth for a server's data (0: no in-network reduction).
    public var insideSPerByte: Double = 0
    public var networkBytesPerS: Double = 0

    public init(bandwidthBytesPerS: Double, latencyS: Double, intraBandwidthBytesPerS: Double = 0, intraLatencyS: Double = 0, localRanks: Int = 1,
                intraHop: CollectiveHop = .nvlink) {
        self.intraHop = intraHop
        self.bandwidthBytesPerS = bandwidthBytesPerS
        self.latencyS = latencyS
        self.intraBandwidthBytesPerS = intraBandwidthBytesPerS
        self.intraLatencyS = intraLatencyS
        self.localRanks = localRanks
    }
}

/// How collectives are priced: an algorithm, how latency is counted (NCCL's protocols, or one
/// latency per step), and optionally a measured efficiency curve (the achieved fraction of the
/// bandwidth by message size and servers spanned). Runs use the flat ring with one latency per
/// step and no curve (``ring``); `iccsim collective` chooses all three.
public struct CollectivePricer: Sendable, Equatable {
    public var algorithm: CollectiveAlgorithm
    public var efficiency: EfficiencyCurve?
    /// Seconds per byte reduced (γ).
    public var gammaSPerByte: Double
    /// How latency is counted: per protocol and hop (``NCCLCollectiveCost``) for ring, auto and
    /// NVLS; the other algorithms, and `perStep`, take the fabric's latency per step.
    public var protocols: ProtocolChoice

    public init(algorithm: CollectiveAlgorithm = .ring, efficiency: EfficiencyCurve? = nil, gammaSPerByte: Double = 0,
                protocols: ProtocolChoice = .perStep) {
        self.algorithm = algorithm
        self.efficiency = efficiency
        self.gammaSPerByte = gammaSPerByte
        self.protocols = protocols
    }

    /// The flat ring at the fabric's bandwidth: what runs price every all-reduce with.
    public static let ring = CollectivePricer()

    /// Seconds of `op` of `bytes` per rank over `ranks` ranks spanning `servers` servers.
    public func seconds(_ op: CollectiveOp, ranks: Int, servers: Int, bytes: Double, path: CollectivePath) -> Double {
        priced(op, ranks: ranks, servers: servers, bytes: bytes, path: path).seconds
    }

    /// Seconds of `op`, and the algorithm and protocol that gave them when protocols are
    /// priced (`ring LL`, `tree LL128`, `nvls Simple`; nil with one latency per step).
    public func priced(_ op: CollectiveOp, ranks: Int, servers: Int, bytes: Double, path given: CollectivePath) -> (seconds: Double, choice: String?) {
        let fraction = efficiency?.at(bytes: bytes, servers: servers)
        func scaled(_ b: Double) -> Double { fraction.map { b * $0 } ?? b }
        var algorithm = self.algorithm, path = given
        if algorithm == .hierarchical && servers <= 1 {
            // On one server the hierarchical all-reduce is its intra-server ring.
            algorithm = .ring
            path.bandwidthBytesPerS = given.intraBandwidthBytesPerS
            path.latencyS = given.intraLatencyS
        }
        let p = Double(ranks)
        let reduced = op == .allreduce || op == .reducescatter ? (p - 1) / p * bytes * gammaSPerByte : 0
        if protocols != .perStep {
            let cost = NCCLCollectiveCost(ranks: ranks, servers: servers, bytes: bytes, bandwidthBytesPerS: scaled(path.bandwidthBytesPerS),
                                          intraHop: path.intraHop, generation: path.generation)
            switch algorithm {
            case .ring, .auto:
                if let best = cost.best(op, protocols: protocols.protocols, tree: algorithm == .auto) {
                    return (best.seconds + reduced, "\(best.algorithm) \(best.proto.rawValue)")
                }
            case .nvls where op == .allreduce && protocols.protocols.contains(.simple):
                // NCCL runs NVLS with Simple only: 25 µs per NVLink step (tuning.cc), the data once each way.
                return (NVLinkSHARP.seconds(bytes: bytes, alphaS: 12.5e-6, bandwidthBytesPerS: scaled(path.bandwidthBytesPerS)), "nvls Simple")
            default: break
            }
        }
        if algorithm == .sharp && op == .allreduce && servers > 1 && path.networkBytesPerS > 0 {
            return (SwitchReduction(localRanks: path.localRanks, bytes: bytes, insideSPerByte: path.insideSPerByte,
                                    networkBytesPerS: scaled(path.networkBytesPerS)).seconds, protocols == .perStep ? nil : "sharp Simple")
        }
        if algorithm == .hierarchical && op == .allreduce {
            return (HierarchicalRingCost(localRanks: path.localRanks, servers: servers, bytes: bytes, intraAlphaS: path.intraLatencyS,
                                         intraBandwidthBytesPerS: scaled(path.intraBandwidthBytesPerS), interAlphaS: path.latencyS,
                                         interBandwidthBytesPerS: scaled(path.bandwidthBytesPerS), gammaSPerByte: gammaSPerByte).seconds, nil)
        }
        return (CollectiveCost(ranks: ranks, bytes: bytes, alphaS: path.latencyS, bandwidthBytesPerS: scaled(path.bandwidthBytesPerS),
                               gammaSPerByte: gammaSPerByte).seconds(op, algorithm), nil)
    }
}
