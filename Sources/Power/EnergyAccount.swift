/// Energy and what it costs, added up together: IT energy, facility energy (IT × PUE), energy
/// cost (facility energy × the hour's price) and emissions (facility energy × the hour's carbon
/// intensity, less green power).
public struct EnergyAccount: Sendable, Equatable {
    public var itJ = 0.0
    public var facilityJ = 0.0
    public var cost = 0.0
    public var co2Kg = 0.0

    public init() {}

    public init(itJ: Double, facilityJ: Double, cost: Double, co2Kg: Double) {
        self.itJ = itJ
        self.facilityJ = facilityJ
        self.cost = cost
        self.co2Kg = co2Kg
    }

    public static func + (a: Self, b: Self) -> Self {
        Self(itJ: a.itJ + b.itJ, facilityJ: a.facilityJ + b.facilityJ, cost: a.cost + b.cost, co2Kg: a.co2Kg + b.co2Kg)
    }

    public static func - (a: Self, b: Self) -> Self {
        Self(itJ: a.itJ - b.itJ, facilityJ: a.facilityJ - b.facilityJ, cost: a.cost - b.cost, co2Kg: a.co2Kg - b.co2Kg)
    }

    public static func += (a: inout Self, b: Self) { a = a + b }

    public static func * (a: Self, k: Double) -> Self {
        Self(itJ: a.itJ * k, facilityJ: a.facilityJ * k, cost: a.cost * k, co2Kg: a.co2Kg * k)
    }

    /// `watts` drawn for `seconds` in an hour of PUE `pue`, `price` per kWh and `kgPerKWh` of
    /// CO2 (green power already taken out).
    public static func drawing(_ watts: Double, seconds: Double, pue: Double, price: Double, kgPerKWh: Double) -> Self {
        let it = watts * seconds
        let facility = it * pue
        return Self(itJ: it, facilityJ: facility, cost: facility / 3.6e6 * price, co2Kg: facility / 3.6e6 * kgPerKWh)
    }

    public var itKWh: Double { itJ / 3.6e6 }
    public var facilityKWh: Double { facilityJ / 3.6e6 }
    public var co2Tonnes: Double { co2Kg / 1000 }
}
