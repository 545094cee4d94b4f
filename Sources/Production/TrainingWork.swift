import SimKernel

/// Data, tensor and pipeline parallel degrees; their product is the job's accelerator count.
public struct Parallelism: Sendable, Equatable {
    public var data: Int
    public var tensor: Int
    public var pipeline: Int

    public init(data: Int, tensor: Int = 1, pipeline: Int = 1) {
        self.data = max(1, data)
        self.tensor = max(1, tensor)
        self.pipeline = max(1, pipeline)
    }

    /// Accelerators the plan uses.
    public var accelerators: Int { data * tensor * pipeline }

    /// A plan for `accelerators` devices: tensor parallel inside a server (up to
    /// `maxTensor`), data parallel across the rest.
    public static func forAccelerators(_ accelerators: Int, maxTensor: Int = 1) -> Parallelism {
        var t = 1
        while t * 2 <= maxTensor, accelerators % (t * 2) == 0 { t *= 2 }
        return Parallelism(data: max(1, accelerators / t), tensor: t)
    }
}

/// A training (or fine-tuning, distillation, pruning) job's work: a model, a dataset, a batch,
/// a parallelism plan and a precision. For dense transformers the FLOPs follow the 6·N·D rule
/// (N parameters, D tokens); other families give training FLOPs per sample.
public struct TrainingWork: Sendable, Equatable {
    public var family: ModelFamily
    /// Parameters of the model.
    public var parameters: Double
    /// Training FLOPs (forward and backward) per sample; per token for language models.
    public var flopsPerSample: Double
    /// Samples (tokens for language models) in one pass over the dataset.
    public var samplesPerEpoch: Double
    public var epochs: Double
    /// Samples (tokens) per optimizer step, over all data-parallel ranks.
    public var globalBatch: Double
    public var parallelism: Parallelism
    public var precision: Precision
    /// Model FLOPs utilisation; nil takes the family's default on the device.
    public var mfu: Double?
    /// Whether `mfu` (or the family default) already includes communication.
    public var efficiencyScope: EfficiencyScope
    /// Bytes of one sample on storage (0 for none: synthetic or cached).
    public var bytesPerSample: Double
    /// Compute time between checkpoints, in seconds (0: no checkpoints).
    public var checkpointIntervalS: Double

    public init(family: ModelFamily, parameters: Double, flopsPerSample: Double, samplesPerEpoch: Double, epochs: Double,
                globalBatch: Double, parallelism: Parallelism, precision: Precision = .bf16, mfu: Double? = nil,
                efficiencyScope: EfficiencyScope = .endToEnd, bytesPerSample: Double = 0, checkpointIntervalS: Double = 0) {
        self.family = family
        self.parameters = parameters
        self.flopsPerSample = flopsPerSample
        self.samplesPerEpoch = samplesPerEpoch
        self.epochs = epochs
        self.globalBatch = max(1, globalBatch)
        self.parallelism = parallelism
        self.precision = precision
        self.mfu = mfu
        self.efficiencyScope = efficiencyScope
        self.bytesPerSample = bytesPerSample
        self.checkpointIntervalS = checkpointIntervalS
    }

    /// A dense transformer trained on `tokens` tokens: 6·N FLOPs per token.
    public static func transformer(parameters: Double, tokens: Double, globalBatchTokens: Double, parallelism: Parallelism,
                                   precision: Precision = .bf16, mfu: Double? = nil) -> TrainingWork {
        TrainingWork(family: .llm, parameters: parameters, flopsPerSample: 6 * parameters, samplesPerEpoch: tokens, epochs: 1,
                     globalBatch: globalBatchTokens, parallelism: parallelism, precision: precision, mfu: mfu)
    }

    /// Total training FLOPs: per-sample FLOPs × samples × epochs.
    public var totalFlops: Double { flopsPerSample * samplesPerEpoch * epochs }

    /// Optimizer steps over the whole job.
    public var iterations: Double { (samplesPerEpoch * epochs / globalBatch).rounded(.up) }

    /// Seconds of compute per iteration on `accelerators` devices of `device`.
    public func computeSecondsPerIteration(on device: AcceleratorModel) -> Double {
        let peak = device.peakFlopsPerS(device.effectivePrecision(precision))
        let u = modelFlopsUtilization(family: family, override: mfu, on: device)
        return flopsPerSample * globalBatch / (Double(parallelism.accelerators) * peak * u)
    }

    /// The network and storage traffic of the job: gradients of the model shard each
    /// data-parallel rank holds, the dataset once, and mixed-precision checkpoints (16 bytes per
    /// parameter: weights, gradients and Adam moments).
    public func ioDemand(on device: AcceleratorModel) -> JobIODemand {
        let shard = parameters / Double(parallelism.tensor * parallelism.pipeline)
        let computeS = computeSecondsPerIteration(on: device) * iterations
        let checkpoints = checkpointIntervalS > 0 ? Int(saturating: computeS / checkpointIntervalS) : 0
        return JobIODemand(allReduceBytesPerIteration: shard * precision.bytesPerElement, allReduceRanks: parallelism.data,
                           datasetBytes: samplesPerEpoch * bytesPerSample, checkpointBytes: parameters * 16,
                           checkpoints: checkpoints)
    }

    /// The job's time on `server`'s accelerators: compute plus the I/O `io` exposes. With an
    /// end-to-end efficiency the per-iteration time already holds the exposed all-reduce, so
    /// only storage is added (under `io.model: fabric` the run slows the job only by the
    /// all-reduce beyond what it would expose alone on the fabric).
    /// `demand`: the job's ``ioDemand(on:)`` when the caller has it already.
    public func duration(on device: AcceleratorModel, server: ServerModel, io: any JobIOModel, demand known: JobIODemand? = nil) -> WorkDuration {
        let compute = computeSecondsPerIteration(on: device)
        let demand = known ?? ioDemand(on: device)
        let placement = JobPlacementView(accelerators: parallelism.accelerators, server: server)
        let perIteration = compute + (efficiencyScope == .endToEnd ? 0 : io.exposedSecondsPerIteration(demand, placement: placement))
        return WorkDuration(computeSeconds: compute * iterations,
                            totalSeconds: perIteration * iterations + io.exposedSecondsPerJob(demand, placement: placement),
                            flops: totalFlops)
    }
}

/// How long a piece of work takes and what it delivers.
public struct WorkDuration: Sendable, Equatable {
    /// Time spent computing.
    public var computeSeconds: Double
    /// Compute plus exposed network and storage time.
    public var totalSeconds: Double
    /// Useful FLOPs delivered.
    public var flops: Double

    public init(computeSeconds: Double, totalSeconds: Double, flops: Double) {
        self.computeSeconds = computeSeconds
        self.totalSeconds = totalSeconds
        self.flops = flops
    }
}
