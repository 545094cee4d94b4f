import Components
import Records
import Release
import Scheduling
import SimKernel
import Workloads

/// A job's life in the engine: submitted (a job id, its pool, or rejected when it can never
/// fit), started on the accelerators its policy chose, and finished (its row, its model
/// version, its co-runners' speeds).
extension CenterModel {
    /// The job in `slot` completed at `now`.
    mutating func finish(slot: Int, now: SimTimeNs) {
        let spec = jobs[slot].spec
        let p = Int(spec.pool)
        let handle = jobs.handle(slot: slot)
        let sharers = pools[p].coRunners(of: handle)
        if jobs[slot].resilience != nil { reportWork(slot: slot, runSplit(slot: slot, now: now), now: now) }
        stopComponents(slot: slot, reason: .completed, now: now)
        pools[p].release(handle)
        policies[p].finished(handle, nowNs: now)
        count(spec, waiting: 0, running: -1, busyMilli: -heldMilli(slot))
        if spec.isElastic { elasticRunning[p].removeAll { $0 == handle } }
        activities.finish(FluidActivityID(raw: Int32(slot)))
        let jct = now - spec.submitNs
        stats.jobCompleted(jctNs: jct, workNs: spec.durationNs, runNs: jobs[slot].servedNs + (now - jobs[slot].runStartNs), submitNs: spec.submitNs)
        jobs[slot].runStartNs = -1   // no longer running: its entry stays until the slot is reused
        estimator.record(tenant: spec.tenant, runNs: spec.durationNs)
        let acceleratorNs = Double(now - jobs[slot].segmentStartNs) * heldShare(slot)
        let borrowedNs = jobs[slot].borrowed ? acceleratorNs : 0
        breakdown.update(spec) { g in
            g.borrowedAcceleratorNs += borrowedNs
            g.completed += 1
            g.jctSumNs += Double(jct)
            g.slowdownSum += spec.durationNs > 0 ? Double(jct) / Double(spec.durationNs) : 1
            g.acceleratorNs += acceleratorNs
            g.flops += spec.flops
        }
        sink.record(job: jobRow(slot: slot, endNs: now, state: .completed, flops: spec.flops))
        let builds = spec.kind == .training || spec.kind == .fineTuning || spec.kind == .compression || spec.isSearchWinner
        if var v = registry?.register(application: spec.application, model: spec.model, isModelBuilding: builds, job: jobs[slot].id, atNs: now) {
            services.describe(&v)
            sink.record(model: v)
            services.offer(v)
        }
        for other in sharers { refreshRate(slot: Int(other.slot), now: now) }
    }

    /// The `/jobs` row of the job in `slot`, which started: ended at `endNs` (-1: still running)
    /// in `state`, having delivered `flops`, with its placement and the components' fields.
    func jobRow(slot: Int, endNs: SimTimeNs, state: JobState, flops: Double) -> JobRecord {
        let spec = jobs[slot].spec
        var r = JobRecord(id: jobs[slot].id, jobClass: classIndex(spec), submitNs: spec.submitNs, startNs: jobs[slot].firstStartNs, endNs: endNs,
                          accelerators: spec.accelerators, state: state)
        r.label(with: spec)
        r.flops = flops
        r.preemptions = jobs[slot].preemptions
        r.serversSpanned = jobs[slot].serversSpanned
        r.leavesSpanned = jobs[slot].leavesSpanned
        annotate(&r, slot: slot)
        return r
    }

    /// The job in `slot` holds `held` accelerators of its pool from `now` (at a start, a
    /// replica's placement or a resize): its accounting segment starts and its span is recorded.
    mutating func holdAccelerators(slot: Int, held: Int32, now: SimTimeNs) {
        jobs[slot].held = held
        jobs[slot].segmentStartNs = now
        let span = pools[Int(jobs[slot].spec.pool)].span(of: jobs.handle(slot: slot))
        jobs[slot].serversSpanned = Int32(span.servers)
        jobs[slot].leavesSpanned = Int32(span.leaves)
    }

    /// The job class index of a job, or -1 when it did not come from a job class.
    func classIndex(_ spec: JobSpec) -> Int32 { spec.kind == .generic && spec.source != JobSpec.listSource ? spec.source : -1 }

    mutating func submit(_ arrival: JobSpec) {
        var spec = arrival
        if spec.priority == 0, spec.tenant >= 0, Int(spec.tenant) < tenantPriorities.count { spec.priority = tenantPriorities[Int(spec.tenant)] }
        if spec.acceptance >= 0 { chooseAcceptedPool(&spec) }
        let id = nextJobID
        nextJobID += 1
        stats.jobSubmitted(atNs: spec.submitNs)
        breakdown.update(spec) { $0.submitted += 1 }
        let p = Int(spec.pool)
        guard pools[p].canEverFit(Int(spec.accelerators)) else {
            stats.rejected += 1
            if rejectionMessages.count < 10 {
                rejectionMessages.append("job \(id) asks for \(spec.accelerators) accelerators but pool '\(poolNames[p])' has \(pools[p].capacity)")
            }
            var r = JobRecord(id: id, jobClass: classIndex(spec), submitNs: spec.submitNs, startNs: -1, endNs: -1,
                              accelerators: spec.accelerators, state: .rejected, rejectReason: .largerThanPool)
            r.label(with: spec)
            sink.record(job: r)
            return
        }
        if stopOnceStartedBeforeNs != SimTime.never {
            if spec.submitNs < stopOnceStartedBeforeNs {
                waitingBeforeStop += 1
            } else if waitingBeforeStop == 0 {
                kernel.requestStop()
            }
        }
        let slot = openSlot(spec, id: id, nowNs: spec.submitNs)
        count(spec, waiting: 1, running: 0, busyMilli: 0)
        policies[p].enqueue(queuedJob(slot: slot, now: spec.submitNs), nowNs: spec.submitNs)
    }

    mutating func start(_ job: QueuedJob) {
        let slot = Int(job.slot)
        let now = kernel.nowNs
        jobs[slot].runStartNs = now
        count(jobs[slot].spec, waiting: -1, running: 1, busyMilli: jobs[slot].spec.milliHeld)
        jobs[slot].borrowed = job.borrowed
        holdAccelerators(slot: slot, held: job.accelerators, now: now)
        if jobs[slot].spec.isElastic { elasticRunning[Int(jobs[slot].spec.pool)].append(job.handle) }
        if jobs[slot].firstStartNs < 0 {
            jobs[slot].firstStartNs = now
            let wait = now - job.submitNs
            stats.jobStarted(waitNs: wait, submitNs: job.submitNs)
            if stopOnceStartedBeforeNs != SimTime.never && job.submitNs < stopOnceStartedBeforeNs { waitingBeforeStop -= 1 }
            breakdown.update(jobs[slot].spec) { g in
                g.started += 1
                g.waitSumNs += Double(wait)
            }
        }
        // A job held by a component (an ingest first), or whose speed a component prices (its
        // all-reduce on the fabric), waits (rate 0) for the instant's settle.
        var effect = StartEffect.unaffected
        if !components.isEmpty {
            var starting = startingJob(slot: slot)
            if checkpointing {
                beginRun(starting, now: now)
                addCheckpointTraffic(&starting, slot: slot)
            }
            effect = startComponents(starting, from: 0, now: now)
        }
        guard effect == .unaffected else { return }
        let activity = FluidActivityID(raw: job.slot)
        let end = activities.setRate(activity, ratePerNs: 1, nowNs: now)
        let gen = Int64(activities.generation(activity))
        kernel.schedule(Event(kind: Kind.jobEnd.rawValue, subject: job.slot, tag: gen), atNs: end)
    }

    /// A fluid activity for a new job (or service replica) and its slot's state: its work is
    /// its duration at rate 1 (one ns of work per ns); it waits at rate 0.
    mutating func openSlot(_ spec: JobSpec, id: Int64, nowNs: SimTimeNs) -> Int {
        let (activity, _) = activities.start(work: Double(spec.durationNs), ratePerNs: 0, nowNs: nowNs)
        let slot = Int(activity.raw)
        jobs.open(slot: slot, JobEntry(spec: spec, id: id))
        return slot
    }
}
