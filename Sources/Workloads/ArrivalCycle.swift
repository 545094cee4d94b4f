import SimKernel

/// Diurnal and weekly cycles of demand: a multiplier per hour of day and per day of week, each
/// normalised to mean 1, so a source's mean rate over a week is its base rate. Time 0 is
/// Monday 00:00.
public struct ArrivalCycle: Sendable, Equatable {
    /// 24 multipliers, hour 0 first, mean 1.
    public let hourly: [Double]
    /// 7 multipliers, Monday first, mean 1.
    public let daily: [Double]
    /// The largest multiplier, the envelope for thinning.
    public let peak: Double

    public init(diurnal: [Double], weekly: [Double]) {
        precondition(diurnal.count == 24 && weekly.count == 7, "a cycle has 24 hourly and 7 daily values")
        func normalised(_ v: [Double]) -> [Double] {
            let m = v.reduce(0, +) / Double(v.count)
            return m > 0 ? v.map { $0 / m } : v.map { _ in 1 }
        }
        hourly = normalised(diurnal)
        daily = normalised(weekly)
        peak = hourly.max()! * daily.max()!
    }

    /// No cycle: demand is the same at every hour.
    public static let flat = ArrivalCycle(diurnal: Array(repeating: 1, count: 24), weekly: Array(repeating: 1, count: 7))

    /// The multiplier at time `tNs`.
    @inlinable
    public func multiplier(atNs tNs: SimTimeNs) -> Double {
        let hour = Int((tNs / 3_600_000_000_000) % 24)
        let day = Int((tNs / 86_400_000_000_000) % 7)
        return hourly[hour] * daily[day]
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
