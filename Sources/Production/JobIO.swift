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
    /// When per-iteration communication is priced later, where the job runs (``FabricIO``):
    /// the fraction of it hidden behind compute; nil otherwise.
    var deferredOverlap: Double? { get }
    /// Whether storage traffic (ingest, epochs, checkpoints) is priced later on the shared
    /// storage system, so the job's duration holds none of it.
    var defersStorage: Bool { get }
    /// Whether checkpoints are left to the run (failures plan each job's checkpoints), so the
    /// job's duration and storage traffic hold none of the work model's.
    var defersCheckpoints: Bool { get }
}

extension JobIOModel {
    public var deferredOverlap: Double? { nil }
    public var defersStorage: Bool { false }
    public var defersCheckpoints: Bool { false }
}

/// I/O that costs nothing: the efficiency figure already includes communication, as a measured
/// end-to-end MFU does.
public struct IdealIO: JobIOModel {
    public init() {}
    public func exposedSecondsPerIteration(_ demand: JobIODemand, placement: JobPlacementView) -> Double { 0 }
    public func exposedSecondsPerJob(_ demand: JobIODemand, placement: JobPlacementView) -> Double { 0 }
}

/// What a training job communicates every iteration, for the run to price on the fabric:
/// each of its data-parallel rings all-reduces `bytesPerIteration` over `dataParallel` ranks,
/// `overlap` of it hidden behind `computeSPerIteration` of compute; and, when it states it, its
/// model-parallel traffic (``ModelParallelTraffic``), on the critical path.
public struct CommunicationDemand: Sendable, Equatable {
    public var bytesPerIteration: Double
    public var dataParallel: Int32
    /// Tensor-, pipeline- and expert-parallel traffic per iteration (none by default).
    public var modelParallel = ModelParallelTraffic()
    /// Seconds per iteration at the job's efficiency: compute only, or, when `endToEnd`, the
    /// whole step as measured with its all-reduce alone on the fabric.
    public var computeSPerIteration: Double
    public var overlap: Double
    /// Whether `computeSPerIteration` already holds the all-reduce the job exposes alone on its
    /// fabric (an end-to-end MFU); the run then slows it only by what contention adds.
    public var endToEnd: Bool

    public init(bytesPerIteration: Double, dataParallel: Int32, computeSPerIteration: Double, overlap: Double, endToEnd: Bool = false) {
        self.bytesPerIteration = bytesPerIteration
        self.dataParallel = dataParallel
        self.computeSPerIteration = computeSPerIteration
        self.overlap = overlap
        self.endToEnd = endToEnd
    }
}

/// A training job's traffic beyond its data-parallel all-reduce, per iteration and rank. A
/// replica is `tensorParallel` × `pipelineParallel` ranks: stage s of replica k holds its
/// ranks k·R + s·t ..< k·R + (s+1)·t (R ranks per replica, t per stage, in the job's
/// accelerator order), which form one tensor-parallel group; rank i of stage s sends to rank i
/// of stage s+1 (pipeline); and the ranks in the same place of `expertParallel` consecutive
/// replicas form one expert-parallel group (mixture of experts).
///
/// - `tensorBytes`: all-reduced in each tensor-parallel group (activations, forward and
///   backward), a ring per group;
/// - `pipelineBytes`: sent across each stage boundary each way (activations forward,
///   their gradients backward);
/// - `expertBytes`: exchanged all-to-all in each expert-parallel group (tokens to and from
///   their experts), `expertBytes / expertParallel` to each member.
///
/// All three are on the critical path: none hides behind compute (pipelining hides part of
/// the pipeline transfers in practice, so theirs is an upper bound).
public struct ModelParallelTraffic: Sendable, Equatable {
    public var tensorParallel: Int32 = 1
    public var tensorBytes: Double = 0
    public var pipelineParallel: Int32 = 1
    public var pipelineBytes: Double = 0
    public var expertParallel: Int32 = 1
    public var expertBytes: Double = 0

    public init(tensorParallel: Int32 = 1, tensorBytes: Double = 0, pipelineParallel: Int32 = 1, pipelineBytes: Double = 0,
                expertParallel: Int32 = 1, expertBytes: Double = 0) {
        self.tensorParallel = tensorParallel
        self.tensorBytes = tensorBytes
        self.pipelineParallel = pipelineParallel
        self.pipelineBytes = pipelineBytes
        self.expertParallel = expertParallel
        self.expertBytes = expertBytes
    }

    /// Whether any of it moves bytes.
    public var isEmpty: Bool {
        !((tensorParallel > 1 && tensorBytes > 0) || (pipelineParallel > 1 && pipelineBytes > 0) || (expertParallel > 1 && expertBytes > 0))
    }
}

/// A job's all-reduce as a scenario states it: bytes per iteration per rank, compute per
/// iteration, the overlap, and the ranks of each replica (tensor × pipeline parallel); the
/// data-parallel degree follows from the job's accelerators.
public struct AllReduceTemplate: Sendable, Equatable {
    public var bytesPerIteration: Double
    public var computeSPerIteration: Double
    public var overlap: Double
    /// Its tensor and pipeline degrees and model-parallel traffic.
    public var modelParallel: ModelParallelTraffic

    public init(bytesPerIteration: Double, computeSPerIteration: Double, overlap: Double, modelParallel: ModelParallelTraffic = ModelParallelTraffic()) {
        self.bytesPerIteration = bytesPerIteration
        self.computeSPerIteration = computeSPerIteration
        self.overlap = overlap
        self.modelParallel = modelParallel
    }

    /// Ranks in one replica: tensor × pipeline parallel.
    public var ranksPerReplica: Int { max(1, Int(modelParallel.tensorParallel) * Int(modelParallel.pipelineParallel)) }

    /// The demand of a job on `accelerators` devices (nil when it has one replica).
    public func demand(accelerators: Int) -> CommunicationDemand? {
        let dp = accelerators / ranksPerReplica
        guard dp > 1 || (dp == 1 && !modelParallel.isEmpty) else { return nil }
        var demand = CommunicationDemand(bytesPerIteration: bytesPerIteration, dataParallel: Int32(dp),
                                         computeSPerIteration: computeSPerIteration, overlap: overlap)
        demand.modelParallel = modelParallel
        return demand
    }
}

/// Any I/O model with storage left to the run's shared storage system (`io.storage`): per
/// iteration as `base` prices it, nothing per job (ingest, epochs and checkpoints are priced
/// where and when the job runs, under contention).
public struct SharedStorageIO: JobIOModel {
    public var base: any JobIOModel

    public init(_ base: any JobIOModel) { self.base = base }

    public var deferredOverlap: Double? { base.deferredOverlap }
    public var defersStorage: Bool { true }
    public var defersCheckpoints: Bool { base.defersCheckpoints }

    public func exposedSecondsPerIteration(_ demand: JobIODemand, placement: JobPlacementView) -> Double {
        base.exposedSecondsPerIteration(demand, placement: placement)
    }

    public func exposedSecondsPerJob(_ demand: JobIODemand, placement: JobPlacementView) -> Double { 0 }
}

/// What a job reads and writes on the shared storage system (`io.storage`): `ingestBytes` read
/// before it computes (a training job's dataset, a deployment's model file), `streamReadBytes`
/// read while it computes (the later epochs, or a data-processing job's input), and
/// `writeBytes` written while it computes (checkpoints), all from or to the data set
/// `dataset` (its tier follows its last access) in files of `fileBytes`; `checkpointBytes` is
/// the size of one of its checkpoints when the scenario gives it (0: unknown), which failures
/// plan and read back.
public struct StorageDemand: Sendable, Equatable {
    public var dataset: Int32
    public var ingestBytes: Double
    public var streamReadBytes: Double
    public var writeBytes: Double
    public var fileBytes: Double
    public var checkpointBytes: Double = 0

    public init(dataset: Int32, ingestBytes: Double, streamReadBytes: Double, writeBytes: Double, fileBytes: Double) {
        self.dataset = dataset
        self.ingestBytes = ingestBytes
        self.streamReadBytes = streamReadBytes
        self.writeBytes = writeBytes
        self.fileBytes = fileBytes
    }
}

/// Any I/O model with checkpoints left to the run: with failures, each job's checkpoints are
/// planned for its own failure rate (``CheckpointPlan``), so the work model's own checkpoints
/// (and their writes) leave the job's duration and storage traffic.
public struct RunCheckpointsIO: JobIOModel {
    public var base: any JobIOModel

    public init(_ base: any JobIOModel) { self.base = base }

    public var deferredOverlap: Double? { base.deferredOverlap }
    public var defersStorage: Bool { base.defersStorage }
    public var defersCheckpoints: Bool { true }

    public func exposedSecondsPerIteration(_ demand: JobIODemand, placement: JobPlacementView) -> Double {
        base.exposedSecondsPerIteration(demand, placement: placement)
    }

    public func exposedSecondsPerJob(_ demand: JobIODemand, placement: JobPlacementView) -> Double {
        var d = demand
        d.checkpoints = 0
        return base.exposedSecondsPerJob(d, placement: placement)
    }
}
