import Production

/// One kind of a job's model-parallel traffic on the fabric: its groups' streams as one
/// coupled flow (every group moves at the same pace, as they run in lockstep), and what one
/// iteration of it costs at the flow's rate: `latencyS` plus `bytesPerStream` / rate.
public struct ModelParallelFlow: Sendable, Equatable {
    public enum Kind: Int, Sendable, CaseIterable {
        case tensor = 1, pipeline, expert
    }

    public var kind: Kind
    public var flow: MaxMinFairShare.Flow
    /// Latency of one iteration's traffic (s): its steps, each at its hop's latency.
    public var latencyS: Double
    /// Bytes each stream moves per iteration.
    public var bytesPerStream: Double

    /// Seconds per iteration at `rate` (bytes/s per stream); infinity without bandwidth.
    public func seconds(rate: Double) -> Double { rate > 0 ? latencyS + bytesPerStream / rate : .infinity }
}

extension FabricLinks {
    /// The model-parallel traffic of a job on `ranks` (its accelerators, ascending), laid out as
    /// ``ModelParallelTraffic`` says, as one coupled flow per kind that moves bytes:
    ///
    /// - tensor: a ring per tensor-parallel group, 2(t−1)/t of the bytes per stream over
    ///   2(t−1) steps (an all-reduce);
    /// - pipeline: both directions of every stage boundary (rank i of stage s with rank i of
    ///   stage s+1), the bytes per stream in one step;
    /// - expert: both directions of every pair in each expert-parallel group, bytes / e to each
    ///   member over e−1 steps (an all-to-all).
    public func modelParallelFlows(_ ranks: [Int], traffic m: ModelParallelTraffic) -> [ModelParallelFlow] {
        let t = Int(m.tensorParallel), stages = Int(m.pipelineParallel), e = Int(m.expertParallel)
        let perReplica = t * stages
        let replicas = ranks.count / perReplica
        guard replicas >= 1 else { return [] }
        func rank(_ replica: Int, _ stage: Int, _ i: Int) -> Int { ranks[replica * perReplica + stage * t + i] }
        var out: [ModelParallelFlow] = []
        if t > 1 && m.tensorBytes > 0 {
            var hops: [Int] = [], alpha = 0.0
            for k in 0..<replicas {
                for s in 0..<stages {
                    let ring = ring((0..<t).map { rank(k, s, $0) })
                    hops += ring.hops
                    alpha = max(alpha, ring.latencyS)
                }
            }
            let steps = 2 * Double(t - 1)
            out.append(ModelParallelFlow(kind: .tensor, flow: MaxMinFairShare.Flow(counting: hops), latencyS: steps * alpha,
                                         bytesPerStream: steps / Double(t) * m.tensorBytes))
        }
        if stages > 1 && m.pipelineBytes > 0 {
            var hops: [Int] = [], alpha = 0.0
            for k in 0..<replicas {
                for s in 0..<(stages - 1) {
                    for i in 0..<t {
                        let pair = ring([rank(k, s, i), rank(k, s + 1, i)])
                        hops += pair.hops
                        alpha = max(alpha, pair.latencyS)
                    }
                }
            }
            out.append(ModelParallelFlow(kind: .pipeline, flow: MaxMinFairShare.Flow(counting: hops), latencyS: alpha, bytesPerStream: m.pipelineBytes))
        }
        if e > 1 && m.expertBytes > 0 && replicas > 1 {
            var hops: [Int] = [], alpha = 0.0
            for first in stride(from: 0, to: replicas, by: e) {
                let members = first..<min(replicas, first + e)
                guard members.count > 1 else { continue }
                for s in 0..<stages {
                    for i in 0..<t {
                        for a in members {
                            for b in members where b > a {
                                let pair = ring([rank(a, s, i), rank(b, s, i)])
                                hops += pair.hops
                                alpha = max(alpha, pair.latencyS)
                            }
                        }
                    }
                }
            }
            if !hops.isEmpty {
                out.append(ModelParallelFlow(kind: .expert, flow: MaxMinFairShare.Flow(counting: hops), latencyS: Double(e - 1) * alpha,
                                             bytesPerStream: m.expertBytes / Double(e)))
            }
        }
        return out
    }
}
