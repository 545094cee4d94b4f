import SimKernel

/// How one job checkpoints against failures: every `intervalNs` of compute it writes a
/// checkpoint taking `writeNs` (the job pauses, unless `asynchronous`: then training goes on and
/// the checkpoint is durable `writeNs` later), and after an interruption it spends `restartNs`
/// (detection, requeue and restore) before computing again. Work is in nanoseconds at full
/// speed, like a job's duration.
///
/// Layout of a run from a (re)start: first `restore` ns of restore, then segments of
/// `intervalNs` compute followed by a `writeNs` write (the last segment shorter, its write
/// included), as in Daly's model (J. T. Daly, FGCS 2006).
public struct CheckpointPlan: Sendable, Equatable {
    /// Compute between two checkpoints (0: the job never checkpoints and restarts from scratch).
    public var intervalNs: SimTimeNs
    /// Time one checkpoint write takes.
    public var writeNs: SimTimeNs
    /// Whether writes overlap training.
    public var asynchronous: Bool
    /// Detection, requeue and restore after an interruption (work at the head of the next run).
    public var restartNs: SimTimeNs

    public init(intervalNs: SimTimeNs, writeNs: SimTimeNs, asynchronous: Bool = false, restartNs: SimTimeNs) {
        self.intervalNs = intervalNs
        self.writeNs = writeNs
        self.asynchronous = asynchronous
        self.restartNs = restartNs
    }

    /// The mean rate its writes of `bytes` checkpoints need over its run (bytes/s): one each
    /// interval of compute and its write (the interval alone when writes overlap training);
    /// 0 when it never checkpoints.
    public func writeBytesPerS(checkpointBytes bytes: Double) -> Double {
        guard intervalNs > 0, bytes > 0 else { return 0 }
        return bytes / (Double(intervalNs + (asynchronous ? 0 : writeNs)) / 1e9)
    }

    /// Writes on the job's path: none when it never checkpoints or writes asynchronously.
    var pausesToWrite: Bool { intervalNs > 0 && !asynchronous }

    /// Work to do `computeNs` of compute: the compute and, for synchronous checkpoints, one
    /// write per interval started (the last one too).
    public func workNs(computeNs: SimTimeNs) -> SimTimeNs {
        guard pausesToWrite, computeNs > 0 else { return max(0, computeNs) }
        let writes = (computeNs + intervalNs - 1) / intervalNs
        return computeNs + writes * writeNs
    }

    /// What `doneNs` of work since a (re)start was, for a run whose first `restoreNs` restored
    /// state and which had `computeLeftNs` of compute left: the restore done, the compute
    /// done, the writes done, and the compute a checkpoint made durable (what an interruption
    /// now keeps).
    public func split(doneNs: SimTimeNs, restoreNs: SimTimeNs, computeLeftNs: SimTimeNs) -> WorkSplit {
        let restore = min(max(0, doneNs), restoreNs)
        let p = max(0, doneNs - restoreNs)
        guard intervalNs > 0 else {
            let c = min(p, computeLeftNs)
            return WorkSplit(restoreNs: restore, computeNs: c, writeNs: 0, durableComputeNs: 0, sinceDurableNs: c)
        }
        if asynchronous {
            let c = min(p, computeLeftNs)
            // Snapshot k (at k intervals of compute) is durable one write later.
            let durable = p >= writeNs ? min((p - writeNs) / intervalNs * intervalNs, c) : 0
            return WorkSplit(restoreNs: restore, computeNs: c, writeNs: 0, durableComputeNs: durable, sinceDurableNs: c - durable)
        }
        let segment = intervalNs + writeNs
        let full = p / segment, rest = p - full * segment
        let c = min(full * intervalNs + min(rest, intervalNs), computeLeftNs)
        let durable = min(full * intervalNs, computeLeftNs)
        let writes = max(0, p - c)
        return WorkSplit(restoreNs: restore, computeNs: c, writeNs: writes, durableComputeNs: durable,
                         sinceDurableNs: c - durable + max(0, writes - full * writeNs))
    }
}

/// A run's work, split by what it was for.
public struct WorkSplit: Sendable, Equatable {
    /// Restoring state after an interruption or a preemption.
    public var restoreNs: SimTimeNs
    /// Computing (kept by a completion or a preemption's checkpoint).
    public var computeNs: SimTimeNs
    /// Writing checkpoints.
    public var writeNs: SimTimeNs
    /// The compute a checkpoint made durable (what an interruption keeps).
    public var durableComputeNs: SimTimeNs
    /// Work after the last durable checkpoint (compute, and a write cut short): what an
    /// interruption throws away.
    public var sinceDurableNs: SimTimeNs
    /// Whether a failure ended the run (else it completed, was preempted with a checkpoint of
    /// all it did, or the simulation ended).
    public var interrupted = false

    /// Compute the run keeps: what checkpoints made durable when it was interrupted, else all of it.
    public var keptComputeNs: SimTimeNs { interrupted ? durableComputeNs : computeNs }
    /// Work the run threw away: the work since its last durable checkpoint when it was interrupted.
    public var lostNs: SimTimeNs { interrupted ? sinceDurableNs : 0 }

    public init(restoreNs: SimTimeNs, computeNs: SimTimeNs, writeNs: SimTimeNs, durableComputeNs: SimTimeNs, sinceDurableNs: SimTimeNs) {
        self.restoreNs = restoreNs
        self.computeNs = computeNs
        self.writeNs = writeNs
        self.durableComputeNs = durableComputeNs
        self.sinceDurableNs = sinceDurableNs
    }
}
