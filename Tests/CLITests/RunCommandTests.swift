import Foundation
import Testing

@Suite(.serialized) struct RunCommandTests {
    @Test func defaultRunIsDeterministicAndSeedSensitive() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let a = tmp.appendingPathComponent("a"), b = tmp.appendingPathComponent("b")
        let c = tmp.appendingPathComponent("c"), p = tmp.appendingPathComponent("p")
        // The default is the 30-day city center; two days keep the test short.
        let short = ["--set", "horizon=2d"]
        let ra = try iccsim(["run", "--seed", "7", "--out", a.path] + short)
        #expect(ra.status == 0, "\(ra.stderr)")
        #expect(ra.stdout.contains("# ICCSim run: city-center (seed 7)"))
        // Counts are grouped by thousands for people (tens of thousands of jobs in two days).
        let submittedLine = ra.stdout.split(separator: "\n").first { $0.hasPrefix("| submitted | ") } ?? ""
        #expect(submittedLine.contains(","), "\(submittedLine)")
        #expect(ra.stderr.contains("events in"))
        #expect(try iccsim(["run", "--seed", "7", "--out", b.path, "--quiet"] + short).status == 0)
        #expect(try iccsim(["run", "--seed", "8", "--out", c.path, "--quiet"] + short).status == 0)
        #expect(try iccsim(["run", "--seed", "7", "--out", p.path, "--quiet", "--permute-ties"] + short).status == 0)
        for name in ["trace.h5", "summary.json"] {
            let fa = fileData(a.appendingPathComponent(name))
            #expect(fa != nil && fa == fileData(b.appendingPathComponent(name)), "same seed, same \(name)")
            #expect(fa == fileData(p.appendingPathComponent(name)), "permuted ties, same \(name)")
        }
        #expect(fileData(a.appendingPathComponent("trace.h5")) != fileData(c.appendingPathComponent("trace.h5")))
        let summary = try JSONSerialization.jsonObject(with: fileData(a.appendingPathComponent("summary.json"))!) as! [String: Any]
        for key in ["jobs_submitted", "jobs_completed", "jobs_rejected", "wait_mean_s", "wait_p50_s", "wait_p99_s", "jct_mean_s",
                    "jct_p50_s", "jct_p99_s", "utilization_mean", "makespan_s", "events_processed"] {
            #expect(summary[key] != nil, "summary.json lacks \(key)")
        }
        // Every job belongs to one of the eleven applications.
        let apps = try #require(summary["applications"] as? [String: [String: Any]])
        #expect(apps.count == 11)
        let perApp = apps.values.map { $0["jobs_submitted"] as? Int ?? 0 }.reduce(0, +)
        #expect(perApp > 10_000 && perApp == summary["jobs_submitted"] as? Int)
        let info = try JSONSerialization.jsonObject(with: fileData(a.appendingPathComponent("run-info.json"))!) as! [String: Any]
        #expect(info["wall_s"] != nil && info["events_per_s"] != nil)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: tmp.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "temporary directories left behind: \(leftovers)")
    }

    @Test func shippedScenariosRunWithPermutedTiesToTheSameSummary() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let requestLevel = ["--set", "horizon=3h", "--set", "workload.applications.0.services.0.fidelity=request"]
        for (scenario, extra) in [("Scenarios/examples/two-classes.yaml", []), ("Scenarios/examples/listed-jobs.yaml", []),
                                  ("Scenarios/examples/fabric-contention.yaml", []), ("Scenarios/examples/elastic-serving.yaml", []),
                                  ("Scenarios/examples/elastic-serving.yaml", requestLevel), ("Scenarios/examples/failures-and-spares.yaml", []),
                                  ("Scenarios/examples/model-parallel.yaml", [])] {
            let x = tmp.appendingPathComponent("x"), y = tmp.appendingPathComponent("y")
            #expect(try iccsim(["run", scenario, "--out", x.path, "--quiet"] + extra).status == 0)
            #expect(try iccsim(["run", scenario, "--out", y.path, "--quiet", "--permute-ties"] + extra).status == 0)
            for name in ["summary.json", "trace.h5"] {
                #expect(fileData(x.appendingPathComponent(name)) == fileData(y.appendingPathComponent(name)), "\(scenario): \(name)")
            }
            try FileManager.default.removeItem(at: x)
            try FileManager.default.removeItem(at: y)
        }
    }

    @Test func setOverridesWhatIf() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        // What if the city center had 512 more H100 servers (4,096 accelerators)?
        let r = try iccsim(["run", "--set", "horizon=1d", "--set", "cluster.servers.0.count=832", "--out", tmp.appendingPathComponent("o").path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try JSONSerialization.jsonObject(with: fileData(tmp.appendingPathComponent("o/summary.json"))!) as! [String: Any]
        #expect(s["accelerators"] as? Int == 10_848 + 4_096)
        let pools = try #require(s["pools"] as? [String: [String: Any]])
        #expect(pools["training-h100"]?["accelerators"] as? Int == 832 * 8)
    }

    /// The built-in default embeds Scenarios/city-center.yaml and the files it includes
    /// (scripts/embed-default-scenario.sh); both resolve to the same scenario.
    @Test func builtInDefaultEqualsTheShippedFile() throws {
        let builtIn = try iccsim(["validate", "--resolved"])
        let shipped = try iccsim(["validate", "--resolved", "Scenarios/city-center.yaml"])
        #expect(builtIn.status == 0 && shipped.status == 0, "\(builtIn.stderr)")
        #expect(!shipped.stdout.isEmpty && builtIn.stdout == shipped.stdout,
                "the built-in default differs from Scenarios/city-center.yaml: run scripts/embed-default-scenario.sh")
    }

    @Test func benchKernelJSON() throws {
        let r = try iccsim(["bench", "kernel", "--json", "--pending", "100,1000", "--events", "20000", "--repeats", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        #expect(rows.map { $0["pending"] as? Int } == [100, 1000])
        #expect(rows.allSatisfy { ($0["events_per_s"] as? Double ?? 0) > 0 && $0["ns_per_event"] != nil && $0["events"] as? Int == 20000 })
    }

    /// What-ifs land side by side: runs of one scenario without overrides, with --policy and
    /// with --set write three default directories (the plain one `NAME-seedN`, the others with
    /// the policy and a hash of the overrides), and record their overrides in run-info.json and
    /// the trace; `iccsim diff` of two of them lists the changed figures with relative change,
    /// as Markdown on request, warns when seeds differ, and exits 0 (no verdict).
    @Test func whatIfsLandApartAndDiffShowsWhatChanged() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let scenario = repositoryRoot.appendingPathComponent("Scenarios/examples/two-classes.yaml").path
        let small = ["--set", "workload.classes.1.jobs=400"]
        #expect(try iccsim(["run", scenario, "-q"], in: tmp).status == 0)
        #expect(try iccsim(["run", scenario, "-q", "--policy", "sjf"] + small, in: tmp).status == 0)
        #expect(try iccsim(["run", scenario, "-q"] + small, in: tmp).status == 0)
        let dirs = try FileManager.default.contentsOfDirectory(atPath: tmp.appendingPathComponent("Results").path).sorted()
        #expect(dirs.count == 3 && dirs.contains("two-classes-seed1") && dirs.contains { $0.hasPrefix("two-classes-seed1-sjf-") }, "\(dirs)")
        let sjf = tmp.appendingPathComponent("Results").appendingPathComponent(dirs.first { $0.hasPrefix("two-classes-seed1-sjf-") }!)
        let fifo = tmp.appendingPathComponent("Results").appendingPathComponent(dirs.first { $0.hasPrefix("two-classes-seed1-fifo-") }!)
        let info = String(decoding: fileData(sjf.appendingPathComponent("run-info.json"))!, as: UTF8.self)
        #expect(info.contains("workload.classes.1.jobs=400") && info.contains("scheduling.policy=sjf"))
        let trace = String(decoding: fileData(sjf.appendingPathComponent("trace.h5"))!, as: UTF8.self)
        #expect(trace.contains("workload.classes.1.jobs=400\nscheduling.policy=sjf"), "the trace's overrides attribute")
        let md = String(decoding: fileData(sjf.appendingPathComponent("summary.md"))!, as: UTF8.self)
        #expect(md.contains("Overrides: `workload.classes.1.jobs=400`, `scheduling.policy=sjf`."), "\(md.prefix(300))")

        let d = try iccsim(["diff", fifo.path, sjf.path])
        #expect(d.status == 0 && d.stdout.contains("wait_mean_s") && d.stdout.contains("%") && !d.stdout.contains("warning"), "\(d.stdout)")
        let table = try iccsim(["diff", fifo.appendingPathComponent("summary.json").path, sjf.path, "--format", "markdown"])
        #expect(table.status == 0 && table.stdout.contains("|---|---:|"))
        let seed2 = tmp.appendingPathComponent("seed2")
        #expect(try iccsim(["run", scenario, "-q", "--seed", "2", "--out", seed2.path] + small, in: tmp).status == 0)
        let w = try iccsim(["diff", fifo.path, seed2.path])
        #expect(w.status == 0 && w.stdout.contains("warning: the runs' seeds differ"))
        #expect(try iccsim(["diff", fifo.path, tmp.appendingPathComponent("nothing").path]).status == 2)
    }

    /// Progress: `--progress` prints plain lines on stderr (stages, simulated time and share of
    /// the horizon, events per second, time left) even on a pipe; without it a pipe gets none,
    /// and the results are the same bytes either way.
    @Test func progressLinesOnRequestOnly() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let a = tmp.appendingPathComponent("a"), b = tmp.appendingPathComponent("b")
        let shown = try iccsim(["run", "--set", "horizon=2d", "--out", a.path, "-q", "--progress"])
        #expect(shown.status == 0)
        let lines = shown.stderr.split(separator: "\n").filter { $0.hasPrefix("iccsim: simulating: ") }
        #expect(!lines.isEmpty && lines.allSatisfy { $0.contains("% ") || $0.contains("%)") } && shown.stderr.contains("iccsim: writing the trace"), "\(shown.stderr)")
        let quiet = try iccsim(["run", "--set", "horizon=2d", "--out", b.path, "-q"])
        #expect(quiet.status == 0 && !quiet.stderr.contains("simulating"))
        for name in ["trace.h5", "summary.json"] {
            #expect(fileData(a.appendingPathComponent(name)) == fileData(b.appendingPathComponent(name)), "progress changed \(name)")
        }
    }

    /// On a terminal (a pseudo-terminal from script(1)), the progress line is rewritten in
    /// place and advances; on a pipe there is none.
    @Test func progressOnATerminalAdvancesAndNoneOnAPipe() throws {
        let script = "/usr/bin/script"
        try #require(FileManager.default.isExecutableFile(atPath: script), "script(1) (util-linux, essential in Debian) runs iccsim on a terminal")
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let command = [iccsimPath, "run", "--set", "horizon=3d", "--out", tmp.appendingPathComponent("tty").path]
            .map { "'" + $0 + "'" }.joined(separator: " ") + " >/dev/null"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: script)
        p.arguments = ["-qefc", command, "/dev/null"]
        p.currentDirectoryURL = repositoryRoot
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let raw = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(raw.suffix(300))")
        // Each state is written after a carriage return and an erase-line; the simulated time advances.
        let states = raw.components(separatedBy: "\r\u{1B}[K").compactMap { piece -> String? in
            let line = piece.split(separator: "\n").first.map(String.init) ?? ""
            return line.hasPrefix("iccsim: simulating: ") ? line : nil
        }
        // The share of the horizon, "(15%)", rises from state to state.
        let shares = states.compactMap { line in line.range(of: #"\((\d+)%\)"#, options: .regularExpression).flatMap { Int(line[$0].dropFirst().dropLast(2)) } }
        #expect(shares.count == states.count && Set(shares).count >= 2 && shares == shares.sorted(), "\(states)")
        #expect(states.contains { $0.contains("events/s") && $0.contains("of 3.0 d (") })
        let piped = try iccsim(["run", "--set", "horizon=3d", "--out", tmp.appendingPathComponent("pipe").path])
        #expect(piped.status == 0 && !piped.stderr.contains("simulating") && !piped.stderr.contains("\u{1B}["), "\(piped.stderr)")
    }
}
