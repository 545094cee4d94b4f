import SimKernel
import Workloads

/// A growth rate written as a fraction (`0.4`) or a percentage (`40%`).
struct Percentage: Decodable {
    var value: Double

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self).replacingOccurrences(of: "_", with: "")
        let isPercent = text.hasSuffix("%")
        guard let v = Double(isPercent ? String(text.dropLast()) : text), v.isFinite else {
            throw decoder.scenarioError("\(decoder.scenarioPath) expected a fraction (0.4) or a percentage (40%), found '\(text)'")
        }
        value = isPercent ? v / 100 : v
    }
}

extension KeyedDecodingContainer {
    /// A compound yearly rate at `key` (a fraction or a percentage): above −100% and at most
    /// 10000%, else an error at the value naming `path.key` (and `why`).
    func yearlyRate(_ key: Key, path: String, why: String = "") throws -> Double {
        let g = try decode(Percentage.self, forKey: key).value
        guard g > -1, g <= 100 else {
            throw try superDecoder(forKey: key).scenarioError(
                "\(path).\(key.stringValue) must be above -100%\(why) and at most 10000% a year, got \(GrowthSpec.percent(g))")
        }
        return g
    }
}

/// An application's demand growth over the years (`growth`): one of `cagr` (compound annual
/// growth, `40%`), `adoption` (an S-curve towards a saturation factor) or `quarterly` (a factor
/// per quarter from the start). See ``GrowthPath``.
public struct GrowthSpec: Codable, Sendable, Equatable {
    public var path: GrowthPath
    /// Where the rate comes from.
    public var source: String

    enum CodingKeys: String, CodingKey, CaseIterable { case cagr, adoption, quarterly, source }
    enum AdoptionKeys: String, CodingKey, CaseIterable { case saturation, midpoint, width }

    public init(path: GrowthPath, source: String = "") {
        self.path = path
        self.source = source
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decode(String.self, forKey: .source, default: "")
        let given = [CodingKeys.cagr, .adoption, .quarterly].filter { c.contains($0) }
        guard given.count == 1 else {
            throw decoder.scenarioError("\(decoder.scenarioPath) needs exactly one of cagr (40%), adoption {saturation, midpoint, width} or quarterly [factors]"
                                        + (given.isEmpty ? "" : "; found \(given.map(\.stringValue).joined(separator: " and "))"))
        }
        switch given[0] {
        case .cagr:
            path = .compound(annualRate: try c.yearlyRate(.cagr, path: decoder.scenarioPath, why: " (demand cannot fall below zero)"))
        case .adoption:
            let a = try c.nestedContainer(keyedBy: AdoptionKeys.self, forKey: .adoption)
            let s = try a.decode(Double.self, forKey: .saturation) { $0 > 0 && $0 <= 1e6 ? nil : "must be a positive factor of today's demand (at most 1000000)" }
            let mid = try a.decode(TimeQuantity.self, forKey: .midpoint) { $0.baseUnits >= 0 ? nil : "must not be negative" }
            let width = try a.decode(TimeQuantity.self, forKey: .width) { $0.baseUnits > 0 ? nil : "must be positive" }
            let dayNs = Double(SimTime.nsPerDay)
            path = .adoption(saturation: s, midpointDays: Double(mid.baseUnits) / dayNs, widthDays: Double(width.baseUnits) / dayNs)
        default:
            let q = try c.decode([Double].self, forKey: .quarterly) { v in
                v.isEmpty ? "must list at least one factor" : v.contains { $0 < 0 || $0 > 1e6 } ? "factors must be between 0 and 1000000" : nil
            }
            path = .quarterly(q)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch path {
        case .none: break
        case .compound(let g): try c.encode(Self.percent(g), forKey: .cagr)
        case .adoption(let s, let mid, let width):
            var a = c.nestedContainer(keyedBy: AdoptionKeys.self, forKey: .adoption)
            try a.encode(s, forKey: .saturation)
            try a.encode(TimeQuantity(baseUnits: SimTimeNs((mid * Double(SimTime.nsPerDay)).rounded())), forKey: .midpoint)
            try a.encode(TimeQuantity(baseUnits: SimTimeNs((width * Double(SimTime.nsPerDay)).rounded())), forKey: .width)
        case .quarterly(let q): try c.encode(q, forKey: .quarterly)
        }
        if !source.isEmpty { try c.encode(source, forKey: .source) }
    }

    static func percent(_ g: Double) -> String {
        let p = g * 100
        return p == p.rounded() && abs(p) < 1e15 ? "\(Int64(p))%" : "\(p)%"
    }
}

/// Model generations (`modelGrowth`): the models an application trains grow each year, their
/// parameters and their data each by a compound rate (fractions or percentages above −100%),
/// with the trend's source.
public struct ModelGrowthSpec: Codable, Sendable, Equatable {
    public var parametersPerYear: Double
    public var dataPerYear: Double
    public var source: String

    enum CodingKeys: String, CodingKey, CaseIterable { case parameters, data, source }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        parametersPerYear = c.contains(.parameters) ? try c.yearlyRate(.parameters, path: decoder.scenarioPath) : 0
        dataPerYear = c.contains(.data) ? try c.yearlyRate(.data, path: decoder.scenarioPath) : 0
        source = try c.decode(String.self, forKey: .source, default: "")
        if !c.contains(.parameters) && !c.contains(.data) {
            throw decoder.scenarioError("\(decoder.scenarioPath) needs parameters (a yearly growth such as 30%), data, or both")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(GrowthSpec.percent(parametersPerYear), forKey: .parameters)
        try c.encode(GrowthSpec.percent(dataPerYear), forKey: .data)
        if !source.isEmpty { try c.encode(source, forKey: .source) }
    }
}

/// Demand over the year (`seasonality`): 12 monthly multipliers (January first, normalised to
/// mean 1) and holidays, each a span of days `from`–`to` (`MM-DD` every year, or `YYYY-MM-DD`
/// for one year's) with the factor demand is multiplied by on those days.
public struct SeasonalitySpec: Codable, Sendable, Equatable {
    public var season: Seasonality
    public var holidays: [HolidaySpec]

    enum CodingKeys: String, CodingKey, CaseIterable { case monthly, holidays }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let monthly = try c.decode([Double].self, forKey: .monthly, default: Array(repeating: 1, count: 12))
        if monthly.count != 12 || monthly.contains(where: { $0 < 0 }) || !monthly.contains(where: { $0 > 0 }) {
            throw try c.superDecoder(forKey: .monthly).scenarioError(
                "\(decoder.scenarioPath).monthly needs 12 non-negative numbers (January first, not all zero), found \(monthly.count)")
        }
        holidays = try c.decode([HolidaySpec].self, forKey: .holidays, default: [])
        season = Seasonality(monthly: monthly, holidays: holidays.map(\.holiday))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(season.monthly, forKey: .monthly)
        if !holidays.isEmpty { try c.encode(holidays, forKey: .holidays) }
    }
}

/// One holiday of a season: `{name, from, to, factor}`.
public struct HolidaySpec: Codable, Sendable, Equatable {
    public var name: String
    public var holiday: Seasonality.Holiday

    enum CodingKeys: String, CodingKey, CaseIterable { case name, from, to, factor }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name, default: "")
        func day(_ key: CodingKeys) throws -> (year: Int?, month: Int, day: Int) {
            let text = try c.decode(String.self, forKey: key)
            if let d = CivilDate(text) { return (d.year, d.month, d.day) }
            if let d = CivilDate("2000-" + text) { return (nil, d.month, d.day) }
            throw try c.superDecoder(forKey: key).scenarioError("\(key.stringValue) must be a date MM-DD (every year) or YYYY-MM-DD, got '\(text)'")
        }
        let a = try day(.from), b = try c.contains(.to) ? day(.to) : a
        if (a.year == nil) != (b.year == nil) || (a.year != nil && (a.year!, a.month, a.day) > (b.year!, b.month, b.day)) {
            throw try c.superDecoder(forKey: .to).scenarioError("to must be a date of the same form as from and not before it")
        }
        if let y = a.year, let y2 = b.year, y != y2 {
            throw try c.superDecoder(forKey: .to).scenarioError("a dated holiday must end in the year it starts (write one per year)")
        }
        let factor = try c.decode(Double.self, forKey: .factor) { $0 >= 0 && $0 <= 1e6 ? nil : "must be between 0 and 1000000" }
        holiday = Seasonality.Holiday(year: a.year, firstMonth: a.month, firstDay: a.day, lastMonth: b.month, lastDay: b.day, factor: factor)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func text(_ m: Int, _ d: Int) -> String {
            let md = String(CivilDate(year: 2000, month: m, day: d)!.description.dropFirst(5))
            return holiday.year.map { CivilDate(year: $0, month: m, day: d)!.description } ?? md
        }
        if !name.isEmpty { try c.encode(name, forKey: .name) }
        try c.encode(text(holiday.firstMonth, holiday.firstDay), forKey: .from)
        try c.encode(text(holiday.lastMonth, holiday.lastDay), forKey: .to)
        try c.encode(holiday.factor, forKey: .factor)
    }
}

/// What drives an application's demand in a city (`driver`): the unit (`cameras`,
/// `imagingStudiesPerYear`, `callCentreAgents`, ...), how many of them the application's written
/// rates are for (`reference`), and the source of that factor. With `workload.city` giving the
/// city's count of the unit, the application's rates are multiplied by count / reference.
public struct DriverSpec: Codable, Sendable, Equatable {
    public var unit: String
    public var reference: Double
    public var source: String

    enum CodingKeys: String, CodingKey, CaseIterable { case unit, reference, source }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unit = try c.decode(String.self, forKey: .unit) { isPlainName($0) ? nil : "must be a plain name (letters, digits, '.', '_', '-')" }
        guard c.contains(.reference) else {
            throw decoder.scenarioError("\(decoder.scenarioPath) has no factor: give 'reference', how many \(unit) the application's rates are written for")
        }
        reference = try c.decode(Double.self, forKey: .reference) { $0 > 0 && $0 <= 1e15 ? nil : "must be a positive count (at most 1e15)" }
        source = try c.decode(String.self, forKey: .source, default: "")
    }
}
