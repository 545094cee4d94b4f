import Center
import Configuration
import Foundation
import Records
import Scenario
import Testing

@Suite struct SharingTests {
    /// Worked by hand: one GPU; jobs of half a GPU (`gpu_milli` 500) and 1 h of work each. With a
    /// slowdown of 0.5 per co-located job, two sharing the GPU each run at 1/1.5 and end at
    /// 1.5 h. Oversubscribing the pool 2× lets four share it, each at 1/(1 + 3·0.5) = 0.4: 2.5 h.
    @Test(arguments: [(1.0, 2, 5_400.0), (2.0, 4, 9_000.0)])
    func coLocatedJobsSlowEachOther(oversubscription: Double, concurrent: Int, endS: Double) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("iccsim-sharing-\(getpid())-\(concurrent)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var csv = "submit_s,accelerators,duration_s,gpu_milli\n"
        for _ in 0..<4 { csv += "0,1,3600,500\n" }
        try csv.write(to: dir.appendingPathComponent("jobs.csv"), atomically: true, encoding: .utf8)
        let yaml = """
        cluster: {servers: [{count: 1, acceleratorsPerServer: 1}]}
        scheduling: {sharing: {slowdown: 0.5, pools: [{pool: general, oversubscription: \(oversubscription)}]}}
        workload: {traces: [{name: t, format: csv, file: jobs.csv}]}
        """
        let path = dir.appendingPathComponent("s.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let sink = CollectingSink()
        _ = try CenterRun.run(try ScenarioLoader.load(path: path).scenario, sink: sink)
        let first = sink.jobs.filter { $0.startNs == 0 }
        #expect(first.count == concurrent)
        #expect(first.allSatisfy { abs(Double($0.endNs) / 1e9 - endS) < 1e-6 }, "\(first.map { Double($0.endNs) / 1e9 })")
        #expect(sink.jobs.count == 4 && sink.jobs.allSatisfy { $0.state == .completed && $0.milli == 500 })
    }
}
