/// An electricity tariff by hour of the day (time-of-use): a price per kWh for peak, flat and
/// valley hours, in `currency`.
public struct Tariff: Sendable, Equatable {
    public var currency: String
    /// Price per kWh in each hour of the day (0 = 00:00-01:00).
    public var pricePerKWhByHour: [Double]
    public var source: String

    public init(currency: String, pricePerKWhByHour: [Double], source: String) {
        precondition(pricePerKWhByHour.count == 24)
        self.currency = currency
        self.pricePerKWhByHour = pricePerKWhByHour
        self.source = source
    }

    /// A tariff of `flat` per kWh, `peak` in `peakHours` and `valley` in `valleyHours`.
    public init(currency: String, flat: Double, peak: Double? = nil, valley: Double? = nil, peakHours: [Int] = [], valleyHours: [Int] = [], source: String) {
        var prices = Array(repeating: flat, count: 24)
        for h in peakHours { prices[h] = peak ?? flat }
        for h in valleyHours { prices[h] = valley ?? flat }
        self.init(currency: currency, pricePerKWhByHour: prices, source: source)
    }

    /// The default: 0.65 CNY/kWh at every hour (an estimate of a large industrial user's
    /// average price in China).
    public static let flatDefault = Tariff(currency: "CNY", flat: 0.65, source: "estimate: 0.65 CNY/kWh, a large industrial user's average price in China")
}

/// The grid's carbon intensity (kg CO2 per kWh), fixed or by hour of the day, and the share of
/// the center's energy that is on-site or contracted green power (counted as zero emissions).
public struct CarbonIntensity: Sendable, Equatable {
    public var kgPerKWhByHour: [Double]
    public var greenShare: Double
    public var source: String

    public init(kgPerKWhByHour: [Double], greenShare: Double, source: String) {
        precondition(kgPerKWhByHour.count == 24)
        self.kgPerKWhByHour = kgPerKWhByHour
        self.greenShare = greenShare
        self.source = source
    }

    public init(kgPerKWh: Double, greenShare: Double = 0, source: String) {
        self.init(kgPerKWhByHour: Array(repeating: kgPerKWh, count: 24), greenShare: greenShare, source: source)
    }

    /// China's national average grid emission factor for 2022, 0.5366 kg CO2/kWh (Ministry of
    /// Ecology and Environment and National Bureau of Statistics, announced 2024).
    public static let chinaGrid = CarbonIntensity(kgPerKWh: 0.5366,
                                                  source: "China national average electricity CO2 emission factor 2022: 0.5366 kg/kWh (Ministry of Ecology and Environment and National Bureau of Statistics, 2024)")
}
