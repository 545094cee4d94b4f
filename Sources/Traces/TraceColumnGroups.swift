import CHDF5
import Records
import SimKernel

/// The columns of a per-pool or per-tenant utilisation table.
struct GroupSeriesColumns {
    let time: TraceColumn<Int64>
    let key: TraceColumn<Int16>
    let busy: TraceColumn<Double>
    let queued, running: TraceColumn<Int32>

    init(_ g: hid_t, key name: String, keyMeaning: String, columns col: ColumnMaker) throws {
        time = try col(g, TraceColumns.seriesTime)
        key = try col(g, TraceColumns.seriesKey(name, meaning: keyMeaning))
        busy = try col(g, TraceColumns.seriesBusy)
        queued = try col(g, TraceColumns.seriesQueued)
        running = try col(g, TraceColumns.seriesRunning)
    }

    var all: [any AnyTraceColumn] { [time, key, busy, queued, running] }

    func append(_ s: GroupSample) throws {
        try time.append(s.timeNs)
        try key.append(s.group)
        try busy.append(s.busyAccelerators)
        try queued.append(s.queuedJobs)
        try running.append(s.runningJobs)
    }
}

/// The columns a trace has only when its run models failures: `/jobs`' interruptions and work
/// lost, and the `/failures` table.
struct FailureColumns {
    let jobInterruptions: TraceColumn<Int32>
    let jobWorkLost: TraceColumn<Int64>
    let time, down: TraceColumn<Int64>
    let pool: TraceColumn<Int16>
    let server, jobsHit, replicasHit: TraceColumn<Int32>
    let component, kind: TraceColumn<Int8>
    let lost: TraceColumn<Double>

    init(jobs: hid_t, failures g: hid_t, columns col: ColumnMaker) throws {
        jobInterruptions = try col(jobs, TraceColumns.jobInterruptions)
        jobWorkLost = try col(jobs, TraceColumns.jobWorkLost)
        time = try col(g, TraceColumns.failTime)
        pool = try col(g, TraceColumns.failPool)
        server = try col(g, TraceColumns.failServer)
        component = try col(g, TraceColumns.failComponent)
        kind = try col(g, TraceColumns.failKind)
        jobsHit = try col(g, TraceColumns.failJobs)
        replicasHit = try col(g, TraceColumns.failReplicas)
        lost = try col(g, TraceColumns.failLost)
        down = try col(g, TraceColumns.failDown)
    }

    var all: [any AnyTraceColumn] { [jobInterruptions, jobWorkLost, time, pool, server, component, kind, jobsHit, replicasHit, lost, down] }

    func append(job r: JobRecord) throws {
        try jobInterruptions.append(r.interruptions)
        try jobWorkLost.append(r.workLostNs)
    }

    func append(_ f: FailureRecord) throws {
        try time.append(f.timeNs)
        try pool.append(f.pool)
        try server.append(f.server)
        try component.append(f.component)
        try kind.append(f.kind.rawValue)
        try jobsHit.append(f.jobsHit)
        try replicasHit.append(f.replicasHit)
        try lost.append(f.workLostAcceleratorHours)
        try down.append(f.downNs)
    }
}

/// The columns a trace has only when its run models the facility's power: `/jobs`' energy and
/// the `/power` table.
struct PowerColumns {
    let jobEnergy, jobITEnergy, jobCO2: TraceColumn<Double>
    let time: TraceColumn<Int64>
    let it, accelerators, cooling, facility, facilityPeak, pue, limit: TraceColumn<Double>
    let waiting, capEvents: TraceColumn<Int32>

    init(jobs: hid_t, power g: hid_t, columns col: ColumnMaker) throws {
        jobEnergy = try col(jobs, TraceColumns.jobEnergy)
        jobITEnergy = try col(jobs, TraceColumns.jobITEnergy)
        jobCO2 = try col(jobs, TraceColumns.jobCO2)
        time = try col(g, TraceColumns.powerTime)
        it = try col(g, TraceColumns.powerIT)
        accelerators = try col(g, TraceColumns.powerAccelerators)
        cooling = try col(g, TraceColumns.powerCooling)
        facility = try col(g, TraceColumns.powerFacility)
        facilityPeak = try col(g, TraceColumns.powerFacilityPeak)
        pue = try col(g, TraceColumns.powerPUE)
        limit = try col(g, TraceColumns.powerLimit)
        waiting = try col(g, TraceColumns.powerWaiting)
        capEvents = try col(g, TraceColumns.powerCapEvents)
    }

    func append(job r: JobRecord) throws {
        try jobEnergy.append(r.energyKWh)
        try jobITEnergy.append(r.itEnergyKWh)
        try jobCO2.append(r.co2Kg)
    }

    var all: [any AnyTraceColumn] { [jobEnergy, jobITEnergy, jobCO2, time, it, accelerators, cooling, facility, facilityPeak, pue, limit, waiting, capEvents] }

    func append(_ s: PowerSample) throws {
        try time.append(s.timeNs)
        try it.append(s.itW / 1000)
        try accelerators.append(s.acceleratorW / 1000)
        try cooling.append((s.facilityW - s.itW) / 1000)
        try facility.append(s.facilityW / 1000)
        try facilityPeak.append(s.facilityPeakW / 1000)
        try pue.append(s.itW > 0 ? s.facilityW / s.itW : 0)
        try limit.append(s.powerLimitShare)
        try waiting.append(s.jobsWaiting)
        try capEvents.append(s.capEvents)
    }
}

/// The columns of `/periods`, a sampled run's figures per period.
struct PeriodColumns {
    let index: TraceColumn<Int32>
    let start, end, window: TraceColumn<Double>
    let accelerators: TraceColumn<Int32>
    let jobs: TraceColumn<Double>
    /// Offered load, utilisation, mean wait (each with its half-width), p99 wait, SLO attainment,
    /// energy and cost a day (each with its half-width).
    let figures: [TraceColumn<Double>]

    init(_ g: hid_t, columns col: ColumnMaker) throws {
        let T = TraceColumns.self
        index = try col(g, T.periodIndex)
        start = try col(g, T.periodStart)
        end = try col(g, T.periodEnd)
        window = try col(g, T.periodWindow)
        accelerators = try col(g, T.periodAccelerators)
        jobs = try col(g, T.periodJobs)
        figures = try [T.periodOffered, T.periodOfferedCI, T.periodUtil, T.periodUtilCI, T.periodWait, T.periodWaitCI, T.periodWaitP99,
                       T.periodQueued, T.periodQueuedCI, T.periodSLO, T.periodEnergy, T.periodEnergyCI, T.periodCost, T.periodCostCI].map { try col(g, $0) }
    }

    var all: [any AnyTraceColumn] { [index, start, end, window, accelerators, jobs] + figures }

    func append(_ p: PeriodFigures) throws {
        try index.append(Int32(p.index))
        try start.append(Double(p.periodStartNs) / Double(SimTime.nsPerDay))
        try end.append(Double(p.periodEndNs) / Double(SimTime.nsPerDay))
        try window.append(Double(p.windowStartNs) / Double(SimTime.nsPerDay))
        try accelerators.append(Int32(clamping: p.accelerators))
        try jobs.append(p.jobsPerDay.mean)
        let values = [p.offeredLoad.mean, p.offeredLoad.ci95, p.utilization.mean, p.utilization.ci95, p.waitMeanS.mean, p.waitMeanS.ci95,
                      p.waitP99S, p.queuedJobs.mean, p.queuedJobs.ci95, p.sloAttainment, p.energyKWhPerDay.mean, p.energyKWhPerDay.ci95,
                      p.costPerDay?.mean ?? .nan, p.costPerDay?.ci95 ?? .nan]
        for (c, v) in zip(figures, values) { try c.append(v) }
    }
}

/// The columns of `/period_pools`: each pool's figures in each period (a row per period and pool
/// that had accelerators or batch jobs in it).
struct PeriodPoolColumns {
    let index: TraceColumn<Int32>
    let pool: TraceColumn<Int16>
    let accelerators: TraceColumn<Int32>
    /// Jobs a day; offered load, utilisation, mean wait and jobs waiting, each with its half-width.
    let figures: [TraceColumn<Double>]

    init(_ g: hid_t, columns col: ColumnMaker) throws {
        let T = TraceColumns.self
        index = try col(g, T.periodIndex)
        pool = try col(g, T.periodPoolKey)
        accelerators = try col(g, T.periodPoolAccelerators)
        figures = try [T.periodPoolJobs, T.periodPoolOffered, T.periodOfferedCI, T.periodPoolUtil, T.periodUtilCI, T.periodPoolWait, T.periodWaitCI,
                       T.periodPoolQueued, T.periodQueuedCI].map { try col(g, $0) }
    }

    var all: [any AnyTraceColumn] { [index, pool, accelerators] + figures }

    /// Appends the rows of period `p`'s pools.
    func append(_ p: PeriodFigures) throws {
        for (k, f) in p.activePools {
            try index.append(Int32(p.index))
            try pool.append(Int16(clamping: k))
            try accelerators.append(Int32(clamping: f.accelerators))
            let values = [f.jobsPerDay.mean, f.offeredLoad.mean, f.offeredLoad.ci95, f.utilization.mean, f.utilization.ci95, f.waitMeanS.mean,
                          f.waitMeanS.ci95, f.queuedJobs.mean, f.queuedJobs.ci95]
            for (c, v) in zip(figures, values) { try c.append(v) }
        }
    }
}
