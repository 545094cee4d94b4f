import SimKernel

/// How a center's jobs choose their checkpoint interval (``CheckpointPlan``).
public struct CheckpointPolicy: Sendable, Equatable {
    /// The interval rule.
    public enum Interval: Sendable, Equatable {
        /// No periodic checkpoints: an interrupted job starts over.
        case none
        /// The same interval for every job.
        case fixed(SimTimeNs)
        /// Young's optimum for the job's own mean time between interruptions, √(2δM).
        case young
        /// Daly's higher-order optimum (``Checkpointing/dalyIntervalS(writeS:mtbfS:)``).
        case daly
    }

    public var interval: Interval
    /// One checkpoint write of a job whose checkpoint size is unknown.
    public var writeNs: SimTimeNs
    /// Bandwidth a job writes its checkpoint at, bytes per second (0: every job writes for
    /// `writeNs`); a job whose checkpoint size is known writes it for size / bandwidth.
    public var bandwidthBytesPerS: Double = 0
    /// Writes overlap training.
    public var asynchronous: Bool
    /// Detection, requeue and restore after an interruption.
    public var restartNs: SimTimeNs

    public init(interval: Interval, writeNs: SimTimeNs, asynchronous: Bool = false, restartNs: SimTimeNs) {
        self.interval = interval
        self.writeNs = writeNs
        self.asynchronous = asynchronous
        self.restartNs = restartNs
    }

    /// The write time of a checkpoint of `bytes` (0: unknown, `writeNs`).
    public func writeNs(bytes: Double) -> SimTimeNs {
        guard bytes > 0, bandwidthBytesPerS > 0 else { return writeNs }
        return SimTimeNs(min((bytes / bandwidthBytesPerS * 1e9).rounded(.up), 365 * 86_400 * 1e9))
    }

    /// The plan of a job whose mean time between interruptions is `mtbfHours` and whose
    /// checkpoint holds `checkpointBytes` (0: unknown).
    public func plan(mtbfHours: Double, checkpointBytes: Double = 0) -> CheckpointPlan {
        let writeNs = writeNs(bytes: checkpointBytes)
        let writeS = Double(writeNs) / 1e9, mtbfS = mtbfHours * 3600
        let intervalNs: SimTimeNs
        switch interval {
        case .none: intervalNs = 0
        case .fixed(let ns): intervalNs = ns
        case .young: intervalNs = Self.ns(Checkpointing.youngIntervalS(writeS: writeS, mtbfS: mtbfS))
        case .daly: intervalNs = Self.ns(Checkpointing.dalyIntervalS(writeS: writeS, mtbfS: mtbfS))
        }
        return CheckpointPlan(intervalNs: intervalNs, writeNs: writeNs, asynchronous: asynchronous, restartNs: restartNs)
    }

    /// Seconds as whole nanoseconds, at least one second (an optimum for a job that never
    /// fails is infinite: one a year is as good).
    static func ns(_ s: Double) -> SimTimeNs {
        guard s.isFinite else { return 365 * 86_400 * 1_000_000_000 }
        return SimTimeNs(min(max(s, 1), 365 * 86_400) * 1e9)
    }
}

/// Everything a run needs to fail and recover: the failure model of each class of parts, how
/// jobs checkpoint, and each pool's hot spares.
public struct FailureSettings: Sendable, Equatable {
    /// One model per class that fails (classes left out never fail).
    public var models: [FailureModel]
    public var checkpoint: CheckpointPolicy
    /// Hot-spare servers of each pool (by pool index).
    public var hotSpares: [Int]
    /// Time to swap a spare in for a failed server (after detection).
    public var swapNs: SimTimeNs

    public init(models: [FailureModel], checkpoint: CheckpointPolicy, hotSpares: [Int], swapNs: SimTimeNs) {
        self.models = models
        self.checkpoint = checkpoint
        self.hotSpares = hotSpares
        self.swapNs = swapNs
    }
}
