import Center
import Configuration
import Foundation
import Records
import Scenario
import Testing
import Workloads

/// The synthetic city center against production GPU clusters (data/summaries/: AcmeTrace's
/// Seren, Kalos, Philly, Helios and PAI; Helios' Venus, Earth, Saturn, Uranus; REFERENCES.md §4).
@Suite struct CityCenterShapeTests {
    struct ClusterFigures { let name: String; let medianRunS, meanRunS, medianGPUs, meanGPUs: Double }

    /// Reads per-cluster GPU-job figures from both summary tables.
    static func productionClusters() throws -> [ClusterFigures] {
        var out: [ClusterFigures] = []
        for file in ["acmetrace_cluster_summary.csv", "helios_cluster_summary.csv"] {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent("data/summaries/\(file)"), encoding: .utf8)
            let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let header = lines[0]
            func col(_ name: String) -> Int { header.firstIndex(of: name)! }
            for row in lines.dropFirst() where row[0] != "total" {
                out.append(ClusterFigures(name: row[0], medianRunS: Double(row[col("med_run_time_gpu")])!,
                                          meanRunS: Double(row[col("avg_run_time_gpu")])!, medianGPUs: Double(row[col("med_gpu_num")])!,
                                          meanGPUs: Double(row[col("avg_gpu_num")])!))
            }
        }
        return out
    }

    /// Compares a week of the city center's non-inference jobs (the production clusters are
    /// training clusters) with the span of the nine clusters: median and mean run time, and
    /// median and mean accelerators per job, must each fall inside [min, max] over the
    /// clusters (median run 122–874 s, mean run 1,260–18,006 s, median 0.5–1 GPU, mean
    /// 0.68–26.8 GPUs); and run times are heavy-tailed (p99 over 20 × the median).
    @Test func cityCenterJobsAreShapedLikeProductionClusters() throws {
        let clusters = try Self.productionClusters()
        #expect(clusters.count == 9)
        let s = try shippedScenario("Scenarios/city-center.yaml", ["horizon=7d"])
        let sink = CollectingSink()
        let result = try CenterRun.run(s, sink: sink)
        let training = sink.jobs.filter { $0.kind != .inference && $0.state == .completed }
        #expect(training.count > 100_000)
        let runs = training.map { Double($0.endNs - $0.startNs) / 1e9 }.sorted()
        let sizes = sink.jobs.filter { $0.kind != .inference }.map { Double($0.accelerators) }.sorted()
        let medianRun = runs[runs.count / 2], meanRun = runs.reduce(0, +) / Double(runs.count)
        let medianSize = sizes[sizes.count / 2], meanSize = sizes.reduce(0, +) / Double(sizes.count)
        func within(_ v: Double, _ key: KeyPath<ClusterFigures, Double>) -> Bool {
            v >= clusters.map { $0[keyPath: key] }.min()! && v <= clusters.map { $0[keyPath: key] }.max()!
        }
        #expect(within(medianRun, \.medianRunS), "median run \(medianRun) s")
        #expect(within(meanRun, \.meanRunS), "mean run \(meanRun) s")
        #expect(within(medianSize, \.medianGPUs), "median size \(medianSize)")
        #expect(within(meanSize, \.meanGPUs), "mean size \(meanSize)")
        #expect(runs[runs.count * 99 / 100] > 20 * medianRun, "p99 \(runs[runs.count * 99 / 100]) s")
        #expect(sizes.last! >= 128, "the largest job has \(sizes.last!) accelerators")

        // Every job is accounted for (batch jobs in jobs_submitted, service replicas in
        // /deployments), and every application and job kind shows up.
        let replicas = sink.deployments.filter { $0.event == 0 }.count
        #expect(replicas > 0 && Int64(sink.jobs.count) == result.summary.jobsSubmitted + Int64(replicas))
        #expect(Set(sink.jobs.map(\.application)) == Set((0..<11).map { Int16($0) }))
        for kind in JobKind.allCases where kind != .generic {
            #expect(sink.jobs.contains { $0.kind == kind }, "no \(kind.name) job")
        }
        // Delivered compute adds up: per-application FLOPs sum to the total.
        let total = sink.jobs.reduce(0) { $0 + $1.flops }
        guard case .real(let delivered)? = result.summary.delivered.first(where: { $0.0 == "flop" })?.1 else {
            Issue.record("no delivered.flop")
            return
        }
        #expect(abs(total / delivered - 1) < 1e-9)
    }
}

/// The per-pool and per-tenant utilisation series add up to the center's.
@Suite struct GroupSeriesTests {
    @Test func poolAndTenantSeriesSumToTheTotals() throws {
        let s = try shippedScenario("Scenarios/city-center.yaml", ["horizon=12h"])
        let sink = CollectingSink()
        _ = try CenterRun.run(s, sink: sink)
        #expect(!sink.poolSamples.isEmpty && !sink.tenantSamples.isEmpty)
        /// Replays a step-function series and checks its sums against every total sample.
        func check(_ series: [GroupSample], _ what: String) {
            var latest: [Int16: GroupSample] = [:]
            var i = 0
            // Several total samples can share an instant (the initial one at 0); compare the last.
            let totals = sink.samples.enumerated().filter { k, t in k + 1 == sink.samples.count || sink.samples[k + 1].timeNs > t.timeNs }.map(\.1)
            for total in totals {
                while i < series.count, series[i].timeNs <= total.timeNs { latest[series[i].group] = series[i]; i += 1 }
                let running = latest.values.reduce(0) { $0 + Int($1.runningJobs) }
                let queued = latest.values.reduce(0) { $0 + Int($1.queuedJobs) }
                let busy = latest.values.reduce(0.0) { $0 + $1.busyAccelerators }
                #expect(running == Int(total.runningJobs) && queued == Int(total.queuedJobs), "\(what) at \(total.timeNs)")
                #expect(abs(busy - Double(total.busyAccelerators)) < 1e-6, "\(what) busy at \(total.timeNs)")   // whole devices only here
            }
        }
        check(sink.poolSamples, "pools")
        check(sink.tenantSamples, "tenants")
        #expect(zip(sink.poolSamples, sink.poolSamples.dropFirst()).allSatisfy { $0.timeNs < $1.timeNs || ($0.timeNs == $1.timeNs && $0.group < $1.group) })
    }
}
