import Components
import Scheduling
import SimKernel
import Workloads

/// Preemption: pausing a running job (its work kept), its checkpoint, and its return to the queue.
extension CenterModel {
    /// Pauses a running job: its work so far is kept, it saves a checkpoint (holding its
    /// accelerators) and then waits again with the restore added to its remaining work.
    mutating func preempt(slot: Int) {
        let now = kernel.nowNs
        let spec = jobs[slot].spec
        stopRun(slot: slot, reason: .preempted, restoreNs: preemptionCost.restoreNs, now: now)
        jobs[slot].preemptions += 1
        preemptionsTotal += 1
        count(spec, waiting: 0, running: -1, busyMilli: 0)
        if preemptionCost.saveNs > 0 {
            let handle = jobs.handle(slot: slot)
            saving.append(handle)
            kernel.schedule(Event(kind: Kind.checkpointSaved.rawValue, subject: handle.slot, tag: Int64(handle.generation)), atNs: now + preemptionCost.saveNs)
        } else {
            releaseAndRequeue(slot: slot, now: now)
        }
    }

    /// Stops the running job in `slot` (preempted or interrupted; it still holds its
    /// accelerators): its progress stops, its served time and accelerator time are counted, the
    /// components see it stop, and its next run begins with `restoreNs` of restore. Returns the
    /// work an interruption threw away (a job with checkpoints keeps what they saved; without,
    /// a preempted job keeps everything).
    @discardableResult
    mutating func stopRun(slot: Int, reason: JobStop, restoreNs: SimTimeNs, now: SimTimeNs) -> SimTimeNs {
        let spec = jobs[slot].spec
        let activity = FluidActivityID(raw: Int32(slot))
        _ = activities.setRate(activity, ratePerNs: 0, nowNs: now)
        var lostNs: SimTimeNs = 0
        if jobs[slot].resilience != nil {
            lostNs = keepCheckpointedWork(slot: slot, interrupted: reason == .interrupted, restoreNs: restoreNs, now: now)
        } else if restoreNs > 0 {
            _ = activities.addWork(activity, work: Double(restoreNs), nowNs: now)
        }
        let ranNs = now - jobs[slot].runStartNs
        jobs[slot].attainedService += Double(ranNs) * Double(spec.accelerators)
        jobs[slot].servedNs += ranNs
        if spec.isElastic {
            let handle = jobs.handle(slot: slot)
            elasticRunning[Int(spec.pool)].removeAll { $0 == handle }
        }
        let acceleratorNs = Double(now - jobs[slot].segmentStartNs) * heldShare(slot)
        let borrowedNs = jobs[slot].borrowed ? acceleratorNs : 0
        breakdown.update(spec) { g in
            g.acceleratorNs += acceleratorNs
            g.borrowedAcceleratorNs += borrowedNs
        }
        jobs[slot].runStartNs = -1
        stopComponents(slot: slot, reason: reason, now: now)
        return lostNs
    }

    /// A preempted job gives its accelerators back and waits again.
    mutating func releaseAndRequeue(slot: Int, now: SimTimeNs) {
        let spec = jobs[slot].spec
        let sharers = pools[Int(spec.pool)].coRunners(of: jobs.handle(slot: slot))
        pools[Int(spec.pool)].release(jobs.handle(slot: slot))
        for other in sharers { refreshRate(slot: Int(other.slot), now: now) }
        count(spec, waiting: 1, running: 0, busyMilli: -heldMilli(slot))
        policies[Int(spec.pool)].enqueue(queuedJob(slot: slot, now: now), nowNs: now)
    }

    /// The scheduler's view of the job in `slot`.
    func queuedJob(slot: Int, now: SimTimeNs) -> QueuedJob {
        let spec = jobs[slot].spec
        let remaining = SimTimeNs(activities.remainingWork(FluidActivityID(raw: Int32(slot)), nowNs: now).rounded(.up))
        let estimate = trueDurations ? remaining : max(1_000_000_000, estimator.estimate(tenant: spec.tenant) - jobs[slot].servedNs)
        var job = QueuedJob(handle: jobs.handle(slot: slot), id: jobs[slot].id, accelerators: spec.accelerators, submitNs: spec.submitNs, tenant: spec.tenant,
                            priority: spec.priority, remainingNs: remaining, estimatedRemainingNs: estimate,
                            attainedServiceNs: jobs[slot].attainedService, preemptions: jobs[slot].preemptions)
        job.milli = spec.milli
        job.cpuMilli = spec.cpuMilli
        job.memoryMiB = spec.memoryMiB
        return job
    }
}
