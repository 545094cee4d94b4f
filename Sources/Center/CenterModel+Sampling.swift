import Records
import Scheduling
import SimKernel
import Workloads

/// Counts per center, pool and tenant, the utilisation samples, and the end-of-run records.
extension CenterModel {
    /// Changes the waiting and running counts and the accelerators held, for the center, the
    /// job's pool and its tenant together.
    mutating func count(_ spec: JobSpec, waiting dw: Int32, running dr: Int32, busyMilli db: Int64) {
        poolQueuedDemand[Int(spec.pool)] += Int64(dw) * Int64(spec.accelerators)
        waiting += Int(dw)
        running += Int(dr)
        busyMilli += db
        let p = Int(spec.pool), t = Int(spec.tenant) + 1
        poolWaiting[p] += dw; poolRunning[p] += dr; poolBusyMilli[p] += db
        tenantWaiting[t] += dw; tenantRunning[t] += dr; tenantBusyMilli[t] += db
        if !tenantDirty[t] {
            tenantDirty[t] = true
            dirtyTenants.append(t)
        }
    }

    mutating func sample(at now: SimTimeNs) {
        let devicesInUse = pools.reduce(0) { $0 + $1.busy }
        let s = UtilizationSample(timeNs: now, busyAccelerators: Int32(devicesInUse), queuedJobs: Int32(waiting), runningJobs: Int32(running))
        if (s.busyAccelerators, s.queuedJobs, s.runningJobs) != (lastSample.busyAccelerators, lastSample.queuedJobs, lastSample.runningJobs) {
            sink.record(utilization: s)
            lastSample = s
        }
        for p in poolLast.indices {
            let g = GroupSample(timeNs: now, group: Int16(p), busyAccelerators: Double(poolBusyMilli[p]) / 1000,
                                queuedJobs: poolWaiting[p], runningJobs: poolRunning[p])
            if (g.busyAccelerators, g.queuedJobs, g.runningJobs) != (poolLast[p].busyAccelerators, poolLast[p].queuedJobs, poolLast[p].runningJobs) {
                sink.record(pool: g)
                poolLast[p] = g
            }
        }
        if dirtyTenants.count > 1 { dirtyTenants.sort() }
        for t in dirtyTenants {
            tenantDirty[t] = false
            let g = GroupSample(timeNs: now, group: Int16(t - 1), busyAccelerators: Double(tenantBusyMilli[t]) / 1000,
                                queuedJobs: tenantWaiting[t], runningJobs: tenantRunning[t])
            if (g.busyAccelerators, g.queuedJobs, g.runningJobs) != (tenantLast[t].busyAccelerators, tenantLast[t].queuedJobs, tenantLast[t].runningJobs) {
                sink.record(tenant: g)
                tenantLast[t] = g
            }
        }
        dirtyTenants.removeAll(keepingCapacity: true)
    }

    /// Records every job still alive at the end of the run, in id order; running jobs are
    /// credited the accelerator time and FLOPs of the part they did.
    mutating func finalize(at endNs: SimTimeNs) {
        advanceStatistics(to: endNs)
        settleInstant(now: endNs)  // effects buffered by a run that stopped mid-instant
        for i in components.indices { components[i].finish(atNs: endNs) }
        var alive: [JobRecord] = []
        func queued(_ s: Int) {
            let spec = jobs[s].spec
            var r = JobRecord(id: jobs[s].id, jobClass: classIndex(spec), submitNs: spec.submitNs, startNs: jobs[s].firstStartNs, endNs: -1,
                              accelerators: spec.accelerators, state: .queued)
            r.label(with: spec)
            r.preemptions = jobs[s].preemptions
            let partial = spec.flops * min(1, Double(jobs[s].servedNs) / Double(max(1, spec.durationNs)))
            breakdown.update(spec) { $0.flops += partial }
            r.flops = partial
            alive.append(r)
        }
        for policy in policies {
            for q in policy.waitingJobs() { queued(Int(q.slot)) }
        }
        for s in saving { queued(jobs.slot(of: s)) }
        // Running jobs in id order (slot order depends on which slots were freed first).
        alive += withServices { c, m in c.finish(atNs: endNs, broker: &m) }
        let runningSlots = (0..<jobs.count).filter { jobs[$0].runStartNs >= 0 && jobs[$0].service < 0 && activities.isLive(FluidActivityID(raw: Int32($0))) }
        for s in runningSlots.sorted(by: { jobs[$0].id < jobs[$1].id }) {
            let spec = jobs[s].spec
            let ranNs = endNs - jobs[s].runStartNs
            let left = activities.remainingWork(FluidActivityID(raw: Int32(s)), nowNs: endNs)
            let done = spec.durationNs > 0 ? min(1, max(0, 1 - left / Double(spec.durationNs))) : 1
            let acceleratorNs = Double(endNs - jobs[s].segmentStartNs) * heldShare(s)
            let borrowedNs = jobs[s].borrowed ? acceleratorNs : 0
            breakdown.update(spec) { g in
                g.borrowedAcceleratorNs += borrowedNs
                g.acceleratorNs += acceleratorNs
                g.flops += spec.flops * done
            }
            var r = JobRecord(id: jobs[s].id, jobClass: classIndex(spec), submitNs: spec.submitNs, startNs: jobs[s].firstStartNs,
                              endNs: -1, accelerators: spec.accelerators, state: .running)
            r.label(with: spec)
            r.flops = spec.flops * done
            r.preemptions = jobs[s].preemptions
            r.serversSpanned = jobs[s].serversSpanned
            r.leavesSpanned = jobs[s].leavesSpanned
            annotate(&r, slot: s)
            alive.append(r)
        }
        alive.sort { $0.id < $1.id }
        for r in alive { sink.record(job: r) }
    }
}
