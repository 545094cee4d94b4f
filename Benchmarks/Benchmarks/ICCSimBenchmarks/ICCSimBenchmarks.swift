import Benchmark
import Center
import Foundation
import Scenario
import SimKernel

/// Kernel hold model at three queue sizes, and the one-million-job end-to-end run.
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

    Benchmark("center, 1M jobs on 10,000 accelerators",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident], scalingFactor: .one, maxIterations: 2)) { benchmark in
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let s = try ScenarioLoader.load(path: root.appendingPathComponent("Scenarios/bench/million-jobs.yaml").path).scenario
        benchmark.startMeasurement()
        let r = try CenterRun.run(s, sink: NullSink())
        benchmark.stopMeasurement()
        blackHole(r.summary.jobsCompleted)
    }
}
