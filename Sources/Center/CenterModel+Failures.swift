import Components
import Production
import Scheduling
import SimKernel

/// A server going out of service or coming back, asked for by a run component (failures).
struct ServerChange {
    var pool: Int
    var server: Int
    var down: Bool
    /// Only if a job runs there (else the components hear it was spared).
    var ifBusy = false
}

/// Failures in a job's life: servers taken out of service interrupt the jobs on them (a batch
/// job keeps what its checkpoints saved and waits again; a replica is lost and its service
/// replaces it), and jobs with a checkpoint plan do their writes and restores as work.
extension CenterModel {
    /// Applies this instant's server changes in (pool, server) order, so the result never
    /// depends on the order of same-time events: a server going down interrupts its jobs (in
    /// slot order) and leaves service; one coming back returns to it. In a center built in
    /// phases a server is out when it fails or is not installed, and back only when neither;
    /// a draining server that fails leaves the center at once.
    mutating func applyServerChanges(now: SimTimeNs) {
        if serverChangesNow.count > 1 { serverChangesNow.sort { ($0.pool, $0.server, $0.down ? 1 : 0) < ($1.pool, $1.server, $1.down ? 1 : 0) } }
        for change in serverChangesNow {
            let p = change.pool, s = change.server
            guard change.down else {
                if !serverOut.isEmpty {
                    serverOut[p][s] &= ~Self.outFailed
                    if serverOut[p][s] != 0 { continue }
                }
                if pools[p].isDown(server: s) { pools[p].bringUp(server: s) }
                continue
            }
            if change.ifBusy {
                let out = (!serverOut.isEmpty && serverOut[p][s] != 0) || pools[p].isDown(server: s)
                if out || pools[p].jobs(onServer: s).isEmpty {
                    for i in components.indices { components[i].serverSpared(pool: p, server: s, nowNs: now) }
                    continue
                }
            }
            if !serverOut.isEmpty {
                let wasOut = serverOut[p][s] != 0
                serverOut[p][s] |= Self.outFailed
                if wasOut { continue }
                if pools[p].isCordoned(server: s) {
                    pools[p].uncordon(server: s)
                    let outage = ServerOutage(pool: p, server: s, hits: takeOut(pool: p, server: s, now: now))
                    for i in components.indices { components[i].serverWentDown(outage, nowNs: now) }
                    leave(pool: p, server: s, now: now)
                    continue
                }
            }
            guard !pools[p].isDown(server: s) else { continue }
            let outage = ServerOutage(pool: p, server: s, hits: takeOut(pool: p, server: s, now: now))
            for i in components.indices { components[i].serverWentDown(outage, nowNs: now) }
        }
        serverChangesNow.removeAll(keepingCapacity: true)
    }

    /// Stops every job on server `s` of pool `p` (in slot order: a replica is lost, a job saving
    /// its preemption checkpoint waits again, a running job loses the work since its last
    /// checkpoint) and takes the server out of service; returns what it hit.
    mutating func takeOut(pool p: Int, server s: Int, now: SimTimeNs) -> [ServerOutage.Hit] {
        var hits: [ServerOutage.Hit] = []
        for handle in pools[p].jobs(onServer: s) {
            let slot = jobs.slot(of: handle)
            let share = heldShare(slot)
            if jobs[slot].service >= 0 {
                hits.append(ServerOutage.Hit(job: handle, accelerators: share, lostNs: 0, isReplica: true))
                withServices { c, m in c.replicaLost(handle, broker: &m, nowNs: now) }
            } else if let i = saving.firstIndex(of: handle) {
                // Saving its preemption checkpoint: the save is cut short; it waits again.
                saving.remove(at: i)
                hits.append(ServerOutage.Hit(job: handle, accelerators: share, lostNs: 0, isReplica: false))
                releaseAndRequeue(slot: slot, now: now)
            } else {
                let lost = interrupt(slot: slot, now: now)
                hits.append(ServerOutage.Hit(job: handle, accelerators: share, lostNs: lost, isReplica: false))
            }
        }
        pools[p].takeDown(server: s)
        return hits
    }

    /// A failure stopped the running job in `slot`: it loses the work since its last durable
    /// checkpoint, gives its accelerators back and waits again, its next run starting with the
    /// restart (detection, requeue and restore). Returns the work lost.
    mutating func interrupt(slot: Int, now: SimTimeNs) -> SimTimeNs {
        let spec = jobs[slot].spec
        let p = Int(spec.pool)
        policies[p].finished(jobs.handle(slot: slot), nowNs: now)
        let lost = stopRun(slot: slot, reason: .interrupted, restoreNs: jobs[slot].resilience?.plan.restartNs ?? 0, now: now)
        count(spec, waiting: 0, running: -1, busyMilli: 0)
        releaseAndRequeue(slot: slot, now: now)
        return lost
    }

    /// A batch job's run begins (`job` is how the components see it): at its first start they
    /// choose its checkpoint plan (its work becomes the compute and the writes); every run
    /// records its layout.
    mutating func beginRun(_ job: StartingJob, now: SimTimeNs) {
        let slot = Int(job.handle.slot)
        let activity = FluidActivityID(raw: Int32(slot))
        if jobs[slot].resilience == nil {
            guard let plan = componentCheckpointPlan(job) else { return }
            let compute = jobs[slot].spec.durationNs
            jobs[slot].resilience = JobResilience(plan: plan, computeLeftNs: compute)
            _ = activities.setRemaining(activity, work: Double(plan.workNs(computeNs: compute)), nowNs: now)
        }
        jobs[slot].resilience!.runWorkNs = SimTimeNs(activities.remainingWork(activity, nowNs: now).rounded())
        jobs[slot].resilience!.restoreNs = jobs[slot].resilience!.nextRestoreNs
        jobs[slot].resilience!.nextRestoreNs = 0
    }

    /// What the components (the storage system) see of the checkpoints of the batch job in
    /// `slot` as its run begins: the checkpoint it reads back when it restarts after a failure
    /// with one kept, and the mean rate of its planned writes.
    func addCheckpointTraffic(_ job: inout StartingJob, slot: Int) {
        guard let r = jobs[slot].resilience else { return }
        let spec = jobs[slot].spec
        if r.restoresAfterFailure && r.computeLeftNs < spec.durationNs { job.restoreBytes = spec.checkpointBytes }
        job.checkpointWriteBytesPerS = r.plan.writeBytesPerS(checkpointBytes: spec.checkpointBytes)
    }

    /// What the current run of the job in `slot` did up to `now` (it is not progressing now).
    func runSplit(slot: Int, now: SimTimeNs) -> WorkSplit {
        let r = jobs[slot].resilience!
        let left = SimTimeNs(activities.remainingWork(FluidActivityID(raw: Int32(slot)), nowNs: now).rounded())
        return r.plan.split(doneNs: max(0, r.runWorkNs - left), restoreNs: r.restoreNs, computeLeftNs: r.computeLeftNs)
    }

    /// The run of the job in `slot` stopped (its rate is 0): a preemption keeps its compute, an
    /// interruption what its checkpoints made durable; the components hear what the run's work
    /// was; its remaining work becomes `restoreNs` and what is left. Returns the work lost.
    mutating func keepCheckpointedWork(slot: Int, interrupted: Bool, restoreNs: SimTimeNs, now: SimTimeNs) -> SimTimeNs {
        var split = runSplit(slot: slot, now: now)
        split.interrupted = interrupted
        jobs[slot].resilience!.computeLeftNs -= split.keptComputeNs
        jobs[slot].resilience!.nextRestoreNs = restoreNs
        jobs[slot].resilience!.restoresAfterFailure = interrupted
        let r = jobs[slot].resilience!
        _ = activities.setRemaining(FluidActivityID(raw: Int32(slot)), work: Double(restoreNs + r.plan.workNs(computeNs: r.computeLeftNs)), nowNs: now)
        reportWork(slot: slot, split, now: now)
        return split.lostNs
    }

    /// The components hear what a run's work was.
    mutating func reportWork(slot: Int, _ split: WorkSplit, now: SimTimeNs) {
        let job = jobs.handle(slot: slot)
        for i in components.indices { components[i].jobWorked(job, split: split, nowNs: now) }
    }

    /// The first checkpoint plan a component gives `job`.
    mutating func componentCheckpointPlan(_ job: StartingJob) -> CheckpointPlan? {
        for i in components.indices {
            if let plan = components[i].checkpointPlan(for: job) { return plan }
        }
        return nil
    }
}
