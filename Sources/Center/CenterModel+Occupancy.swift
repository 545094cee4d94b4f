import Components
import Records
import SimKernel
import Workloads

/// What the center holds (``Occupancy``), kept as jobs arrive, start, stop and resize, and
/// shown to the run components at the end of each scheduling pass (utilisation sampling is one).
extension CenterModel {
    /// Changes the waiting and running counts and the accelerators held, for the center, the
    /// job's pool and its tenant together.
    mutating func count(_ spec: JobSpec, waiting dw: Int32, running dr: Int32, busyMilli db: Int64) {
        poolQueuedDemand[Int(spec.pool)] += Int64(dw) * Int64(spec.accelerators)
        occupancy.count(pool: Int(spec.pool), tenant: spec.tenant, waiting: dw, running: dr, busyMilli: db)
    }

    /// Shows the components what the center holds at the end of a pass.
    mutating func observe(at now: SimTimeNs) {
        occupancy.devicesInUse = pools.reduce(0) { $0 + $1.busy }
        occupancy.orderChangedTenants()
        for i in components.indices { components[i].observe(occupancy, nowNs: now) }
        occupancy.clearChangedTenants()
    }
}
