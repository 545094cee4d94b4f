import Production
import SimKernel

/// Emits one job-mix line's jobs lazily: cycled Poisson arrivals, then per job a tenant, a pool,
/// a size and a dataset, and a duration that follows from the work model on the pool's device.
///
/// Streams are named `KIND/APPLICATION/LINE` (`arrivals/medical-imaging/0`, `samples/...`), so
/// changing one line or one distribution leaves every other draw unchanged.
public final class JobMixGenerator: JobSource {
    public let entry: JobMixEntry
    public let application: Int16
    public let source: Int32
    private let cycle: CycledPoissonArrivals
    private let pools: [PoolView]
    private let io: any JobIOModel
    private let horizonNs: SimTimeNs
    private let arrivalStream, tenantStream, poolStream, sizeStream, samplesStream, epochsStream, bytesStream: RandomStream
    private let tenantSampler, sizeSampler, samplesSampler, epochsSampler, bytesSampler: DistributionSampler
    private let routing: PoolRouting
    /// The routings of a center built in phases, from each time on (empty: `routing`).
    private let routingsFrom: [(fromNs: SimTimeNs, routing: PoolRouting)]
    private var lastSubmitNs: SimTimeNs = 0
    private var emitted: Int64 = 0
    /// AutoML trials of the current search still to emit (same submission time).
    private var pendingTrials: [JobSpec] = []

    public init(_ entry: JobMixEntry, application: ApplicationProfile, line: Int, source: Int32, pools: [PoolView],
                io: any JobIOModel, streams: RandomStreams, horizonNs: SimTimeNs) {
        self.entry = entry
        self.application = application.index
        self.source = source
        self.pools = pools
        self.io = io
        self.horizonNs = horizonNs
        cycle = CycledPoissonArrivals(baseRatePerNs: entry.ratePerNs, cycle: application.cycle)
        func stream(_ what: String) -> RandomStream { streams.stream("\(what)/\(application.name)/\(line)") }
        arrivalStream = stream("arrivals")
        tenantStream = stream("tenants")
        poolStream = stream("pools")
        sizeStream = stream("accelerators")
        samplesStream = stream("samples")
        epochsStream = stream("epochs")
        bytesStream = stream("bytes")
        tenantSampler = DistributionSampler(.discrete(values: entry.tenants.indices.map(Double.init), weights: entry.tenantWeights))
        routing = PoolRouting(weights: entry.poolWeights, capacities: entry.pools.map { pools[Int($0)].capacity }, maxShare: entry.maxPoolShare)
        routingsFrom = entry.poolWeightChanges.map { ($0.fromNs, PoolRouting(weights: $0.weights, capacities: $0.capacities, maxShare: entry.maxPoolShare)) }
        sizeSampler = DistributionSampler(entry.accelerators)
        samplesSampler = DistributionSampler(entry.samples)
        epochsSampler = DistributionSampler(entry.epochs)
        bytesSampler = DistributionSampler(entry.bytes)
    }

    public func next() -> JobSpec? {
        if !pendingTrials.isEmpty { return pendingTrials.removeFirst() }
        guard let t = cycle.next(after: lastSubmitNs, horizonNs: horizonNs, stream: arrivalStream) else { return nil }
        lastSubmitNs = t
        let tenant = entry.tenants[Int(tenantSampler.sample(tenantStream))]
        let n = Int(min(max(1, sizeSampler.sample(sizeStream).rounded()), Double(Int32.max)))
        let poolSlot = (routingsFrom.last { $0.fromNs <= t }?.routing ?? routing).slot(accelerators: n, stream: poolStream)
        let pool = pools[Int(entry.pools[poolSlot])]
        var job = JobSpec(submitNs: t, accelerators: Int32(n), durationNs: 0, source: source, sequence: 0,
                          application: application, tenant: tenant, model: entry.modelIndex, pool: entry.pools[poolSlot],
                          kind: entry.kind)
        switch entry.kind {
        case .dataProcessing:
            let work = DataProcessingWork(bytes: min(Double(InputLimits.maxBytes), max(0, bytesSampler.sample(bytesStream))),
                                          bytesPerSecondPerAccelerator: entry.bytesPerSecondPerAccelerator)
            if io.defersStorage {
                job.storage = StorageDemand(dataset: dataset, ingestBytes: 0, streamReadBytes: work.bytes, writeBytes: 0, fileBytes: Self.chunkBytes)
            }
            return emit(job, work.duration(accelerators: n))
        case .automl:
            let base = price(&job, training(n, pool: pool), on: pool)
            for (i, fraction) in (entry.search ?? SuccessiveHalving(trials: 1)).budgetFractions.enumerated() {
                let d = WorkDuration(computeSeconds: base.computeSeconds * fraction, totalSeconds: base.totalSeconds * fraction,
                                     flops: base.flops * fraction)
                job.isSearchWinner = i == 0
                pendingTrials.append(emit(job, d))
            }
            return pendingTrials.removeFirst()
        case .batchInference:
            // Forward passes over the batch: the items are read once, nothing is all-reduced
            // or checkpointed.
            var work = training(n, pool: pool)
            work.checkpointIntervalS = 0
            work.parallelism = Parallelism(data: 1, tensor: work.parallelism.tensor, pipeline: work.parallelism.pipeline * work.parallelism.data)
            let demand = work.ioDemand(on: pool.accelerator)
            job.storage = storage(work, demand: demand)
            return emit(job, work.duration(on: pool.accelerator, server: pool.server, io: io, demand: demand))
        default:
            let d = price(&job, training(n, pool: pool), on: pool)
            job.kind = entry.kind
            return emit(job, d)
        }
    }

    /// The data set this line's jobs read: its application and model.
    var dataset: Int32 { ApplicationModelKey.of(application: application, model: entry.modelIndex) }

    /// Prices a training-like job from its I/O demand, worked out once: its duration, and the
    /// all-reduce, storage traffic and checkpoint size the run prices.
    func price(_ job: inout JobSpec, _ work: TrainingWork, on pool: PoolView) -> WorkDuration {
        let demand = work.ioDemand(on: pool.accelerator)
        job.communication = communication(work, demand: demand, on: pool)
        job.storage = storage(work, demand: demand)
        job.checkpointBytes = demand.checkpointBytes
        return work.duration(on: pool.accelerator, server: pool.server, io: io, demand: demand)
    }

    /// The storage traffic the run prices, when the I/O model defers it: the dataset read once
    /// before training (ingest), again for every later epoch while computing, and the checkpoints.
    func storage(_ work: TrainingWork, demand d: JobIODemand) -> StorageDemand? {
        guard io.defersStorage else { return nil }
        return StorageDemand(dataset: dataset, ingestBytes: d.datasetBytes, streamReadBytes: d.datasetBytes * max(0, work.epochs - 1),
                             writeBytes: io.defersCheckpoints ? 0 : d.checkpointBytes * Double(d.checkpoints),
                             fileBytes: work.family == .llm ? Self.shardBytes : work.bytesPerSample)
    }

    /// Files of raw data that data processing reads (object-store or HDFS chunks), and the
    /// shards LLM token corpora are stored in; other training data is one file per sample
    /// (images, clips), the small-file case.
    static let chunkBytes = 64.0 * 1_048_576
    static let shardBytes = 1_073_741_824.0

    /// The all-reduce the run prices on the fabric, when the I/O model defers it and the job
    /// has more than one data-parallel rank.
    func communication(_ work: TrainingWork, demand: JobIODemand, on pool: PoolView) -> CommunicationDemand? {
        guard let overlap = io.deferredOverlap, work.parallelism.data > 1 else { return nil }
        return CommunicationDemand(bytesPerIteration: demand.allReduceBytesPerIteration, dataParallel: Int32(work.parallelism.data),
                                   computeSPerIteration: work.computeSecondsPerIteration(on: pool.accelerator), overlap: overlap,
                                   endToEnd: work.efficiencyScope == .endToEnd)
    }

    /// The training-like work of a job on `n` accelerators of `pool`, by kind.
    func training(_ n: Int, pool: PoolView) -> TrainingWork {
        var m = entry.model!
        var dataFactor = 1.0
        if let g = entry.generations {
            // The generation of the job's submission day: a larger model, more data.
            let f = g.factors(atNs: lastSubmitNs)
            m.parameters *= f.parameters
            m.trainFlopsPerSample *= f.parameters
            dataFactor = f.data
        }
        // Draws stay within what a scenario may write (a heavy tail can draw infinity).
        let samples = min(InputLimits.maxCount, max(1, samplesSampler.sample(samplesStream) * dataFactor))
        var epochs = min(InputLimits.maxCount, max(0, epochsSampler.sample(epochsStream)))
        var flopsPerSample = m.trainFlopsPerSample
        // Batch inference and quantisation: one forward pass an item, once.
        if entry.kind == .batchInference || entry.compression == .quantization {
            flopsPerSample = m.trainFlopsPerSample / 3
            epochs = 1
        } else if entry.compression == .distillation {
            flopsPerSample = m.trainFlopsPerSample / 3 + m.trainFlopsPerSample * entry.studentFraction
        }
        let bigModel = m.family == .llm && m.parameters >= 10e9
        let plan = Parallelism.forAccelerators(n, maxTensor: bigModel ? pool.server.acceleratorsPerServer : 1)
        return TrainingWork(family: m.family, parameters: m.parameters, flopsPerSample: flopsPerSample, samplesPerEpoch: samples,
                            epochs: max(epochs, 1e-9), globalBatch: m.globalBatch, parallelism: plan, precision: m.precision,
                            mfu: m.mfu, efficiencyScope: m.efficiencyScope, bytesPerSample: m.sampleBytes, checkpointIntervalS: 3_600)
    }

    private func emit(_ job: JobSpec, _ d: WorkDuration) -> JobSpec {
        var j = job
        j.durationNs = jobDurationNs(d.totalSeconds)
        j.flops = d.flops
        j.sequence = emitted
        emitted += 1
        return j
    }
}

/// A work duration in whole nanoseconds (rounded up, at least 1 ns, at most about 100 years).
func jobDurationNs(_ seconds: Double) -> SimTimeNs {
    guard seconds > 0 else { return 1 }  // NaN included
    return SimTime.durationNs(work: min(seconds, 3.15e9) * 1e9, ratePerNs: 1)
}
