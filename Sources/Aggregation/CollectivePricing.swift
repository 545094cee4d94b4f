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

    public init(bandwidthBytesPerS: Double, latencyS: Double, intraBandwidthBytesPerS: Double = 0, intraLatencyS: Double = 0, localRanks: Int = 1) {
        self.bandwidthBytesPerS = bandwidthBytesPerS
        self.latencyS = latencyS
        self.intraBandwidthBytesPerS = intraBandwidthBytesPerS
        self.intraLatencyS = intraLatencyS
        self.localRanks = localRanks
    }
}

/// How collectives are priced: an algorithm, and optionally a measured efficiency curve (the
/// achieved fraction of the bandwidth by message size and servers spanned). Runs use the flat
/// ring without a curve (``ring``); `iccsim collective` chooses both.
public struct CollectivePricer: Sendable, Equatable {
    public var algorithm: CollectiveAlgorithm
    public var efficiency: EfficiencyCurve?
    /// Seconds per byte reduced (γ).
    public var gammaSPerByte: Double

    public init(algorithm: CollectiveAlgorithm = .ring, efficiency: EfficiencyCurve? = nil, gammaSPerByte: Double = 0) {
        self.algorithm = algorithm
        self.efficiency = efficiency
        self.gammaSPerByte = gammaSPerByte
    }

    /// The flat ring at the fabric's bandwidth: what runs price every all-reduce with.
    public static let ring = CollectivePricer()

    /// Seconds of `op` of `bytes` per rank over `ranks` ranks spanning `servers` servers.
    public func seconds(_ op: CollectiveOp, ranks: Int, servers: Int, bytes: Double, path: CollectivePath) -> Double {
        let fraction = efficiency?.at(bytes: bytes, servers: servers)
        func scaled(_ b: Double) -> Double { fraction.map { b * $0 } ?? b }
        if algorithm == .hierarchical && op == .allreduce {
            return HierarchicalRingCost(localRanks: path.localRanks, servers: servers, bytes: bytes, intraAlphaS: path.intraLatencyS,
                                        intraBandwidthBytesPerS: scaled(path.intraBandwidthBytesPerS), interAlphaS: path.latencyS,
                                        interBandwidthBytesPerS: scaled(path.bandwidthBytesPerS), gammaSPerByte: gammaSPerByte).seconds
        }
        return CollectiveCost(ranks: ranks, bytes: bytes, alphaS: path.latencyS, bandwidthBytesPerS: scaled(path.bandwidthBytesPerS),
                              gammaSPerByte: gammaSPerByte).seconds(op, algorithm)
    }
}
