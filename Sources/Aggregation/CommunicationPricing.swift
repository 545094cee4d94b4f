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

    /// Seconds of compute per iteration on the fabric: `computeSPerIteration`, less, for an
    /// end-to-end efficiency, the all-reduce the job exposes alone on its links (`aloneExposedS`),
    /// so that alone on an uncontended fabric it runs exactly at its stated efficiency (never
    /// below zero: an efficiency too high for its own all-reduce leaves no compute time).
    public func fabricComputeSeconds(aloneExposedS: Double) -> Double {
        endToEnd ? max(0, computeSPerIteration - aloneExposedS) : computeSPerIteration
    }

    /// The job's speed relative to its stated time per iteration: C / (C' + exposed + M), with
    /// C' the compute per iteration on the fabric (``fabricComputeSeconds(aloneExposedS:)``; C
    /// itself for a compute-only efficiency) and M its model-parallel traffic's seconds per
    /// iteration (``ModelParallelFlow``), all on the critical path. A job with one replica
    /// (`dataParallel` 1) exposes no all-reduce.
    public func speed(bandwidthBytesPerS: Double, latencyS: Double, computeS: Double, modelParallelS: Double = 0) -> Double {
        speed(allReduceS: allReduceSeconds(bandwidthBytesPerS: bandwidthBytesPerS, latencyS: latencyS), computeS: computeS, modelParallelS: modelParallelS)
    }

    /// ``speed(bandwidthBytesPerS:latencyS:computeS:modelParallelS:)`` for an all-reduce of
    /// `allReduceS` seconds however it runs (a ring, NVLink SHARP, a switch reduction).
    public func speed(allReduceS: Double, computeS: Double, modelParallelS: Double = 0) -> Double {
        let c = computeSPerIteration
        guard c > 0 else { return 1 }
        let exposed = dataParallel > 1 ? allReduceS * (1 - overlap) : 0
        return c / (computeS + exposed + modelParallelS)
    }
}
