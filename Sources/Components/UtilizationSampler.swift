import Records
import SimKernel

/// Utilisation sampling, a run component: at the end of each scheduling pass it writes a
/// `/utilization` row (devices in use, jobs queued and running) when any of those changed, and
/// a `/pools` or `/tenants` row for each pool or tenant whose accelerators held or job counts
/// changed (tenants whose counts moved this pass only, in tenant order).
public struct UtilizationSampler: RunComponent {
    let sink: any RecordSink
    var lastSample = UtilizationSample(timeNs: -1, busyAccelerators: -1, queuedJobs: -1, runningJobs: -1)
    var poolLast: [GroupSample]
    var tenantLast: [GroupSample]

    /// A sampler of `pools` pools and `tenants` tenants writing to `sink`.
    public init(pools: Int, tenants: Int, sink: any RecordSink) {
        self.sink = sink
        poolLast = (0..<pools).map { GroupSample(timeNs: -1, group: Int16($0), busyAccelerators: 0, queuedJobs: 0, runningJobs: 0) }
        tenantLast = (0..<tenants + 1).map { GroupSample(timeNs: -1, group: Int16($0 - 1), busyAccelerators: 0, queuedJobs: 0, runningJobs: 0) }
    }

    public mutating func observe(_ o: Occupancy, nowNs now: SimTimeNs) {
        let s = UtilizationSample(timeNs: now, busyAccelerators: Int32(o.devicesInUse), queuedJobs: Int32(o.waiting), runningJobs: Int32(o.running))
        if (s.busyAccelerators, s.queuedJobs, s.runningJobs) != (lastSample.busyAccelerators, lastSample.queuedJobs, lastSample.runningJobs) {
            sink.record(utilization: s)
            lastSample = s
        }
        for p in poolLast.indices {
            let g = GroupSample(timeNs: now, group: Int16(p), busyAccelerators: Double(o.poolBusyMilli[p]) / 1000,
                                queuedJobs: o.poolWaiting[p], runningJobs: o.poolRunning[p])
            if (g.busyAccelerators, g.queuedJobs, g.runningJobs) != (poolLast[p].busyAccelerators, poolLast[p].queuedJobs, poolLast[p].runningJobs) {
                sink.record(pool: g)
                poolLast[p] = g
            }
        }
        for t in o.changedTenants {
            let g = GroupSample(timeNs: now, group: Int16(t - 1), busyAccelerators: Double(o.tenantBusyMilli[t]) / 1000,
                                queuedJobs: o.tenantWaiting[t], runningJobs: o.tenantRunning[t])
            if (g.busyAccelerators, g.queuedJobs, g.runningJobs) != (tenantLast[t].busyAccelerators, tenantLast[t].queuedJobs, tenantLast[t].runningJobs) {
                sink.record(tenant: g)
                tenantLast[t] = g
            }
        }
    }
}
