import Components
import Records
import Release
import Scheduling
import SimKernel
import Workloads

/// The end of a run: every job still alive gets its `/jobs` row.
extension CenterModel {
    /// Records every job still alive at the end of the run, in id order; running jobs are
    /// credited the accelerator time and FLOPs of the part they did.
    mutating func finalize(at endNs: SimTimeNs) {
        advanceStatistics(to: endNs)
        settleInstant(now: endNs)  // effects buffered by a run that stopped mid-instant
        // Running batch jobs in id order (slot order depends on which slots were freed first),
        // with what their current run did (jobs with checkpoints): the components hear it (nothing
        // of it is lost, the run just ends) before they finish.
        let runningSlots = (0..<jobs.count).filter { jobs[$0].runStartNs >= 0 && jobs[$0].service < 0 && activities.isLive(FluidActivityID(raw: Int32($0))) }
            .sorted { jobs[$0].id < jobs[$1].id }
        let runs = runningSlots.map { s in jobs[s].resilience != nil ? runSplit(slot: s, now: endNs) : nil }
        for (s, split) in zip(runningSlots, runs) { if let split { reportWork(slot: s, split, now: endNs) } }
        for i in components.indices { components[i].finish(atNs: endNs) }
        var alive: [JobRecord] = []
        func queued(_ s: Int) {
            let spec = jobs[s].spec
            var r = JobRecord(id: jobs[s].id, jobClass: classIndex(spec), submitNs: spec.submitNs, startNs: jobs[s].firstStartNs, endNs: -1,
                              accelerators: spec.accelerators, state: .queued)
            r.label(with: spec)
            r.preemptions = jobs[s].preemptions
            if jobs[s].resilience != nil { annotate(&r, slot: s) }
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
        for (s, split) in zip(runningSlots, runs) {
            let spec = jobs[s].spec
            var done = 1.0
            if let r = jobs[s].resilience, let split {
                // Its compute: kept by earlier runs, and done in this one.
                let computed = spec.durationNs - r.computeLeftNs + split.computeNs
                done = spec.durationNs > 0 ? min(1, max(0, Double(computed) / Double(spec.durationNs))) : 1
            } else {
                let left = activities.remainingWork(FluidActivityID(raw: Int32(s)), nowNs: endNs)
                done = spec.durationNs > 0 ? min(1, max(0, 1 - left / Double(spec.durationNs))) : 1
            }
            let acceleratorNs = Double(endNs - jobs[s].segmentStartNs) * heldShare(s)
            let borrowedNs = jobs[s].borrowed ? acceleratorNs : 0
            breakdown.update(spec) { g in
                g.borrowedAcceleratorNs += borrowedNs
                g.acceleratorNs += acceleratorNs
                g.flops += spec.flops * done
            }
            alive.append(jobRow(slot: s, endNs: -1, state: .running, flops: spec.flops * done))
        }
        alive.sort { $0.id < $1.id }
        for r in alive { sink.record(job: r) }
    }
}
