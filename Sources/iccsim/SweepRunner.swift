import Foundation
import Scenario
import Traces

/// Runs a sweep's runs as `iccsim run` processes of this executable, `jobs` at a time, each
/// into `runs/KEY` (written atomically by `run`), reporting progress on stderr. On SIGINT,
/// SIGTERM or SIGHUP it forwards the signal to its runs and waits for them (each removes its
/// temporary directory), so an interrupted sweep leaves only finished runs behind.
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

    /// The runs started and not yet finished, shared with the signal handler.
    let children = ChildRuns()

    mutating func run(_ runs: [SweepRun]) throws {
        let token = Interruption.register { [children] signal in children.forward(signal) }
        defer { Interruption.unregister(token) }
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
            // A run that ended because the sweep was interrupted is not a failure: the signal
            // handler holds this step off until the process exits.
            Interruption.critical {
                children.remove(finished.process.processIdentifier, log: finished.log)
                finish(finished)
            }
            let elapsed = Date().timeIntervalSince(start)
            let left = total - done - failed
            let eta = done + failed > 0 ? elapsed / Double(done + failed) * Double(left) : 0
            say("\(done) done, \(failed) failed, \(left) remaining" + (left > 0 ? String(format: ", about %.0f s left", eta) : String(format: " (%.1f s)", elapsed)))
        }
    }

    func launch(_ run: SweepRun) throws -> Running {
        let runs = directory.url.appendingPathComponent("runs")
        // A killed earlier attempt's working directory is removed by the run itself (it cleans
        // temporaries of dead processes next to its output).
        let log = runs.appendingPathComponent(".\(run.name).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let p = Process()
        p.executableURL = Self.executable
        p.arguments = ["run", basePath, "--seed", "\(run.seed)", "--out", directory.runDirectory(run).path, "--quiet"]
            + run.overrides.flatMap { ["--set", $0] }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: log)
        // Started inside a critical step, so a signal either finds it registered or stops the
        // sweep before it starts.
        try Interruption.critical {
            do { try p.run() } catch { throw RunFailure(message: "cannot start \(Self.executable.path): \(error.localizedDescription)") }
            children.add(p.processIdentifier, log: log)
        }
        return Running(run: run, process: p, log: log)
    }

    mutating func finish(_ r: Running) {
        let failure = directory.failureFile(r.run)
        if r.process.terminationStatus == 0 && directory.isComplete(r.run) {
            done += 1
            try? FileManager.default.removeItem(at: r.log)
            try? FileManager.default.removeItem(at: failure)
        } else if Interruption.signals.map({ 128 + $0 }).contains(r.process.terminationStatus) {
            // Interrupted (a Ctrl-C reaches the whole process group): not a failure of the run.
            failed += 1
            try? FileManager.default.removeItem(at: r.log)
            say("run \(r.run.name) was interrupted (status \(r.process.terminationStatus)); it will run again next time")
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

/// The processes of a sweep's runs in progress, and what a signal does to them: it is forwarded
/// to each, each is waited for (up to 30 s, then killed), and their logs are removed.
final class ChildRuns: @unchecked Sendable {
    private let lock = NSLock()
    private var running: [(pid: Int32, log: URL)] = []

    func add(_ pid: Int32, log: URL) {
        lock.lock()
        defer { lock.unlock() }
        running.append((pid, log))
    }

    func remove(_ pid: Int32, log: URL) {
        lock.lock()
        defer { lock.unlock() }
        running.removeAll { $0.pid == pid }
    }

    /// Forwards `signal` to every run, waits for them, and removes their logs.
    func forward(_ signal: Int32) {
        lock.lock()
        let all = running
        lock.unlock()
        for r in all { kill(r.pid, signal) }
        let deadline = Date().addingTimeInterval(30)
        var left = all.map(\.pid)
        var killed = false
        while !left.isEmpty {
            // A run is gone once reaped, here or by Foundation (ECHILD).
            left = left.filter { pid in
                var status: Int32 = 0
                let r = waitpid(pid, &status, WNOHANG)
                return r == 0 || (r < 0 && errno == EINTR)
            }
            if left.isEmpty { break }
            if !killed && Date() > deadline {
                for pid in left { kill(pid, SIGKILL) }  // their temporaries go with the next run
                killed = true
            } else if killed && Date() > deadline.addingTimeInterval(5) {
                break
            }
            usleep(20_000)
        }
        for r in all { try? FileManager.default.removeItem(at: r.log) }
    }
}
