import Center
import Configuration
import Foundation
import Records
import Scheduling
import Testing

/// Scheduling policies against queueing theory and published scheduler results.
@Suite struct PolicyValidationTests {
    /// Mean response time (JCT) over `reps` independent replications, with the half-width of
    /// its 95% confidence interval.
    func meanResponse(_ file: String, _ overrides: [String], reps: Int = 10) throws -> (mean: Double, half: Double) {
        let s = try shippedScenario(file, overrides)
        let means = try (0..<reps).map { r in try CenterRun.run(s, sink: NullSink(), runIndex: UInt64(r)).summary.jctMeanS }
        let mean = means.reduce(0, +) / Double(reps)
        let sd = (means.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(reps - 1)).squareRoot()
        return (mean, tQuantile975[reps - 1]! * sd / Double(reps).squareRoot())
    }

    /// M/G/1 (Scenarios/validation/mg1.yaml: E[S] = 3,420 s, E[S²] = 3.5316e7 s², ρ = 0.7).
    /// FIFO tracks Pollaczek–Khinchine, W = λE[S²]/(2(1−ρ)) + E[S] = 15,467 s, within its 95%
    /// confidence interval; LAS beats processor sharing's E[S]/(1−ρ) = 11,400 s on this
    /// decreasing-failure-rate mix (REFERENCES.md §1; Harchol-Balter ch. 30).
    @Test func mg1FifoTracksPollaczekKhinchineAndLASBeatsProcessorSharing() throws {
        let es = 0.9 * 1_800 + 0.1 * 18_000, es2 = 0.9 * 1_800 * 1_800 + 0.1 * 18_000 * 18_000
        let rho = 0.7, lambda = rho / es
        let pk = lambda * es2 / (2 * (1 - rho)) + es, ps = es / (1 - rho)
        #expect(abs(pk - 15_467) < 1 && abs(ps - 11_400) < 1e-6)
        let fifo = try meanResponse("Scenarios/validation/mg1.yaml", ["scheduling.policy=fifo"])
        print("M/G/1 FIFO: \(fifo.mean) ± \(fifo.half) s vs Pollaczek-Khinchine \(pk) s")
        #expect(abs(fifo.mean - pk) <= fifo.half, "FIFO \(fifo.mean) ± \(fifo.half) s vs P-K \(pk) s")
        #expect(fifo.half < 0.1 * pk)
        let las = try meanResponse("Scenarios/validation/mg1.yaml", ["scheduling.policy=las"])
        print("M/G/1 LAS: \(las.mean) ± \(las.half) s vs processor sharing \(ps) s")
        #expect(las.mean + las.half < ps, "LAS \(las.mean) ± \(las.half) s should beat PS \(ps) s")
    }

    /// M/M/1 (the same scenario with exponential run times): every work-conserving policy that
    /// does not look at run times has mean response E[S]/(1−ρ) = 11,400 s, processor sharing's;
    /// LAS (preempting at each threshold) and FIFO both track it within their 95% intervals.
    @Test(arguments: ["las", "fifo"])
    func mm1BlindPoliciesTrackProcessorSharing(policy: String) throws {
        let r = try meanResponse("Scenarios/validation/mg1.yaml",
                                 ["scheduling.policy=\(policy)", "workload.classes.0.duration={dist: exponential, mean: 3420s}"])
        print("M/M/1 \(policy): \(r.mean) ± \(r.half) s vs E[S]/(1-rho) 11400 s")
        #expect(abs(r.mean - 11_400) <= r.half, "\(policy): \(r.mean) ± \(r.half) s vs 11,400 s")
        #expect(r.half < 0.1 * 11_400)
    }

    /// Heavy-tailed run times (Philly's, Scenarios/validation/heavy-tail-policies.yaml): the shape of
    /// REFERENCES.md §4 (Helios on Philly: mean queueing delay FIFO 56,531 s ≫ SJF 4,731 s >
    /// SRTF 1,138 s; PAI: FIFO 2,880 s vs SJF 950 s, about 3×). SJF cuts FIFO's mean wait at least
    /// threefold; SRTF cuts it further; mean JCT orders FIFO > SJF > SRTF.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func sjfAndSrtfBeatFifoOnHeavyTails(seed: UInt64) throws {
        func run(_ policy: String) throws -> RunSummary {
            try CenterRun.run(try shippedScenario("Scenarios/validation/heavy-tail-policies.yaml", ["scheduling.policy=\(policy)", "seed=\(seed)"]),
                              sink: NullSink()).summary
        }
        let fifo = try run("fifo"), sjf = try run("sjf"), srtf = try run("srtf")
        print("heavy tail seed \(seed): wait FIFO \(fifo.waitMeanS) SJF \(sjf.waitMeanS) SRTF \(srtf.waitMeanS); JCT \(fifo.jctMeanS) \(sjf.jctMeanS) \(srtf.jctMeanS)")
        #expect(fifo.waitMeanS >= 3 * sjf.waitMeanS)
        #expect(srtf.waitMeanS < sjf.waitMeanS)
        #expect(fifo.jctMeanS > sjf.jctMeanS && sjf.jctMeanS > srtf.jctMeanS)
        #expect(fifo.jobsCompleted == 8_000 && sjf.jobsCompleted == 8_000 && srtf.jobsCompleted == 8_000)
        #expect(srtf.preemptions > 0 && sjf.preemptions == 0)
    }
}
