import Foundation
import Testing

/// Hostile input through the CLI: numbers too large for the model, runaway demand, and
/// malformed files are all bad input (exit 2) located at their file, line and column; never a
/// crash, never a run that fills the machine.
@Suite struct InputTrustTests {
    /// A one-class scenario: line 6 is the servers' count, 7 their accelerators, 13 the class's.
    static func small(accelerators: String, count: String, perServer: String) -> String {
        """
        name: small
        seed: 1
        cluster:
          servers:
            - name: training
              count: \(count)
              acceleratorsPerServer: \(perServer)
        workload:
          classes:
            - name: training
              jobs: 200
              interarrival: {dist: exponential, mean: 2min}
              accelerators: \(accelerators)
              duration: {dist: lognormal, median: 1h, sigma: 1.0}
        scheduling:
          policy: fifo

        """
    }

    /// Runs `validate` and `run` on `text` saved as `name`, expecting exit 2 and `expected` (a
    /// location) in both messages, and no output directory.
    static func rejected(_ name: String, _ text: String, _ expected: String, extra: [String] = []) throws {
        let w = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: w) }
        try Data(text.utf8).write(to: w.appendingPathComponent(name))
        let v = try iccsim(["validate", name] + extra, in: w)
        #expect(v.status == 2 && v.stderr.contains(expected), "validate \(name): exit \(v.status): \(v.stderr)")
        let r = try iccsim(["run", name, "--set", "horizon=1h", "--out", "out", "--quiet"] + extra, in: w)
        #expect(r.status == 2 && r.stderr.contains(expected), "run \(name): exit \(r.status): \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: w.appendingPathComponent("out").path))
    }

    @Test func numbersTooLargeForTheModelAreLocated() throws {
        try Self.rejected("acc.yaml", Self.small(accelerators: "1.797e308", count: "4", perServer: "8"), "acc.yaml:13:")
        try Self.rejected("acc2.yaml", Self.small(accelerators: "{dist: uniform, min: 1, max: 1e12}", count: "4", perServer: "8"), "acc2.yaml:13:")
        try Self.rejected("servers.yaml", Self.small(accelerators: "1", count: "10000000", perServer: "1024"), "servers.yaml:6:")
        try Self.rejected("center.yaml", Self.small(accelerators: "1", count: "1000000", perServer: "1024"), "center.yaml:6:")
        try Self.rejected("time.yaml", Self.small(accelerators: "1", count: "4", perServer: "8").replacingOccurrences(of: "median: 1h", with: "median: 1000000d"),
                          "time.yaml:14:")
    }

    @Test func traceNumbersTooLargeAreLocatedInTheCSV() throws {
        let w = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: w) }
        let pods = try String(contentsOf: repositoryRoot.appendingPathComponent("data/traces/v2023_openb_pod_list_default.csv"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        let bad = (pods[0..<4] + ["openb-pod-9999,12000,16384,18446744073709551616,1000,,LS,Running,2000000,12902960,2000000"] + pods[4..<8]).joined(separator: "\n")
        try bad.write(to: w.appendingPathComponent("pods.csv"), atomically: true, encoding: .utf8)
        try """
        name: pods
        cluster: {servers: [{name: g, count: 4, acceleratorsPerServer: 8}]}
        workload:
          traces:
            - {name: openb, format: alibaba-gpu-2023, file: pods.csv}
        """.write(to: w.appendingPathComponent("pods.yaml"), atomically: true, encoding: .utf8)
        let v = try iccsim(["validate", "pods.yaml"], in: w)
        #expect(v.status == 2 && v.stderr.contains("pods.csv:5:") && v.stderr.contains("num_gpu"), "\(v.stderr)")

        let requests = try String(contentsOf: repositoryRoot.appendingPathComponent("data/inference/vidur_splitwise_conv.csv"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        try ((requests[0..<4] + ["4.6,1e999,20"] + requests[4..<40]).joined(separator: "\n")).write(to: w.appendingPathComponent("requests.csv"), atomically: true, encoding: .utf8)
        let table = repositoryRoot.appendingPathComponent("data/inference/splitwise_sim_perf_model.csv").path
        let s = try iccsim(["serve", "--trace", "requests.csv", "--table", table], in: w)
        #expect(s.status == 2 && s.stderr.contains("requests.csv:5:") && s.stderr.contains("num_prefill_tokens"), "\(s.stderr)")
    }

    @Test func runawayDemandIsRefusedBeforeItRuns() throws {
        let w = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: w) }
        let twoClasses = repositoryRoot.appendingPathComponent("Scenarios/examples/two-classes.yaml").path
        let tiny = ["--set", "workload.classes.0.jobs=null", "--set", "workload.classes.0.interarrival=1ns", "--set", "horizon=2h"]
        let v = try iccsim(["validate", twoClasses] + tiny)
        #expect(v.status == 2 && v.stderr.contains("workload.classes[0].interarrival would generate about 7.2e+12 jobs"), "\(v.stderr)")
        let r = try iccsim(["run", twoClasses, "--out", w.appendingPathComponent("o").path, "--quiet"] + tiny)
        #expect(r.status == 2 && r.stderr.contains("--max-jobs"), "\(r.stderr)")
        // In a file, the message points at its line.
        let city = try String(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/applications/chip-design.yaml"), encoding: .utf8)
        let line = city.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("perDay:") }!
        let bumped = city.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { i, l in
            i == line ? l.replacingOccurrences(of: #"perDay: [0-9.e+]+"#, with: "perDay: 1e9", options: .regularExpression) : String(l)
        }.joined(separator: "\n")
        try bumped.write(to: w.appendingPathComponent("chip.yaml"), atomically: true, encoding: .utf8)
        let c = try iccsim(["validate", "chip.yaml"], in: w)
        #expect(c.status == 2 && c.stderr.contains("chip.yaml:\(line + 1):"), "\(c.stderr)")
        // A higher limit lets it through validation.
        #expect(try iccsim(["validate", "chip.yaml", "--max-jobs", "1e12"], in: w).status == 0)
    }

    @Test func malformedFilesAreLocated() throws {
        let jobs = "workload:\n  classes:\n    - {name: c, jobs: 10, interarrival: 1min, accelerators: 1, duration: 1h}\n"
        let cases: [(String, String, String)] = [
            ("empty.yaml", "", "empty.yaml:1:1: empty scenario"),
            ("blank.yaml", "  \n\n   \n", "blank.yaml:1:1: empty scenario"),
            ("dup.yaml", "name: dup\nseed: 1\nname: again\ncluster:\n  servers:\n    - {name: a, count: 2, acceleratorsPerServer: 8}\n" + jobs,
             "dup.yaml:3:1: duplicate key 'name' (first at 1:1)"),
            ("dup2.yaml", "name: d\ncluster:\n  servers:\n    - {name: a, count: 2, count: 3, acceleratorsPerServer: 8}\n" + jobs,
             "dup2.yaml:4:27: duplicate key 'count' (first at 4:17)"),
            ("ctl.yaml", "name: u\ncluster:\n  servers:\n    - {name: \"a\u{01}b\", count: 2, acceleratorsPerServer: 8}\n" + jobs,
             "ctl.yaml:4:16: control character U+0001"),
            ("bomb.yaml", (["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + (1...8).map { k in "a\(k): &a\(k) [" + Array(repeating: "*a\(k - 1)", count: 10).joined(separator: ", ") + "]" })
                .joined(separator: "\n") + "\n", "bomb.yaml:1:1: the file expands to more than"),
        ]
        for (name, text, expected) in cases {
            try Self.rejected(name, text, expected)
        }
        // Bytes that are not UTF-8, at their line and column.
        var bytes = Data("name: u\ncluster:\n  servers:\n    - {name: ".utf8)
        bytes.append(contentsOf: [0xFF, 0xFE])
        bytes.append(Data(", count: 2, acceleratorsPerServer: 8}\n\(jobs)".utf8))
        let w = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: w) }
        try bytes.write(to: w.appendingPathComponent("utf.yaml"))
        let u = try iccsim(["validate", "utf.yaml"], in: w)
        #expect(u.status == 2 && u.stderr.contains("utf.yaml:4:14: the file is not UTF-8 text"), "\(u.stderr)")
    }

    @Test func messagesAreShortAndPrintable() throws {
        let w = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: w) }
        let scenario = Self.small(accelerators: "1", count: "4", perServer: "8")
        try scenario.replacingOccurrences(of: "policy: fifo", with: "policy: " + String(repeating: "A", count: 1_000_000))
            .write(to: w.appendingPathComponent("long.yaml"), atomically: true, encoding: .utf8)
        let long = try iccsim(["validate", "long.yaml"], in: w)
        #expect(long.status == 2 && long.stderr.utf8.count < 2_000 && long.stderr.contains("long.yaml:16:"), "\(long.stderr.utf8.count) bytes")
        try scenario.replacingOccurrences(of: "policy: fifo", with: "policy: \"a\\u0007b\"").write(to: w.appendingPathComponent("bell.yaml"), atomically: true, encoding: .utf8)
        let bell = try iccsim(["validate", "bell.yaml"], in: w)
        #expect(bell.status == 2 && bell.stderr.contains("a\\x07b") && !bell.stderr.contains("\u{07}"), "\(bell.stderr)")
        let seed = try iccsim(["run", "--seed", "-1", "--quiet"], in: w)
        #expect(seed.status == 2 && seed.stderr.contains("seeds are non-negative integers"), "\(seed.stderr)")
    }

    /// A misspelt key in an include entry and a bad value in a sweep file are reported in the
    /// file that holds them, not as `--set`.
    @Test func includeEntriesAndSweepValuesAreLocatedInTheirFiles() throws {
        let w = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: w) }
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Scenarios/applications"), to: w.appendingPathComponent("applications"))
        let city = try String(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/city-center.yaml"), encoding: .utf8)
        let lines = city.split(separator: "\n", omittingEmptySubsequences: false)
        let n = lines.firstIndex { $0.contains("include: applications/") && $0.contains("scale:") }!
        try lines.enumerated().map { $0.offset == n ? $0.element.replacingOccurrences(of: "scale:", with: "scael:") : String($0.element) }
            .joined(separator: "\n").write(to: w.appendingPathComponent("city.yaml"), atomically: true, encoding: .utf8)
        let inc = try iccsim(["validate", "city.yaml"], in: w)
        #expect(inc.status == 2 && inc.stderr.contains("city.yaml:\(n + 1):") && inc.stderr.contains("did you mean 'scale'"), "\(inc.stderr)")

        try FileManager.default.copyItem(atPath: OutputSafetyTests.small, toPath: w.appendingPathComponent("base.yaml").path)
        try "name: bad-sweep\nbase: base.yaml\nseed: 7\nreplicates: 1\nset:\n  horizon: 1h\ngrid:\n  - {key: scheduling.policy, values: [fifo, nosuch]}\n"
            .write(to: w.appendingPathComponent("sweep.yaml"), atomically: true, encoding: .utf8)
        let sweep = try iccsim(["validate", "sweep.yaml"], in: w)
        #expect(sweep.status == 2 && sweep.stderr.contains("sweep.yaml:8:45:") && sweep.stderr.contains("nosuch"), "\(sweep.stderr)")
    }

    /// `compare` reads only summaries in directories, and warns across seeds.
    @Test func compareReadsSummariesAndWarnsAcrossSeeds() throws {
        let w = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: w) }
        for (name, seed) in [("a", "1"), ("c", "2")] {
            #expect(try iccsim(["run", OutputSafetyTests.small, "--set", "horizon=6h", "--seed", seed, "--out", w.appendingPathComponent(name).path, "--quiet"]).status == 0)
        }
        try FileManager.default.copyItem(at: w.appendingPathComponent("a"), to: w.appendingPathComponent("b"))
        #expect(try iccsim(["export", "timeline", w.appendingPathComponent("a").path]).status == 0)
        let same = try iccsim(["compare", w.appendingPathComponent("a").path, w.appendingPathComponent("b").path])
        #expect(same.status == 0 && !same.stderr.contains("warning"), "\(same.stdout)\(same.stderr)")
        let other = try iccsim(["compare", w.appendingPathComponent("b/summary.json").path, w.appendingPathComponent("c/summary.json").path])
        #expect(other.stderr.contains("warning") && other.stderr.contains("differ in seed (1 vs 2)"), "\(other.stderr)")
    }
}

/// The exact gate: a deterministic rerun must reproduce every figure.
@Suite struct ExactCompareTests {
    @Test func anyDifferenceFailsIncludingImprovements() throws {
        let w = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: w) }
        let base = w.appendingPathComponent("base.json"), better = w.appendingPathComponent("better.json")
        try #"{"scenario": "s", "seed": 1, "wait_mean_s": 10.0, "events_processed": 100}"#.write(to: base, atomically: true, encoding: .utf8)
        try #"{"scenario": "s", "seed": 1, "wait_mean_s": 9.0, "events_processed": 100}"#.write(to: better, atomically: true, encoding: .utf8)
        let tolerant = try iccsim(["compare", base.path, better.path])
        #expect(tolerant.status == 0 && tolerant.stdout.contains("improved"), "\(tolerant.stdout)")
        let exact = try iccsim(["compare", base.path, better.path, "--exact"])
        #expect(exact.status == 1 && exact.stdout.contains("CHANGED") && exact.stdout.contains("wait_mean_s"), "\(exact.stdout)")
        try #"{"scenario": "s", "seed": 1, "wait_mean_s": 10.0, "events_processed": 101}"#.write(to: better, atomically: true, encoding: .utf8)
        #expect(try iccsim(["compare", base.path, better.path, "--exact"]).status == 1)
        #expect(try iccsim(["compare", base.path, base.path, "--exact"]).stdout.contains("no difference"))
    }
}
