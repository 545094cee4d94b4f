import Scheduling
import SimKernel
import Workloads

/// Elastic training jobs (the guide's 弹性伸缩 for training): a running elastic job holds
/// between its minimum and maximum accelerators and runs at a speed proportional to what it
/// holds (linear scaling; its run time is given for its requested size). While jobs wait in its
/// pool it gives accelerators back down to its minimum, newest elastic jobs first; when nobody
/// waits it takes free accelerators up to its maximum, oldest first. A resize re-places the job
/// (as an elastic framework re-forms its ring).
extension CenterModel {
    /// Thousandths of accelerators the job in `slot` holds.
    func heldMilli(_ slot: Int) -> Int64 { Int64(jobs[slot].held) * Int64(jobs[slot].spec.milli) }

    /// Accelerators the job in `slot` holds, counting shares.
    func heldShare(_ slot: Int) -> Double { Double(heldMilli(slot)) / 1000 }

    /// Speed of the job in `slot` relative to its requested size.
    func elasticScale(_ slot: Int) -> Double {
        // Read in place: a copy of the spec is a copy of every field of it.
        guard jobs[slot].spec.isElastic, jobs[slot].spec.accelerators > 0 else { return 1 }
        return Double(jobs[slot].held) / Double(jobs[slot].spec.accelerators)
    }

    /// Shrinks elastic jobs of pool `p` towards their minimum; returns whether any shrank.
    mutating func shrinkElastic(pool p: Int, now: SimTimeNs) -> Bool {
        var changed = false
        for job in elasticRunning[p].sorted(by: { jobs[$0].id > jobs[$1].id }) {
            let s = jobs.slot(of: job)
            let minimum = jobs[s].spec.minAccelerators
            if jobs[s].held > minimum {
                resize(slot: s, to: minimum, now: now)
                changed = true
            }
        }
        return changed
    }

    /// Grows elastic jobs of pool `p` into free accelerators, up to their maximum.
    mutating func growElastic(pool p: Int, now: SimTimeNs) {
        for job in elasticRunning[p].sorted(by: { jobs[$0].id < jobs[$1].id }) {
            let s = jobs.slot(of: job)
            let free = Int32(pools[p].free)
            guard free > 0 else { return }
            let target = min(jobs[s].spec.maxAccelerators, jobs[s].held + free)
            if target > jobs[s].held { resize(slot: s, to: target, now: now) }
        }
    }

    /// Re-places the job in `slot` on `count` accelerators and sets its speed.
    mutating func resize(slot s: Int, to target: Int32, now: SimTimeNs) {
        let spec = jobs[s].spec
        let p = Int(spec.pool)
        let acceleratorNs = Double(now - jobs[s].segmentStartNs) * heldShare(s)
        let borrowedNs = jobs[s].borrowed ? acceleratorNs : 0
        breakdown.update(spec) { g in
            g.acceleratorNs += acceleratorNs
            g.borrowedAcceleratorNs += borrowedNs
        }
        let before = heldMilli(s)
        pools[p].release(jobs.handle(slot: s))
        let placed = pools[p].allocate(jobs.handle(slot: s), count: Int(target), milli: spec.milli)
        precondition(placed, "an elastic job could not be re-placed on accelerators it just held or found free")
        holdAccelerators(slot: s, held: target, now: now)
        count(spec, waiting: 0, running: 0, busyMilli: heldMilli(s) - before)
        for i in components.indices { components[i].jobResized(jobs.handle(slot: s), heldMilli: heldMilli(s), nowNs: now) }
        refreshRate(slot: s, now: now)
    }
}
