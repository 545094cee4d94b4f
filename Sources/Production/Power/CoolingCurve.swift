/// How much power the facility draws beyond IT (cooling and power distribution), as a PUE: a
/// fixed figure, or a curve over the outdoor temperature (linear between its points, flat
/// beyond the ends), so a summer afternoon costs more than a winter night.
public struct CoolingCurve: Sendable, Equatable {
    /// (outdoor temperature °C, PUE), temperatures ascending; one point is a fixed PUE.
    public var points: [(celsius: Double, pue: Double)]
    /// Where the figures come from.
    public var source: String

    public static func == (a: Self, b: Self) -> Bool {
        a.source == b.source && a.points.count == b.points.count && zip(a.points, b.points).allSatisfy { $0.celsius == $1.celsius && $0.pue == $1.pue }
    }

    public init(points: [(celsius: Double, pue: Double)], source: String) {
        precondition(!points.isEmpty)
        self.points = points
        self.source = source
    }

    /// A fixed PUE.
    public static func fixed(_ pue: Double) -> CoolingCurve { CoolingCurve(points: [(0, pue)], source: "fixed PUE given by the scenario") }

    /// The PUE at outdoor temperature `celsius`.
    public func pue(atC celsius: Double) -> Double {
        guard points.count > 1 else { return points[0].pue }
        if celsius <= points[0].celsius { return points[0].pue }
        for i in 1..<points.count where celsius <= points[i].celsius {
            let (a, b) = (points[i - 1], points[i])
            return a.pue + (celsius - a.celsius) / (b.celsius - a.celsius) * (b.pue - a.pue)
        }
        return points[points.count - 1].pue
    }

    /// Whether the PUE depends on the temperature.
    public var followsWeather: Bool { points.count > 1 }

    /// Built-in cooling designs (`power.cooling`).
    public static let air = CoolingCurve(
        points: [(10, 1.22), (20, 1.30), (30, 1.45), (35, 1.55)],
        source: "ICCSim estimate for chilled-water air cooling with free cooling below about 10 °C: 1.30 at 20 °C (the national target of 1.3 for new large data centres), mechanical cooling's share rising with the outdoor temperature")
    public static let liquid = CoolingCurve(
        points: [(15, 1.08), (25, 1.10), (35, 1.16)],
        source: "ICCSim estimate for direct-to-chip liquid cooling with dry coolers: near 1.1 most of the year, below the hub nodes' 1.2 target even on hot days")

    /// The built-in design called `name` (`air`, `liquid`), or nil.
    public static func named(_ name: String) -> CoolingCurve? {
        switch name {
        case "air": return air
        case "liquid": return liquid
        default: return nil
        }
    }
}
