import Foundation
import SimKernel

/// A physical dimension whose quantities are written with units in scenarios and parsed once
/// into integer base units.
public protocol UnitDimension: Sendable {
    /// Human name for errors ("a duration").
    static var what: String { get }
    /// Example for errors ("30s").
    static var example: String { get }
    /// Unit suffixes and how many base units each is worth, canonical (largest first) order.
    static var units: [(suffix: String, factor: Double)] { get }
    /// Base unit name ("ns").
    static var baseUnit: String { get }
    /// The largest value accepted, in base units (see `InputLimits`).
    static var maxBaseUnits: Double { get }
}

extension UnitDimension {
    /// Quantities are held in `Int64` base units.
    public static var maxBaseUnits: Double { 9e18 }
}

/// Time; base unit nanoseconds.
public enum TimeUnit: UnitDimension {
    public static var maxBaseUnits: Double { Double(InputLimits.maxTimeNs) }
    public static let what = "a duration"
    public static let example = "30s"
    public static let baseUnit = "ns"
    public static let units: [(suffix: String, factor: Double)] = [
        ("y", 31_536_000e9), ("w", 604_800e9), ("d", 86_400e9), ("h", 3_600e9), ("min", 60e9), ("m", 60e9), ("s", 1e9),
        ("ms", 1e6), ("us", 1e3), ("µs", 1e3), ("ns", 1),
    ]
}

/// Data size; base unit bytes.
public enum ByteUnit: UnitDimension {
    public static var maxBaseUnits: Double { Double(InputLimits.maxBytes) }
    public static let what = "a data size"
    public static let example = "80GiB"
    public static let baseUnit = "B"
    public static let units: [(suffix: String, factor: Double)] = [
        ("PiB", 1_125_899_906_842_624), ("TiB", 1_099_511_627_776), ("GiB", 1_073_741_824),
        ("MiB", 1_048_576), ("KiB", 1024),
        ("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3), ("KB", 1e3), ("B", 1),
    ]
}

/// Bandwidth; base unit bits per second.
public enum BandwidthUnit: UnitDimension {
    public static let what = "a bandwidth"
    public static let example = "400Gbps"
    public static let baseUnit = "bps"
    public static let units: [(suffix: String, factor: Double)] = [
        ("Tbps", 1e12), ("Gbps", 1e9), ("Mbps", 1e6), ("Kbps", 1e3), ("kbps", 1e3), ("bps", 1),
        ("TB/s", 8e12), ("GB/s", 8e9), ("MB/s", 8e6),
    ]
}

/// Compute throughput; base unit FLOP per second.
public enum FlopsUnit: UnitDimension {
    public static let what = "a compute throughput"
    public static let example = "989TFLOPS"
    public static let baseUnit = "FLOPS"
    public static let units: [(suffix: String, factor: Double)] = [
        ("EFLOPS", 1e18), ("PFLOPS", 1e15), ("TFLOPS", 1e12), ("GFLOPS", 1e9), ("MFLOPS", 1e6), ("FLOPS", 1),
    ]
}

/// Electric power; base unit watts.
public enum PowerUnit: UnitDimension {
    public static let what = "a power"
    public static let example = "20MW"
    public static let baseUnit = "W"
    public static let units: [(suffix: String, factor: Double)] = [("GW", 1e9), ("MW", 1e6), ("kW", 1e3), ("W", 1)]
}

/// Parsing and formatting of quantities with units.
public enum Quantities {
    /// Parses `text` (a number, optional spaces, a unit) into base units, as a real number.
    /// Returns an error message (without location) on failure.
    public static func parse<U: UnitDimension>(_ text: String, as unit: U.Type) -> Result<Double, QuantityError> {
        let t = text.trimmingCharacters(in: .whitespaces)
        // Split at the first character that cannot belong to a number.
        var numberEnd = t.startIndex
        var seenDigit = false
        var i = t.startIndex
        while i < t.endIndex {
            let c = t[i]
            if c.isNumber { seenDigit = true } else if c == "." || c == "+" || c == "-" {
            } else if (c == "e" || c == "E"), seenDigit, let n = t.index(i, offsetBy: 1, limitedBy: t.endIndex), n < t.endIndex,
                      t[n].isNumber || t[n] == "-" || t[n] == "+" {
            } else { break }
            i = t.index(after: i)
            numberEnd = i
        }
        let numberText = String(t[..<numberEnd])
        let suffix = String(t[numberEnd...]).trimmingCharacters(in: .whitespaces)
        guard seenDigit, let value = Double(numberText), value.isFinite else {
            return .failure(.notANumber)
        }
        if suffix.isEmpty && !U.units.contains(where: { $0.suffix.isEmpty }) { return .failure(.missingUnit) }
        guard let u = U.units.first(where: { $0.suffix == suffix }) else { return .failure(.badUnit(suffix)) }
        return .success(value * u.factor)
    }

    /// The list of accepted unit suffixes, for messages.
    public static func unitList<U: UnitDimension>(_ unit: U.Type) -> String {
        U.units.map(\.suffix).joined(separator: ", ")
    }

    /// A canonical, round-trippable text for `base` base units: the largest unit that divides it
    /// exactly, else the base unit.
    public static func format<U: UnitDimension>(_ base: Double, as unit: U.Type) -> String {
        for u in U.units where u.factor > 1 && base != 0 {
            let v = base / u.factor
            if v == v.rounded(), abs(v) < 1e15 { return "\(Int64(v))\(u.suffix)" }
        }
        if base == base.rounded(), abs(base) < 9e18 { return "\(Int64(base))\(U.baseUnit)" }
        return "\(base)\(U.baseUnit)"
    }
}

/// Why a quantity did not parse.
public enum QuantityError: Error, Equatable, Sendable {
    case notANumber
    case missingUnit
    case badUnit(String)
}

/// Plain numbers (counts, ratios): no unit is allowed.
public enum CountUnit: UnitDimension {
    public static var maxBaseUnits: Double { InputLimits.maxCount }
    public static let what = "a number"
    public static let example = "8"
    public static let baseUnit = ""
    public static let units: [(suffix: String, factor: Double)] = []
}

/// Large counts (parameters, tokens, samples): a plain number or one with a decimal suffix
/// `K`, `M`, `B` (billion) or `T` (`175B`, `300B`, `1.2M`).
public enum ScaleUnit: UnitDimension {
    public static var maxBaseUnits: Double { InputLimits.maxCount }
    public static let what = "a count"
    public static let example = "175B"
    public static let baseUnit = ""
    public static let units: [(suffix: String, factor: Double)] = [
        ("T", 1e12), ("B", 1e9), ("G", 1e9), ("M", 1e6), ("K", 1e3), ("k", 1e3), ("", 1),
    ]
}

/// An amount of computation; base unit one floating-point operation.
public enum FlopUnit: UnitDimension {
    public static let what = "an amount of computation"
    public static let example = "495GFLOP"
    public static let baseUnit = "FLOP"
    public static let units: [(suffix: String, factor: Double)] = [
        ("EFLOP", 1e18), ("PFLOP", 1e15), ("TFLOP", 1e12), ("GFLOP", 1e9), ("MFLOP", 1e6), ("kFLOP", 1e3), ("FLOP", 1),
    ]
}

/// A large count in base units (see ``ScaleUnit``).
public typealias CountQuantity = Quantity<ScaleUnit>
/// An amount of computation in FLOP.
public typealias FlopQuantity = Quantity<FlopUnit>
