import Aggregation
import Scenario
import SimKernel

/// The accelerators in a center built in phases at a time, and the fixed costs of a day then
/// (all of them, throughout, without phases): a day counts those in the center at its start.
/// A full run's periods and a sampled run's windows count their days with it.
struct CenterOverTime {
    let cluster: ClusterSpec
    let schedule: CapacitySchedule?
    let costing: PeriodCosting?
    let storageGrowth: StorageGrowth?

    init(_ scenario: Scenario, costing: PeriodCosting?) {
        cluster = scenario.cluster
        schedule = scenario.cluster.capacitySchedule(start: scenario.start?.date)
        self.costing = costing
        storageGrowth = scenario.storageGrowth
    }

    /// Accelerators in the center (in service or draining) at `t`.
    func accelerators(atNs t: SimTimeNs) -> Int {
        schedule?.accelerators(of: cluster, atNs: t, draining: true) ?? cluster.totalAccelerators
    }

    /// Accelerators of pool `pool` in the center (in service or draining) at `t`.
    func accelerators(ofPool pool: String, atNs t: SimTimeNs) -> Int {
        schedule?.accelerators(of: cluster, pool: pool, atNs: t, draining: true) ?? cluster.capacity(ofPool: pool)
    }

    /// The fixed costs of a day starting at `t`: each pool's accelerators in the center then,
    /// and each storage tier's servers.
    func fixedCost(atNs t: SimTimeNs) -> Double {
        guard let costing else { return 0 }
        return costing.fixedPerDay(accelerators: { accelerators(ofPool: costing.poolNames[$0], atNs: t) }, storageServers: storageGrowth?.servers(atNs: t) ?? [])
    }
}
