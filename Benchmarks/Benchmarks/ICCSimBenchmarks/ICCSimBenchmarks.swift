import Aggregation
import Benchmark
import Center
import Configuration
import Foundation
import Records
import Scenario
import Scheduling
import SimKernel

/// Kernel hold model at three queue sizes, and end-to-end runs (one million jobs; a city-center month).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal],
                                           scalingFactor: .mega, maxDuration: .seconds(20), maxIterations: 5)

    for pending in [1_000, 100_000, 1_000_000] {
        Benchmark("hold model, \(pending) pending (1M events)") { benchmark in
            var (kernel, model) = HoldModel.steadyState(pending: pending)
            benchmark.startMeasurement()
            model.run(events: 1_000_000, on: kernel)
            benchmark.stopMeasurement()
        }
    }

    // One scheduling decision (a job ends, the policy dispatches, the queue is refilled) with
    // 10,000 jobs waiting; the target is under 5 µs per decision.
    for policy in SchedulingPolicies.names {
        Benchmark("scheduler decision, \(policy), 10,000 queued (100k decisions)",
                  configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .kilo, maxIterations: 5)) { benchmark in
            var bench = SchedulerBenchmark(policy: policy, queued: 10_000)
            bench.run(decisions: 10_000)
            benchmark.startMeasurement()
            bench.run(decisions: 100_000)
            benchmark.stopMeasurement()
            blackHole(bench.waiting)
        }
    }

    // Pricing one 1 GiB ring all-reduce over 1,024 shuffled accelerators on a 2:1 leaf-spine
    // with 256 background streams (fabric, flow and solve included); the target is under 5 ms.
    Benchmark("collective, 1 GiB ring over 1,024 accelerators, 2:1, 256 streams",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .one, maxIterations: 50)) { benchmark in
        benchmark.startMeasurement()
        let seconds = CollectiveBenchmark().run()
        benchmark.stopMeasurement()
        blackHole(seconds)
    }

    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// One run of a scenario's simulation (no trace), measured.
    func center(_ name: String, _ file: String, _ overrides: [String], _ configuration: Benchmark.Configuration) {
        Benchmark(name, configuration: configuration) { benchmark in
            let s = try ScenarioLoader.load(path: root.appendingPathComponent(file).path, overrides: overrides).scenario
            benchmark.startMeasurement()
            let r = try CenterRun.run(s, sink: NullSink())
            benchmark.stopMeasurement()
            blackHole(r.summary.jobsCompleted)
        }
    }

    let endToEnd: [(name: String, file: String, overrides: [String])] = [
        ("center, 1M jobs on 10,000 accelerators", "Scenarios/bench/million-jobs.yaml", []),
        // Generating the eleven applications' jobs from their work models, and simulating them
        // (10,848 accelerators, one in five in inference pools), without contention or storage as
        // before the scenario set its fabric and storage on (with them: "scale: city center, 30
        // days, fabric and sized storage").
        ("city center, 30 days", "Scenarios/city-center.yaml", ["io.model=no_contention", "io.storage=null"]),
        // The national hub (97,632 accelerators) over three days.
        ("national hub, 3 days on 97,632 accelerators", "Scenarios/national-hub.yaml", ["horizon=3d"]),
    ]
    for run in endToEnd {
        center(run.name, run.file, run.overrides, .init(metrics: [.wallClock, .peakMemoryResident], scalingFactor: .one, maxIterations: 2))
    }

    // The scale figures (docs/performance.md, "Scale benchmarks and their thresholds"), one
    // iteration each, with static thresholds checked in (Benchmarks/Thresholds, `make bench`
    // checks them): a regression of more than a quarter in wall time or memory fails. Cost per
    // event at 1k, 10k and 100k accelerators with the same demand per accelerator (7 days each:
    // divide by the run's events), the national hub's month without the shared fabric and with
    // it, the city month with the fabric, and with the fabric and three storage tiers (a hot
    // tier of 32 Tb/s, and the default city's, sized at 1 GB/s per accelerator: 88 Tb/s,
    // docs/aggregation.md). The runs without storage leave the default city's out.
    func storageTiers(hotTbps: Int) -> String {
        "{tiers: [{name: hot, bandwidth: \(hotTbps)Tbps, iops: 200000000, keepFor: 7d}, {name: warm, bandwidth: 8Tbps, iops: 20000000, keepFor: 30d}, "
            + "{name: cold, bandwidth: 2Tbps, iops: 2000000}], smallFileAggregation: 16}"
    }
    let scale: [(name: String, file: String, overrides: [String])] = [
        ("scale: 1k accelerators, 7 days", "Scenarios/bench/small-center.yaml", ["horizon=7d"]),
        ("scale: 10k accelerators, 7 days", "Scenarios/city-center.yaml", ["horizon=7d", "io.model=no_contention", "io.storage=null"]),
        ("scale: 100k accelerators, 7 days", "Scenarios/national-hub.yaml", ["horizon=7d"]),
        ("scale: national hub, 30 days", "Scenarios/national-hub.yaml", []),
        // Its month with the shared fabric on (target: under 5 minutes).
        ("scale: national hub, 30 days, fabric", "Scenarios/national-hub.yaml", ["io.model=fabric"]),
        // Every training all-reduce on the shared fabric (the month `make bench` ran before the thresholds).
        ("scale: city center, 30 days, fabric", "Scenarios/city-center.yaml", ["io.model=fabric", "io.storage=null"]),
        ("scale: city center, 30 days, fabric and storage", "Scenarios/city-center.yaml", ["io.model=fabric", "io.storage=\(storageTiers(hotTbps: 32))"]),
        // The default city month.
        ("scale: city center, 30 days, fabric and sized storage", "Scenarios/city-center.yaml", []),
    ]
    let tolerance = BenchmarkThresholds(relative: [.p90: 25])
    for run in scale {
        center(run.name, run.file, run.overrides, .init(metrics: [.wallClock, .peakMemoryResident], warmupIterations: 0, scalingFactor: .one, maxIterations: 1,
                                                        thresholds: [.wallClock: tolerance, .peakMemoryResident: tolerance]))
    }
}
