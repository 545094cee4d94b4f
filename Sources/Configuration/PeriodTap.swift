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
    /// The center's sums, each day, and its facility energy.
    private(set) var center: DaySums
    private(set) var energyKWh: [Double]
    /// The same sums pool by pool: `pool[p]` is pool p's, each day.
    private(set) var pool: [DaySums]
    private var lastPool: [Occupied?]
    /// With a costing: the energy bill of each day (each stretch of power at its hour's tariff).
    let costing: PeriodCosting?
    private(set) var energyCost: [Double]
    /// The waits of each period's jobs (ns, three significant digits).
    private(set) var waits: [Histogram<UInt64>]
    private var lastUtil: Occupied?
    private var lastPower: (timeNs: SimTimeNs, facilityW: Double)?

    /// The run's end: a job that never started has waited until then (the window's end unless
    /// the run goes on after it).
    let censorNs: SimTimeNs

    /// Whether it keeps ``offeredByApplicationNs`` (a sample's run; a job-level run does not need it).
    let measuresDemandByApplication: Bool

    /// The center's or one pool's day-by-day sums: batch work and jobs submitted, their waits,
    /// busy accelerator-time and jobs waiting times ns.
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

        /// Day `d`'s figures over `accelerators` accelerators (energy `energyKWh`).
        func day(_ d: Int, accelerators: Int, energyKWh: Double = 0) -> PeriodFigures.Day {
            let dayNs = Double(SimTime.nsPerDay), capacityNs = Double(accelerators) * dayNs
            var x = PeriodFigures.Day(jobsSubmitted: submitted[d], offeredLoad: capacityNs > 0 ? offeredNs[d] / capacityNs : 0,
                                      utilization: capacityNs > 0 ? busyNs[d] / capacityNs : 0, waitSumS: waitSumNs[d] / 1e9, waits: waitCount[d],
                                      energyKWh: energyKWh)
            x.queuedJobs = queuedNs[d] / dayNs
            return x
        }
    }

    /// The last busy accelerators and jobs waiting sampled (of the center or a pool), held until the next.
    struct Occupied {
        var timeNs: SimTimeNs
        var busy: Double
        var queued: Int32
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
        center = DaySums(days: days)
        energyKWh = Array(repeating: 0, count: days)
        pool = Array(repeating: center, count: pools)
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
        func add(_ sums: inout DaySums) {
            sums.submitted[d] += 1
            sums.offeredNs[d] += work
        }
        add(&center)
        if pool.indices.contains(Int(j.pool)) { add(&pool[Int(j.pool)]) }
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
        if let u = lastUtil { spread(u, into: &center, to: end) }
        for p in pool.indices { if let g = lastPool[p] { spread(g, into: &pool[p], to: end) } }
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
        (0..<days).map { d in
            var day = center.day(d, accelerators: accelerators(d), energyKWh: energyKWh[d])
            if costing != nil { day.cost = energyCost[d] + fixedCost(d) }
            day.pools = pool.indices.map { pool[$0].day(d, accelerators: poolAccelerators($0, d)) }
            return day
        }
    }

    /// A batch job's row (written when it ends, or at the end of the run: a job that never
    /// started has waited until ``censorNs``).
    func record(job r: JobRecord) {
        guard let d = day(of: r.submitNs) else { return }
        let wait = (r.startNs >= 0 ? r.startNs : censorNs) - r.submitNs
        func add(_ sums: inout DaySums) {
            sums.waitSumNs[d] += Double(wait)
            sums.waitCount[d] += 1
        }
        add(&center)
        if pool.indices.contains(Int(r.pool)) { add(&pool[Int(r.pool)]) }
        _ = waits[periodOfDay[d]].record(UInt64(max(0, wait)))
    }

    func record(utilization s: UtilizationSample) {
        if let u = lastUtil { spread(u, into: &center, to: s.timeNs) }
        lastUtil = Occupied(timeNs: s.timeNs, busy: Double(s.busyAccelerators), queued: s.queuedJobs)
    }

    /// Spreads the busy accelerators and jobs waiting of sample `o` into `sums` until `end`.
    private func spread(_ o: Occupied, into sums: inout DaySums, to end: SimTimeNs) {
        spread(&sums.busyNs, from: o.timeNs, to: end, perNs: o.busy)
        spread(&sums.queuedNs, from: o.timeNs, to: end, perNs: Double(o.queued))
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
        guard pool.indices.contains(p) else { return }
        if let g = lastPool[p] { spread(g, into: &pool[p], to: s.timeNs) }
        lastPool[p] = Occupied(timeNs: s.timeNs, busy: s.busyAccelerators, queued: s.queuedJobs)
    }
    func record(tenant: GroupSample) {}
    func record(collective: CollectiveRecord) {}
    func record(model: ModelVersion) {}
    func record(deployment: DeploymentEvent) {}
    func record(request: RequestRecord) {}
    func record(links names: [String], samples: [LinkSample]) {}
    func record(failure: FailureRecord) {}
}
