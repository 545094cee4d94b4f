/// The network and storage side of a job, exposed by the production model so that the
/// aggregation model can price it under contention. Bytes are per job unless stated.
public struct JobIODemand: Sendable, Equatable {
    /// Gradient bytes each data-parallel rank all-reduces per iteration.
    public var allReduceBytesPerIteration: Double
    /// Ranks in the all-reduce ring (the data-parallel degree).
    public var allReduceRanks: Int
    /// Dataset bytes read at job start (ingest).
    public var datasetBytes: Double
    /// Bytes of one checkpoint (weights and optimizer state).
    public var checkpointBytes: Double
    /// Checkpoints written over the job.
    public var checkpoints: Int

    public init(allReduceBytesPerIteration: Double = 0, allReduceRanks: Int = 1, datasetBytes: Double = 0,
                checkpointBytes: Double = 0, checkpoints: Int = 0) {
        self.allReduceBytesPerIteration = allReduceBytesPerIteration
        self.allReduceRanks = allReduceRanks
        self.datasetBytes = datasetBytes
        self.checkpointBytes = checkpointBytes
        self.checkpoints = checkpoints
    }

    /// No network or storage traffic.
    public static let none = JobIODemand()
}

/// Where a job runs, as the I/O model needs to know it.
public struct JobPlacementView: Sendable, Equatable {
    public var accelerators: Int
    public var server: ServerModel

    public init(accelerators: Int, server: ServerModel) {
        self.accelerators = accelerators
        self.server = server
    }

    /// Servers the job spans when packed.
    public var serversSpanned: Int { (accelerators + server.acceleratorsPerServer - 1) / server.acceleratorsPerServer }
}

/// Prices a job's network and storage time: how many seconds it adds to the job beyond compute.
/// The default (``NoContentionIO``) assumes the job has its links and storage to itself; the
/// aggregation model replaces it with one that shares them.
public protocol JobIOModel: Sendable {
    /// Seconds the job's I/O adds per iteration (communication not hidden behind compute).
    func exposedSecondsPerIteration(_ demand: JobIODemand, placement: JobPlacementView) -> Double
    /// Seconds the job's I/O adds once over the job (dataset ingest, checkpoints).
    func exposedSecondsPerJob(_ demand: JobIODemand, placement: JobPlacementView) -> Double
}

/// I/O that costs nothing: the efficiency figure already includes communication, as a measured
/// end-to-end MFU does.
public struct IdealIO: JobIOModel {
    public init() {}
    public func exposedSecondsPerIteration(_ demand: JobIODemand, placement: JobPlacementView) -> Double { 0 }
    public func exposedSecondsPerJob(_ demand: JobIODemand, placement: JobPlacementView) -> Double { 0 }
}

/// Links and storage at their nominal speed, shared with no other job.
///
/// The gradient all-reduce is a ring over the data-parallel ranks, `2(p−1)/p · n / B` with B the
/// ring's bottleneck per rank: the intra-server fabric when the job fits in one server, else
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
        let p = Double(demand.allReduceRanks)
        guard p > 1, demand.allReduceBytesPerIteration > 0 else { return 0 }
        let ring = 2 * (p - 1) / p * demand.allReduceBytesPerIteration / ringBandwidthBytesPerS(placement)
        return ring * (1 - overlap)
    }

    public func exposedSecondsPerJob(_ demand: JobIODemand, placement: JobPlacementView) -> Double {
        (demand.datasetBytes + demand.checkpointBytes * Double(demand.checkpoints)) / storageBandwidthBytesPerS
    }
}
