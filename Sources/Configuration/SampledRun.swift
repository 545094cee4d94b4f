import Center
import Dispatch
import Foundation
import Histogram
import Metrics
import Records
import Scenario
import SimKernel
import Workloads

/// A sampled multi-year run (`iccsim run --sampled quarter`): instead of simulating every day of
/// years, one representative stretch per period (a quarter or a month) is simulated at job
/// level: it starts `warmupNs` before its measured window (which sits in the middle of
/// the period) with the queue the center carried in (``CarriedBacklog``; empty when it carried
/// none), with the center as it is on each of its days (its phases' servers and storage
/// arrive and retire on their dates, as in a job-level run), the calendar (weekdays, climate) of those days, and each application's demand at its mean
/// over the period through the window (growth and season held at their period mean, the daily
/// and weekly cycles going on) and at its own days' through the warm-up. It runs on after its
/// window until the window's jobs have started, so their waits are whole. With `windows` N > 1, the period is cut into N equal strata, each with a window
/// in its middle at the stratum's mean demand and its own random streams (an independent
/// replication). The samples are independent runs, so they run in parallel and their results
/// do not depend on how many run at once. Each period's figures come with 95% confidence
/// half-widths: from the daily batch means of one window, or the windows' means (``PeriodFigures``).
public enum SampledRun {
    /// The default warm-up before each window: 28 days. In the city center, jobs running longer
    /// than 3 days hold a fifth of the accelerator-time and those longer than 14 days 1% (a
    /// three-year job-level run, docs/lifecycle.md), and a center above three-quarters load takes
    /// weeks to build the queue it holds in a job-level run: with 14 days, the planned center's
    /// sampled mean waits read 2 to 4 times low in its busiest quarters.
    public static let defaultWarmupNs: SimTimeNs = 28 * SimTime.nsPerDay

    /// How the run is sampled.
    public struct Options: Sendable {
        /// Length of a period: a quarter (365/4 days) or a month (365/12 days).
        public var periodNs: SimTimeNs
        public var periodName: String
        /// The measured window in each period, and the warm-up before it (whole days).
        public var lengthNs: SimTimeNs
        public var warmupNs: SimTimeNs
        /// Windows per period, one in the middle of each of as many equal parts of it (each its
        /// own run with its warm-up and its own random streams); their days are pooled and their
        /// means set the half-widths. More windows see more of a heavy-tailed demand.
        public var windows = 1
        /// Whether a sample starts with the queue the center carried in from the periods before
        /// it (``CarriedBacklog``), or empty.
        public var carriesBacklog = true
        /// How long a sample may run on after its window, at the window's demand, until every
        /// job submitted in it has started (it stops as soon as they have): the window's waits
        /// are measured whole. A job still waiting then counts its wait so far.
        public var maxDrainNs: SimTimeNs = 56 * SimTime.nsPerDay

        /// The end of a sample's measured window, and of its run at the latest (sample time).
        public var windowEndNs: SimTimeNs { warmupNs + lengthNs }
        public var sampleRunNs: SimTimeNs { warmupNs + lengthNs + maxDrainNs }

        /// `period` is `quarter` or `month`; nil if neither.
        public init?(period: String, lengthNs: SimTimeNs = 7 * SimTime.nsPerDay, warmupNs: SimTimeNs = SampledRun.defaultWarmupNs) {
            switch period {
            case "quarter": periodNs = 365 * SimTime.nsPerDay / 4
            case "month": periodNs = 365 * SimTime.nsPerDay / 12
            default: return nil
            }
            periodName = period
            self.lengthNs = lengthNs
            self.warmupNs = warmupNs
        }
    }

    /// One period's sample: where it sits and the scenario that simulates it.
    public struct Sample: Sendable {
        /// The period, and the window in it (0 ..< windows).
        public var index: Int
        public var window = 0
        public var periodStartNs, periodEndNs: SimTimeNs
        /// Start of the measured window, in the scenario's time.
        public var windowStartNs: SimTimeNs
        public var scenario: Scenario?
        /// The queue it started with, pool by pool, as stretches of their demand (empty: none).
        public var carriedBacklogNs: [SimTimeNs] { scenario?.sample?.backlogNs ?? [] }
    }

    /// The samples of `scenario` (its horizon cut into periods; a last partial period shorter
    /// than the window is left out), or of period `period` only. Throws when the horizon holds
    /// no whole window.
    public static func samples(_ scenario: Scenario, _ o: Options, period only: Int? = nil) throws -> [Sample] {
        guard let horizon = scenario.horizon?.baseUnits else { throw ScenarioError("--sampled needs a scenario with a horizon") }
        let day = SimTime.nsPerDay
        guard o.lengthNs >= day, o.lengthNs % day == 0, o.warmupNs % day == 0 else {
            throw ScenarioError("--sample-length must be whole days (at least 1d) and --sample-warmup whole days")
        }
        guard o.lengthNs <= o.periodNs else { throw ScenarioError("--sample-length (\(o.lengthNs / day)d) is longer than a \(o.periodName)") }
        var out: [Sample] = []
        let windows = max(1, o.windows)
        for (i, (a, b)) in periods(horizonNs: horizon, o).filter({ $0.endNs - $0.startNs >= o.lengthNs }).enumerated() where only == nil || only == i {
            for k in 0..<windows {
                // Window k centred at (2k + 1)/(2 windows) of the period (its middle for one), on
                // whole days, its warm-up not before time 0.
                let centre = a + (b - a) / SimTimeNs(2 * windows) * SimTimeNs(2 * k + 1)
                let windowStart = max(o.warmupNs, (centre - o.lengthNs / 2) / day * day)
                let offset = windowStart - o.warmupNs
                // Its demand: the mean over its stratum, the k-th of `windows` equal parts of the
                // period (the whole period for one window), so the windows' mean is the period's
                // and each sees the load of its part (growth and seasons within the period).
                let stratum = (a + (b - a) / SimTimeNs(windows) * SimTimeNs(k), k == windows - 1 ? b : a + (b - a) / SimTimeNs(windows) * SimTimeNs(k + 1))
                var x = sampleScenario(scenario, offsetNs: offset, windowStartNs: windowStart, period: stratum, o)
                // Each further window is an independent replication: its own random streams.
                if k > 0 { x?.seed = windowSeed(scenario.seed, window: k) }
                out.append(Sample(index: i, window: k, periodStartNs: a, periodEndNs: b, windowStartNs: windowStart, scenario: x))
            }
        }
        guard !out.isEmpty else { throw ScenarioError("the horizon is shorter than one sample window (\(o.lengthNs / day)d)") }
        return out
    }

    /// The seed of a period's window `k` ≥ 1: the scenario's mixed with `k` (SplitMix64's
    /// finaliser), so the windows of a period draw independent demand, and no window shares the
    /// seeds a plan's replications count up from (the scenario's, + 1, ...). Window 0 keeps the
    /// scenario's seed.
    static func windowSeed(_ seed: UInt64, window k: Int) -> UInt64 {
        var z = seed &+ UInt64(k) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The periods of a horizon: quarters (or months) from time 0, the last one cut at the
    /// horizon (a sampled run leaves it out when it is shorter than its window).
    public static func periods(horizonNs horizon: SimTimeNs, _ o: Options) -> [(startNs: SimTimeNs, endNs: SimTimeNs)] {
        var out: [(SimTimeNs, SimTimeNs)] = []
        var a: SimTimeNs = 0
        while a < horizon {
            let b = min(horizon, a + o.periodNs)
            out.append((a, b))
            a = b
        }
        return out
    }

    /// The scenario of one sample (nil when no server is in service in its window).
    static func sampleScenario(_ s: Scenario, offsetNs: SimTimeNs, windowStartNs: SimTimeNs, period: (SimTimeNs, SimTimeNs), _ o: Options) -> Scenario? {
        let day = SimTime.nsPerDay
        var x = s
        let offsetDays = Int(offsetNs / day)
        if let start = s.start?.date {
            // The center as it is on each day of the sample: its phases stay at their dates
            // (those in service before the sample's start are there from its first day), so a
            // warm-up that begins before a phase arrives runs without it, as the center did.
            guard s.cluster.hasServers(inServiceOn: start.adding(days: Int(windowStartNs / day))) else { return nil }
            x.start = DateSpec(start.adding(days: offsetDays))
        }
        x.horizon = TimeQuantity(baseUnits: o.sampleRunNs)
        x.warmup = o.warmupNs > 0 ? TimeQuantity(baseUnits: o.warmupNs) : nil
        x.sample = SampleWindow(offsetDays: offsetDays, periodFromDay: Int(period.0 / day), periodToDay: Int((period.1 + day - 1) / day),
                                warmupDays: Int((windowStartNs - offsetNs) / day))
        x.sample?.windowEndNs = o.windowEndNs
        // The center's state at that date: its services are live (their models trained before).
        x.release.firstVersion = .preloaded
        if var p = x.power {
            p.start = PowerSpec.shifted(p.start, byDays: offsetDays)
            x.power = p
        }
        return x
    }

    /// Runs every sample (in parallel, `workers` at a time) and returns each period's figures,
    /// in period order. `progress` hears each period as it finishes (from any thread).
    ///
    /// With ``Options/carriesBacklog``, the samples run twice where needed: first each from an
    /// empty center; then the queue each pool carries is estimated from their demand
    /// (``CarriedBacklog``), and the samples whose warm-up starts while some pool holds one run
    /// again with it (their own jobs unchanged). `progress` counts the second runs after the first.
    public static func run(_ scenario: Scenario, _ o: Options, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [PeriodFigures] {
        var samples = try samples(scenario, o)
        let first = samples.count
        var done: (@Sendable (Int) -> Void)? = nil
        if let progress { done = { progress($0, first) } }
        var windows = try parallelMap(samples, workers: workers, done: done) { try runWindow($0, o) }
        if o.carriesBacklog {
            let carried = carriedBacklog(scenario, samples, windows, o)
            // One history per seed: the first windows of every period share one, as the
            // periods of one job-level run do; each further window has its own.
            var histories: [UInt64: [[Double]]] = [:]
            var again: [Int] = []
            for i in samples.indices {
                let seed = samples[i].scenario?.seed ?? scenario.seed
                if histories[seed] == nil { histories[seed] = carried.history(Self.historyStream(seed: seed)) }
                let stretch = carried.stretchNs(atNs: samples[i].windowStartNs - o.warmupNs, runNs: o.sampleRunNs, warmupNs: o.warmupNs, in: histories[seed])
                guard stretch.contains(where: { $0 > 0 }), samples[i].scenario != nil else { continue }
                samples[i].scenario!.sample!.backlogNs = stretch
                again.append(i)
            }
            let all = first + again.count
            if let progress { done = { progress(first + $0, all) } }
            let rerun = try parallelMap(again.map { samples[$0] }, workers: workers, done: done) { try runWindow($0, o) }
            for (k, i) in again.enumerated() { windows[i] = rerun[k] }
        }
        return combine(Array(zip(samples, windows)))
    }

    /// The random stream a sample with `seed` draws its history of the carried queue from (apart
    /// from every stream of its run).
    static func historyStream(seed: UInt64) -> RandomStream {
        RandomStreams(masterSeed: seed, runIndex: SplitMix64.mix(0x6869_7374_6F72_7921)).stream("carried-queue")
    }

    /// The queue each pool carries over the horizon, from the samples' demand.
    static func carriedBacklog(_ scenario: Scenario, _ samples: [Sample], _ windows: [WindowResult], _ o: Options) -> CarriedBacklog {
        let day = SimTime.nsPerDay, spanDays = Int(o.windowEndNs / day)
        let horizon = scenario.horizon?.baseUnits ?? 0, days = Int(horizon / day) + 1
        let apps = scenario.workload.applications
        // Each application's demand factor day by day, over the run and in each sample (row 0:
        // jobs of no application, factor 1).
        let trends = apps.map { DemandPlan.trend(of: $0, in: scenario, horizonNs: horizon) }
        var points: [CarriedBacklog.Point] = []
        for (sample, window) in zip(samples, windows) {
            guard let s = sample.scenario else { continue }
            let own = apps.map { DemandPlan.trend(of: $0, in: s, horizonNs: s.horizon?.baseUnits ?? 0) }
            let factorDays = window.offeredByApplicationNs.indices.map { a in
                a == 0 ? Double(spanDays) : (0..<spanDays).reduce(0.0) { $0 + (own[a - 1]?.factor(day: $1) ?? 1) }
            }
            // An application without demand in the sample (a factor of 0 throughout) says nothing.
            func perFactorDay(_ sums: [[Double]], _ unit: Double) -> [[Double]] {
                sums.enumerated().map { a, byPool in byPool.map { factorDays[a] > 0 ? $0 / (factorDays[a] * unit) : 0 } }
            }
            points.append(.init(centreNs: sample.windowStartNs - o.warmupNs + SimTimeNs(spanDays) * day / 2,
                                work: perFactorDay(window.offeredByApplicationNs, Double(day)),
                                workSquared: perFactorDay(window.offeredSquaredByApplication, 1)))
        }
        let pools = scenario.cluster.poolNames
        let schedule = scenario.cluster.capacitySchedule(start: scenario.start?.date)
        return CarriedBacklog(points: points, pools: pools.count, days: days,
                              factor: { a, d in a == 0 ? 1 : trends[a - 1]?.factor(day: d) ?? 1 },
                              capacity: { p, t in
                                  Double(schedule?.accelerators(of: scenario.cluster, pool: pools[p], atNs: t) ?? scenario.cluster.capacity(ofPool: pools[p]))
                              })
    }

    /// The periods' figures from their windows' results (in sample order).
    static func combine(_ results: [(Sample, WindowResult)]) -> [PeriodFigures] {
        var out: [PeriodFigures] = []
        var i = 0
        while i < results.count {
            let period = results[i].0.index
            var j = i
            while j < results.count && results[j].0.index == period { j += 1 }
            out.append(combine(results[i..<j]))
            i = j
        }
        return out
    }

    /// One period's figures from its windows: their days pooled in window order, their waits'
    /// distributions merged, the SLO attainment their mean, the accelerators of the middle one.
    static func combine(_ windows: ArraySlice<(Sample, WindowResult)>) -> PeriodFigures {
        let first = windows.first!.0, list = Array(windows)
        var waits = list[0].1.waits
        for w in list.dropFirst() { waits.add(w.1.waits) }
        let slo = list.map(\.1.sloAttainment).filter { !$0.isNaN }
        var figures = PeriodFigures(sample: first, days: list.flatMap(\.1.days), accelerators: list[list.count / 2].1.accelerators,
                                    sloAttainment: slo.isEmpty ? .nan : slo.reduce(0, +) / Double(slo.count),
                                    waitP99S: waits.totalCount > 0 ? Double(waits.valueAtPercentile(99)) / 1e9 : .nan)
        figures.windows = list.count
        figures.poolAccelerators = list[list.count / 2].1.poolAccelerators
        let pools = list.map(\.0.carriedBacklogNs.count).max() ?? 0
        if pools > 0 {
            figures.carriedQueueDays = (0..<pools).map { p in
                list.map { p < $0.0.carriedBacklogNs.count ? Double($0.0.carriedBacklogNs[p]) / Double(SimTime.nsPerDay) : 0 }.max()!
            }
        }
        return figures
    }

    /// What one window's run gives its period.
    struct WindowResult: Sendable {
        var days: [PeriodFigures.Day]
        var accelerators: Int
        /// Each pool's accelerators in service at the window's start.
        var poolAccelerators: [Int] = []
        var sloAttainment: Double
        var waits: Histogram<UInt64>
        /// Batch work each application submitted to each pool over the warm-up and window
        /// (accelerator-ns, ``PeriodTap/offeredByApplicationNs``).
        var offeredByApplicationNs: [[Double]] = []
        /// The sum of the squares of those jobs' works (accelerator-ns²).
        var offeredSquaredByApplication: [[Double]] = []
    }

    /// The calendar quarter or month a period's middle falls in (`2026-Q1`, `2026-01`) when the
    /// scenario has a start date; `q01` / `m01` (its 1-based number) without.
    public static func label(index: Int, periodStartNs: SimTimeNs, periodEndNs: SimTimeNs, start: CivilDate?, _ o: Options) -> String {
        let n = index + 1
        guard let start else { return (o.periodName == "quarter" ? "q" : "m") + (n < 10 ? "0\(n)" : "\(n)") }
        let d = start.adding(days: Int((periodStartNs + periodEndNs) / 2 / SimTime.nsPerDay))
        return o.periodName == "quarter" ? "\(d.year)-Q\((d.month - 1) / 3 + 1)" : String(d.description.prefix(7))
    }

    /// One period's figures from its windows' runs (`samples`: the period's, in window order).
    public static func runPeriod(_ samples: [Sample], _ o: Options) throws -> PeriodFigures {
        combine(ArraySlice(try samples.map { ($0, try runWindow($0, o)) }))
    }

    /// One window's run.
    static func runWindow(_ sample: Sample, _ o: Options) throws -> WindowResult {
        let costing = sample.scenario.flatMap(PeriodCosting.init)
        let pools = sample.scenario?.cluster.poolNames ?? []
        let tap = PeriodTap(windowStartNs: o.warmupNs, days: Int(o.lengthNs / SimTime.nsPerDay), pools: pools.count, costing: costing,
                            censorNs: o.sampleRunNs, measuresDemandByApplication: true)
        guard let s = sample.scenario else { return WindowResult(days: [], accelerators: 0, sloAttainment: .nan, waits: tap.waits[0]) }
        let result = try CenterRun.run(s, sink: tap, observeDemand: { tap.submitted($0) })
        tap.finish(atNs: o.windowEndNs)
        // Each day's center: the accelerators (and fixed costs) in it at the day's start.
        let center = CenterOverTime(s, costing: costing)
        let dayStartNs = { (d: Int) in o.warmupNs + SimTimeNs(d) * SimTime.nsPerDay }
        return WindowResult(days: tap.dayFigures(accelerators: { center.accelerators(atNs: dayStartNs($0)) }, fixedCost: { center.fixedCost(atNs: dayStartNs($0)) },
                                                 poolAccelerators: { center.accelerators(ofPool: pools[$0], atNs: dayStartNs($1)) }),
                            accelerators: center.accelerators(atNs: o.warmupNs), poolAccelerators: pools.map { center.accelerators(ofPool: $0, atNs: o.warmupNs) },
                            sloAttainment: Self.sloAttainment(result.summary.fields), waits: tap.waits[0], offeredByApplicationNs: tap.offeredByApplicationNs,
                            offeredSquaredByApplication: tap.offeredSquaredByApplication)
    }

    /// The run's SLO attainment over all services (NaN without services).
    static func sloAttainment(_ fields: [(String, SummaryValue)]) -> Double {
        guard case .object(let serving)? = fields.first(where: { $0.0 == SummarySection.serving })?.1,
              case .real(let a)? = serving.first(where: { $0.0 == Metric.sloAttainment.key })?.1 else { return .nan }
        if case .integer(0)? = serving.first(where: { $0.0 == Metric.services.key })?.1 { return .nan }
        return a
    }
}

extension PeriodFigures {
    init(sample: SampledRun.Sample, days: [Day], accelerators: Int, sloAttainment: Double, waitP99S: Double) {
        self.init(index: sample.index, periodStartNs: sample.periodStartNs, periodEndNs: sample.periodEndNs, windowStartNs: sample.windowStartNs,
                  days: days, accelerators: accelerators, sloAttainment: sloAttainment, waitP99S: waitP99S)
    }

    /// The figures as `summary.json` writes them (NaN as null).
    public var fields: [(String, SummaryValue)] {
        let day = Double(SimTime.nsPerDay), pair = Self.pair
        return [("period", .integer(Int64(index))), ("start_day", .real(Double(periodStartNs) / day)), ("end_day", .real(Double(periodEndNs) / day)),
                ("window_start_day", .real(Double(windowStartNs) / day)), ("window_days", .integer(Int64(days.count))),
                ("accelerators", .integer(Int64(accelerators)))]
            + pair("jobs_submitted_per_day", jobsPerDay) + pair("offered_load", offeredLoad) + pair("utilization", utilization)
            + pair("wait_mean_s", waitMeanS) + [("wait_p99_s", .real(waitP99S))] + pair("queued_jobs", queuedJobs)
            + [("slo_attainment", .real(sloAttainment))] + pair("energy_kwh_per_day", energyKWhPerDay)
            + (costPerDay.map { pair("cost_per_day", $0) } ?? [])
    }

    /// A pool's figures as `summary.json` writes them under its period's `pools` (a figure of
    /// ``pool(_:)``, NaN as null).
    public var poolFields: [(String, SummaryValue)] {
        [("accelerators", .integer(Int64(accelerators)))] + Self.pair("jobs_submitted_per_day", jobsPerDay) + Self.pair("offered_load", offeredLoad)
            + Self.pair("utilization", utilization) + Self.pair("wait_mean_s", waitMeanS) + Self.pair("queued_jobs", queuedJobs)
    }

    /// A figure and its 95% half-width (`NAME`, `NAME_ci95`).
    static func pair(_ key: String, _ v: (mean: Double, ci95: Double)) -> [(String, SummaryValue)] {
        [(key, .real(v.mean)), (key + "_ci95", .real(v.ci95))]
    }
}
