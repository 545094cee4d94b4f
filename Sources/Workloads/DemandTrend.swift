import Foundation
import SimKernel

/// How an application's demand grows over the years, as a factor of its rate at the start of
/// the run (1 at time 0).
public enum GrowthPath: Sendable, Equatable {
    /// No growth.
    case none
    /// Compound annual growth: the factor after `t` years is `(1 + annualRate)^t`.
    case compound(annualRate: Double)
    /// Adoption (an S-curve): a logistic in time, rising from 1 at the start towards
    /// `saturation`, half-way at `midpointDays` (of the logistic), `widthDays` its scale (the
    /// curve goes from 27% to 73% of its rise in two widths).
    case adoption(saturation: Double, midpointDays: Double, widthDays: Double)
    /// A factor per quarter (quarters of 365/4 days from the start); the last holds after the table.
    case quarterly([Double])

    /// Days in a year for growth rates (a year of the scenario's units, `1y` = 365 d).
    public static let yearDays = 365.0

    /// The factor at `days` after the start.
    public func factor(atDays days: Double) -> Double {
        switch self {
        case .none: return 1
        case .compound(let g): return pow(1 + g, days / Self.yearDays)
        case .adoption(let s, let mid, let width):
            func logistic(_ t: Double) -> Double { 1 / (1 + exp(-(t - mid) / width)) }
            let l0 = logistic(0)
            return 1 + (s - 1) * (logistic(days) - l0) / (1 - l0)
        case .quarterly(let table):
            let q = Int((days / (Self.yearDays / 4)).rounded(.down))
            return table[min(max(0, q), table.count - 1)]
        }
    }
}

/// Demand over the year on top of the daily and weekly cycles: a multiplier per month of the
/// year (normalised to mean 1, so it shapes demand without changing its annual mean), and
/// holidays during which demand is multiplied by their factor.
public struct Seasonality: Sendable, Equatable {
    /// 12 multipliers, January first, mean 1.
    public let monthly: [Double]
    public let holidays: [Holiday]

    /// Days with their own demand: the same month-days every year (`year` nil), or one year's.
    public struct Holiday: Sendable, Equatable {
        public var year: Int?
        public var firstMonth: Int, firstDay: Int
        public var lastMonth: Int, lastDay: Int
        public var factor: Double

        public init(year: Int?, firstMonth: Int, firstDay: Int, lastMonth: Int, lastDay: Int, factor: Double) {
            self.year = year
            self.firstMonth = firstMonth
            self.firstDay = firstDay
            self.lastMonth = lastMonth
            self.lastDay = lastDay
            self.factor = factor
        }

        /// Whether `date` falls in it (a span may cross the new year: 12-30 to 01-02).
        public func contains(_ date: CivilDate) -> Bool {
            if let y = year, y != date.year { return false }
            let md = (date.month, date.day), a = (firstMonth, firstDay), b = (lastMonth, lastDay)
            return a <= b ? (a <= md && md <= b) : (md >= a || md <= b)
        }
    }

    public init(monthly: [Double], holidays: [Holiday] = []) {
        precondition(monthly.count == 12, "a season has 12 monthly values")
        let m = monthly.reduce(0, +) / 12
        self.monthly = m > 0 ? monthly.map { $0 / m } : monthly.map { _ in 1 }
        self.holidays = holidays
    }

    /// The multiplier on `date`: its month's, times the first holiday's that contains it.
    public func factor(on date: CivilDate) -> Double {
        monthly[date.month - 1] * (holidays.first { $0.contains(date) }?.factor ?? 1)
    }
}

/// An application's demand over the run's calendar, day by day: its growth path times its
/// season. The factor is constant over each day (evaluated at the day's middle), so a rate
/// that also follows the hourly cycle is piecewise constant by the hour. Days are counted from
/// the run's time 0, which is `start` (when the scenario has a start date) plus `offsetDays`
/// (a sampled run that starts later in the calendar).
public struct DemandTrend: Sendable, Equatable {
    /// Factor per day of the run, day 0 first; the last holds after the table.
    public let dayFactors: [Double]
    /// The largest factor over the table (the thinning envelope).
    public let peak: Double

    /// The trend over `days` days of `growth` and `season` (on a calendar starting on `start`;
    /// needed for a season), the run's day 0 being `offsetDays` after the start.
    public init(growth: GrowthPath, season: Seasonality?, start: CivilDate?, days: Int, offsetDays: Int = 0) {
        precondition(season == nil || start != nil, "a season needs a start date")
        let n = max(1, days)
        var f: [Double] = []
        f.reserveCapacity(n)
        for d in 0..<n {
            var x = growth.factor(atDays: Double(d + offsetDays) + 0.5)
            if let season, let start { x *= season.factor(on: start.adding(days: d + offsetDays)) }
            f.append(x)
        }
        dayFactors = f
        peak = f.max() ?? 1
    }

    /// A trend of the given day factors, the last holding after them (a sample: its warm-up
    /// days' own factors, then its period's mean; one factor: a constant trend).
    public init(dayFactors factors: [Double]) {
        precondition(!factors.isEmpty, "a trend needs a factor")
        dayFactors = factors
        peak = factors.max()!
    }

    /// The factor on day `day` of the run.
    @inlinable
    public func factor(day: Int) -> Double { dayFactors[min(day, dayFactors.count - 1)] }

    /// The mean factor over days `[from, to)` of the run.
    public func mean(fromDay a: Int, toDay b: Int) -> Double {
        guard b > a else { return factor(day: a) }
        return (a..<b).reduce(0) { $0 + factor(day: $1) } / Double(b - a)
    }
}
