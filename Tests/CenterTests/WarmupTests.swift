import Center
import Configuration
import Foundation
import Metrics
import Records
import Scenario
import Testing

/// The warm-up: the summary's job figures cover the jobs submitted after it and its time
/// averages the time after it; without one nothing changes.
@Suite struct WarmupTests {
    /// Reference: the run's own `/jobs` and `/pools` rows. Over the jobs submitted at or after
    /// the warm-up, the mean wait (started jobs) and mean completion time (completed jobs)
    /// recomputed from the rows equal the summary's; the utilisation recomputed from the pools'
    /// step series over [warm-up, end] equals its utilization_mean (relative error below 1e-9).
    @Test func figuresCoverWhatFollowsTheWarmup() throws {
        // A congested FIFO center (Philly run times), warm-up after the first 200 of 2,000 arrivals.
        let s = try shippedScenario("Scenarios/validation/heavy-tail-policies.yaml", ["workload.classes.0.jobs=2000", "warmup=33h"])
        let sink = CollectingSink()
        let summary = try CenterRun.run(s, sink: sink).summary
        let warmupNs: Int64 = 33 * 3_600_000_000_000
        let measured = sink.jobs.filter { $0.submitNs >= warmupNs }
        let started = measured.filter { $0.startNs >= 0 }
        let completed = measured.filter { $0.state == .completed }
        #expect(abs((summary.warmup?.seconds ?? 0) - 33 * 3600) < 1e-6)
        #expect(summary.warmup?.jobsMeasured == Int64(measured.count) && measured.count > 1000 && measured.count < 2000)
        #expect(summary.jobsSubmitted == 2000, "the counts stay the whole run's")
        let wait = started.reduce(0.0) { $0 + Double($1.startNs - $1.submitNs) } / Double(started.count) / 1e9
        let jct = completed.reduce(0.0) { $0 + Double($1.endNs - $1.submitNs) } / Double(completed.count) / 1e9
        #expect(abs(summary.waitMeanS / wait - 1) < 1e-9, "\(summary.waitMeanS) vs \(wait)")
        #expect(abs(summary.jctMeanS / jct - 1) < 1e-9, "\(summary.jctMeanS) vs \(jct)")
        // Utilisation after the warm-up, from each pool's busy-accelerator steps.
        let endNs = Int64((summary.makespanS * 1e9).rounded())
        var area = 0.0
        for pool in Set(sink.poolSamples.map(\.group)).sorted() {
            let steps = sink.poolSamples.filter { $0.group == pool }
            for (i, x) in steps.enumerated() {
                let from = max(x.timeNs, warmupNs), to = i + 1 < steps.count ? steps[i + 1].timeNs : endNs
                if to > from { area += Double(to - from) * x.busyAccelerators }
            }
        }
        let utilization = area / (Double(endNs - warmupNs) * Double(summary.accelerators))
        #expect(abs(summary.utilizationMean / utilization - 1) < 1e-9, "\(summary.utilizationMean) vs \(utilization)")
        #expect(summary.fields.contains { $0.0 == "warmup_s" } && summary.fields.contains { $0.0 == "jobs_measured" })
        // Without a warm-up the keys are not written.
        let plain = try CenterRun.run(try shippedScenario("Scenarios/city-center.yaml", ["horizon=2h"]), sink: NullSink()).summary
        #expect(plain.warmup == nil && !plain.fields.contains { $0.0 == "warmup_s" })
    }

    @Test func aWarmupMustLeaveSomethingToMeasure() {
        func error(_ overrides: [String]) -> String {
            do { _ = try shippedScenario("Scenarios/city-center.yaml", overrides); return "" } catch { return "\(error)" }
        }
        #expect(error(["horizon=1d", "warmup=1d"]).contains("warmup (1d) must be shorter than the horizon (1d)"))
        #expect(error(["warmup=-1h"]).contains("warmup must not be negative"))
    }
}
