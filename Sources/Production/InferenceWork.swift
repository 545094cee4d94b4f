import Foundation
import SimKernel

/// Per-request work of an inference service, priced by the roofline: a batch takes the longer
/// of its compute time and its memory-traffic time.
public struct InferenceWork: Sendable, Equatable {
    /// FLOPs per request (about 2·N per generated token for a dense model of N parameters).
    public var flopsPerRequest: Double
    /// Bytes read once per batch (the weights).
    public var weightBytes: Double
    /// Bytes read or written per request (activations, KV cache).
    public var bytesPerRequest: Double
    public var precision: Precision
    /// Fraction of peak compute a serving kernel reaches.
    public var computeEfficiency: Double
    /// Fraction of peak memory bandwidth reached.
    public var memoryEfficiency: Double
    /// Share of each device a replica gets (1: whole devices; 0.25: a quarter slice, as MIG
    /// partitions compute and memory bandwidth).
    public var deviceShare: Double = 1

    public init(flopsPerRequest: Double, weightBytes: Double, bytesPerRequest: Double, precision: Precision = .fp16,
                computeEfficiency: Double = 0.5, memoryEfficiency: Double = 0.8) {
        self.flopsPerRequest = flopsPerRequest
        self.weightBytes = weightBytes
        self.bytesPerRequest = bytesPerRequest
        self.precision = precision
        self.computeEfficiency = computeEfficiency
        self.memoryEfficiency = memoryEfficiency
    }

    /// Seconds to serve a batch of `batch` requests on `accelerators` devices (weights sharded).
    public func batchSeconds(batch: Int, on device: AcceleratorModel, accelerators: Int = 1) -> Double {
        let n = Double(max(1, accelerators)) * deviceShare, b = Double(max(1, batch))
        let peak = device.peakFlopsPerS(device.effectivePrecision(precision))
        let compute = b * flopsPerRequest / (n * peak * computeEfficiency)
        let memory = (weightBytes + b * bytesPerRequest) / (n * device.memoryBandwidthBytesPerS * memoryEfficiency)
        return max(compute, memory)
    }

    /// Requests per second one replica sustains at batch `batch`.
    public func throughputPerS(batch: Int, on device: AcceleratorModel, accelerators: Int = 1) -> Double {
        Double(max(1, batch)) / batchSeconds(batch: batch, on: device, accelerators: accelerators)
    }

    /// The largest batch up to `maxBatch` whose batch time meets `latencyTargetS` (at least 1).
    public func bestBatch(maxBatch: Int, latencyTargetS: Double, on device: AcceleratorModel, accelerators: Int = 1) -> Int {
        var best = 1
        var b = 1
        while b <= maxBatch {
            if batchSeconds(batch: b, on: device, accelerators: accelerators) <= latencyTargetS { best = b }
            b *= 2
        }
        return best
    }

    /// Replicas needed to carry `requestRatePerS` at `targetUtilization` of each replica's
    /// throughput at its best batch.
    public func replicasNeeded(requestRatePerS: Double, maxBatch: Int, latencyTargetS: Double, targetUtilization: Double = 0.7,
                               on device: AcceleratorModel, accelerators: Int = 1) -> Int {
        let b = bestBatch(maxBatch: maxBatch, latencyTargetS: latencyTargetS, on: device, accelerators: accelerators)
        let perReplica = throughputPerS(batch: b, on: device, accelerators: accelerators) * targetUtilization
        return max(1, Int(saturating: (requestRatePerS / perReplica).rounded(.up)))
    }
}

/// A data-processing job: bytes pushed through accelerators (decoding, augmentation, feature
/// extraction, labelling) at a throughput per device.
public struct DataProcessingWork: Sendable, Equatable {
    public var bytes: Double
    /// Bytes per second one accelerator processes.
    public var bytesPerSecondPerAccelerator: Double
    /// FLOPs spent per byte (for delivered-compute accounting).
    public var flopsPerByte: Double

    public init(bytes: Double, bytesPerSecondPerAccelerator: Double, flopsPerByte: Double = 1_000) {
        self.bytes = bytes
        self.bytesPerSecondPerAccelerator = bytesPerSecondPerAccelerator
        self.flopsPerByte = flopsPerByte
    }

    public func duration(accelerators: Int) -> WorkDuration {
        let s = bytes / (Double(max(1, accelerators)) * bytesPerSecondPerAccelerator)
        return WorkDuration(computeSeconds: s, totalSeconds: s, flops: bytes * flopsPerByte)
    }
}

/// Successive-halving early stopping for an AutoML search: of `trials` trials, ⌈trials/ηᵏ⌉
/// reach rung k, and a trial stopped at rung k has used η^(k−R+1) of the full budget (R rungs).
public struct SuccessiveHalving: Sendable, Equatable {
    public var trials: Int
    public var eta: Int
    public var rungs: Int

    public init(trials: Int, eta: Int = 3, rungs: Int = 3) {
        self.trials = max(1, trials)
        self.eta = max(2, eta)
        self.rungs = max(1, rungs)
    }

    /// The fraction of a full training budget each trial uses, in trial order (the best trials last reach the top rung).
    public var budgetFractions: [Double] {
        var reach = [Int](repeating: 0, count: trials)
        var survivors = trials
        for k in 1..<max(rungs, 1) {
            survivors = max(1, (survivors + eta - 1) / eta)
            for i in 0..<survivors { reach[i] = k }
        }
        return reach.map { k in pow(Double(eta), Double(k - rungs + 1)) }
    }
}
