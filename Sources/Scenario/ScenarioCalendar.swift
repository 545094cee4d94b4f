import SimKernel

/// Where a sampled run's sample sits in the scenario's calendar: its time 0 is `offsetDays`
/// after the scenario's; through its first `warmupDays` its demand follows the scenario's
/// growth and season on those dates, then it is the period `[periodFromDay, periodToDay)`'s
/// mean (growth and season held at their mean over the period; the daily and weekly cycles go
/// on throughout).
public struct SampleWindow: Sendable, Equatable {
    public var offsetDays: Int
    public var periodFromDay: Int
    public var periodToDay: Int
    public var warmupDays: Int
    /// The queue the center carried in at the sample's start, pool by pool (in the cluster's
    /// pool order): how long a stretch of each pool's demand is submitted at time 0 (empty or
    /// 0: none).
    public var backlogNs: [SimTimeNs] = []
    /// The end of the measured window (sample time; nil: the horizon). The run goes on after
    /// it, at the window's demand, until every job submitted before it has started (at most to
    /// the horizon), so the window's waits are whole, not cut at its end.
    public var windowEndNs: SimTimeNs?

    public init(offsetDays: Int, periodFromDay: Int, periodToDay: Int, warmupDays: Int = 0) {
        self.offsetDays = offsetDays
        self.periodFromDay = periodFromDay
        self.periodToDay = periodToDay
        self.warmupDays = warmupDays
    }
}

/// A calendar date written `YYYY-MM-DD`.
public struct DateSpec: Codable, Sendable, Equatable {
    public var date: CivilDate

    public init(_ date: CivilDate) { self.date = date }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = CivilDate(text) else {
            throw decoder.scenarioError("\(decoder.scenarioPath) must be a date YYYY-MM-DD, got '\(text)'")
        }
        date = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(date.description)
    }
}
