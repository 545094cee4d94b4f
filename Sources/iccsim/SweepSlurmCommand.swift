import ArgumentParser
import Foundation
import Scenario

/// `iccsim sweep slurm DIR`: a Slurm array script that runs the sweep's shards (and, with
/// `--submit`, submits it with `sbatch`).
struct SweepSlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write DIR/sweep.sbatch, a Slurm array job running one shard per task; --submit submits it.")

    @Argument(help: "The sweep directory.")
    var directory: String

    @Option(help: "Array tasks (shards); default: one per run, at most 1000.")
    var tasks: Int?

    @Option(help: "Array tasks running at once (the %N of --array).")
    var concurrency: Int?

    @Option(help: "Slurm partition.")
    var partition: String?

    @Option(help: "Slurm account the tasks are charged to.")
    var account: String?

    @Option(help: "Slurm quality of service.")
    var qos: String?

    @Option(help: "Memory per task (Slurm syntax: a number of megabytes, or with K, M, G or T, e.g. 16G).")
    var mem: String?

    @Option(help: "Node features the tasks need (Slurm syntax, e.g. 'a100' or 'gpu&ib').")
    var constraint: String?

    @Option(help: "Time limit per task (Slurm syntax, e.g. 01:00:00).")
    var time: String = "01:00:00"

    @Option(help: "Simulations at a time within a task (and CPUs requested per task).")
    var jobs: Int = 1

    @Flag(help: "Submit the script with sbatch and print the job id.")
    var submit = false

    @Flag(help: "Also write DIR/collect.sbatch, a job that collects the sweep when the array has ended; with --submit, submit it to run after the array.")
    var collect = false

    func run() throws {
        let dir = SweepDirectory(directory)
        let plan = try dir.plan()
        let n = tasks ?? min(max(1, plan.runs.count), 1000)
        guard n >= 1 else { throw ValidationError("--tasks must be at least 1") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let c = concurrency, c < 1 { throw ValidationError("--concurrency must be at least 1") }
        guard time.range(of: #"^(\d+-)?\d+(:\d{2}){0,2}$"#, options: .regularExpression) != nil else {
            throw ValidationError("--time expects a Slurm time such as 30, 01:00:00 or 2-00:00:00, got '\(time)'")
        }
        let passed = [("partition", partition), ("account", account), ("qos", qos), ("mem", mem), ("constraint", constraint)]
        for case let (name, value?) in passed {
            // A value becomes one #SBATCH line: a line break or a blank in it would end the line
            // (and the rest would run as a command).
            guard Self.isSlurmWord(value) else {
                throw ValidationError("--\(name) expects one Slurm word (no blanks, line breaks or quotes), got '\(value.debugDescription.dropFirst().dropLast())'")
            }
        }
        if let m = mem, m.range(of: #"^[0-9]+[KMGT]?$"#, options: .regularExpression) == nil {
            throw ValidationError("--mem expects a size such as 16000 (megabytes), 64G or 1T, got '\(m)'")
        }
        let logs = dir.url.appendingPathComponent("slurm")
        try? FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        var lines = ["#!/bin/bash",
                     "#SBATCH --job-name=iccsim-\(plan.spec.name)",
                     "#SBATCH --array=0-\(n - 1)" + (concurrency.map { "%\($0)" } ?? ""),
                     "#SBATCH --time=\(time)",
                     "#SBATCH --cpus-per-task=\(jobs)",
                     "#SBATCH --output=\(logs.path)/%A_%a.out"]
        for case let (name, value?) in passed { lines.append("#SBATCH --\(name)=\(value)") }
        lines += ["# \(plan.runs.count) runs of sweep '\(plan.spec.name)'; each task runs the shard SLURM_ARRAY_TASK_ID of \(n).",
                  "exec '\(SweepRunner.executable.path)' sweep run '\(dir.url.path)' --jobs \(jobs) --shard \"$SLURM_ARRAY_TASK_ID/\(n)\""]
        let script = dir.url.appendingPathComponent("sweep.sbatch")
        try writeAtomically(lines.joined(separator: "\n") + "\n", to: script.path)
        print("wrote \(script.path) (\(n) array tasks)")
        let collector = dir.url.appendingPathComponent("collect.sbatch")
        if collect {
            var c = ["#!/bin/bash", "#SBATCH --job-name=iccsim-\(plan.spec.name)-collect", "#SBATCH --time=\(time)", "#SBATCH --cpus-per-task=1",
                     "#SBATCH --output=\(logs.path)/collect-%j.out"]
            for case let (name, value?) in passed { c.append("#SBATCH --\(name)=\(value)") }
            c += ["# Collects sweep '\(plan.spec.name)' once its array job has ended (submitted with --dependency=afterany:ARRAY_JOB).",
                  "exec '\(SweepRunner.executable.path)' sweep collect '\(dir.url.path)'"]
            try writeAtomically(c.joined(separator: "\n") + "\n", to: collector.path)
            print("wrote \(collector.path)" + (submit ? "" : " (submit it with: sbatch --dependency=afterany:ARRAY_JOB \(collector.path))"))
        }
        guard submit else { return }
        let id = try Self.sbatch([script.path])
        print("submitted job \(id)")
        guard collect else { return }
        print("submitted collect job \(try Self.sbatch(["--dependency=afterany:\(id)", collector.path])) (after job \(id))")
    }

    /// Submits with `sbatch --parsable ARGS` and returns the job id.
    static func sbatch(_ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sbatch", "--parsable"] + arguments
        let out = Pipe()
        p.standardOutput = out
        do { try p.run() } catch { throw RunFailure(message: "cannot run sbatch: \(error.localizedDescription)") }
        p.waitUntilExit()
        let id = String(data: out.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard p.terminationStatus == 0 else { throw RunFailure(message: "sbatch failed (status \(p.terminationStatus))") }
        return id
    }

    /// Whether `value` can stand on one `#SBATCH` line: not empty, no blank, line break,
    /// control character, quote or backslash.
    static func isSlurmWord(_ value: String) -> Bool {
        !value.isEmpty && value.unicodeScalars.allSatisfy { c in
            !CharacterSet.whitespacesAndNewlines.contains(c) && !CharacterSet.controlCharacters.contains(c) && !"'\"\\`".unicodeScalars.contains(c)
        }
    }
}
