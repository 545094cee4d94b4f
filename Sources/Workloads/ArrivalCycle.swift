import SimKernel

/// Diurnal and weekly cycles of demand: a multiplier per hour of day and per day of week, each
/// normalised to mean 1, so a source's mean rate over a week is its base rate; and, over a
/// longer run, the application's trend (growth and season, ``DemandTrend``) on top. Time 0 is
/// 00:00 of a Monday, or of the scenario's start date (`weekdayOfDay0`).
public struct ArrivalCycle: Sendable, Equatable {
    /// 24 multipliers, hour 0 first, mean 1.
    public let hourly: [Double]
    /// 7 multipliers, Monday first, mean 1.
    public let daily: [Double]
    /// The largest multiplier, the envelope for thinning.
    public let peak: Double
    /// Growth and season by day of the run (nil: none).
    public let trend: DemandTrend?
    /// Day of the week of the run's day 0 (Monday 0).
    public let weekdayOfDay0: Int

    public init(diurnal: [Double], weekly: [Double]) {
        precondition(diurnal.count == 24 && weekly.count == 7, "a cycle has 24 hourly and 7 daily values")
        func normalised(_ v: [Double]) -> [Double] {
            let m = v.reduce(0, +) / Double(v.count)
            return m > 0 ? v.map { $0 / m } : v.map { _ in 1 }
        }
        hourly = normalised(diurnal)
        daily = normalised(weekly)
        peak = hourly.max()! * daily.max()!
        trend = nil
        weekdayOfDay0 = 0
    }

    private init(hourly: [Double], daily: [Double], trend: DemandTrend?, weekdayOfDay0: Int) {
        self.hourly = hourly
        self.daily = daily
        self.trend = trend
        self.weekdayOfDay0 = weekdayOfDay0
        peak = hourly.max()! * daily.max()! * (trend?.peak ?? 1)
    }

    /// This cycle with `trend` on top, its day 0 falling on `weekday` (Monday 0).
    public func with(trend: DemandTrend?, weekdayOfDay0 weekday: Int) -> ArrivalCycle {
        ArrivalCycle(hourly: hourly, daily: daily, trend: trend, weekdayOfDay0: weekday)
    }

    /// No cycle: demand is the same at every hour.
    public static let flat = ArrivalCycle(diurnal: Array(repeating: 1, count: 24), weekly: Array(repeating: 1, count: 7))

    /// The multiplier at time `tNs`.
    @inlinable
    public func multiplier(atNs tNs: SimTimeNs) -> Double {
        let hour = Int((tNs / 3_600_000_000_000) % 24)
        let dayOfRun = Int(tNs / 86_400_000_000_000)
        let m = hourly[hour] * daily[(dayOfRun + weekdayOfDay0) % 7]
        guard let trend else { return m }
        return m * trend.factor(day: dayOfRun)
    }
}

/// Non-homogeneous Poisson arrivals with rate `baseRatePerNs × cycle(t)`, by thinning
/// (Lewis and Shedler): candidates at the peak rate, each kept with probability cycle(t)/peak.
public struct CycledPoissonArrivals: Sendable {
    public let baseRatePerNs: Double
    public let cycle: ArrivalCycle

    public init(baseRatePerNs: Double, cycle: ArrivalCycle) {
        self.baseRatePerNs = baseRatePerNs
        self.cycle = cycle
    }

    /// The first arrival after `tNs`, or nil if it would be after `horizonNs`.
    public func next(after tNs: SimTimeNs, horizonNs: SimTimeNs, stream: RandomStream) -> SimTimeNs? {
        guard baseRatePerNs > 0 else { return nil }
        let meanGapNs = 1 / (baseRatePerNs * cycle.peak)
        var t = tNs
        while true {
            let gap = SimTime.durationNs(work: stream.exponential(mean: meanGapNs), ratePerNs: 1)
            guard t <= horizonNs &- gap else { return nil }
            t += gap
            if stream.uniform() * cycle.peak < cycle.multiplier(atNs: t) { return t }
        }
    }
}
