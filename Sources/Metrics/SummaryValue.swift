/// A value in a summary.
public enum SummaryValue: Sendable, Equatable {
    case integer(Int64)
    case unsigned(UInt64)
    case real(Double)
    case text(String)
    /// Nested figures, in a fixed key order.
    case object([(String, SummaryValue)])

    public static func == (a: SummaryValue, b: SummaryValue) -> Bool {
        switch (a, b) {
        case let (.integer(x), .integer(y)): return x == y
        case let (.unsigned(x), .unsigned(y)): return x == y
        case let (.real(x), .real(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.text(x), .text(y)): return x == y
        case let (.object(x), .object(y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }
}
