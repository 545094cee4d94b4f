/// A non-negative quantity written with a unit in a scenario (`2us`, `400Gbps`, `80GiB`,
/// `989TFLOPS`), held as an integer number of base units (ns, bytes, bit/s, FLOP/s).
public struct Quantity<U: UnitDimension>: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// The value in base units.
    public var baseUnits: Int64

    public init(baseUnits: Int64) { self.baseUnits = baseUnits }

    public static func < (a: Self, b: Self) -> Bool { a.baseUnits < b.baseUnits }

    /// Canonical text, e.g. `90min` → `90min`, `5400s` → `90min`.
    public var description: String { Quantities.format(Double(baseUnits), as: U.self) }
}

/// A duration in nanoseconds.
public typealias TimeQuantity = Quantity<TimeUnit>
/// A data size in bytes.
public typealias ByteQuantity = Quantity<ByteUnit>
/// A bandwidth in bit/s.
public typealias BandwidthQuantity = Quantity<BandwidthUnit>
/// A compute throughput in FLOP/s.
public typealias FlopsQuantity = Quantity<FlopsUnit>
/// An electric power in watts.
public typealias PowerQuantity = Quantity<PowerUnit>

/// A duration kept to a fraction of a nanosecond (`936.25ns`): a link's per-step latency, which
/// a collective adds up 2(p−1) times before the sum becomes a time of the simulation and is
/// rounded to a whole nanosecond once. Other durations are whole nanoseconds (``TimeQuantity``).
public struct FineTimeQuantity: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The value in nanoseconds, as written (not rounded).
    public var nanoseconds: Double

    public init(nanoseconds: Double) { self.nanoseconds = nanoseconds }

    public init(from decoder: any Decoder) throws {
        nanoseconds = try decodeQuantityValue(TimeUnit.self, from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Canonical text: `5us`, `936.25ns`.
    public var description: String { Quantities.format(nanoseconds, as: TimeUnit.self) }
}

extension Quantity: Codable {
    public init(from decoder: any Decoder) throws {
        let value = try decodeQuantityValue(U.self, from: decoder)
        self.baseUnits = Int64(value.rounded())
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Decodes one non-negative quantity of dimension `U` in base units (a real number) no larger
/// than `U.maxBaseUnits`, with located errors for a missing or bad unit.
func decodeQuantityValue<U: UnitDimension>(_ unit: U.Type, from decoder: any Decoder) throws -> Double {
    let v = try decodeUncheckedQuantityValue(U.self, from: decoder)
    guard v <= U.maxBaseUnits else {
        let limit = U.units.isEmpty ? String(format: "%.0e", U.maxBaseUnits) : Quantities.format(U.maxBaseUnits.rounded(.down), as: U.self)
        throw decoder.scenarioError("\(decoder.scenarioPath) is too large: at most \(limit)")
    }
    return v
}

private func decodeUncheckedQuantityValue<U: UnitDimension>(_ unit: U.Type, from decoder: any Decoder) throws -> Double {
    let c = try decoder.singleValueContainer()
    let path = decoder.scenarioPath
    let text: String
    if U.units.isEmpty {
        let v = try c.decode(Double.self)
        guard v >= 0 else { throw decoder.scenarioError("\(path) must not be negative, got \(v)") }
        return v
    }
    text = try c.decode(String.self)
    switch Quantities.parse(text, as: U.self) {
    case .success(let v):
        guard v >= 0 else { throw decoder.scenarioError("\(path) must not be negative, got '\(text)'") }
        return v
    case .failure(.missingUnit):
        throw decoder.scenarioError("missing unit in '\(text)' for \(path): expected \(U.what) such as '\(U.example)' (units: \(Quantities.unitList(U.self)))")
    case .failure(.badUnit(let u)):
        throw decoder.scenarioError("bad unit '\(u)' in '\(text)' for \(path): expected \(U.what) such as '\(U.example)' (units: \(Quantities.unitList(U.self)))")
    case .failure(.notANumber):
        throw decoder.scenarioError("expected \(U.what) such as '\(U.example)' for \(path), found '\(text)'")
    }
}
