/// Simulated time: signed 64-bit integer nanoseconds since the start of a run (292 years of range).
public typealias SimTimeNs = Int64

/// Conversions between simulated time and physical quantities.
///
/// Every conversion of a continuous amount into nanoseconds goes through ``durationNs(work:ratePerNs:)``
/// or ``ns(seconds:)`` so rounding happens once, in one place, always upward for durations.
public enum SimTime {
    public static let nsPerUs: Int64 = 1_000
    public static let nsPerMs: Int64 = 1_000_000
    public static let nsPerSecond: Int64 = 1_000_000_000
    public static let nsPerMinute: Int64 = 60 * nsPerSecond
    public static let nsPerHour: Int64 = 60 * nsPerMinute
    public static let nsPerDay: Int64 = 24 * nsPerHour
    /// The largest representable time; used as "never".
    public static let never: SimTimeNs = .max

    /// Time to do `work` units at `ratePerNs` units per nanosecond, rounded up to whole nanoseconds.
    /// A result within a relative 1e-12 of an integer is taken as that integer, so that
    /// floating-point noise never adds a nanosecond to an exact duration.
    @inlinable
    public static func durationNs(work: Double, ratePerNs: Double) -> SimTimeNs {
        precondition(ratePerNs > 0, "durationNs needs a positive rate")
        if !(work > 0) { return 0 }  // NaN included
        let exact = work / ratePerNs
        let nearest = exact.rounded()
        let rounded = abs(exact - nearest) <= exact * 1e-12 ? nearest : exact.rounded(.up)
        return rounded < Double(Int64.max / 2) ? Int64(rounded) : never  // infinity and NaN included
    }

    /// Seconds (a sampled or configured duration) to nanoseconds, rounded up, clamped at zero.
    @inlinable
    public static func ns(seconds: Double) -> SimTimeNs {
        durationNs(work: max(0, seconds) * 1e9, ratePerNs: 1)
    }

    /// Nanoseconds to seconds, for reporting.
    @inlinable
    public static func seconds(_ ns: SimTimeNs) -> Double { Double(ns) / 1e9 }
}
