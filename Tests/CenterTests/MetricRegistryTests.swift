import Center
import Configuration
import Metrics
import Records
import Scenario
import Testing

/// The metric registry and the summaries runs write agree: every figure a run writes is
/// declared, and every declared figure is written by one of these runs (the default center, the
/// shared fabric, the storage system, request-level serving, lending with elastic jobs, quotas).
@Suite struct MetricRegistryTests {
    /// Dotted leaves of summary fields (`pools.training-h100.utilization_mean`).
    static func leaves(_ fields: [(String, SummaryValue)], prefix: String = "") -> [String] {
        fields.flatMap { k, v -> [String] in
            let path = prefix.isEmpty ? k : "\(prefix).\(k)"
            if case .object(let inner) = v { return leaves(inner, prefix: path) }
            return [path]
        }
    }

    @Test func everyFigureIsDeclaredAndEveryDeclarationIsWritten() throws {
        let runs: [(String, [String])] = [
            ("Scenarios/city-center.yaml", ["horizon=6h", "warmup=1h", "scheduling.policy=quota"]),
            ("Scenarios/examples/fabric-contention.yaml", ["workload.classes.0.jobs=40"]),
            ("Scenarios/examples/storage-tiers.yaml", ["horizon=6h"]),
            ("Scenarios/examples/llm-replay.yaml", ["horizon=20min"]),
            ("Scenarios/examples/elastic-serving.yaml", ["horizon=1d"]),
            ("Scenarios/examples/failures-and-spares.yaml", ["horizon=3d"]),
            ("Scenarios/examples/power-cap.yaml", ["horizon=6h"]),
        ]
        var written: Set<String> = []
        for (file, overrides) in runs {
            let summary = try CenterRun.run(try shippedScenario(file, overrides), sink: NullSink()).summary
            for key in Self.leaves(summary.fields) {
                #expect(MetricRegistry.metric(for: key) != nil, "\(file) writes '\(key)', which the registry does not declare")
                written.insert(key)
            }
        }
        for m in MetricRegistry.all {
            #expect(written.contains { m.matches($0) }, "the registry declares \(m.paths) but no run writes it")
        }
        // One declaration per key: the same word means the same thing everywhere.
        let keys = MetricRegistry.all.map(\.key).filter { $0 != "*" }
        #expect(Set(keys).count == keys.count)
    }
}
