import Production
import Testing
@testable import Scenario

/// The power section: defaults, the center's power at rest as the cap's floor, and errors that
/// name the file, line, key and what was expected.
@Suite struct PowerSpecTests {
    static let base = validScenario + "\nhorizon: 1d\n"

    @Test func defaultsAndCurves() throws {
        let s = try ScenarioLoader.load(text: Self.base + "power: {pue: 1.2}\n", file: "x.yaml", defaultName: "x").scenario
        let p = try #require(s.power)
        #expect(p.coolingCurve.pue(atC: -20) == 1.2 && p.coolingCurve.pue(atC: 40) == 1.2 && p.startHourOfYear == 0)
        #expect(p.acceleratorDraw == 1 && p.cap == nil && p.interval.baseUnits == 900_000_000_000)
        let w = try ScenarioLoader.load(text: Self.base + "power: {site: guangzhou, cooling: liquid, start: 2026-07-01}\n", file: "x.yaml", defaultName: "x").scenario
        #expect(w.power?.startHourOfYear == 181 * 24)
        #expect(w.power?.coolingCurve == CoolingCurve.liquid)
        // Rest power: two generic 8-accelerator servers (host estimate 400 W idle each), 16 A100
        // 80GB at 55 W, and 2 NICs per server at 100 Gb/s on 2 switch ports each (8 W).
        let hosts = 2 * 400.0, accelerators = 16 * 55.0, ports = 8 * 8.0
        let rest = hosts + accelerators + ports
        #expect(abs(s.restPowerW - rest) < 1e-9, "\(s.restPowerW)")
        #expect(try ScenarioLoader.load(text: Self.base, file: "x.yaml", defaultName: "x").scenario.power == nil)
    }

    @Test func badValuesAreLocated() {
        let cases: [(String, String)] = [
            ("power: {pue: 0.9}\n", "x.yaml:18:14: power.pue must be between 1 and 5"),
            ("power:\n  pue: 1.2\n  tariff: {flat: -1}\n", "power.tariff.flat must be a price per kWh, not negative, got -1"),
            ("power:\n  pue: 1.2\n  tariff: {flat: 0.5, peak: -2, peakHours: [9]}\n", "power.tariff.peak must be a price per kWh, not negative"),
            ("power:\n  pue: 1.2\n  prices: {switchPort: -5}\n", "power.prices.switchPort must be a price, not negative"),
            ("power:\n  pue: 1.2\n  cap: 1W\n", "power.cap (1W) is not above the center's facility power at rest"),
            ("power:\n  pue: 1.2\n  cap: 20 parsecs\n", "power"),
            ("power: {cooling: air}\n", "power.cooling follows the weather: name the site's climate in power.site"),
            ("power: {site: atlantis, cooling: air}\n", "power.site 'atlantis' is not a built-in climate"),
            ("power: {pue: 1.2, cooling: air, site: beijing}\n", "give power.pue (a fixed PUE) or power.cooling"),
            ("power: {pue: 1.2, start: 13-40}\n", "must be a date MM-DD or YYYY-MM-DD"),
            ("power: {pue: 1.2, acceleratorDraw: 1.5}\n", "power.acceleratorDraw must be above 0 and at most 1"),
            ("power:\n  pue: 1.2\n  hosts: [{pool: genral, idle: 1kW, max: 2kW}]\n", "names pool 'genral' (did you mean 'general'?)"),
            ("power:\n  pue: 1.2\n  hosts: [{pool: general, idle: 3kW, max: 2kW}]\n", "must be at least its idle power"),
            ("power:\n  pue: 1.2\n  tariff: {flat: 0.5, peak: 1, peakHours: [9, 25]}\n", "must list distinct hours of the day, 0 to 23"),
            ("power:\n  pue: 1.2\n  carbon: {byHour: [0.5, 0.5]}\n", "must list 24 intensities"),
            ("power:\n  pue: 1.2\n  tariff: {currency: CNY, flat: 0.5}\n  prices: {currency: USD}\n", "use one currency"),
            ("power: {pue: 1.2, capPolicy: panic}\n", "capPolicy"),
            ("power: {pu: 1.2}\n", "did you mean 'pue'"),
        ]
        for (yaml, expected) in cases {
            let e = loadError(Self.base + yaml)
            #expect(e?.description.contains(expected) == true, "\(yaml): \(e?.description ?? "no error")")
            #expect(e?.description.contains("x.yaml:") == true, "\(yaml): not located: \(e?.description ?? "no error")")
        }
    }
}
