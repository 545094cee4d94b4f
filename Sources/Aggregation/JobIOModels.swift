import Production

/// Links and storage at their nominal speed, shared with no other job.
///
/// The gradient all-reduce is a ring over the data-parallel ranks (priced by
/// ``CollectivePricing``, with no per-step latency) at B, the ring's bottleneck per rank: the intra-server fabric when the job fits in one server, else
/// the lesser of that and the server's NIC bandwidth per accelerator. A fraction `overlap` of it
/// hides behind backward compute. Dataset ingest and checkpoints go at `storageBandwidthBytesPerS`.
public struct NoContentionIO: JobIOModel {
    /// Fraction of the all-reduce hidden behind backward compute, in [0, 1].
    public var overlap: Double
    /// Storage bandwidth one job gets.
    public var storageBandwidthBytesPerS: Double

    public init(overlap: Double = 0.8, storageBandwidthBytesPerS: Double = 10e9) {
        self.overlap = overlap
        self.storageBandwidthBytesPerS = storageBandwidthBytesPerS
    }

    /// The ring's bottleneck bandwidth per rank.
    public func ringBandwidthBytesPerS(_ placement: JobPlacementView) -> Double {
        let s = placement.server
        if placement.serversSpanned <= 1 { return s.fabricBandwidthBytesPerS }
        return min(s.fabricBandwidthBytesPerS, s.networkBandwidthBytesPerS / Double(s.acceleratorsPerServer))
    }

    public func exposedSecondsPerIteration(_ demand: JobIODemand, placement: JobPlacementView) -> Double {
        guard demand.allReduceRanks > 1, demand.allReduceBytesPerIteration > 0 else { return 0 }
        let ring = CollectivePricing.ringAllReduceSeconds(ranks: demand.allReduceRanks, bytes: demand.allReduceBytesPerIteration, alphaS: 0,
                                                          bandwidthBytesPerS: ringBandwidthBytesPerS(placement))
        return ring * (1 - overlap)
    }

    public func exposedSecondsPerJob(_ demand: JobIODemand, placement: JobPlacementView) -> Double {
        (demand.datasetBytes + demand.checkpointBytes * Double(demand.checkpoints)) / storageBandwidthBytesPerS
    }
}

/// Per-iteration communication left to the run: the job's duration holds its compute (and
/// storage time), and the aggregation model slows it by the all-reduce it exposes where it is
/// placed, under the contention it meets (``CommunicationDemand``).
public struct FabricIO: JobIOModel {
    public var overlap: Double
    public var storageBandwidthBytesPerS: Double

    public init(overlap: Double = 0.8, storageBandwidthBytesPerS: Double = 10e9) {
        self.overlap = overlap
        self.storageBandwidthBytesPerS = storageBandwidthBytesPerS
    }

    public var deferredOverlap: Double? { overlap }

    public func exposedSecondsPerIteration(_ demand: JobIODemand, placement: JobPlacementView) -> Double { 0 }

    public func exposedSecondsPerJob(_ demand: JobIODemand, placement: JobPlacementView) -> Double {
        NoContentionIO(overlap: overlap, storageBandwidthBytesPerS: storageBandwidthBytesPerS).exposedSecondsPerJob(demand, placement: placement)
    }
}
