import Histogram
import Records
import SimKernel
import Workloads

/// The records of a run kept as day-by-day sums over its measured window (a sample's window,
/// or the whole of a job-level run): batch work submitted (accelerator-time at full speed),
/// jobs submitted and their waits (by the day they were submitted; a job still waiting at the
/// end counts its wait so far), busy accelerator-time and jobs waiting (from `/utilization`)
/// and facility energy (from `/power`), the same but energy pool by pool (from
/// `/utilization_pools`), and the waits' distribution per period (the window's days fall in
/// periods: one for a sample, a quarter's or a month's for a full run). Nothing else is kept.
final class PeriodTap: RecordSink {
    let windowStartNs: SimTimeNs
    let days: Int
    /// The period of each day of the window.
    let periodOfDay: [Int]
    private(set) var offeredNs: [Double], submitted: [Int], waitSumNs: [Double], waitCount: [Int], busyNs: [Double], energyKWh: [Double]
    /// Jobs waiting times ns, each day.
    private(set) var queuedNs: [Double]
    /// The same sums (energy aside) pool by pool: `pool[p]` is pool p's, each day.
    private(set) var pool: [DaySums]
    private var lastPool: [(timeNs: SimTimeNs, busy: Double, queued: Int32)?]
    /// With a costing: the energy bill of each day (each stretch of power at its hour's tariff).
    let costing: PeriodCosting?
    private(set) var energyCost: [Double]
    /// The waits of each period's jobs (ns, three significant digits).
    private(set) var waits: [Histogram<UInt64>]
    private var lastUtil: (timeNs: SimTimeNs, busy: Int32, queued: Int32)?
    private var lastPower: (timeNs: SimTimeNs, facilityW: Double)?

    /// The run's end: a job that never started has waited until then (the window's end unless
    /// the run goes on after it).
    let censorNs: SimTimeNs

    /// Whether it keeps ``offeredByApplicationNs`` (a sample's run; a job-level run does not need it).
    let measuresDemandByApplication: Bool

    /// One pool's day-by-day sums.
    struct DaySums {
        var offeredNs, waitSumNs, busyNs, queuedNs: [Double]
        var submitted, waitCount: [Int]

        init(days: Int) {
            offeredNs = Array(repeating: 0, count: days)
            waitSumNs = offeredNs
            busyNs = offeredNs
            queuedNs = offeredNs
            submitted = Array(repeating: 0, count: days)
            waitCount = submitted
        }
    }

    /// A tap over `days` days from `windowStartNs`, keeping `pools` pools' sums too.
    init(windowStartNs: SimTimeNs, days: Int, pools: Int = 0, periodOfDay: [Int]? = nil, costing: PeriodCosting? = nil, censorNs: SimTimeNs? = nil,
         measuresDemandByApplication: Bool = false) {
        self.measuresDemandByApplication = measuresDemandByApplication
        self.costing = costing
        self.censorNs = censorNs ?? windowStartNs + SimTimeNs(days) * SimTime.nsPerDay
        energyCost = Array(repeating: 0, count: days)
        self.windowStartNs = windowStartNs
        self.days = days
        self.periodOfDay = periodOfDay ?? Array(repeating: 0, count: days)
        waits = (0..<((periodOfDay?.max() ?? 0) + 1)).map { _ in Histogram<UInt64>(highestTrackableValue: 1 << 62, numberOfSignificantValueDigits: .three) }
        offeredNs = Array(repeating: 0, count: days)
        submitted = Array(repeating: 0, count: days)
        waitSumNs = Array(repeating: 0, count: days)
        waitCount = Array(repeating: 0, count: days)
        busyNs = Array(repeating: 0, count: days)
        energyKWh = Array(repeating: 0, count: days)
        queuedNs = Array(repeating: 0, count: days)
        pool = Array(repeating: DaySums(days: days), count: pools)
        lastPool = Array(repeating: nil, count: pools)
    }

    /// The window's day of time `t` (nil outside it).
    func day(of t: SimTimeNs) -> Int? {
        guard t >= windowStartNs else { return nil }
        let d = Int((t - windowStartNs) / SimTime.nsPerDay)
        return d < days ? d : nil
    }

    /// Spreads `value` per ns over [a, b) into the window's days.
    func spread(_ sums: inout [Double], from a: SimTimeNs, to b: SimTimeNs, perNs value: Double) {
        var t = max(a, windowStartNs)
        let end = min(b, windowStartNs + SimTimeNs(days) * SimTime.nsPerDay)
        while t < end {
            let d = Int((t - windowStartNs) / SimTime.nsPerDay)
            let next = min(end, windowStartNs + SimTimeNs(d + 1) * SimTime.nsPerDay)
            sums[d] += Double(next - t) * value
            t = next
        }
    }

    /// Spreads the bill of `watts` over [a, b) into the window's days, hour by hour at the tariff.
    func spreadBill(from a: SimTimeNs, to b: SimTimeNs, watts: Double) {
        guard let c = costing else { return }
        let hourNs: SimTimeNs = 3_600_000_000_000
        var t = a
        while t < b {
            let next = min(b, (t / hourNs + 1) * hourNs)
            spread(&energyCost, from: t, to: next, perNs: watts / 3.6e15 * c.pricePerKWh(atNs: t))
            t = next
        }
    }

    /// Batch work each application submitted to each pool until the window's end, warm-up and
    /// window (accelerator-ns; `[application + 1][pool]`, row 0 the jobs of no application): a
    /// sampled run's measure of each pool's demand near its sample (``CarriedBacklog``).
    private(set) var offeredByApplicationNs: [[Double]] = []
    /// The sum of the squares of the same jobs' work (accelerator-ns²): with the sum, the
    /// spread of a day's demand (``CarriedBacklog``).
    private(set) var offeredSquaredByApplication: [[Double]] = []

    /// A job the demand generated (before it is submitted).
    func submitted(_ j: JobSpec) {
        let work = Double(j.accelerators) * Double(j.milli) / 1000 * Double(j.durationNs)
        if measuresDemandByApplication && j.pool >= 0 && j.submitNs < windowStartNs + SimTimeNs(days) * SimTime.nsPerDay {
            let a = max(0, Int(j.application) + 1), p = Int(j.pool)
            Self.add(work, to: &offeredByApplicationNs, a, p)
            Self.add(work * work, to: &offeredSquaredByApplication, a, p)
        }
        guard let d = day(of: j.submitNs) else { return }
        submitted[d] += 1
        offeredNs[d] += work
        if j.pool >= 0 && Int(j.pool) < pool.count {
            pool[Int(j.pool)].submitted[d] += 1
            pool[Int(j.pool)].offeredNs[d] += work
        }
    }

    /// Adds `value` to `sums[a][p]`, growing the table as needed.
    private static func add(_ value: Double, to sums: inout [[Double]], _ a: Int, _ p: Int) {
        sums.growToInclude(a, with: [])
        sums[a].growToInclude(p, with: 0)
        sums[a][p] += value
    }

    /// The 99th percentile of period `p`'s waits, in seconds (NaN without jobs).
    func waitP99S(period p: Int = 0) -> Double {
        waits[p].totalCount > 0 ? Double(waits[p].valueAtPercentile(99)) / 1e9 : .nan
    }

    /// Closes the series at the end of the run.
    func finish(atNs end: SimTimeNs) {
        if let u = lastUtil { spreadUtilization(u, to: end) }
        for p in pool.indices { if let g = lastPool[p] { spreadPool(p, g, to: end) } }
        lastPool = lastPool.map { _ in nil }
        if let p = lastPower {
            spread(&energyKWh, from: p.timeNs, to: end, perNs: p.facilityW / 3.6e15)
            spreadBill(from: p.timeNs, to: end, watts: p.facilityW)
        }
        lastUtil = nil
        lastPower = nil
    }

    /// Each day's figures, day `d` on `accelerators(d)` accelerators, with fixed costs `fixedCost(d)`
    /// (used only with a costing), and each pool's on `poolAccelerators(p, d)`.
    func dayFigures(accelerators: (Int) -> Int, fixedCost: (Int) -> Double = { _ in 0 }, poolAccelerators: (Int, Int) -> Int = { _, _ in 0 }) -> [PeriodFigures.Day] {
        let dayNs = Double(SimTime.nsPerDay)
        return (0..<days).map { d in
            let capacityNs = Double(accelerators(d)) * dayNs
            var day = PeriodFigures.Day(jobsSubmitted: submitted[d], offeredLoad: capacityNs > 0 ? offeredNs[d] / capacityNs : 0,
                                        utilization: capacityNs > 0 ? busyNs[d] / capacityNs : 0,
                                        waitSumS: waitSumNs[d] / 1e9, waits: waitCount[d], energyKWh: energyKWh[d])
            day.queuedJobs = queuedNs[d] / dayNs
            if costing != nil { day.cost = energyCost[d] + fixedCost(d) }
            day.pools = pool.indices.map { p in
                let s = pool[p], poolNs = Double(poolAccelerators(p, d)) * dayNs
                var x = PeriodFigures.Day(jobsSubmitted: s.submitted[d], offeredLoad: poolNs > 0 ? s.offeredNs[d] / poolNs : 0,
                                          utilization: poolNs > 0 ? s.busyNs[d] / poolNs : 0, waitSumS: s.waitSumNs[d] / 1e9, waits: s.waitCount[d], energyKWh: 0)
                x.queuedJobs = s.queuedNs[d] / dayNs
                return x
            }
            return day
        }
    }

    /// A batch job's row (written when it ends, or at the end of the run: a job that never
    /// started has waited until ``censorNs``).
    func record(job r: JobRecord) {
        guard let d = day(of: r.submitNs) else { return }
        let wait = (r.startNs >= 0 ? r.startNs : censorNs) - r.submitNs
        waitSumNs[d] += Double(wait)
        waitCount[d] += 1
        if r.pool >= 0 && Int(r.pool) < pool.count {
            pool[Int(r.pool)].waitSumNs[d] += Double(wait)
            pool[Int(r.pool)].waitCount[d] += 1
        }
        _ = waits[periodOfDay[d]].record(UInt64(max(0, wait)))
    }

    func record(utilization s: UtilizationSample) {
        if let u = lastUtil { spreadUtilization(u, to: s.timeNs) }
        lastUtil = (s.timeNs, s.busyAccelerators, s.queuedJobs)
    }

    /// Spreads the center's busy accelerators and jobs waiting from sample `u` to `end`.
    private func spreadUtilization(_ u: (timeNs: SimTimeNs, busy: Int32, queued: Int32), to end: SimTimeNs) {
        spread(&busyNs, from: u.timeNs, to: end, perNs: Double(u.busy))
        spread(&queuedNs, from: u.timeNs, to: end, perNs: Double(u.queued))
    }

    /// Spreads pool `p`'s busy accelerators and jobs waiting from sample `g` to `end`.
    private func spreadPool(_ p: Int, _ g: (timeNs: SimTimeNs, busy: Double, queued: Int32), to end: SimTimeNs) {
        spread(&pool[p].busyNs, from: g.timeNs, to: end, perNs: g.busy)
        spread(&pool[p].queuedNs, from: g.timeNs, to: end, perNs: Double(g.queued))
    }

    func record(power s: PowerSample) {
        if let p = lastPower {
            spread(&energyKWh, from: p.timeNs, to: s.timeNs, perNs: p.facilityW / 3.6e15)
            spreadBill(from: p.timeNs, to: s.timeNs, watts: p.facilityW)
        }
        lastPower = (s.timeNs, s.facilityW)
    }

    func record(pool s: GroupSample) {
        let p = Int(s.group)
        guard p >= 0 && p < pool.count else { return }
        if let g = lastPool[p] { spreadPool(p, g, to: s.timeNs) }
        lastPool[p] = (s.timeNs, s.busyAccelerators, s.queuedJobs)
    }
    func record(tenant: GroupSample) {}
    func record(collective: CollectiveRecord) {}
    func record(model: ModelVersion) {}
    func record(deployment: DeploymentEvent) {}
    func record(request: RequestRecord) {}
    func record(links names: [String], samples: [LinkSample]) {}
    func record(failure: FailureRecord) {}
}
