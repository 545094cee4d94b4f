import SimKernel
import Workloads

/// Figures of one group of jobs (an application, a tenant, a kind of work, a pool).
struct GroupFigures {
    var submitted: Int64 = 0
    var completed: Int64 = 0
    var started: Int64 = 0
    var waitSumNs: Double = 0
    var jctSumNs: Double = 0
    /// Σ (completion time / run time) over completed jobs.
    var slowdownSum: Double = 0
    /// Accelerator·ns of run time (completed jobs, and running jobs up to the end).
    var acceleratorNs: Double = 0
    /// FLOPs delivered.
    var flops: Double = 0
    /// Accelerator·ns run on capacity lent beyond the tenant's guarantee (`quota` policy).
    var borrowedAcceleratorNs: Double = 0

    var waitMeanS: Double { started > 0 ? waitSumNs / Double(started) / 1e9 : 0 }
    var jctMeanS: Double { completed > 0 ? jctSumNs / Double(completed) / 1e9 : 0 }
    var slowdownMean: Double { completed > 0 ? slowdownSum / Double(completed) : 0 }
    var acceleratorHours: Double { acceleratorNs / 3.6e12 }
}

/// Per-application, per-tenant, per-kind and per-pool figures of a run. Index -1 (no
/// application or tenant) is kept in a slot of its own and left out of the summary.
struct Breakdown {
    var applications: [GroupFigures]
    var tenants: [GroupFigures]
    var kinds = [GroupFigures](repeating: GroupFigures(), count: JobKind.allCases.count)
    var pools: [GroupFigures]

    init(names: DemandNames) {
        applications = Array(repeating: GroupFigures(), count: names.applications.count + 1)
        tenants = Array(repeating: GroupFigures(), count: names.tenants.count + 1)
        pools = Array(repeating: GroupFigures(), count: max(1, names.pools.count))
    }

    /// Applies `update` to every group `spec` belongs to.
    mutating func update(_ spec: JobSpec, _ update: (inout GroupFigures) -> Void) {
        update(&applications[Int(spec.application) + 1])
        update(&tenants[Int(spec.tenant) + 1])
        update(&kinds[Int(spec.kind.rawValue)])
        update(&pools[Int(spec.pool)])
    }
}
