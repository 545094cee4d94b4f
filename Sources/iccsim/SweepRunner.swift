import Foundation
import Scenario

/// Runs a sweep's runs as `iccsim run` processes of this executable, `jobs` at a time, each
/// into `runs/KEY` (written atomically by `run`), reporting progress on stderr.
struct SweepRunner {
    let directory: SweepDirectory
    let basePath: String
    let jobs: Int
    let total: Int
    let skipped: Int
    let shard: String
    var done = 0
    var failed = 0

    init(directory: SweepDirectory, basePath: String, jobs: Int, total: Int, skipped: Int, shard: String) {
        self.directory = directory
        self.basePath = basePath
        self.jobs = jobs
        self.total = total
        self.skipped = skipped
        self.shard = shard
    }

    /// This executable.
    static var executable: URL {
        URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
    }

    struct Running {
        let run: SweepRun
        let process: Process
        let log: URL
    }

    func say(_ text: String) { try? FileHandle.standardError.write(contentsOf: Data("sweep \(shard): \(text)\n".utf8)) }

    mutating func run(_ runs: [SweepRun]) throws {
        say("\(total) runs to do, \(skipped) already done, \(jobs) at a time")
        let start = Date()
        var pending = runs[...]
        var running: [Running] = []
        while !pending.isEmpty || !running.isEmpty {
            while running.count < jobs, let next = pending.popFirst() { running.append(try launch(next)) }
            guard let k = running.firstIndex(where: { !$0.process.isRunning }) else {
                usleep(5_000)
                continue
            }
            let finished = running.remove(at: k)
            finish(finished)
            let elapsed = Date().timeIntervalSince(start)
            let left = total - done - failed
            let eta = done + failed > 0 ? elapsed / Double(done + failed) * Double(left) : 0
            say("\(done) done, \(failed) failed, \(left) remaining" + (left > 0 ? String(format: ", about %.0f s left", eta) : String(format: " (%.1f s)", elapsed)))
        }
    }

    func launch(_ run: SweepRun) throws -> Running {
        let runs = directory.url.appendingPathComponent("runs")
        // A killed earlier attempt may have left its hidden working directory behind.
        if let names = try? FileManager.default.contentsOfDirectory(atPath: runs.path) {
            for n in names where n.hasPrefix(".\(run.name).tmp-") { try? FileManager.default.removeItem(at: runs.appendingPathComponent(n)) }
        }
        let log = runs.appendingPathComponent(".\(run.name).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let p = Process()
        p.executableURL = Self.executable
        p.arguments = ["run", basePath, "--seed", "\(run.seed)", "--out", directory.runDirectory(run).path, "--quiet"]
            + run.overrides.flatMap { ["--set", $0] }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: log)
        do { try p.run() } catch { throw RunFailure(message: "cannot start \(Self.executable.path): \(error.localizedDescription)") }
        return Running(run: run, process: p, log: log)
    }

    mutating func finish(_ r: Running) {
        let failure = directory.failureFile(r.run)
        if r.process.terminationStatus == 0 && directory.isComplete(r.run) {
            done += 1
            try? FileManager.default.removeItem(at: r.log)
            try? FileManager.default.removeItem(at: failure)
        } else {
            failed += 1
            let log = (try? String(contentsOf: r.log, encoding: .utf8)) ?? ""
            let text = "run \(r.run.index) (configuration \(r.run.configuration), replicate \(r.run.replicate)) exited with status \(r.process.terminationStatus)\n"
                + "command: iccsim run \(basePath) --seed \(r.run.seed) " + r.run.overrides.map { "--set '\($0)'" }.joined(separator: " ") + "\n" + log
            try? text.write(to: failure, atomically: true, encoding: .utf8)
            try? FileManager.default.removeItem(at: r.log)
            say("run \(r.run.name) failed (status \(r.process.terminationStatus)): see \(failure.path)")
        }
    }
}
