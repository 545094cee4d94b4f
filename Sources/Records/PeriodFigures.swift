import SimKernel

/// One period's figures from its sample: each the mean over the measured window's days, with
/// the 95% confidence half-width of the daily batch means (Student's t with days − 1 degrees
/// of freedom). Days of one window are correlated (a queue carries over midnight), so the
/// half-width is a guide, not a guarantee; docs/lifecycle.md says when sampling is valid.
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
        /// What the day cost (energy at its tariff and the fixed costs of what was in the
        /// center), in the price list's currency; nil without `power`.
        public var cost: Double?
    }

    public var index: Int
    public var periodStartNs, periodEndNs, windowStartNs: SimTimeNs
    public var days: [Day]
    /// Accelerators in service in the window.
    public var accelerators: Int
    /// Over the sample's run (its services' expected attainment); NaN without services.
    public var sloAttainment: Double
    /// The 99th percentile of the waits of the batch jobs submitted in the window (NaN without jobs).
    public var waitP99S: Double

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

    public var offeredLoad: (mean: Double, ci95: Double) { Self.meanCI(days.map(\.offeredLoad)) }
    public var utilization: (mean: Double, ci95: Double) { Self.meanCI(days.map(\.utilization)) }
    public var jobsPerDay: (mean: Double, ci95: Double) { Self.meanCI(days.map { Double($0.jobsSubmitted) }) }
    public var energyKWhPerDay: (mean: Double, ci95: Double) { Self.meanCI(days.map(\.energyKWh)) }
    /// The cost per day (nil without `power`).
    public var costPerDay: (mean: Double, ci95: Double)? {
        days.allSatisfy { $0.cost != nil } && !days.isEmpty ? Self.meanCI(days.map { $0.cost! }) : nil
    }
    /// Mean wait of the window's jobs, and the half-width from the days' mean waits.
    public var waitMeanS: (mean: Double, ci95: Double) {
        let n = days.reduce(0) { $0 + $1.waits }
        let mean = n > 0 ? days.reduce(0) { $0 + $1.waitSumS } / Double(n) : .nan
        return (mean, Self.meanCI(days.filter { $0.waits > 0 }.map { $0.waitSumS / Double($0.waits) }).ci95)
    }
}
