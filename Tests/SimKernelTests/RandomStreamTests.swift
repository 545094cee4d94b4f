import Testing
import Foundation
@testable import SimKernel

@Suite struct RandomStreamTests {
    @Test func fnv1aMatchesPublishedVectors() {
        // Reference: FNV-1a 64-bit test vectors (Fowler, Noll, Vo; IETF draft-eastlake-fnv).
        #expect(FNV1a.hash64("") == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a.hash64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(FNV1a.hash64("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test func splitMixMatchesReferenceSequence() {
        // Reference: Vigna's splitmix64.c with seed 1234567: first outputs.
        var s = SplitMix64(seed: 1_234_567)
        #expect(s.next() == 6_457_827_717_110_365_317)
        #expect(s.next() == 3_203_168_211_198_807_973)
    }

    @Test func streamsAreReproducibleAndIndependentOfCreationOrder() {
        let a = RandomStreams(masterSeed: 42)
        let b = RandomStreams(masterSeed: 42)
        _ = b.stream("other")  // creating another stream first must not change "x"
        let xa = (0..<5).map { _ in a.stream("arrivals/x").uniform() }
        let xb = (0..<5).map { _ in b.stream("arrivals/x").uniform() }
        #expect(xa == xb)
        let c = RandomStreams(masterSeed: 43)
        #expect((0..<5).map { _ in c.stream("arrivals/x").uniform() } != xa)
        let d = RandomStreams(masterSeed: 42, runIndex: 1)
        #expect((0..<5).map { _ in d.stream("arrivals/x").uniform() } != xa)
        #expect(a.stream("arrivals/x").uniform() != a.stream("arrivals/y").uniform())
    }

    @Test func thirtyTwoBitSeedCollisionsAreDetectedAndResolved() {
        // With 100,000 streams a 32-bit collision is likely (birthday bound ~ 0.69);
        // whatever happens, every stream must end up with a distinct GSL seed.
        let s = RandomStreams(masterSeed: 7)
        var seeds = Set<UInt32>()
        for i in 0..<100_000 { seeds.insert(s.stream("s\(i)").gslSeed) }
        #expect(seeds.count == 100_000)
        let expectedCollisions = (0..<100_000).count - Set((0..<100_000).map {
            UInt32(truncatingIfNeeded: RandomStreams.seed(master: 7, run: 0, name: "s\($0)"))
        }).count
        #expect(s.collisions.count == expectedCollisions)
    }
}

@Suite struct DistributionTests {
    /// Sample mean of n draws.
    func sampleMean(_ d: Distribution, n: Int = 200_000, seed: UInt64 = 11) -> (mean: Double, sd: Double) {
        let stream = RandomStreams(masterSeed: seed).stream("test")
        let s = DistributionSampler(d)
        var sum = 0.0, sum2 = 0.0
        for _ in 0..<n { let x = s.sample(stream); sum += x; sum2 += x * x }
        let m = sum / Double(n)
        return (m, (sum2 / Double(n) - m * m).squareRoot())
    }

    // Reference: each distribution's analytic mean; tolerance 5 standard errors.
    @Test(arguments: [
        Distribution.exponential(mean: 3),
        .gamma(shape: 2, scale: 1.5),
        .lognormal(mu: 0.5, sigma: 0.5),
        .weibull(shape: 1.5, scale: 2),
        .pareto(shape: 3.5, scale: 1),
        .normal(mean: -1, stddev: 2),
        .uniform(min: 2, max: 6),
        .poisson(mean: 4.2),
        .discrete(values: [1, 2, 8], weights: [0.5, 0.3, 0.2]),
        .empirical(values: [0, 10, 20], cdf: [0, 0.8, 1]),
        .constant(5),
    ])
    func sampleMeanMatchesAnalyticMean(_ d: Distribution) {
        let n = 200_000
        let (m, sd) = sampleMean(d, n: n)
        let se = sd / Double(n).squareRoot()
        #expect(abs(m - d.mean) <= max(5 * se, 1e-12), "\(d): sample mean \(m) vs analytic \(d.mean)")
    }

    @Test func discreteDrawsOnlyItsValuesInProportion() {
        let stream = RandomStreams(masterSeed: 1).stream("d")
        let s = DistributionSampler(.discrete(values: [1, 4], weights: [3, 1]))
        var ones = 0
        for _ in 0..<40_000 {
            let x = s.sample(stream)
            #expect(x == 1 || x == 4)
            if x == 1 { ones += 1 }
        }
        // Binomial(40000, 0.75): sd = 86.6; 5 sd tolerance.
        #expect(abs(ones - 30_000) < 433)
    }
}
