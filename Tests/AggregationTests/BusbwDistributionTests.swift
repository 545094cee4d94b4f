@testable import Aggregation
import Testing

/// Reference: the time-weighted median and mean computed from every stretch, sorted (what the
/// fabric's summary computed before it kept a bounded distribution).
@Suite struct BusbwDistributionTests {
    /// Brute force: every stretch kept, sorted by value.
    static func reference(_ stretches: [(Double, Double)]) -> (median: Double, mean: Double) {
        let sorted = stretches.sorted { $0.0 < $1.0 }
        let total = sorted.reduce(0) { $0 + $1.1 }
        var acc = 0.0
        let median = sorted.first { acc += $0.1; return acc >= total / 2 }?.0 ?? 0
        return (median, sorted.reduce(0) { $0 + $1.0 * $1.1 } / total)
    }

    /// A deterministic stream of stretches: `distinct` bandwidths in [1, 400] GB/s, durations of
    /// 1 µs to 1 s (whole nanoseconds).
    static func stretches(_ n: Int, distinct: Int) -> [(Double, Double)] {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return x >> 11 }
        return (0..<n).map { _ in
            let v = 1 + 399 * Double(next() % UInt64(distinct)) / Double(distinct)
            return (v, Double(1_000 + next() % 1_000_000_000))
        }
    }

    @Test func exactWhileFewValuesAreDistinct() {
        let s = Self.stretches(20_000, distinct: 700)
        var d = BusbwDistribution()
        for (v, ns) in s { d.add(busbwGBps: v, ns: ns) }
        let r = Self.reference(s)
        #expect(d.medianGBps == r.median)
        #expect(abs(d.meanGBps / r.mean - 1) < 1e-12)
        #expect(d.kept == 700)
    }

    /// Past 65,536 distinct values it bins them (0.01% wide): memory stops growing with the
    /// stretches and the median stays within 0.01% of the exact one.
    @Test func boundedAndWithinABinWhenManyAreDistinct() {
        let s = Self.stretches(300_000, distinct: 1 << 30)
        var d = BusbwDistribution()
        for (v, ns) in s { d.add(busbwGBps: v, ns: ns) }
        let r = Self.reference(s)
        #expect(abs(d.medianGBps / r.median - 1) <= BusbwDistribution.binWidth, "\(d.medianGBps) vs \(r.median)")
        #expect(abs(d.meanGBps / r.mean - 1) < 1e-12)
        // ln(400) / 1e-4 bins at most span [1, 400] GB/s.
        #expect(d.kept <= 60_000, "\(d.kept) kept for 300,000 stretches")
    }
}
