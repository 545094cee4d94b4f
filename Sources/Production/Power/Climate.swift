import Foundation

/// A site's outdoor temperature through the year, from its monthly climate normals (mean daily
/// maximum and minimum of each month): the normals are interpolated linearly between the middle
/// days of the months, and each day follows a cosine between its minimum (03:00) and its maximum
/// (15:00). A cooling system's PUE follows this temperature hour by hour (``CoolingCurve``).
public struct Climate: Sendable, Equatable {
    public var name: String
    /// Mean daily maximum and minimum of each month, January first, °C.
    public var monthlyHighC: [Double]
    public var monthlyLowC: [Double]
    /// Where the normals come from.
    public var source: String

    public init(name: String, monthlyHighC: [Double], monthlyLowC: [Double], source: String) {
        precondition(monthlyHighC.count == 12 && monthlyLowC.count == 12)
        self.name = name
        self.monthlyHighC = monthlyHighC
        self.monthlyLowC = monthlyLowC
        self.source = source
    }

    /// First day of each month in a 365-day year (and the year's end).
    public static let monthStart = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]

    /// The normals' (high, low) on day `day` of the year (0-based, 0..<365), interpolated
    /// between the middle days of the months (cyclic over the new year).
    public func normals(day: Int) -> (highC: Double, lowC: Double) {
        let d = Double(((day % 365) + 365) % 365) + 0.5
        let mid = (0..<12).map { Double(Self.monthStart[$0] + Self.monthStart[$0 + 1]) / 2 }
        var m = 11
        while m >= 0 && mid[m] > d { m -= 1 }
        let (a, b, da, span): (Int, Int, Double, Double)
        if m < 0 {
            a = 11; b = 0; da = mid[11] - 365; span = mid[0] + 365 - mid[11]
        } else if m == 11 {
            a = 11; b = 0; da = mid[11]; span = mid[0] + 365 - mid[11]
        } else {
            a = m; b = m + 1; da = mid[m]; span = mid[m + 1] - mid[m]
        }
        let w = (d - da) / span
        return (monthlyHighC[a] + w * (monthlyHighC[b] - monthlyHighC[a]), monthlyLowC[a] + w * (monthlyLowC[b] - monthlyLowC[a]))
    }

    /// Outdoor temperature at hour `hour` of the year (0 is 00:00-01:00 on 1 January; hours
    /// past the year's end wrap), taken at the middle of the hour, °C.
    public func temperatureC(hourOfYear hour: Int) -> Double {
        let (high, low) = normals(day: hour / 24)
        let h = Double(hour % 24) + 0.5
        return (high + low) / 2 + (high - low) / 2 * cos(2 * Double.pi * (h - 15) / 24)
    }
}

/// The climates a scenario can name (`power.site`).
public enum ClimateCatalog {
    public static let builtIn: [Climate] = [
        Climate(name: "beijing",
                monthlyHighC: [1.8, 5.0, 11.6, 20.3, 26.0, 30.2, 30.9, 29.7, 25.8, 19.1, 10.1, 3.7],
                monthlyLowC: [-8.4, -5.6, 0.4, 7.9, 13.6, 18.8, 22.0, 20.8, 14.8, 7.9, 0.0, -5.8],
                source: "China Meteorological Administration normals 1971-2000 for Beijing (mean daily high and low by month), as tabulated in Wikipedia's 'Geography of Beijing' climate table"),
        Climate(name: "guangzhou",
                monthlyHighC: [18, 18, 22, 26, 30, 31, 33, 33, 31, 29, 24, 20],
                monthlyLowC: [10, 11, 15, 19, 23, 24, 25, 25, 24, 21, 16, 11],
                source: "long-term monthly mean daily maximum and minimum for Guangzhou, whatstheweatherlike.org/china/guangzhou.htm (compiled from meteorological services' records; whole degrees)"),
    ]

    /// The built-in climate called `name`, or nil.
    public static func named(_ name: String) -> Climate? { builtIn.first { $0.name == name } }
}
