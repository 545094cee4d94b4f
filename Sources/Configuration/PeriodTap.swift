import Histogram
import Records
import SimKernel
import Workloads

/// The records of a run kept as day-by-day sums over its measured window (a sample's window,
/// or the whole of a job-level run): batch work submitted (accelerator-time at full speed),
/// jobs submitted and their waits (by the day they were submitted; a job still waiting at the
/// end counts its wait so far), busy accelerator-time (from `/utilization`) and facility
/// energy (from `/power`), and the waits' distribution per period (the window's days fall in
/// periods: one for a sample, a quarter's or a month's for a full run). Nothing else is kept.
final class PeriodTap: RecordSink {
    let windowStartNs: SimTimeNs
    let days: Int
    /// The period of each day of the window.
    let periodOfDay: [Int]
    private(set) var offeredNs: [Double], submitted: [Int], waitSumNs: [Double], waitCount: [Int], busyNs: [Double], energyKWh: [Double]
    /// With a costing: the energy bill of each day (each stretch of power at its hour's tariff).
    let costing: PeriodCosting?
    private(set) var energyCost: [Double]
    /// The waits of each period's jobs (ns, three significant digits).
    private(set) var waits: [Histogram<UInt64>]
    private var lastUtil: (timeNs: SimTimeNs, busy: Int32)?
    private var lastPower: (timeNs: SimTimeNs, facilityW: Double)?

    /// The run's end: a job that never started has waited until then (the window's end unless
    /// the run goes on after it).
    let censorNs: SimTimeNs

    /// Whether it keeps ``offeredByApplicationNs`` (a sample's run; a job-level run does not need it).
    let measuresDemandByApplication: Bool

    init(windowStartNs: SimTimeNs, days: Int, periodOfDay: [Int]? = nil, costing: PeriodCosting? = nil, censorNs: SimTimeNs? = nil,
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
        if let u = lastUtil { spread(&busyNs, from: u.timeNs, to: end, perNs: Double(u.busy)) }
        if let p = lastPower {
            spread(&energyKWh, from: p.timeNs, to: end, perNs: p.facilityW / 3.6e15)
            spreadBill(from: p.timeNs, to: end, watts: p.facilityW)
        }
        lastUtil = nil
        lastPower = nil
    }

    /// Each day's figures, day `d` on `accelerators(d)` accelerators, with fixed costs `fixedCost(d)`
    /// (used only with a costing).
    func dayFigures(accelerators: (Int) -> Int, fixedCost: (Int) -> Double = { _ in 0 }) -> [PeriodFigures.Day] {
        (0..<days).map { d in
            let capacityNs = Double(accelerators(d)) * Double(SimTime.nsPerDay)
            var day = PeriodFigures.Day(jobsSubmitted: submitted[d], offeredLoad: capacityNs > 0 ? offeredNs[d] / capacityNs : 0,
                                        utilization: capacityNs > 0 ? busyNs[d] / capacityNs : 0,
                                        waitSumS: waitSumNs[d] / 1e9, waits: waitCount[d], energyKWh: energyKWh[d])
            if costing != nil { day.cost = energyCost[d] + fixedCost(d) }
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
        _ = waits[periodOfDay[d]].record(UInt64(max(0, wait)))
    }

    func record(utilization s: UtilizationSample) {
        if let u = lastUtil { spread(&busyNs, from: u.timeNs, to: s.timeNs, perNs: Double(u.busy)) }
        lastUtil = (s.timeNs, s.busyAccelerators)
    }

    func record(power s: PowerSample) {
        if let p = lastPower {
            spread(&energyKWh, from: p.timeNs, to: s.timeNs, perNs: p.facilityW / 3.6e15)
            spreadBill(from: p.timeNs, to: s.timeNs, watts: p.facilityW)
        }
        lastPower = (s.timeNs, s.facilityW)
    }

    func record(pool: GroupSample) {}
    func record(tenant: GroupSample) {}
    func record(collective: CollectiveRecord) {}
    func record(model: ModelVersion) {}
    func record(deployment: DeploymentEvent) {}
    func record(request: RequestRecord) {}
    func record(links names: [String], samples: [LinkSample]) {}
    func record(failure: FailureRecord) {}
}
