import Foundation
import Testing
@testable import Production

/// The power model's parts against their sources: the climate tables, the cooling curves, the
/// DGX system maximums and the power-performance calibration.
@Suite struct PowerModelTests {
    /// Beijing's normals (CMA 1971-2000): July afternoons are hottest, January nights coldest;
    /// mid-month days reproduce the table's high and low at 15:00 and 03:00.
    @Test func climateFollowsItsNormals() throws {
        let beijing = try #require(ClimateCatalog.named("beijing"))
        let july15 = (181 + 14) * 24
        #expect(abs(beijing.temperatureC(hourOfYear: july15 + 15) - 30.9) < 0.2)
        #expect(abs(beijing.temperatureC(hourOfYear: july15 + 3) - 22.0) < 0.2)
        let jan16 = 15 * 24
        #expect(abs(beijing.temperatureC(hourOfYear: jan16 + 15) - 1.8) < 0.3)
        #expect(abs(beijing.temperatureC(hourOfYear: jan16 + 3) - (-8.4)) < 0.3)
        let temps = (0..<8760).map { beijing.temperatureC(hourOfYear: $0) }
        #expect(temps.max()! < 31 && temps.min()! > -8.5)
        let guangzhou = try #require(ClimateCatalog.named("guangzhou"))
        #expect(guangzhou.temperatureC(hourOfYear: jan16 + 3) > beijing.temperatureC(hourOfYear: jan16 + 15))
    }

    /// Air cooling costs more on a summer afternoon than a winter night, liquid cooling less
    /// than air at every temperature; 1.30 at 20 °C (the national target for new large centres).
    @Test func coolingCurves() {
        #expect(CoolingCurve.air.pue(atC: 20) == 1.30)
        #expect(CoolingCurve.air.pue(atC: -10) == 1.22 && CoolingCurve.air.pue(atC: 40) == 1.55)
        for t in stride(from: -20.0, through: 45, by: 0.5) {
            #expect(CoolingCurve.liquid.pue(atC: t) < CoolingCurve.air.pue(atC: t))
            #expect(CoolingCurve.air.pue(atC: t + 0.5) >= CoolingCurve.air.pue(atC: t))
        }
        #expect(abs(CoolingCurve.air.pue(atC: 25) - 1.375) < 1e-12)
    }

    /// DGX H100 at full load: 8 × 700 W plus its host = the datasheet's 10.2 kW.
    @Test func hostPowerAddsUpToTheSystemMaximums() throws {
        let dgx = try #require(ServerCatalog.builtIn(named: "hgx-h100-8"))
        let host = HostPowerCatalog.host(of: dgx, preset: "hgx-h100-8")
        #expect(host.maxW + 8 * 700 == 10_200)
        let a100 = HostPowerCatalog.host(of: try #require(ServerCatalog.builtIn(named: "hgx-a100-8")), preset: "hgx-a100-8")
        #expect(a100.maxW + 8 * 400 == 6_500)
        for (preset, h) in HostPowerCatalog.byPreset {
            #expect(ServerCatalog.builtIn(named: preset) != nil, "\(preset) is not a server preset")
            #expect(h.idleW > 0 && h.idleW < h.maxW && !h.source.isEmpty)
        }
    }

    /// McDonald et al. 2022: V100s capped at 150 W of 250 W trained 6.8% slower with 13.7% less
    /// energy. The curve gives back both figures from the uncapped draw they imply.
    @Test func powerPerformanceReproducesItsCalibration() {
        let curve = PowerPerformance.calibrated
        let uncappedW = 150 * 1.068 / 0.863
        let speed = curve.speed(atShare: 150 / uncappedW)
        #expect(abs(1 / speed - 1.068) < 1e-9)
        let energyRatio = (150 / speed) / uncappedW
        #expect(abs(energyRatio - 0.863) < 1e-9)
        #expect(abs(curve.exponent - 0.309) < 0.001)
        #expect(curve.speed(atShare: 1) == 1 && curve.speed(atShare: 1.2) == 1)
    }

    /// The time-of-use tariff: NDRC's peak/valley ratio of at least 4:1 where the peak-valley
    /// gap is large (a 1.6 : 1 : 0.4 tariff is 4:1).
    @Test func tariffByHour() {
        let t = Tariff(currency: "CNY", flat: 0.65, peak: 1.04, valley: 0.26, peakHours: [10, 11], valleyHours: [0, 1], source: "test")
        #expect(t.pricePerKWhByHour[10] == 1.04 && t.pricePerKWhByHour[0] == 0.26 && t.pricePerKWhByHour[5] == 0.65)
        #expect(abs(t.pricePerKWhByHour[10] / t.pricePerKWhByHour[0] - 4) < 1e-12)
    }
}
