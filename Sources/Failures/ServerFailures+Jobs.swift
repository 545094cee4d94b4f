import Components
import Metrics
import Production
import Records
import SimKernel

/// The jobs' side of failures: each batch job's checkpoint plan from its own exposure, its
/// interruptions and work lost, the work its runs did, and the summary section.
extension ServerFailures {
    public var plansCheckpoints: Bool { true }

    /// A batch job's checkpoint plan from its own exposure (the parts of the accelerators and
    /// servers it spans) and its checkpoint's size.
    public mutating func checkpointPlan(for job: StartingJob) -> CheckpointPlan? {
        guard !job.isReplica else { return nil }
        let exposure = FailureExposure(accelerators: max(1, Int(job.spec.accelerators)), servers: max(1, job.serversSpanned),
                                       nicsPerServer: nicsPerServer[job.pool], leaves: parts.hasLeaves ? job.leavesSpanned() : 0)
        return settings.checkpoint.plan(mtbfHours: settings.models.mtbfHours(exposure), checkpointBytes: job.spec.checkpointBytes)
    }

    public mutating func jobStarted(_ job: StartingJob, nowNs: SimTimeNs) -> StartEffect {
        guard !job.isReplica else { return .unaffected }
        let slot = Int(job.handle.slot)
        if slot >= jobsBySlot.count { jobsBySlot += Array(repeating: nil, count: slot + 1 - jobsBySlot.count) }
        if jobsBySlot[slot]?.handle != job.handle {
            jobsBySlot[slot] = JobFailures(handle: job.handle, firstStartNs: nowNs, accelerators: job.spec.acceleratorShare,
                                           computeNs: job.computeNs, trains: [.training, .fineTuning, .generic].contains(job.spec.kind))
        }
        return .unaffected
    }

    public mutating func jobWorked(_ job: JobHandle, split: WorkSplit, nowNs: SimTimeNs) {
        guard let j = entry(job) else { return }
        tally.worked(split, accelerators: j.accelerators)
        jobsBySlot[Int(job.slot)]!.keptNs += split.keptComputeNs
    }

    public mutating func jobStopped(_ job: JobHandle, reason: JobStop, nowNs: SimTimeNs) {
        guard reason == .completed, let j = entry(job) else { return }
        jobsBySlot[Int(job.slot)]!.completed = true
        if j.trains { tally.trained(computeNs: j.computeNs, wallNs: nowNs - j.firstStartNs, accelerators: j.accelerators) }
    }

    func entry(_ job: JobHandle) -> JobFailures? {
        let slot = Int(job.slot)
        guard slot < jobsBySlot.count, let j = jobsBySlot[slot], j.handle == job else { return nil }
        return j
    }

    public func annotate(_ record: inout JobRecord, of job: JobHandle) {
        guard let j = entry(job) else { return }
        record.interruptions = j.interruptions
        record.workLostNs = j.lostNs
    }

    public mutating func finish(atNs endNs: SimTimeNs) {
        // Training jobs started and not completed: their compute kept so far over their time.
        for case let j? in jobsBySlot where j.trains && !j.completed {
            tally.trained(computeNs: j.keptNs, wallNs: endNs - j.firstStartNs, accelerators: j.accelerators)
        }
        for g in isDown.indices where !absent[g] && (isDown[g] || parts.downLeaf(of: g) != nil) {
            let (p, s) = locate(g)
            tally.downDeviceNs += Double(endNs - outSinceNs[g]) * Double(devices[p][s])
        }
        tally.close(atNs: endNs)
    }

    public func summary(endNs: SimTimeNs) -> [(section: String, figures: [(String, SummaryValue)])] {
        [(SummarySection.failures, tally.figures(endNs: endNs, classes: settings.models.map(\.component.rawValue)))]
    }
}

/// One batch job's failures.
struct JobFailures {
    var handle: JobHandle
    var firstStartNs: SimTimeNs
    var accelerators: Double
    var computeNs: SimTimeNs
    /// Whether it trains or fine-tunes a model (job classes' generic jobs are taken as training runs): its ETTR counts.
    var trains: Bool
    var interruptions: Int32 = 0
    var lostNs: SimTimeNs = 0
    /// Compute kept by its runs so far, and whether it completed.
    var keptNs: SimTimeNs = 0
    var completed = false
}
