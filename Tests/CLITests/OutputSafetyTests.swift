import Foundation
import Testing

/// Where runs write, and that they never lose what they did not write: `--out` refusals,
/// atomic replacement, interrupted runs (SIGINT, SIGTERM, SIGKILL) and a full disk leave
/// nothing behind.
@Suite(.serialized) struct OutputSafetyTests {
    static let small = repositoryRoot.appendingPathComponent("Scenarios/examples/two-classes.yaml").path

    /// Every file and folder under `dir` with its bytes, to show nothing changed.
    static func snapshot(_ dir: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        for case let p as String in FileManager.default.enumerator(atPath: dir.path) ?? FileManager.DirectoryEnumerator() {
            out[p] = FileManager.default.contents(atPath: dir.appendingPathComponent(p).path) ?? Data("<dir>".utf8)
        }
        return out
    }

    /// A scratch folder holding a scenario and a file of the user's.
    static func workspace() throws -> URL {
        let w = scratchDirectory()
        try FileManager.default.copyItem(atPath: small, toPath: w.appendingPathComponent("s.yaml").path)
        try "the user's notes".write(to: w.appendingPathComponent("keep.txt"), atomically: true, encoding: .utf8)
        return w
    }

    @Test(arguments: ["existing.txt", "foreign", ".", "", "..", "/"])
    func outRefusesWhatICCSimDidNotWrite(_ out: String) throws {
        let w = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: w) }
        try "precious".write(to: w.appendingPathComponent("existing.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: w.appendingPathComponent("foreign/sub"), withIntermediateDirectories: true)
        try "precious".write(to: w.appendingPathComponent("foreign/notes.txt"), atomically: true, encoding: .utf8)
        // Run from a folder inside the workspace, so '..' is the workspace itself.
        let cwd = w.appendingPathComponent("foreign/sub")
        let target = out == "existing.txt" || out == "foreign" ? w.appendingPathComponent(out).path : out
        let before = Self.snapshot(w)
        let r = try iccsim(["run", w.appendingPathComponent("s.yaml").path, "--set", "horizon=1h", "--out", target, "--quiet"], in: cwd)
        #expect(r.status == 2, "--out '\(out)': exit \(r.status)")
        #expect(r.stderr.contains("error: ") && (r.stderr.contains("--out")), "--out '\(out)': \(r.stderr)")
        #expect(Self.snapshot(w) == before, "--out '\(out)' changed the workspace")
    }

    @Test func defaultOutputRefusesAForeignDirectory() throws {
        let w = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: w) }
        let results = w.appendingPathComponent("Results/two-classes-seed1")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        try "mine".write(to: results.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let before = Self.snapshot(w)
        let r = try iccsim(["run", "s.yaml", "--set", "horizon=1h", "--quiet"], in: w)
        #expect(r.status == 2 && r.stderr.contains("the default output directory"), "\(r.stderr)")
        #expect(Self.snapshot(w) == before)
    }

    /// An earlier run is replaced whole; one holding a file of the user's is not.
    @Test func earlierRunIsReplacedAtomically() throws {
        let w = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: w) }
        let run = w.appendingPathComponent("run")
        #expect(try iccsim(["run", Self.small, "--set", "horizon=1h", "--out", run.path, "--quiet"]).status == 0)
        let second = try iccsim(["run", Self.small, "--set", "horizon=1h", "--seed", "2", "--out", run.path, "--quiet"])
        #expect(second.status == 0, "\(second.stderr)")
        let summary = String(decoding: fileData(run.appendingPathComponent("summary.json")) ?? Data(), as: UTF8.self)
        #expect(summary.contains("\"seed\": 2"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: w.path).sorted() == ["keep.txt", "run", "s.yaml"])
        // A file of the user's inside makes it theirs.
        try "mine".write(to: run.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let refused = try iccsim(["run", Self.small, "--set", "horizon=1h", "--out", run.path, "--quiet"])
        #expect(refused.status == 2 && refused.stderr.contains("notes.txt"), "\(refused.stderr)")
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("notes.txt").path))
    }

    /// Starts a long run (the default month) in the background with the default signal
    /// dispositions, and waits until its working directory exists.
    static func startLongRun(out: URL) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["--default-signal=INT,TERM,HUP", iccsimPath, "run", "--out", out.path, "--quiet"]
        p.currentDirectoryURL = repositoryRoot
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let parent = out.deletingLastPathComponent()
        for _ in 0..<400 {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
            if names.contains(where: { $0.hasPrefix(".\(out.lastPathComponent).tmp-") }) { break }
            usleep(25_000)
        }
        usleep(200_000)
        return p
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143)), (SIGHUP, Int32(129))])
    func interruptedRunLeavesNothing(_ signal: Int32, _ status: Int32) throws {
        let w = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: w) }
        let p = try Self.startLongRun(out: w.appendingPathComponent("sub/run"))
        #expect(p.isRunning, "the month ended before the signal")
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        #expect(p.terminationStatus == status)
        // Nothing: not the run, not its temporary, not the parent it created.
        #expect(try FileManager.default.contentsOfDirectory(atPath: w.path) == [])
    }

    @Test func interruptedReplacementKeepsTheEarlierRun() throws {
        let w = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: w) }
        let run = w.appendingPathComponent("run")
        #expect(try iccsim(["run", Self.small, "--set", "horizon=1h", "--out", run.path, "--quiet"]).status == 0)
        let before = Self.snapshot(run)
        let p = try Self.startLongRun(out: run)
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        #expect(Self.snapshot(run) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: w.path) == ["run"])
    }

    @Test func killedRunsTemporaryIsCleanedByTheNextRun() throws {
        let w = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: w) }
        let run = w.appendingPathComponent("run")
        let p = try Self.startLongRun(out: run)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let left = try FileManager.default.contentsOfDirectory(atPath: w.path)
        #expect(left.count == 1 && left[0].hasPrefix(".run.tmp-"), "\(left)")
        // A directory that only looks like a temporary (no mark) is not ICCSim's: kept.
        try FileManager.default.createDirectory(at: w.appendingPathComponent(".other.tmp-1"), withIntermediateDirectories: false)
        #expect(try iccsim(["run", Self.small, "--set", "horizon=1h", "--out", run.path, "--quiet"]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: w.path).sorted() == [".other.tmp-1", "run"])
    }

    /// A 128 KiB disk: the run says why, exits 1 and leaves nothing (needs root for the mount).
    @Test(.enabled(if: TinyDisk.available, "needs root and a tmpfs mount")) func fullDiskExitsOneAndLeavesNothing() throws {
        let disk = try TinyDisk()
        defer { disk.unmount() }
        let r = try iccsim(["run", Self.small, "--out", disk.url.appendingPathComponent("run").path, "--quiet"])
        #expect(r.status == 1, "exit \(r.status): \(r.stderr)")
        #expect(r.stderr.contains("error: "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.url.path) == [])
    }

    /// Past its memory budget a run stops with exit 1 and a message, and writes nothing.
    @Test func memoryBudgetStopsTheRun() throws {
        let w = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: w) }
        let r = try iccsim(["run", "--set", "horizon=2d", "--max-memory", "1MiB", "--out", w.appendingPathComponent("run").path, "--quiet"])
        #expect(r.status == 1 && r.stderr.contains("over its budget"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: w.path) == [])
    }

    /// SIGINT to `sweep run` reaches its runs; they remove their temporaries and nothing runs on.
    @Test func sweepForwardsSignalsToItsRuns() throws {
        let w = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: w) }
        let sweep = w.appendingPathComponent("sweep.yaml")
        try """
        name: signals
        base: \(repositoryRoot.appendingPathComponent("Scenarios/city-center.yaml").path)
        replicates: 2
        grid:
          - {key: scheduling.policy, values: [fifo]}
        """.write(to: sweep, atomically: true, encoding: .utf8)
        let dir = w.appendingPathComponent("plan")
        #expect(try iccsim(["sweep", "plan", sweep.path, "--out", dir.path]).status == 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["--default-signal=INT,TERM", iccsimPath, "sweep", "run", dir.path, "--jobs", "2"]
        p.standardError = FileHandle.nullDevice
        try p.run()
        let runs = dir.appendingPathComponent("runs")
        var started = false
        for _ in 0..<400 where !started {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []
            started = names.filter({ $0.contains(".tmp-") }).count == 2
            usleep(25_000)
        }
        #expect(started, "the sweep's two runs did not start")
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        let left = try FileManager.default.contentsOfDirectory(atPath: runs.path)
        #expect(left.isEmpty, "\(left)")
    }
}

/// A tiny tmpfs mounted in a scratch directory (root only).
struct TinyDisk {
    let url: URL

    /// Whether this process may mount one here.
    static let available: Bool = {
        guard getuid() == 0, let d = try? TinyDisk() else { return false }
        d.unmount()
        return true
    }()

    init() throws {
        url = scratchDirectory()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/mount")
        p.arguments = ["-t", "tmpfs", "-o", "size=128k", "tmpfs", url.path]
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            try? FileManager.default.removeItem(at: url)
            throw CocoaError(.fileWriteNoPermission)
        }
    }

    func unmount() {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/umount")
        p.arguments = [url.path]
        try? p.run()
        p.waitUntilExit()
        try? FileManager.default.removeItem(at: url)
    }
}
