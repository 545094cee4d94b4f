import Foundation

/// Collective operations, as nccl-tests names them.
public enum CollectiveOp: String, Sendable, CaseIterable {
    case allreduce, reducescatter, allgather, broadcast, alltoall

    /// nccl-tests' bus-bandwidth factor: busbw = algbw × factor (doc/PERFORMANCE.md).
    public func busFactor(ranks p: Int) -> Double {
        let n = Double(p)
        switch self {
        case .allreduce: return 2 * (n - 1) / n
        case .reducescatter, .allgather, .alltoall: return (n - 1) / n
        case .broadcast: return 1
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

    /// Seconds for `op` by `algorithm`.
    public func seconds(_ op: CollectiveOp, _ algorithm: CollectiveAlgorithm) -> Double {
        let p = Double(ranks), n = bytes, a = alphaS, beta = 1 / bandwidthBytesPerS, g = gammaSPerByte
        guard ranks > 1 else { return 0 }
        let lg = log2(p).rounded(.up)
        switch (op, algorithm) {
        case (.allreduce, .ring): return 2 * (p - 1) * a + 2 * (p - 1) / p * n * beta + (p - 1) / p * n * g
        case (.allreduce, .halvingDoubling): return 2 * lg * a + 2 * (p - 1) / p * n * beta + (p - 1) / p * n * g
        case (.allreduce, .tree): return 2 * lg * (a + n * beta) + lg * n * g
        case (.reducescatter, _): return (p - 1) * a + (p - 1) / p * n * beta + (p - 1) / p * n * g
        case (.allgather, .halvingDoubling): return lg * a + (p - 1) / p * n * beta
        case (.allgather, _): return (p - 1) * a + (p - 1) / p * n * beta
        case (.broadcast, .ring): return (p - 1) * a + n * beta   // pipelined chain, large messages
        case (.broadcast, _): return lg * (a + n * beta)
        case (.alltoall, _): return (p - 1) * a + (p - 1) / p * n * beta
        }
    }
}
