import Components
import Records
import Release
import Scheduling
import SimKernel
import Workloads

/// The engine as the service controller's capacity broker: replicas are jobs in the job table
/// that hold accelerators of a pool and are counted like any job; the controller
/// (``ServiceController``, in `Release`) decides when they come and go.
extension CenterModel: CapacityBroker {
    /// Runs `body` on the service controller with the engine as its broker (the controller is
    /// taken out of the engine for the call, so both can change).
    mutating func withServices<R>(_ body: (inout ServiceController, inout CenterModel) -> R) -> R {
        // Moved out and back (swap moves without retaining): it is stepped at most every pass.
        var controller = ServiceController(sink: sink)
        swap(&controller, &services)
        defer { swap(&controller, &services) }
        return body(&controller, &self)
    }

    mutating func openReplica(_ spec: JobSpec, service: Int16, nowNs: SimTimeNs) -> JobHandle {
        let slot = openSlot(spec, id: -1, nowNs: nowNs)
        jobs[slot].service = service
        return jobs.handle(slot: slot)
    }

    mutating func allocate(_ replica: JobHandle, pool: Int, count: Int, milli: Int32) -> Bool {
        pools[pool].allocate(replica, count: count, milli: milli)
    }

    func capacity(ofPool pool: Int) -> Int { pools[pool].capacity }

    mutating func startReplica(_ replica: JobHandle, pool p: Int, borrowed: Bool, nowNs now: SimTimeNs) -> (jobID: Int64, throughStorage: Bool) {
        let slot = jobs.slot(of: replica)
        jobs[slot].spec.pool = Int16(p)
        jobs[slot].spec.submitNs = now
        jobs[slot].id = nextJobID
        nextJobID += 1
        jobs[slot].runStartNs = now
        jobs[slot].firstStartNs = now
        jobs[slot].borrowed = borrowed
        holdAccelerators(slot: slot, held: jobs[slot].spec.accelerators, now: now)
        count(jobs[slot].spec, waiting: 0, running: 1, busyMilli: jobs[slot].spec.milliHeld)
        return (jobs[slot].id, startComponents(slot: slot, from: 0, now: now) == .gated)
    }

    func replicaRow(_ replica: JobHandle, endNs: SimTimeNs, state: JobState, flops: Double) -> JobRecord {
        jobRow(slot: jobs.slot(of: replica), endNs: endNs, state: state, flops: flops)
    }

    mutating func stopReplica(_ replica: JobHandle, placed: Bool, nowNs now: SimTimeNs) {
        let slot = jobs.slot(of: replica)
        if placed {
            stopComponents(slot: slot, reason: .retired, now: now)
            pools[Int(jobs[slot].spec.pool)].release(replica)
            count(jobs[slot].spec, waiting: 0, running: -1, busyMilli: -heldMilli(slot))
        }
        jobs[slot].service = -1
        jobs[slot].runStartNs = -1
        activities.finish(FluidActivityID(raw: Int32(slot)))
    }

    mutating func account(_ replica: JobHandle, acceleratorNs: Double, borrowed: Bool, flops: Double) {
        breakdown.update(jobs[replica].spec) { g in
            g.acceleratorNs += acceleratorNs
            g.borrowedAcceleratorNs += borrowed ? acceleratorNs : 0
            g.flops += flops
        }
    }

    func wake(service: Int, atNs: SimTimeNs, tick: Bool) {
        kernel.schedule(Event(kind: (tick ? Kind.serviceTick : Kind.serviceWake).rawValue, subject: Int32(service)), atNs: atNs)
    }

    func readyAt(_ replica: JobHandle, jobID: Int64, atNs: SimTimeNs) {
        kernel.schedule(Event(kind: Kind.replicaReady.rawValue, subject: replica.slot, tag: jobID), atNs: atNs)
    }

    /// Frees `accelerators` in `pool` for a borrowed replica: elastic training jobs there give
    /// accelerators back first, newest first, down to their minimum (they slow down); then the
    /// newest running batch jobs are preempted, until enough are free or coming back (from
    /// jobs saving their checkpoint).
    mutating func makeRoom(pool p: Int, accelerators n: Int, nowNs now: SimTimeNs) -> (preempted: Int64, shrunk: Int64) {
        var made: (preempted: Int64, shrunk: Int64) = (0, 0)
        var coming = saving.reduce(Int64(0)) { $0 + (jobs[jobs.slot(of: $1)].spec.pool == p ? heldMilli(jobs.slot(of: $1)) : 0) } / 1000
        guard Int64(pools[p].free) + coming < Int64(n) else { return made }
        for job in elasticRunning[p].sorted(by: { jobs[$0].id > jobs[$1].id }) {
            let s = jobs.slot(of: job), short = Int64(n) - Int64(pools[p].free) - coming
            guard short > 0 else { return made }
            let give = min(Int64(jobs[s].held - jobs[s].spec.minAccelerators), short)
            guard give > 0 else { continue }
            resize(slot: s, to: jobs[s].held - Int32(give), now: now)
            made.shrunk += 1
        }
        guard Int64(pools[p].free) + coming < Int64(n) else { return made }
        // Running batch jobs of the pool, but not one ending at this instant: it is about to give
        // its accelerators back (preempting it would requeue a job that is gone).
        let running = (0..<jobs.count).filter {
            jobs[$0].runStartNs >= 0 && jobs[$0].service < 0 && Int(jobs[$0].spec.pool) == p && !endedNow.contains(Int32($0))
        }
            .sorted { (jobs[$0].runStartNs, jobs[$0].id) > (jobs[$1].runStartNs, jobs[$1].id) }
        for v in running {
            guard Int64(pools[p].free) + coming < Int64(n) else { return made }
            let held = heldMilli(v) / 1000
            policies[p].finished(jobs.handle(slot: v), nowNs: now)
            preempt(slot: v)
            made.preempted += 1
            if preemptionCost.saveNs > 0 { coming += held }
        }
        return made
    }
}
