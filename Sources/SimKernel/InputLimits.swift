/// The largest values ICCSim accepts from its users (scenarios, flags, trace files). They are
/// far beyond any real center, and small enough that no later arithmetic on them overflows:
/// a time plus a duration stays within `Int64` nanoseconds, a job's accelerators fit `Int32`
/// with room for sums over a pool, and products such as servers × memory fit `Int64`. Input
/// beyond them is bad input, reported where it was written, never a trap.
public enum InputLimits {
    /// The longest time or duration: 100 years, in nanoseconds.
    public static let maxTimeNs: Int64 = 3_155_760_000_000_000_000  // 100 Julian years
    /// The same in seconds.
    public static let maxSeconds: Double = Double(maxTimeNs) / 1e9
    /// Accelerators in one center (2^24), and so in one job.
    public static let maxAccelerators = 1 << 24
    /// Servers in one server group (2^20).
    public static let maxServers = 1 << 20
    /// Accelerators in one server.
    public static let maxAcceleratorsPerServer = 1024
    /// Bytes in one quantity (2^62, 4 EiB).
    public static let maxBytes: Int64 = 1 << 62
    /// Tokens of one request (prompt or output).
    public static let maxTokens: Double = 1e9
    /// Any other count or rate written by a user (jobs per day, samples, parameters).
    public static let maxCount: Double = 1e18
}

extension FixedWidthInteger {
    /// `value` rounded toward zero and clamped to the type's range (NaN becomes 0): for derived
    /// figures (a count of checkpoints, of replicas) that extreme but accepted inputs can push
    /// past what the type holds.
    @inlinable
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= Double(Self.max) {
            self = .max
        } else if value <= Double(Self.min) {
            self = .min
        } else {
            self.init(value)
        }
    }
}
