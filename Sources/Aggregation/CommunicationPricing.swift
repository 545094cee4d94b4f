import Production

/// A training job's all-reduce priced where the run placed it: the ring's time at the bandwidth
/// and latency the fabric gives it, the part not hidden behind compute, and the job's speed.
extension CommunicationDemand {
    /// Seconds of one ring all-reduce at `bandwidthBytesPerS` per rank with `latencyS` per step
    /// (``CollectivePricer/ring``).
    public func allReduceSeconds(bandwidthBytesPerS: Double, latencyS: Double) -> Double {
        CollectivePricing.ringAllReduceSeconds(ranks: Int(dataParallel), bytes: bytesPerIteration, alphaS: latencyS,
                                               bandwidthBytesPerS: bandwidthBytesPerS)
    }

    /// Exposed seconds per iteration: the part of the all-reduce not hidden behind compute.
    public func exposedSeconds(bandwidthBytesPerS: Double, latencyS: Double) -> Double {
        allReduceSeconds(bandwidthBytesPerS: bandwidthBytesPerS, latencyS: latencyS) * (1 - overlap)
    }

    /// The job's speed relative to compute alone: C / (C + exposed).
    public func speed(bandwidthBytesPerS: Double, latencyS: Double) -> Double {
        let c = computeSPerIteration
        guard c > 0 else { return 1 }
        return c / (c + exposedSeconds(bandwidthBytesPerS: bandwidthBytesPerS, latencyS: latencyS))
    }
}
