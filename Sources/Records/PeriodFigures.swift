import SimKernel

/// One period's figures from its sample: each the mean over the measured windows' days, with a
/// 95% confidence half-width. With one window, from the daily batch means (Student's t with
/// days − 1 degrees of freedom): days of one window are correlated (a queue carries over
/// midnight, a long job spans days) and one week sees few of the rare large jobs, so that
/// half-width is a guide, not a guarantee. With two or more windows, which are independent
/// replications (their own random streams), from the spread of the windows' means (Student's t
/// with windows − 1 degrees of freedom), which counts both. docs/lifecycle.md says when sampling
/// is valid.
public struct PeriodFigures: Sendable {
    /// One day of the window.
    public struct Day: Sendable {
        public init(jobsSubmitted: Int, offeredLoad: Double, utilization: Double, waitSumS: Double, waits: Int, energyKWh: Double) {
            self.jobsSubmitted = jobsSubmitted
            self.offeredLoad = offeredLoad
            self.utilization = utilization
            self.waitSumS = waitSumS
            self.waits = waits
            self.energyKWh = energyKWh
        }

        public var jobsSubmitted: Int
        /// Batch work submitted over installed accelerator-time.
        public var offeredLoad: Double
        /// Busy accelerator-time (batch jobs and service replicas) over installed accelerator-time.
        public var utilization: Double
        public var waitSumS: Double
        public var waits: Int
        public var energyKWh: Double
        /// Batch jobs waiting, on average over the day.
        public var queuedJobs: Double = 0
        /// The same day in each pool (in the cluster's pool order; empty when not kept): its
        /// jobs, offered load, utilisation, waits and queue over the pool's own accelerators, no
        /// energy.
        public var pools: [Day] = []
        /// What the day cost (energy at its tariff and the fixed costs of what was in the
        /// center), in the price list's currency; nil without `power`.
        public var cost: Double?
    }

    public var index: Int
    public var periodStartNs, periodEndNs, windowStartNs: SimTimeNs
    public var days: [Day]
    /// Accelerators in service in the window.
    public var accelerators: Int
    /// Each pool's accelerators in service in the window (in the cluster's pool order; empty
    /// when the days keep no pools).
    public var poolAccelerators: [Int] = []
    /// Over the sample's run (its services' expected attainment); NaN without services.
    public var sloAttainment: Double
    /// The 99th percentile of the waits of the batch jobs submitted in the window (NaN without jobs).
    public var waitP99S: Double
    /// Windows whose days `days` pools, in order, as many days each (1: one window).
    public var windows = 1
    /// A sampled period's queue carried in, pool by pool (in the cluster's pool order): the
    /// longest stretch of the pool's demand any of its windows started with, in days (empty:
    /// none, or a job-level run).
    public var carriedQueueDays: [Double] = []

    public init(index: Int, periodStartNs: SimTimeNs, periodEndNs: SimTimeNs, windowStartNs: SimTimeNs, days: [Day], accelerators: Int,
                sloAttainment: Double, waitP99S: Double) {
        self.index = index
        self.periodStartNs = periodStartNs
        self.periodEndNs = periodEndNs
        self.windowStartNs = windowStartNs
        self.days = days
        self.accelerators = accelerators
        self.sloAttainment = sloAttainment
        self.waitP99S = waitP99S
    }

    /// Mean and 95% half-width of `values`.
    static func meanCI(_ values: [Double]) -> (mean: Double, ci95: Double) {
        let n = values.count
        guard n > 0 else { return (.nan, .nan) }
        let mean = values.reduce(0, +) / Double(n)
        guard n > 1 else { return (mean, .nan) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        return (mean, studentT975(degrees: n - 1) * (variance / Double(n)).squareRoot())
    }

    /// The 97.5% quantile of Student's t (two-sided 95%), tabulated to 30 degrees of freedom.
    static func studentT975(degrees k: Int) -> Double {
        let table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                     2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        return k >= 1 && k <= 30 ? table[k - 1] : 1.960
    }

    /// The days of each window (one group of all days unless the period pooled two or more
    /// windows of as many days each).
    var windowDays: [ArraySlice<Day>] {
        guard windows >= 2, !days.isEmpty, days.count % windows == 0 else { return [days[...]] }
        let n = days.count / windows
        return (0..<windows).map { days[$0 * n..<($0 + 1) * n] }
    }

    /// The mean of `value` over the days, with the half-width from the windows' means when
    /// there are two or more windows, else from the daily means.
    func meanCI(_ value: (Day) -> Double) -> (mean: Double, ci95: Double) {
        let daily = Self.meanCI(days.map(value))
        let groups = windowDays
        guard groups.count >= 2 else { return daily }
        return (daily.mean, Self.meanCI(groups.map { g in g.reduce(0) { $0 + value($1) } / Double(g.count) }).ci95)
    }

    public var offeredLoad: (mean: Double, ci95: Double) { meanCI(\.offeredLoad) }
    public var utilization: (mean: Double, ci95: Double) { meanCI(\.utilization) }
    public var jobsPerDay: (mean: Double, ci95: Double) { meanCI { Double($0.jobsSubmitted) } }
    public var energyKWhPerDay: (mean: Double, ci95: Double) { meanCI(\.energyKWh) }
    /// Batch jobs waiting, on average.
    public var queuedJobs: (mean: Double, ci95: Double) { meanCI(\.queuedJobs) }

    /// The pools the days keep (0 when they keep none).
    public var poolCount: Int { max(poolAccelerators.count, days.map(\.pools.count).max() ?? 0) }

    /// Pool `p`'s figures over the same days and windows (its jobs, offered load, utilisation,
    /// waits and queue over its own accelerators; no energy, cost, SLO attainment or p99 wait).
    public func pool(_ p: Int) -> PeriodFigures {
        let none = Day(jobsSubmitted: 0, offeredLoad: 0, utilization: 0, waitSumS: 0, waits: 0, energyKWh: 0)
        var f = PeriodFigures(index: index, periodStartNs: periodStartNs, periodEndNs: periodEndNs, windowStartNs: windowStartNs,
                              days: days.map { p < $0.pools.count ? $0.pools[p] : none },
                              accelerators: p < poolAccelerators.count ? poolAccelerators[p] : 0, sloAttainment: .nan, waitP99S: .nan)
        f.windows = windows
        return f
    }

    /// The pools that had accelerators or batch jobs in the period, by index, with their figures.
    public var activePools: [(index: Int, figures: PeriodFigures)] {
        (0..<poolCount).map { ($0, pool($0)) }.filter { $0.1.accelerators > 0 || $0.1.days.contains { $0.jobsSubmitted > 0 } }
    }
    /// The cost per day (nil without `power`).
    public var costPerDay: (mean: Double, ci95: Double)? {
        days.allSatisfy { $0.cost != nil } && !days.isEmpty ? meanCI { $0.cost! } : nil
    }
    /// Mean wait of the windows' jobs, and the half-width from the windows' mean waits (two or
    /// more windows) or the days' (one).
    public var waitMeanS: (mean: Double, ci95: Double) {
        func mean(_ d: ArraySlice<Day>) -> Double? {
            let n = d.reduce(0) { $0 + $1.waits }
            return n > 0 ? d.reduce(0) { $0 + $1.waitSumS } / Double(n) : nil
        }
        let groups = windowDays
        let spread = groups.count >= 2 ? groups.compactMap(mean) : days.compactMap { $0.waits > 0 ? $0.waitSumS / Double($0.waits) : nil }
        return (mean(days[...]) ?? .nan, Self.meanCI(spread).ci95)
    }
}
