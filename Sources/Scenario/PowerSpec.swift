import SimKernel
import Foundation
import Production

/// The facility's power, energy, cost and carbon (`power:`). Absent: the run models none of
/// them (only the accelerators' energy in `delivered`). Every key is described in
/// `docs/scenario-reference.md`.
public struct PowerSpec: Codable, Sendable, Equatable {
    /// The site's climate (a built-in table: `beijing`, `guangzhou`), for a cooling curve.
    public var site: String?
    /// Month and day the run starts (`07-01`, or a full date `2026-07-01`), for the climate and the tariff's hours.
    public var start: String
    /// A fixed PUE (nil: from `cooling`).
    public var pue: Double?
    /// A cooling design whose PUE follows the outdoor temperature (`air`, `liquid`).
    public var cooling: String?
    /// Share of its maximum power (TDP) a busy accelerator draws.
    public var acceleratorDraw: Double
    /// Host power per pool, replacing the server preset's.
    public var hosts: [HostPowerSpec]
    /// Storage servers' power (nil: none, or estimated from `io.storage` by the configuration).
    public var storage: PowerQuantity?
    /// Length of a `/power` row.
    public var interval: TimeQuantity
    /// The site's contracted maximum facility power (nil: none).
    public var cap: PowerQuantity?
    public var capPolicy: CapPolicySpec
    /// How often a capped center looks whether it may raise its accelerators' limit.
    public var capReview: TimeQuantity
    public var tariff: TariffSpec?
    public var carbon: CarbonSpec?
    public var prices: PriceListSpec?

    public enum CapPolicySpec: String, ScenarioEnum, Sendable { case throttle, hold }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case site, start, pue, cooling, acceleratorDraw, hosts, storage, interval, cap, capPolicy, capReview, tariff, carbon, prices
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        site = try c.decodeIfPresent(String.self, forKey: .site)
        if let s = site, ClimateCatalog.named(s) == nil {
            throw try c.superDecoder(forKey: .site).scenarioError(
                "power.site '\(s)' is not a built-in climate; there are \(ClimateCatalog.builtIn.map(\.name).joined(separator: ", "))")
        }
        start = try c.decode(String.self, forKey: .start, default: "01-01") { PowerSpec.dayOfYear($0) == nil ? "must be a date MM-DD or YYYY-MM-DD" : nil }
        pue = try c.decodeIfPresent(Double.self, forKey: .pue)
        if let p = pue, !(p >= 1 && p <= 5) {
            throw try c.superDecoder(forKey: .pue).scenarioError("power.pue must be between 1 and 5 (facility power over IT power), got \(p)")
        }
        cooling = try c.decodeIfPresent(String.self, forKey: .cooling)
        if let k = cooling {
            guard CoolingCurve.named(k) != nil else {
                throw try c.superDecoder(forKey: .cooling).scenarioError("power.cooling must be air or liquid, got '\(k)'")
            }
            guard pue == nil else { throw try c.superDecoder(forKey: .cooling).scenarioError("give power.pue (a fixed PUE) or power.cooling (a PUE over the weather), not both") }
            guard site != nil else { throw try c.superDecoder(forKey: .cooling).scenarioError("power.cooling follows the weather: name the site's climate in power.site") }
        }
        acceleratorDraw = try c.decode(Double.self, forKey: .acceleratorDraw, default: 1) { $0 > 0 && $0 <= 1 ? nil : "must be above 0 and at most 1 (a share of the accelerator's maximum power)" }
        hosts = try c.decode([HostPowerSpec].self, forKey: .hosts, default: [])
        storage = try c.decodeIfPresent(PowerQuantity.self, forKey: .storage)
        interval = try c.decode(TimeQuantity.self, forKey: .interval, default: TimeQuantity(baseUnits: 900_000_000_000)) { $0.baseUnits > 0 ? nil : "must be positive" }
        cap = try c.decodeIfPresent(PowerQuantity.self, forKey: .cap)
        if let k = cap, k.baseUnits <= 0 { throw try c.superDecoder(forKey: .cap).scenarioError("power.cap must be positive, got '\(k)'") }
        capPolicy = try c.decode(CapPolicySpec.self, forKey: .capPolicy, default: .throttle)
        capReview = try c.decode(TimeQuantity.self, forKey: .capReview, default: TimeQuantity(baseUnits: 300_000_000_000)) { $0.baseUnits > 0 ? nil : "must be positive" }
        tariff = try c.decodeIfPresent(TariffSpec.self, forKey: .tariff)
        carbon = try c.decodeIfPresent(CarbonSpec.self, forKey: .carbon)
        prices = try c.decodeIfPresent(PriceListSpec.self, forKey: .prices)
        if let t = tariff, let p = prices, t.currency != p.currency {
            throw try c.superDecoder(forKey: .prices).scenarioError("power.prices are in \(p.currency) but power.tariff is in \(t.currency): use one currency")
        }
    }

    /// Day of the year (0-based, 365-day year; 29 February counts as 28 February) of `text`.
    static func dayOfYear(_ text: String) -> Int? {
        let parts = text.split(separator: "-").map(String.init)
        guard parts.count == 2 || parts.count == 3, let m = Int(parts[parts.count - 2]), let d = Int(parts[parts.count - 1]),
              (1...12).contains(m) else { return nil }
        let days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...days[m - 1]).contains(d) else { return nil }
        if parts.count == 3 { guard let y = Int(parts[0]), y > 0 else { return nil } }
        return Climate.monthStart[m - 1] + min(d, m == 2 ? 28 : d) - 1
    }

    /// The start `text` (`MM-DD` or `YYYY-MM-DD`) moved `days` later, in the same form.
    public static func shifted(_ text: String, byDays days: Int) -> String {
        if let d = CivilDate(text) { return d.adding(days: days).description }
        guard let d = CivilDate("2001-" + text) else { return text }
        return String(d.adding(days: days).description.dropFirst(5))
    }

    /// Hour of the year at which the run starts.
    public var startHourOfYear: Int { (PowerSpec.dayOfYear(start) ?? 0) * 24 }

    /// The PUE model.
    public var coolingCurve: CoolingCurve { cooling.flatMap(CoolingCurve.named) ?? .fixed(pue ?? 1.3) }
}

/// One pool's host power (`power.hosts` item).
public struct HostPowerSpec: Codable, Sendable, Equatable {
    public var pool: String
    public var idle: PowerQuantity
    public var max: PowerQuantity

    enum CodingKeys: String, CodingKey, CaseIterable { case pool, idle, max }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pool = try c.decode(String.self, forKey: .pool)
        idle = try c.decode(PowerQuantity.self, forKey: .idle)
        max = try c.decode(PowerQuantity.self, forKey: .max)
        if max < idle { throw try c.superDecoder(forKey: .max).scenarioError("a host's max power (\(max)) must be at least its idle power (\(idle))") }
    }
}

/// An electricity tariff (`power.tariff`): prices per kWh by hour of the day.
public struct TariffSpec: Codable, Sendable, Equatable {
    public var currency: String
    public var flat: Double
    public var peak: Double?
    public var valley: Double?
    public var peakHours: [Int]
    public var valleyHours: [Int]
    public var source: String

    enum CodingKeys: String, CodingKey, CaseIterable { case currency, flat, peak, valley, peakHours, valleyHours, source }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        currency = try c.decode(String.self, forKey: .currency, default: "CNY") { $0.isEmpty ? "must name a currency" : nil }
        let price = { (v: Double) in v >= 0 && v.isFinite ? nil : "must be a price per kWh, not negative" }
        flat = try c.decode(Double.self, forKey: .flat, check: price)
        peak = try c.decodeIfPresent(Double.self, forKey: .peak)
        valley = try c.decodeIfPresent(Double.self, forKey: .valley)
        for (key, v) in [(CodingKeys.peak, peak), (.valley, valley)] {
            if let v, let problem = price(v) { throw try c.superDecoder(forKey: key).scenarioError("power.tariff.\(key.stringValue) \(problem), got \(v)") }
        }
        let hours = { (h: [Int]) in h.allSatisfy { (0..<24).contains($0) } && Set(h).count == h.count ? nil : "must list distinct hours of the day, 0 to 23" }
        peakHours = try c.decode([Int].self, forKey: .peakHours, default: [], check: hours)
        valleyHours = try c.decode([Int].self, forKey: .valleyHours, default: [], check: hours)
        if let h = peakHours.first(where: valleyHours.contains) {
            throw try c.superDecoder(forKey: .valleyHours).scenarioError("hour \(h) is both a peak and a valley hour")
        }
        if !peakHours.isEmpty && peak == nil { throw try c.superDecoder(forKey: .peakHours).scenarioError("peak hours need a peak price (power.tariff.peak)") }
        if !valleyHours.isEmpty && valley == nil { throw try c.superDecoder(forKey: .valleyHours).scenarioError("valley hours need a valley price (power.tariff.valley)") }
        source = try c.decode(String.self, forKey: .source, default: "the scenario's tariff")
    }

    public var tariff: Tariff {
        Tariff(currency: currency, flat: flat, peak: peak, valley: valley, peakHours: peakHours, valleyHours: valleyHours, source: source)
    }
}

/// The grid's carbon intensity (`power.carbon`).
public struct CarbonSpec: Codable, Sendable, Equatable {
    /// kg CO2 per kWh, fixed (nil: `byHour`, else China's grid factor).
    public var intensity: Double?
    /// kg CO2 per kWh in each hour of the day (24 values).
    public var byHour: [Double]?
    /// Share of the energy that is on-site or contracted green power.
    public var greenShare: Double
    public var source: String

    enum CodingKeys: String, CodingKey, CaseIterable { case intensity, byHour, greenShare, source }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        intensity = try c.decodeIfPresent(Double.self, forKey: .intensity)
        if let i = intensity, !(i >= 0 && i < 10) {
            throw try c.superDecoder(forKey: .intensity).scenarioError("power.carbon.intensity must be kg CO2 per kWh, from 0 to 10, got \(i)")
        }
        byHour = try c.decodeIfPresent([Double].self, forKey: .byHour)
        if let b = byHour {
            guard b.count == 24, b.allSatisfy({ $0 >= 0 && $0 < 10 }) else {
                throw try c.superDecoder(forKey: .byHour).scenarioError("power.carbon.byHour must list 24 intensities (kg CO2 per kWh, 0 to 10), one per hour of the day")
            }
            guard intensity == nil else { throw try c.superDecoder(forKey: .byHour).scenarioError("give power.carbon.intensity or byHour, not both") }
        }
        greenShare = try c.decode(Double.self, forKey: .greenShare, default: 0) { $0 >= 0 && $0 <= 1 ? nil : "must be a share from 0 to 1" }
        source = try c.decode(String.self, forKey: .source, default: "the scenario's carbon intensity")
    }

    public var carbonIntensity: CarbonIntensity {
        if let b = byHour { return CarbonIntensity(kgPerKWhByHour: b, greenShare: greenShare, source: source) }
        if let i = intensity { return CarbonIntensity(kgPerKWh: i, greenShare: greenShare, source: source) }
        var d = CarbonIntensity.chinaGrid
        d.greenShare = greenShare
        return d
    }
}

/// What the equipment costs (`power.prices`), in one currency.
public struct PriceListSpec: Codable, Sendable, Equatable {
    public var currency: String
    /// Capital cost of one server, by pool.
    public var servers: [ServerPriceSpec]
    public var switchPort: Double
    public var storage: Double
    public var buildingPerKW: Double
    public var life: LifeSpec
    /// Maintenance per year, as a share of the equipment's capital.
    public var maintenance: Double
    public var staffPerYear: Double
    public var source: String

    enum CodingKeys: String, CodingKey, CaseIterable { case currency, servers, switchPort, storage, buildingPerKW, life, maintenance, staffPerYear, source }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let money = { (v: Double) in v >= 0 && v.isFinite ? nil : "must be a price, not negative" }
        currency = try c.decode(String.self, forKey: .currency, default: "CNY") { $0.isEmpty ? "must name a currency" : nil }
        servers = try c.decode([ServerPriceSpec].self, forKey: .servers, default: [])
        switchPort = try c.decode(Double.self, forKey: .switchPort, default: 0, check: money)
        storage = try c.decode(Double.self, forKey: .storage, default: 0, check: money)
        buildingPerKW = try c.decode(Double.self, forKey: .buildingPerKW, default: 0, check: money)
        life = try c.decode(LifeSpec.self, forKey: .life, default: LifeSpec())
        maintenance = try c.decode(Double.self, forKey: .maintenance, default: 0) { $0 >= 0 && $0 <= 1 ? nil : "must be a share of capital per year, from 0 to 1" }
        staffPerYear = try c.decode(Double.self, forKey: .staffPerYear, default: 0, check: money)
        source = try c.decode(String.self, forKey: .source, default: "the scenario's price list")
    }
}

/// One pool's server price (`power.prices.servers` item).
public struct ServerPriceSpec: Codable, Sendable, Equatable {
    public var pool: String
    public var price: Double

    enum CodingKeys: String, CodingKey, CaseIterable { case pool, price }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pool = try c.decode(String.self, forKey: .pool)
        price = try c.decode(Double.self, forKey: .price) { $0 >= 0 && $0.isFinite ? nil : "must be a price, not negative" }
    }
}

/// Years over which each kind of capital is written off (`power.prices.life`).
public struct LifeSpec: Codable, Sendable, Equatable {
    public var servers = 5.0
    public var network = 5.0
    public var storage = 5.0
    public var building = 15.0

    enum CodingKeys: String, CodingKey, CaseIterable { case servers, network, storage, building }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = LifeSpec()
        let years = { (v: Double) in v > 0 && v <= 100 ? nil : "must be a life in years, above 0" }
        servers = try c.decode(Double.self, forKey: .servers, default: d.servers, check: years)
        network = try c.decode(Double.self, forKey: .network, default: d.network, check: years)
        storage = try c.decode(Double.self, forKey: .storage, default: d.storage, check: years)
        building = try c.decode(Double.self, forKey: .building, default: d.building, check: years)
    }
}
