import Production
import SimKernel

/// A model an application trains or serves, in base units.
public struct ModelProfile: Sendable, Equatable {
    public var name: String
    public var family: ModelFamily
    public var parameters: Double
    /// Training FLOPs per sample (per token for language models: 6·N).
    public var trainFlopsPerSample: Double
    /// Bytes of one training sample on storage.
    public var sampleBytes: Double
    public var precision: Precision
    /// Model FLOPs utilisation; nil for the family default on the device.
    public var mfu: Double?
    /// Whether the MFU is end to end (communication included) or compute only.
    public var efficiencyScope: EfficiencyScope
    /// Samples (tokens) per optimizer step.
    public var globalBatch: Double

    public init(name: String, family: ModelFamily, parameters: Double, trainFlopsPerSample: Double, sampleBytes: Double,
                precision: Precision, mfu: Double?, efficiencyScope: EfficiencyScope = .endToEnd, globalBatch: Double) {
        self.name = name
        self.family = family
        self.parameters = parameters
        self.trainFlopsPerSample = trainFlopsPerSample
        self.sampleBytes = sampleBytes
        self.precision = precision
        self.mfu = mfu
        self.efficiencyScope = efficiencyScope
        self.globalBatch = globalBatch
    }
}

/// A pool of accelerators as the workload sees it: where a job can be sent and what it runs on.
public struct PoolView: Sendable, Equatable {
    public var name: String
    public var role: ServerRole
    public var accelerator: AcceleratorModel
    public var server: ServerModel
    public var capacity: Int

    public init(name: String, role: ServerRole, accelerator: AcceleratorModel, server: ServerModel, capacity: Int) {
        self.name = name
        self.role = role
        self.accelerator = accelerator
        self.server = server
        self.capacity = capacity
    }
}

/// One line of an application's job mix: a kind of job, its model, how often it comes, and the
/// distributions of its size and data.
public struct JobMixEntry: Sendable {
    public var kind: JobKind
    /// Global model index (``DemandNames/models``) and the model; nil for data processing.
    public var modelIndex: Int16
    public var model: ModelProfile?
    /// Mean submissions per nanosecond at cycle multiplier 1 (scale applied).
    public var ratePerNs: Double
    /// Global tenant indices and their weights.
    public var tenants: [Int16]
    public var tenantWeights: [Double]
    /// Indices of the pools it may run in, with weights (their capacities).
    public var pools: [Int16]
    public var poolWeights: [Double]
    /// In a center built in phases: the weights and accelerators in service from each time on
    /// (the first from 0), which replace `poolWeights` and the pools' capacities (empty: those
    /// always).
    public var poolWeightChanges: [(fromNs: SimTimeNs, weights: [Double], capacities: [Int])] = []
    /// The largest share of a pool's accelerators in service a job is sent to it for; a larger
    /// job goes to a pool it takes at most this share of (``PoolRouting``). 1: any pool it fits.
    public var maxPoolShare: Double = 1
    /// How its model grows over the years (nil: the model as written throughout).
    public var generations: ModelGenerations?
    public var accelerators: Distribution
    /// Dataset samples (tokens) per epoch.
    public var samples: Distribution
    public var epochs: Distribution
    /// AutoML: the early-stopping plan; each arrival launches its trials together.
    public var search: SuccessiveHalving?
    public var compression: CompressionMethod?
    /// Distillation: student parameters as a fraction of the teacher's.
    public var studentFraction: Double
    /// Data processing: bytes to process and per-accelerator throughput.
    public var bytes: Distribution
    public var bytesPerSecondPerAccelerator: Double

    public init(kind: JobKind, modelIndex: Int16, model: ModelProfile?, ratePerNs: Double, tenants: [Int16], tenantWeights: [Double],
                pools: [Int16], poolWeights: [Double], accelerators: Distribution, samples: Distribution = .constant(0),
                epochs: Distribution = .constant(1), search: SuccessiveHalving? = nil, compression: CompressionMethod? = nil,
                studentFraction: Double = 0.25, bytes: Distribution = .constant(0), bytesPerSecondPerAccelerator: Double = 2e9) {
        self.kind = kind
        self.modelIndex = modelIndex
        self.model = model
        self.ratePerNs = ratePerNs
        self.tenants = tenants
        self.tenantWeights = tenantWeights
        self.pools = pools
        self.poolWeights = poolWeights
        self.accelerators = accelerators
        self.samples = samples
        self.epochs = epochs
        self.search = search
        self.compression = compression
        self.studentFraction = studentFraction
        self.bytes = bytes
        self.bytesPerSecondPerAccelerator = bytesPerSecondPerAccelerator
    }
}

/// An online inference service: replicas sized by the roofline for the service's peak load,
/// deployed from `startNs` to the horizon (elastic scaling is the release model's).
public struct ServiceProfile: Sendable {
    public var name: String
    public var modelIndex: Int16
    public var tenant: Int16
    public var pool: Int16
    public var startNs: SimTimeNs
    /// Mean requests per second (scale applied); the cycle's peak sets the replica count.
    public var requestsPerSecond: Double
    public var work: InferenceWork
    public var maxBatch: Int
    public var latencyTargetS: Double
    public var acceleratorsPerReplica: Int
    /// Its own daily and weekly cycle, with its application's trend (nil: its application's cycle).
    public var cycle: ArrivalCycle?

    public init(name: String, modelIndex: Int16, tenant: Int16, pool: Int16, startNs: SimTimeNs, requestsPerSecond: Double,
                work: InferenceWork, maxBatch: Int, latencyTargetS: Double, acceleratorsPerReplica: Int) {
        self.name = name
        self.modelIndex = modelIndex
        self.tenant = tenant
        self.pool = pool
        self.startNs = startNs
        self.requestsPerSecond = requestsPerSecond
        self.work = work
        self.maxBatch = maxBatch
        self.latencyTargetS = latencyTargetS
        self.acceleratorsPerReplica = acceleratorsPerReplica
    }

    /// Replicas needed on `pool` at the cycle's peak load (`peakMultiplier` × the mean rate).
    public func replicas(on pool: PoolView, peakMultiplier: Double) -> Int {
        work.replicasNeeded(requestRatePerS: requestsPerSecond * peakMultiplier, maxBatch: maxBatch, latencyTargetS: latencyTargetS,
                            on: pool.accelerator, accelerators: acceleratorsPerReplica)
    }

    /// Accelerators the service occupies on `pool` at peak load.
    public func acceleratorsNeeded(on pool: PoolView, peakMultiplier: Double) -> Double {
        Double(replicas(on: pool, peakMultiplier: peakMultiplier) * acceleratorsPerReplica) * work.deviceShare
    }
}

/// One of the guide's application scenarios as demand: its cycle, job mix and services.
public struct ApplicationProfile: Sendable {
    public var name: String
    /// Global application index (``DemandNames/applications``).
    public var index: Int16
    public var cycle: ArrivalCycle
    public var jobMix: [JobMixEntry]
    public var services: [ServiceProfile]

    public init(name: String, index: Int16, cycle: ArrivalCycle, jobMix: [JobMixEntry], services: [ServiceProfile]) {
        self.name = name
        self.index = index
        self.cycle = cycle
        self.jobMix = jobMix
        self.services = services
    }
}
