import Center
import Configuration
import Foundation
import Records
import Testing

/// Erlang C: probability that an arrival waits in an M/M/c queue with offered load a = λ/μ.
/// Computed with the numerically stable recurrence on the Erlang B formula.
func erlangC(servers c: Int, offeredLoad a: Double) -> Double {
    var b = 1.0
    for k in 1...c { b = a * b / (Double(k) + a * b) }
    let rho = a / Double(c)
    return b / (1 - rho + rho * b)
}

/// Two-sided 97.5% quantiles of Student's t for small degrees of freedom.
let tQuantile975: [Int: Double] = [9: 2.262, 19: 2.093]

@Suite struct QueueingValidationTests {
    @Test func erlangCMatchesTheReferenceExample() {
        // REFERENCES.md §1: c = 2, λ = 1.5, μ = 1 gives C = 0.642857 and Wq = 1.285714.
        let c = erlangC(servers: 2, offeredLoad: 1.5)
        #expect(abs(c - 0.642857) < 1e-6)
        #expect(abs(c / (2 - 1.5) - 1.285714) < 1e-6)
    }

    /// Reference: Erlang C (REFERENCES.md §1). The shipped M/M/c scenario (c = 8, ρ = 0.8) is run
    /// as 10 independent replications; the analytic Wq must lie in the 95% confidence interval of
    /// the replication means, and the interval must be tight enough (±10%) to mean something.
    @Test func mmcMeanWaitMatchesErlangC() throws {
        let s = try shippedScenario("Scenarios/validation/mmc.yaml", ["workload.classes.0.jobs=40000"])
        let lambda = 1 / 562.5, mu = 1 / 3600.0, c = 8
        let wq = erlangC(servers: c, offeredLoad: lambda / mu) / (Double(c) * mu - lambda)
        #expect(abs(wq - 1029.70) < 0.01, "Erlang C for the shipped scenario, as its comment states")
        let reps = 10
        let means = try (0..<reps).map { r in try CenterRun.run(s, sink: NullSink(), runIndex: UInt64(r)).summary.waitMeanS }
        let mean = means.reduce(0, +) / Double(reps)
        let sd = (means.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(reps - 1)).squareRoot()
        let half = tQuantile975[reps - 1]! * sd / Double(reps).squareRoot()
        print("M/M/c validation: simulated Wq \(mean) ± \(half) s (95% CI, \(reps) replications) vs Erlang C \(wq) s")
        #expect(abs(mean - wq) <= half, "simulated Wq \(mean) ± \(half) s vs Erlang C \(wq) s")
        #expect(half < 0.1 * wq, "confidence interval too wide to validate anything: ±\(half) s")
    }

    /// Little's law on every sample path: the time integral of the queue length equals the sum of
    /// waits (Lq·T = λT·Wq), and the integral of busy accelerators equals the accelerator-time
    /// the jobs used. Exact up to floating-point rounding when every job has finished.
    @Test func littlesLawHoldsExactly() throws {
        let s = try shippedScenario("Scenarios/examples/two-classes.yaml")
        let sink = CollectingSink()
        let r = try CenterRun.run(s, sink: sink).summary
        #expect(r.jobsCompleted == r.jobsSubmitted)
        let lqT = r.queueLengthMean * r.makespanS
        let lambdaTWq = Double(r.jobsSubmitted) * r.waitMeanS
        #expect(abs(lqT - lambdaTWq) <= 1e-9 * lambdaTWq)
        let usedAcceleratorSeconds = sink.jobs.reduce(0.0) { $0 + Double($1.accelerators) * Double($1.endNs - $1.startNs) / 1e9 }
        let busyIntegral = r.utilizationMean * Double(r.accelerators) * r.makespanS
        #expect(abs(busyIntegral - usedAcceleratorSeconds) <= 1e-9 * usedAcceleratorSeconds)
        // L = λW for the whole system, from the records: mean jobs in system · T = Σ JCT.
        let sumJct = sink.jobs.reduce(0.0) { $0 + Double($1.endNs - $1.submitNs) / 1e9 }
        #expect(abs(sumJct / Double(r.jobsCompleted) - r.jctMeanS) <= 1e-9 * r.jctMeanS)
    }
}
