import Scheduling
import SimKernel
import Workloads

/// Shared devices and heterogeneous pools: job speeds under interference, and the pool a job
/// that accepts several accelerator kinds is sent to.
extension CenterModel {
    /// Sets a running job's speed from the jobs sharing its devices, 1 / (1 + Σ slowdowns), its
    /// elastic size, and the slower of its all-reduce on the shared fabric and its storage stream.
    mutating func refreshRate(slot: Int, now: SimTimeNs) {
        guard jobs[slot].runStartNs >= 0, jobs[slot].service < 0 else { return }
        // Read in place: a copy of the job's spec or of its pool would be copied and released.
        let p = Int(jobs[slot].spec.pool)
        var slowdown = 0.0
        for other in pools[p].coRunners(of: jobs.handle(slot: slot)) {
            slowdown += pools[p].sharing.slowdown(Self.interferenceClass(jobs[slot].spec.kind),
                                                  Self.interferenceClass(jobs[jobs.slot(of: other)].spec.kind))
        }
        let activity = FluidActivityID(raw: Int32(slot))
        let shared = componentSpeed(slot: slot)
        let rate = elasticScale(slot) / (1 + slowdown) * shared
        guard rate != activities.rate(activity) else { return }
        let end = activities.setRate(activity, ratePerNs: rate, nowNs: now)
        pendingEnds.append((Int32(slot), end, Int64(activities.generation(activity))))
    }

    /// Interference class of a job kind: 0 generic, 1 training (every model-building kind),
    /// 2 data processing, 3 inference.
    static func interferenceClass(_ kind: JobKind) -> Int {
        switch kind.category {
        case "training": return 1
        case "data_processing": return 2
        case "inference": return 3
        default: return 0
        }
    }

    /// Sends a job that accepts several accelerator kinds to one pool: the fastest where it can
    /// start now, else the one with the least queued demand per capacity and speed (ties: lower
    /// pool index). Its run time becomes its stated run time over that pool's speed factor.
    mutating func chooseAcceptedPool(_ spec: inout JobSpec) {
        let options = acceptance[Int(spec.acceptance)].filter { pools[Int($0.pool)].canEverFit(Int(spec.accelerators)) }
        guard !options.isEmpty else { return }
        let n = Int(spec.accelerators)
        let startable = options.filter { poolQueuedDemand[Int($0.pool)] == 0 && pools[Int($0.pool)].free >= n }
        let chosen: AcceptedPool
        if let best = startable.max(by: { ($0.speed, -$0.pool) < ($1.speed, -$1.pool) }) {
            chosen = best
        } else {
            func load(_ a: AcceptedPool) -> Double {
                Double(poolQueuedDemand[Int(a.pool)] + Int64(n)) / Double(pools[Int(a.pool)].capacity) / a.speed
            }
            chosen = options.min { (load($0), $0.pool) < (load($1), $1.pool) }!
        }
        spec.pool = chosen.pool
        spec.durationNs = SimTime.durationNs(work: Double(spec.durationNs), ratePerNs: chosen.speed)
    }
}
