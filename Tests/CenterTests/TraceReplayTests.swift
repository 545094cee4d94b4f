import Center
import Configuration
import Foundation
import Production
import Records
import Scenario
import Testing
import Workloads

@Suite struct TraceReplayTests {
    /// The NASA Ames iPSC/860 log (Parallel Workloads Archive, SWF, data/traces/): all 18,239
    /// jobs replay to completion on its 128 nodes, each user a tenant, and the mean utilisation
    /// equals the log's own Σ processors × run time / (128 × makespan), computed here from the
    /// file (the log's submit times are start times, so little waiting moves the end), to 0.5%.
    @Test func nasaSWFLogReplaysToCompletion() throws {
        let s = try shippedScenario("Scenarios/traces/nasa-ipsc-1993.yaml")
        let sink = CollectingSink()
        let r = try CenterRun.run(s, sink: sink).summary
        #expect(r.jobsSubmitted == 18_239 && r.jobsCompleted == 18_239)
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("data/traces/NASA-iPSC-1993-3.1-cln.swf"), encoding: .utf8)
        var nodeSeconds = 0.0, users = Set<Int>()
        for line in text.split(separator: "\n") where !line.hasPrefix(";") {
            let f = line.split(separator: " ").compactMap { Double($0) }
            nodeSeconds += f[3] * f[4]
            users.insert(Int(f[11]))
        }
        #expect(abs(r.utilizationMean / (nodeSeconds / (128 * r.makespanS)) - 1) < 0.005, "\(r.utilizationMean) against \(nodeSeconds / (128 * r.makespanS))")
        #expect(Set(sink.jobs.map(\.tenant)).count == users.count)
    }

    /// Alibaba cluster-trace-gpu-v2023 (data/traces/): every one of the 8,152 pods is accounted
    /// for, and with no waiting the mean utilisation equals the trace's own
    /// Σ num_gpu × gpu_milli/1000 × (deletion − start) / (6,212 GPUs × makespan), computed here from the CSV.
    @Test func alibaba2023ReplaysToCompletion() throws {
        let s = try shippedScenario("Scenarios/traces/alibaba-gpu-2023.yaml")
        // The scenario's server groups are the node list's, counted by (GPUs per node, model).
        let nodes = try String(contentsOf: repositoryRoot.appendingPathComponent("data/traces/v2023_openb_node_list_gpu_node.csv"), encoding: .utf8)
        var groups: [String: Int] = [:]
        for line in nodes.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            groups["\(f[4].lowercased())-\(f[3])", default: 0] += 1
        }
        #expect(groups == Dictionary(uniqueKeysWithValues: s.cluster.servers.map { ($0.name, $0.count) }))
        #expect(s.cluster.servers.allSatisfy { $0.name.hasSuffix("-\($0.acceleratorsPerServer)") })
        #expect(s.cluster.totalAccelerators == 6_212)
        let sink = CollectingSink()
        let r = try CenterRun.run(s, sink: sink).summary
        #expect(r.jobsSubmitted == 8_152 && sink.jobs.count == 8_152)
        #expect(r.jobsCompleted + r.jobsRejected + r.jobsUnfinished == r.jobsSubmitted)
        #expect(Set(sink.jobs.map(\.id)).count == 8_152)

        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("data/traces/v2023_openb_pod_list_default.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var gpuSeconds = 0.0, end = 0.0
        for f in rows {
            let start = Double(f[10].isEmpty ? f[8] : f[10])!, deleted = Double(f[9])!
            gpuSeconds += Double(f[3])! * Double(f[4])! / 1000 * (deleted - start)
            end = max(end, deleted)
        }
        #expect(r.waitMeanS == 0)
        #expect(abs(r.utilizationMean - gpuSeconds / (6_212 * end)) < 1e-12)
        #expect(r.makespanS == end)
    }

    /// "Beware of Fragmentation" (Weng et al., ATC'23) on the same trace: packing fractional
    /// requests onto shared GPUs (best fit) leaves less capacity stranded on partly used GPUs, and
    /// fewer partly used GPUs, than spreading them (an unused GPU first).
    @Test func packingFragmentsLessThanSpreading() throws {
        func run(_ placement: String) throws -> (stranded: Double, partial: Double) {
            let s = try shippedScenario("Scenarios/traces/alibaba-gpu-2023.yaml", ["scheduling.placement=\(placement)"])
            let r = try CenterRun.run(s, sink: NullSink()).summary
            guard case .object(let pool)? = r.pools.first?.1, case .real(let partial)? = pool.first(where: { $0.0 == "fragmented_devices_mean" })?.1 else {
                Issue.record("no pool fragmentation figures")
                return (0, 0)
            }
            #expect(r.jobsCompleted == 8_152)
            return (r.strandedCapacityMean, partial)
        }
        let pack = try run("pack"), spread = try run("spread")
        print("Alibaba 2023 fragmentation: stranded capacity pack \(pack.stranded) vs spread \(spread.stranded); partly used GPUs \(pack.partial) vs \(spread.partial)")
        #expect(pack.stranded > 0 && pack.stranded < spread.stranded)
        #expect(pack.partial < spread.partial)
    }

    /// Pollux workload-6: 160 jobs, each as long as its application's work model says on a T4.
    @Test func polluxWorkloadRunsWithWorkModelDurations() throws {
        let s = try shippedScenario("Scenarios/traces/pollux-workload-6.yaml")
        let sink = CollectingSink()
        let r = try CenterRun.run(s, sink: sink).summary
        #expect(r.jobsSubmitted == 160 && r.jobsCompleted == 160)
        let t4 = AcceleratorCatalog.builtIn(named: "T4")!
        let a = TraceImport.polluxApplications["imagenet"]!
        // The first imagenet job of the file: find it by model, check its run time.
        let names = try CenterRun.run(s, sink: NullSink()).names
        let imagenet = try #require(sink.jobs.first { $0.model >= 0 && names.models[Int($0.model)] == "imagenet" })
        let work = TrainingWork(family: a.family, parameters: a.parameters, flopsPerSample: a.flopsPerSample, samplesPerEpoch: a.samples,
                                epochs: a.epochs, globalBatch: 1, parallelism: Parallelism(data: Int(imagenet.accelerators)))
        let computeS = a.flopsPerSample * a.samples * a.epochs / (Double(imagenet.accelerators) * t4.peakFlopsPerS(.fp16) * 0.35)
        let runS = Double(imagenet.endNs - imagenet.startNs) / 1e9
        #expect(runS >= computeS * 0.999, "\(runS) s vs compute alone \(computeS) s")
        #expect(work.totalFlops == imagenet.flops)
    }

    /// `dist: trace` samples the Philly run times (83,154 values; median 1,186 s, mean
    /// 14,613 s per data/SOURCES.md): 20,000 draws land within 5% of the median and 10% of the mean.
    @Test func empiricalDistributionFromATraceFile() throws {
        let s = try shippedScenario("Scenarios/examples/philly-runtimes.yaml")
        let sink = CollectingSink()
        _ = try CenterRun.run(s, sink: sink)
        let runs = sink.jobs.filter { $0.state == .completed }.map { Double($0.endNs - $0.startNs) / 1e9 }.sorted()
        #expect(runs.count == 20_000)
        let median = runs[runs.count / 2], mean = runs.reduce(0, +) / Double(runs.count)
        #expect(abs(median / 1_186 - 1) < 0.05, "median \(median)")
        #expect(abs(mean / 14_613 - 1) < 0.10, "mean \(mean)")
    }

    /// A bad row is reported with the trace file and its line.
    @Test func badRowsNameFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("iccsim-trace-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = "submit_s,accelerators,duration_s,tenant\n0,1,60,a\n\n5,two,60,b\n"
        try csv.write(to: dir.appendingPathComponent("jobs.csv"), atomically: true, encoding: .utf8)
        let yaml = "cluster: {servers: [{count: 1, acceleratorsPerServer: 8}]}\nworkload:\n  traces: [{name: t, format: csv, file: jobs.csv}]\n"
        let path = dir.appendingPathComponent("s.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ScenarioLoader.load(path: path)
            Issue.record("a bad row was accepted")
        } catch let e as ScenarioError {
            #expect(e.description == "\(dir.path)/jobs.csv:4:1: column 'accelerators' is 'two'; expected a number")
        }
        try "submit_s,accelerators,duration_s,tenant\n0,1,60,a\n5,2,30,b\n".write(to: dir.appendingPathComponent("jobs.csv"), atomically: true, encoding: .utf8)
        let sink = CollectingSink()
        let run = try CenterRun.run(try ScenarioLoader.load(path: path).scenario, sink: sink)
        #expect(run.summary.jobsCompleted == 2 && run.names.tenants == ["a", "b"])
    }
}
