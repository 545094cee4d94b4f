import Foundation
import Testing

/// `iccsim sweep plan|run|collect|slurm` through the CLI.
@Suite(.serialized) struct SweepTests {
    /// A 2 × 2 grid with 3 replicates (12 runs) on a small two-class center.
    static func sweepFile(in dir: URL, extra: String = "") throws -> String {
        let base = URL(fileURLWithPath: "Scenarios/examples/two-classes.yaml").standardizedFileURL.path
        let text = """
            name: small
            base: \(base)
            seed: 7
            replicates: 3
            set:
              workload.classes.0.jobs: 20
              workload.classes.1.jobs: 200
            grid:
              - {key: scheduling.policy, values: [fifo, sjf]}
              - {key: cluster.servers.0.count, values: [32, 64]}
            \(extra)
            """
        let path = dir.appendingPathComponent("small.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Reference: the uninterrupted, unsharded sweep. A sweep whose first attempt ran only half
    /// of its runs (and left a killed run's working directory behind) resumes, skips what is
    /// done, and collects the same sweep.csv and runs.csv bytes; so does the same sweep run as
    /// four Slurm array shards (SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT). Seeds never
    /// depend on the shard.
    @Test func resumedAndShardedSweepsCollectTheSameBytes() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let file = try Self.sweepFile(in: tmp)
        func plan(_ name: String) throws -> URL {
            let dir = tmp.appendingPathComponent(name)
            let r = try iccsim(["sweep", "plan", file, "--out", dir.path])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("12 runs (4 configurations x 3 replicates)"))
            return dir
        }
        func collect(_ dir: URL) throws -> (Data?, Data?) {
            let r = try iccsim(["sweep", "collect", dir.path])
            #expect(r.status == 0, "\(r.stderr)")
            return (fileData(dir.appendingPathComponent("sweep.csv")), fileData(dir.appendingPathComponent("runs.csv")))
        }
        let whole = try plan("whole")
        #expect(try iccsim(["sweep", "run", whole.path, "--jobs", "2"]).status == 0)
        let reference = try collect(whole)
        #expect(reference.0 != nil && reference.1 != nil)

        // Interrupted: half the runs (shard 0 of 2), plus the hidden working directory of a run
        // that was killed before it committed.
        let resumed = try plan("resumed")
        #expect(try iccsim(["sweep", "run", resumed.path, "--shard", "0/2"]).status == 0)
        let half = try collect(resumed)
        #expect(half.0 != reference.0)
        let planText = try String(contentsOf: resumed.appendingPathComponent("plan.csv"), encoding: .utf8)
        let secondRun = planText.split(separator: "\n")[2].split(separator: ",")[1]
        // What a run killed with SIGKILL leaves: its working directory, marked with its host and
        // (now dead) process.
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let stale = resumed.appendingPathComponent("runs/.\(secondRun).tmp-\(dead.processIdentifier)")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        try "\(String(cString: host)) \(dead.processIdentifier)\n".write(to: stale.appendingPathComponent(".iccsim-incomplete"), atomically: true, encoding: .utf8)
        let again = try iccsim(["sweep", "run", resumed.path, "--jobs", "2"])
        #expect(again.status == 0 && again.stderr.contains("6 runs to do, 6 already done"), "\(again.stderr)")
        #expect(try collect(resumed) == reference)
        #expect(try iccsim(["sweep", "run", resumed.path]).stderr.contains("0 runs to do, 12 already done"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: resumed.appendingPathComponent("runs").path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")

        let sharded = try plan("sharded")
        for i in 0..<4 {
            let r = try iccsim(["sweep", "run", sharded.path], environment: ["SLURM_ARRAY_TASK_ID": "\(i)", "SLURM_ARRAY_TASK_COUNT": "4"])
            #expect(r.status == 0 && r.stderr.contains("sweep \(i)/4: 3 runs to do"), "\(r.stderr)")
        }
        #expect(try collect(sharded) == reference)

        // The table: parameters first, then means and CIs over the 3 replicates.
        let csv = String(decoding: reference.0!, as: UTF8.self).split(separator: "\n")
        #expect(csv.count == 5)
        #expect(csv[0].hasPrefix("scheduling.policy,cluster.servers.0.count,runs_planned,runs_complete,accelerators_mean,accelerators_ci95,"))
        #expect(csv[1].hasPrefix("fifo,32,3,3,256.0,0.0,"))
        #expect(fileData(whole.appendingPathComponent("sweep.h5")) != nil)
    }

    /// A Slurm array script with the partition, time limit and concurrency given.
    /// `collect --metrics`: nested figures by key path or glob, in summary order; a pattern that
    /// matches nothing is refused with exit 2 and nothing rewritten.
    @Test func collectChosenMetrics() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let dir = tmp.appendingPathComponent("s")
        #expect(try iccsim(["sweep", "plan", try Self.sweepFile(in: tmp), "--out", dir.path]).status == 0)
        #expect(try iccsim(["sweep", "run", dir.path, "--jobs", "2"]).status == 0)
        let r = try iccsim(["sweep", "collect", dir.path, "--metrics", "pools.*.utilization_mean", "--metrics", "wait_p99_s"])
        #expect(r.status == 0, "\(r.stderr)")
        let header = try String(contentsOf: dir.appendingPathComponent("sweep.csv"), encoding: .utf8).split(separator: "\n")[0]
        let columns = header.split(separator: ",").map(String.init)
        #expect(columns.contains("wait_p99_s_mean") && columns.contains("wait_p99_s_ci95"), "\(header)")
        #expect(columns.contains { $0.hasPrefix("pools.") && $0.hasSuffix(".utilization_mean_mean") }, "\(header)")
        #expect(!columns.contains("jobs_submitted_mean") && !columns.contains("pools.\u{2a}.utilization_mean_mean"), "only what was asked: \(header)")
        let runs = try String(contentsOf: dir.appendingPathComponent("runs.csv"), encoding: .utf8)
        let bad = try iccsim(["sweep", "collect", dir.path, "--metrics", "wait_mean"])
        #expect(bad.status == 2 && bad.stderr.contains("--metrics 'wait_mean' matches no numeric figure") && bad.stderr.contains("did you mean"), "\(bad.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("runs.csv"), encoding: .utf8) == runs, "a refused collect rewrites nothing")
    }

    /// `sweep status`: planned, done, failed, running (a marked temporary of a live process)
    /// and left, with the run time left at the pace of the runs done.
    @Test func statusCountsTheRuns() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let dir = tmp.appendingPathComponent("s")
        #expect(try iccsim(["sweep", "plan", try Self.sweepFile(in: tmp), "--out", dir.path]).status == 0)
        #expect(try iccsim(["sweep", "run", dir.path, "--shard", "0/3"]).status == 0)   // runs 0, 3, 6, 9 of 12
        let runs = dir.appendingPathComponent("runs")
        let names = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names.count == 4)
        let plan = try String(contentsOf: dir.appendingPathComponent("plan.csv"), encoding: .utf8)
        let keys = plan.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[1]) }.filter { !names.contains($0) }
        // One failed run, and one being written by a live process of this host (this test).
        try "exit 1\n".write(to: runs.appendingPathComponent("\(keys[0]).failed"), atomically: true, encoding: .utf8)
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).replacingOccurrences(of: " ", with: "_")
        let pid = ProcessInfo.processInfo.processIdentifier
        let working = runs.appendingPathComponent(".\(keys[1]).tmp-\(pid)")
        try FileManager.default.createDirectory(at: working, withIntermediateDirectories: true)
        try "\(hostName) \(pid)\n".write(to: working.appendingPathComponent(".iccsim-incomplete"), atomically: true, encoding: .utf8)
        let r = try iccsim(["sweep", "status", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        for line in ["12 runs planned (4 configurations)", "done     4", "failed   1", "running  1", "to run   6", "of run time left"] {
            #expect(r.stdout.contains(line), "\(line): \(r.stdout)")
        }
        #expect(try iccsim(["sweep", "status", tmp.path]).status == 2)
    }

    /// A warm-up for every run of a sweep (`warmup:`), and for one run (`run --warmup`): the
    /// summaries state it.
    @Test func warmupInSweepsAndRuns() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let dir = tmp.appendingPathComponent("s")
        #expect(try iccsim(["sweep", "plan", try Self.sweepFile(in: tmp, extra: "warmup: 10min"), "--out", dir.path]).status == 0)
        #expect(try iccsim(["sweep", "run", dir.path, "--shard", "0/12"]).status == 0)
        let runs = dir.appendingPathComponent("runs")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).first { !$0.hasPrefix(".") })
        let summary = try String(contentsOf: runs.appendingPathComponent(name).appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(summary.contains("\"warmup_s\": 600"), "\(summary.prefix(600))")
        let both = tmp.appendingPathComponent("both.yaml")
        try "name: both\nbase: \(URL(fileURLWithPath: "Scenarios/examples/two-classes.yaml").standardizedFileURL.path)\nwarmup: 10min\nset: {warmup: 5min}\n"
            .write(to: both, atomically: true, encoding: .utf8)
        let twice = try iccsim(["sweep", "plan", both.path, "--out", tmp.appendingPathComponent("t").path])
        #expect(twice.status == 2 && twice.stderr.contains("both.yaml:3:") && twice.stderr.contains("warmup is given both here and under set"), "\(twice.stderr)")
        let out = tmp.appendingPathComponent("r")
        let r = try iccsim(["run", "Scenarios/examples/two-classes.yaml", "--warmup", "1h", "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8).contains("\"warmup_s\": 3600"))
        #expect(try iccsim(["run", "Scenarios/examples/two-classes.yaml", "--warmup", "soon", "--out", tmp.appendingPathComponent("x").path]).status == 2)
    }

    @Test func slurmScript() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let dir = tmp.appendingPathComponent("s")
        #expect(try iccsim(["sweep", "plan", try Self.sweepFile(in: tmp), "--out", dir.path]).status == 0)
        let r = try iccsim(["sweep", "slurm", dir.path, "--tasks", "4", "--concurrency", "2", "--partition", "debug", "--time", "00:30:00",
                            "--account", "proj-17", "--qos", "high", "--mem", "16G", "--constraint", "gpu&ib"])
        #expect(r.status == 0, "\(r.stderr)")
        let script = try String(contentsOf: dir.appendingPathComponent("sweep.sbatch"), encoding: .utf8)
        for line in ["#SBATCH --array=0-3%2", "#SBATCH --partition=debug", "#SBATCH --time=00:30:00", "--shard \"$SLURM_ARRAY_TASK_ID/4\"",
                     "#SBATCH --account=proj-17", "#SBATCH --qos=high", "#SBATCH --mem=16G", "#SBATCH --constraint=gpu&ib"] {
            #expect(script.contains(line), "\(line)")
        }
        #expect(try iccsim(["sweep", "slurm", dir.path, "--time", "soon"]).status == 2)
        // --collect: a job that collects the sweep, to submit after the array.
        let c = try iccsim(["sweep", "slurm", dir.path, "--tasks", "4", "--account", "proj-17", "--collect"])
        #expect(c.status == 0 && c.stdout.contains("sbatch --dependency=afterany:ARRAY_JOB"), "\(c.stdout)")
        let collector = try String(contentsOf: dir.appendingPathComponent("collect.sbatch"), encoding: .utf8)
        #expect(collector.contains("#SBATCH --account=proj-17") && collector.contains("sweep collect '\(dir.standardizedFileURL.path)'"), "\(collector)")
        _ = try iccsim(["sweep", "slurm", dir.path, "--tasks", "4", "--concurrency", "2", "--partition", "debug", "--time", "00:30:00",
                        "--account", "proj-17", "--qos", "high", "--mem", "16G", "--constraint", "gpu&ib"])
        // A value that would break the script's line (and run the rest as a command), or a bad size.
        let injected = try iccsim(["sweep", "slurm", dir.path, "--account", "a\nrm -rf ~"])
        #expect(injected.status == 2 && injected.stderr.contains("--account expects one Slurm word"), "\(injected.stderr)")
        let mem = try iccsim(["sweep", "slurm", dir.path, "--mem", "lots"])
        #expect(mem.status == 2 && mem.stderr.contains("--mem expects a size"), "\(mem.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("sweep.sbatch"), encoding: .utf8) == script, "a refused call leaves the script as it was")
    }

    /// Bad sweep files and directories: located errors, exit 2, nothing written.
    @Test func badInput() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let unknown = try Self.sweepFile(in: tmp, extra: "replicatez: 2")
        let r = try iccsim(["sweep", "plan", unknown, "--out", tmp.appendingPathComponent("x").path])
        #expect(r.status == 2 && r.stderr.contains("small.yaml:11:1: unknown key 'replicatez'"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.appendingPathComponent("x").path))
        let badValue = try Self.sweepFile(in: tmp, extra: "zip:\n  - {key: io.fabric.oversubscription, values: [1, 0.5]}\n  - {key: io.allreduceOverlap, values: [0.5, 0.8]}")
        let v = try iccsim(["sweep", "plan", badValue, "--out", tmp.appendingPathComponent("y").path])
        #expect(v.status == 2 && v.stderr.contains("configuration 1 (scheduling.policy=fifo, cluster.servers.0.count=32, io.fabric.oversubscription=0.5"), "\(v.stderr)")
        let zip = try Self.sweepFile(in: tmp, extra: "zip:\n  - {key: io.fabric.spines, values: [1, 2]}\n  - {key: io.allreduceOverlap, values: [0.5]}")
        #expect(try iccsim(["sweep", "plan", zip]).stderr.contains("zipped axes step together"))
        #expect(try iccsim(["sweep", "run", tmp.path]).status == 2)
    }

    /// Random samples are drawn from their own seed: planning twice gives the same runs.
    @Test func randomSamplesAreReproducible() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let file = try Self.sweepFile(in: tmp, extra: """
            random:
              count: 3
              seed: 11
              keys:
                - {key: io.allreduceOverlap, uniform: [0.2, 0.9]}
                - {key: io.fabric.spines, integer: [1, 4]}
            """)
        for name in ["a", "b"] { #expect(try iccsim(["sweep", "plan", file, "--out", tmp.appendingPathComponent(name).path]).status == 0) }
        let a = fileData(tmp.appendingPathComponent("a/plan.csv")), b = fileData(tmp.appendingPathComponent("b/plan.csv"))
        #expect(a != nil && a == b)
        #expect(String(decoding: a!, as: UTF8.self).split(separator: "\n").count == 1 + 4 * 3 * 3)
    }

    /// Reference: common random numbers, on the shipped `failures-spares` sweep (6 configurations
    /// x 4 seeds) against the same sweep with checkpoints written in 3 min instead of 2: every
    /// pair meets the same jobs and failures, so the paired 95% interval of the checkpoint
    /// accelerator-hours is at least four times narrower than the unpaired one in every
    /// configuration, and the slower writes cost significantly more in each.
    @Test func pairedIntervalsOnTheShippedFailuresSweep() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let shipped = URL(fileURLWithPath: "Scenarios/sweeps/failures-spares.yaml").standardizedFileURL
        let slower = tmp.appendingPathComponent("slower.yaml")
        let text = try String(contentsOf: shipped, encoding: .utf8)
            .replacingOccurrences(of: "base: ../examples/", with: "base: \(shipped.deletingLastPathComponent().deletingLastPathComponent().path)/examples/")
            .replacingOccurrences(of: "replicates: 4\n", with: "replicates: 4\nset:\n  failures.checkpoint.write: 3min\n")
        try text.write(to: slower, atomically: true, encoding: .utf8)
        var dirs: [String] = []
        for (name, file) in [("a", shipped.path), ("b", slower.path)] {
            let dir = tmp.appendingPathComponent(name).path
            #expect(try iccsim(["sweep", "plan", file, "--out", dir]).status == 0)
            #expect(try iccsim(["sweep", "run", dir, "--jobs", "2"]).status == 0)
            dirs.append(dir)
        }
        let r = try iccsim(["sweep", "compare", dirs[0], dirs[1], "--metrics", "failures.checkpoint_accelerator_hours", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require((try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any])["rows"] as? [[String: Any]])
        #expect(rows.count == 6)
        for row in rows {
            let paired = row["paired_ci95"] as! Double, unpaired = row["unpaired_ci95"] as! Double
            #expect(paired * 4 < unpaired && row["verdict"] as? String == "worse", "\(row)")
        }
    }

    /// Reference: common random numbers. Two sweeps with the same seed, a small what-if (the
    /// two-class center with 24 servers against 26, FIFO, 6 replicates): replicate r runs with the
    /// same seed in both (the same jobs arrive), so the paired 95% interval of the mean wait's
    /// difference is far narrower than the unpaired one, and the larger center's lower wait is
    /// significant (better) only when paired; with --gate, swapping the roles fails (exit 1).
    @Test func sweepCompareGivesPairedIntervals() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let base = URL(fileURLWithPath: "Scenarios/examples/two-classes.yaml").standardizedFileURL.path
        var dirs: [String] = []
        for servers in [24, 26] {
            let file = tmp.appendingPathComponent("s\(servers).yaml").path
            try """
                name: cmp-\(servers)
                base: \(base)
                seed: 7
                replicates: 6
                set:
                  cluster.servers.0.count: \(servers)
                  workload.classes.0.jobs: 30
                  workload.classes.1.jobs: 600
                grid:
                  - {key: scheduling.policy, values: [fifo]}
                """.write(toFile: file, atomically: true, encoding: .utf8)
            let dir = tmp.appendingPathComponent("s\(servers)").path
            #expect(try iccsim(["sweep", "plan", file, "--out", dir]).status == 0)
            #expect(try iccsim(["sweep", "run", dir, "--jobs", "2"]).status == 0)
            dirs.append(dir)
        }
        let r = try iccsim(["sweep", "compare", dirs[0], dirs[1], "--metrics", "wait_mean_s", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(json["seeds_differ"] as? Bool == false)
        let row = try #require((json["rows"] as? [[String: Any]])?.first)
        let paired = try #require(row["paired_ci95"] as? Double), unpaired = try #require(row["unpaired_ci95"] as? Double)
        #expect(row["pairs"] as? Int == 6 && paired * 3 < unpaired, "paired ±\(paired) against unpaired ±\(unpaired)")
        let difference = try #require(row["difference"] as? Double)
        #expect(abs(difference) > paired && abs(difference) < unpaired, "significant paired, not unpaired")
        #expect(row["verdict"] as? String == "better", "\(row)")
        let text = try iccsim(["sweep", "compare", dirs[0], dirs[1]])
        #expect(text.status == 0 && text.stdout.contains("paired ±95%") && text.stdout.contains("wait_mean_s"))
        let gate = try iccsim(["sweep", "compare", dirs[1], dirs[0], "--metrics", "wait_mean_s", "--gate", "--format", "junit"])
        #expect(gate.status == 1 && gate.stdout.contains("<failure message=\"worse: ") && gate.stdout.contains("name=\"wait_mean_s\""), "\(gate.stdout)")
        #expect(try iccsim(["sweep", "compare", dirs[0], dirs[1], "--metrics", "no_such_figure"]).status == 2)
    }
}

/// `iccsim report` through the CLI: one self-contained page per run or sweep.
@Suite struct ReportTests {
    @Test func runAndSweepPages() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let run = tmp.appendingPathComponent("run")
        #expect(try iccsim(["run", "Scenarios/examples/fabric-contention.yaml", "--set", "workload.classes.0.jobs=40", "--out", run.path, "--quiet"]).status == 0)
        let r = try iccsim(["report", run.path])
        #expect(r.status == 0, "\(r.stderr)")
        let page = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
        // Busy and queued over time, utilisation per pool, two CDFs, two all-reduce plots and the
        // hottest links (one tenant: no plot per tenant).
        #expect(page.components(separatedBy: "<svg").count - 1 == 8)
        #expect(page.contains("all-reduce bus bandwidth, median") && page.contains("network.allreduce_busbw_gbps_p50") && page.contains("All-reduce bus bandwidth"))
        // Planners' names and units: utilisation per pool as a percentage, axes with units,
        // the hottest links from /links.
        #expect(page.contains("Utilisation per pool") && page.contains("busy share of the pool (%)") && page.contains("simulated time (h)"))
        #expect(page.contains("Hottest leaf-spine links") && page.contains("training/leaf") && page.contains("peak over a sample interval"))
        #expect(page.range(of: #"<td>\d+(\.\d+)?%</td>"#, options: .regularExpression) != nil, "a percentage in a table")
        // Legends sit below the axes (the browser check in scripts/test-report.sh measures them).
        #expect(page.contains("<g class=\"legend\""))
        // Self-contained: nothing fetched from elsewhere.
        #expect(!page.contains("src=") && !page.contains("<script") && !page.contains("href="))
        // It states its scenario, seed, horizon and overrides, and names the run by its
        // directory, not by an absolute path.
        #expect(page.contains("scenario fabric-contention · seed 1 · policy fifo") && page.contains("no horizon"))
        #expect(page.contains("overrides: workload.classes.0.jobs=40") && !page.contains(tmp.path), "the report's header")

        // Serving: the autoscaled service's ready replicas beside its static peak-sized
        // deployment, and its attainment and replica-hours against the static ones; request
        // latency when it is simulated request by request, with the latency target across it.
        let serving = tmp.appendingPathComponent("serving")
        #expect(try iccsim(["run", "Scenarios/examples/elastic-serving.yaml", "--set", "horizon=1d", "--set", "workload.applications.0.services.0.fidelity=request",
                            "--out", serving.path, "--quiet"]).status == 0)
        #expect(try iccsim(["report", serving.path]).status == 0)
        let servingPage = try String(contentsOf: serving.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(servingPage.contains("Ready replicas per service") && servingPage.contains("bank-assistant (static)") && servingPage.contains("horizon 24 h"))
        #expect(servingPage.contains("<td class=\"t\">bank-assistant</td>") && servingPage.contains("static, peak-sized replica-hours"))
        #expect(servingPage.contains("Request latency (CDF, sampled requests)") && servingPage.contains("serving.slo_attainment"))
        #expect(servingPage.contains("class=\"marker\"") && servingPage.contains("SLO 15 s"), "the latency target on the latency plot")

        let sweepDir = tmp.appendingPathComponent("sweep")
        #expect(try iccsim(["sweep", "plan", try SweepTests.sweepFile(in: tmp), "--out", sweepDir.path]).status == 0)
        #expect(try iccsim(["sweep", "run", sweepDir.path, "--jobs", "2"]).status == 0)
        #expect(try iccsim(["sweep", "collect", sweepDir.path]).status == 0)
        #expect(try iccsim(["report", sweepDir.path, "--out", tmp.appendingPathComponent("s.html").path]).status == 0)
        let sweepPage = try String(contentsOf: tmp.appendingPathComponent("s.html"), encoding: .utf8)
        // Wait and JCT CDFs per configuration, then two parameters x four metrics with 95%
        // intervals: bands along the pool's size, error bars at each policy (a category).
        #expect(sweepPage.components(separatedBy: "<svg").count - 1 == 10 && sweepPage.contains("<polygon"))
        #expect(sweepPage.contains("mean wait against scheduling.policy") && sweepPage.contains("mean wait (s)"))
        let plots = sweepPage.components(separatedBy: "<svg").dropFirst()
        let byPolicy = plots.filter { $0.contains("against scheduling.policy</text>") }, bySize = plots.filter { $0.contains("against cluster.servers.0.count</text>") }
        #expect(byPolicy.count == 4 && byPolicy.allSatisfy { !$0.contains("<polyline") && $0.contains("<circle") }, "a category is points, not lines")
        #expect(bySize.count == 4 && bySize.allSatisfy { $0.contains("<polyline") && $0.contains(">32</text>") && $0.contains(">64</text>") }, "a number is a line, ticked at its values")
        #expect(sweepPage.contains("fifo, 32 (") && sweepPage.contains("sjf, 64 ("))
        #expect(try iccsim(["report", tmp.appendingPathComponent("nothing").path]).status == 2)
    }
}

/// `iccsim export timeline`: a Chrome/Perfetto trace whose job events never overlap on a lane.
@Suite struct TimelineTests {
    @Test func jobsOnLanesNeverOverlap() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let run = tmp.appendingPathComponent("run")
        #expect(try iccsim(["run", "Scenarios/examples/listed-jobs.yaml", "--out", run.path, "--quiet"]).status == 0)
        #expect(try iccsim(["export", "timeline", run.path]).status == 0)
        let json = try JSONSerialization.jsonObject(with: fileData(run.appendingPathComponent("timeline.json"))!) as! [String: Any]
        let events = json["traceEvents"] as! [[String: Any]]
        let jobs = events.filter { $0["ph"] as? String == "X" && $0["cat"] as? String != "collective" && $0["cat"] as? String != "failure" }
        #expect(!jobs.isEmpty && events.contains { $0["ph"] as? String == "C" })
        var lanes: [String: [(Double, Double)]] = [:]
        for e in jobs { lanes["\(e["pid"]!)/\(e["tid"]!)", default: []].append((e["ts"] as! Double, (e["ts"] as! Double) + (e["dur"] as! Double))) }
        for (_, spans) in lanes {
            let s = spans.sorted { $0.0 < $1.0 }
            for (a, b) in zip(s, s.dropFirst()) { #expect(a.1 <= b.0 + 1e-6) }
        }
        #expect(try iccsim(["export", "timeline", run.path, "--max-jobs", "1"]).status == 2)
    }

    /// With the fabric, services and failures, the timeline nests each all-reduce stretch inside
    /// its job's event on the job's lane, puts every failure on its pool's failures lane, and
    /// has a ready-replicas counter per service; the rows match the trace's tables.
    @Test func collectivesFailuresAndServices() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        func events(_ scenario: String, _ extra: [String] = []) throws -> [[String: Any]] {
            let run = tmp.appendingPathComponent(URL(fileURLWithPath: scenario).deletingPathExtension().lastPathComponent)
            #expect(try iccsim(["run", scenario, "--out", run.path, "--quiet"] + extra).status == 0)
            #expect(try iccsim(["export", "timeline", run.path]).status == 0)
            let json = try JSONSerialization.jsonObject(with: fileData(run.appendingPathComponent("timeline.json"))!) as! [String: Any]
            return json["traceEvents"] as! [[String: Any]]
        }
        let fabric = try events("Scenarios/examples/fabric-contention.yaml")
        let stretches = fabric.filter { $0["cat"] as? String == "collective" }
        #expect(!stretches.isEmpty)
        let jobs = fabric.filter { $0["ph"] as? String == "X" && $0["cat"] as? String != "collective" }
        for c in stretches.prefix(200) {
            let ts = c["ts"] as! Double, end = ts + (c["dur"] as! Double)
            #expect(jobs.contains { "\($0["pid"]!)/\($0["tid"]!)" == "\(c["pid"]!)/\(c["tid"]!)" && ($0["ts"] as! Double) <= ts + 1e-3
                                    && end <= ($0["ts"] as! Double) + ($0["dur"] as! Double) + 1e-3 }, "a stretch outside its job: \(c)")
        }
        let failures = try events("Scenarios/examples/failures-and-spares.yaml", ["--set", "horizon=7d"]).filter { $0["cat"] as? String == "failure" }
        #expect(!failures.isEmpty && failures.allSatisfy { $0["tid"] as? Int == 1_000_000 })
        let serving = try events("Scenarios/examples/elastic-serving.yaml", ["--set", "horizon=1d"])
        #expect(serving.contains { $0["ph"] as? String == "C" && ($0["name"] as? String ?? "").hasPrefix("ready replicas: ") })
    }
}

/// `iccsim serve` through the CLI.
@Suite struct ServeCommandTests {
    @Test func jsonAndBadInput() throws {
        let r = try iccsim(["serve", "--rate", "2", "--requests", "2000", "--replicas", "16", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(o["requests"] as? Int == 2000 && o["slo_attainment"] != nil && (o["ttft_s"] as? [String: Double])?["p99"] != nil)
        #expect(try iccsim(["serve", "--rate", "2", "--balancer", "random"]).status == 2)
        #expect(try iccsim(["serve", "--rate", "2", "--model", "gpt-9"]).stderr.contains("has no gpt-9"))
        #expect(try iccsim(["serve"]).status == 2)
    }
}
