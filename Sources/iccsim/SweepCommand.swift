import ArgumentParser
import Foundation
import Metrics
import Reports
import Scenario
import Traces

/// `iccsim sweep`: plan, run (here or as a Slurm array), and collect a sweep of configurations.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Sweep scenario keys: plan the runs, run them (resumable, sharded), collect one table.",
        discussion: """
        A sweep file names a base scenario, axes over its keys (grid, zip, random) and replicates; \
        see docs/user-guide.md#sweeps. Each run is keyed by a hash of its resolved scenario and \
        replicate and seeded from (sweep seed, replicate), the same seed in every configuration; a finished run is skipped, so a killed or \
        re-submitted sweep resumes with nothing lost or repeated.
        """,
        subcommands: [SweepPlanCommand.self, SweepRunCommand.self, SweepStatusCommand.self, SweepCollectCommand.self, SweepCompareCommand.self,
                      SweepSlurmCommand.self])
}

/// The files of a sweep directory.
struct SweepDirectory {
    let url: URL
    init(_ path: String) { url = URL(fileURLWithPath: path).standardizedFileURL }
    var sweepFile: String { url.appendingPathComponent("sweep.yaml").path }
    var planFile: String { url.appendingPathComponent("plan.csv").path }
    func runDirectory(_ run: SweepRun) -> URL { url.appendingPathComponent("runs").appendingPathComponent(run.name) }
    func isComplete(_ run: SweepRun) -> Bool {
        FileManager.default.fileExists(atPath: runDirectory(run).appendingPathComponent("summary.json").path)
    }
    func failureFile(_ run: SweepRun) -> URL { url.appendingPathComponent("runs").appendingPathComponent("\(run.name).failed") }

    /// The plan the directory recorded (its sweep file and plan.csv).
    func plan() throws -> SweepPlan {
        guard FileManager.default.fileExists(atPath: sweepFile), let data = FileManager.default.contents(atPath: planFile) else {
            throw ScenarioError("'\(url.path)' is not a sweep directory (no sweep.yaml and plan.csv): make one with 'iccsim sweep plan SWEEP.yaml --out \(url.path)'")
        }
        let spec = try SweepSpec.load(path: sweepFile)
        return try SweepPlan(spec, basePath: spec.base, csv: String(decoding: data, as: UTF8.self), file: planFile)
    }
}

/// Writes `text` to `path` atomically (a temporary file renamed into place).
func writeAtomically(_ text: String, to path: String) throws {
    do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
        throw RunFailure(message: "cannot write '\(path)': \(error.localizedDescription)")
    }
}

/// `iccsim sweep plan SWEEP.yaml --out DIR`.
struct SweepPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Expand a sweep file into runs in a sweep directory (sweep.yaml, plan.csv).")

    @Argument(help: "The sweep file.")
    var sweep: String

    @Option(help: "The sweep directory (default: Results/sweeps/<name>).")
    var out: String?

    func run() throws {
        let spec = try SweepSpec.load(path: sweep)
        let directory = URL(fileURLWithPath: sweep).deletingLastPathComponent().path
        let plan = try SweepPlan(spec, directory: directory)
        let dir = SweepDirectory(try OutputPath.checkSweepDirectory(out ?? "Results/sweeps/\(spec.name)", flag: out == nil ? "the default sweep directory" : "--out").path)
        if FileManager.default.fileExists(atPath: dir.sweepFile) {
            let existing = try dir.plan()
            guard existing.runs.map(\.key) == plan.runs.map(\.key) else {
                throw ScenarioError("'\(dir.url.path)' holds another plan; choose another --out or remove it")
            }
        }
        do { try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("runs"), withIntermediateDirectories: true) } catch {
            throw RunFailure(message: "cannot create '\(dir.url.path)': \(error.localizedDescription)")
        }
        try writeAtomically(SweepPlan.normalizedText(of: sweep, basePath: plan.basePath), to: dir.sweepFile)
        try writeAtomically(plan.csv, to: dir.planFile)
        print("\(plan.runs.count) runs (\(plan.configurations) configurations x \(spec.replicates) replicates) planned in \(dir.url.path)")
    }
}

/// `iccsim sweep run DIR [--jobs K] [--shard i/N]`.
struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run this shard's unfinished runs of a sweep directory, K at a time.",
        discussion: """
        The shard comes from --shard i/N, else SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN) of \
        SLURM_ARRAY_TASK_COUNT, else Kubernetes' JOB_COMPLETION_INDEX of ICCSIM_SHARDS; without any, \
        all runs. Shard i takes the runs whose index is i modulo N. Finished runs are skipped; a run \
        that fails leaves runs/KEY.failed (its exit status and stderr) and is retried next time.
        """)

    @Argument(help: "The sweep directory.")
    var directory: String

    @Option(help: "Simulations at a time on this machine.")
    var jobs: Int = 1

    @Option(help: "This shard, as i/N (0 <= i < N).")
    var shard: String?

    /// (index, count) of this shard.
    func resolvedShard() throws -> (Int, Int) {
        func parse(_ text: String) throws -> (Int, Int) {
            let parts = text.split(separator: "/").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, i >= 0, i < n else {
                throw ValidationError("--shard expects i/N with 0 <= i < N, got '\(text)'")
            }
            return (i, n)
        }
        if let s = shard { return try parse(s) }
        let env = ProcessInfo.processInfo.environment
        if let id = env["SLURM_ARRAY_TASK_ID"].flatMap(Int.init), let n = env["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init) {
            let first = env["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
            return try parse("\(id - first)/\(n)")
        }
        if let id = env["JOB_COMPLETION_INDEX"].flatMap(Int.init) {
            guard let n = env["ICCSIM_SHARDS"].flatMap(Int.init) else {
                throw ValidationError("JOB_COMPLETION_INDEX is set but ICCSIM_SHARDS (the number of shards) is not")
            }
            return try parse("\(id)/\(n)")
        }
        return (0, 1)
    }

    func run() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        signal(SIGPIPE, SIG_IGN)   // a closed progress pipe must not kill a long sweep
        let (index, count) = try resolvedShard()
        let dir = SweepDirectory(directory)
        let plan = try dir.plan()
        let mine = plan.runs.filter { $0.index % count == index }
        let todo = mine.filter { !dir.isComplete($0) }
        // Logs of runs an earlier, killed sweep left running that finished on their own.
        for r in mine where dir.isComplete(r) {
            try? FileManager.default.removeItem(at: dir.url.appendingPathComponent("runs/.\(r.name).log"))
        }
        var runner = SweepRunner(directory: dir, basePath: plan.basePath, jobs: jobs, total: todo.count,
                                 skipped: mine.count - todo.count, shard: "\(index)/\(count)")
        try runner.run(todo)
        if runner.failed > 0 { throw RunFailure(message: "\(runner.failed) of \(todo.count) runs failed; see \(dir.url.path)/runs/*.failed and run again to retry") }
    }
}

/// `iccsim sweep collect DIR`.
struct SweepCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Merge every finished run into sweep.csv (per configuration: means and 95% CIs), runs.csv and sweep.h5.")

    @Argument(help: "The sweep directory.")
    var directory: String

    @Option(help: ArgumentHelp("Collect the summary figures whose key path matches (repeatable; * matches any characters), e.g. 'pools.*.utilization_mean', 'serving.*'; default: the top-level figures and those of delivered, network and storage.", valueName: "pattern"))
    var metrics: [String] = []

    func run() throws {
        let dir = SweepDirectory(directory)
        let plan = try dir.plan()
        let (table, complete) = try dir.figures(plan, metrics: metrics)
        try writeAtomically(table.configurationCSV, to: dir.url.appendingPathComponent("sweep.csv").path)
        try writeAtomically(table.runCSV, to: dir.url.appendingPathComponent("runs.csv").path)
        let h5 = dir.url.appendingPathComponent("sweep.h5").path
        do { try SweepIndexWriter.write(table, to: h5, completeRuns: complete) } catch {
            throw RunFailure(message: "cannot write '\(h5)': \(error)")
        }
        try? FileHandle.standardError.write(contentsOf: Data("collected \(complete.count) of \(plan.runs.count) runs (\(plan.configurations) configurations) into \(dir.url.path)/sweep.csv, runs.csv, sweep.h5\n".utf8))
    }
}
