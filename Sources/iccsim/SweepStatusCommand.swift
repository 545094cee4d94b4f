import ArgumentParser
import Foundation
import Scenario
import Traces

/// `iccsim sweep status DIR`: how far a sweep is: runs planned, done, failed, running and still
/// to run, and the run time left at the pace of the runs done.
struct SweepStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show a sweep's runs planned, done, failed, running and left, and the run time left.")

    @Argument(help: "The sweep directory.")
    var directory: String

    func run() throws {
        let dir = SweepDirectory(directory)
        let plan = try dir.plan()
        let runsDir = dir.url.appendingPathComponent("runs")
        let writing = Temporaries.inProgress(in: runsDir)
        var done = 0, failed = 0, running = 0, elsewhere = 0
        var wallS: [Double] = []
        for r in plan.runs {
            if dir.isComplete(r) {
                done += 1
                if let w = Self.wallSeconds(dir.runDirectory(r)) { wallS.append(w) }
            } else if let w = writing.first(where: { $0.name == r.name }), w.alive != false {
                if w.alive == nil { elsewhere += 1 } else { running += 1 }
            } else if FileManager.default.fileExists(atPath: dir.failureFile(r).path) {
                failed += 1
            }
        }
        let left = plan.runs.count - done
        print("sweep '\(plan.spec.name)' in \(dir.url.path): \(plan.runs.count) runs planned (\(plan.configurations) configurations)")
        print("  done     \(done)")
        print("  failed   \(failed)" + (failed > 0 ? "   (runs/*.failed; 'iccsim sweep run' retries them)" : ""))
        print("  running  \(running + elsewhere)" + (elsewhere > 0 ? "   (\(elsewhere) on other hosts)" : ""))
        print("  to run   \(left - failed - running - elsewhere)")
        if left == 0 {
            print("all runs are done: 'iccsim sweep collect \(dir.url.path)' makes the tables")
        } else if !wallS.isEmpty {
            let mean = wallS.reduce(0, +) / Double(wallS.count)
            print("about \(Self.duration(mean * Double(left))) of run time left (\(Self.duration(mean)) per run over the \(wallS.count) done), divided by the runs at a time")
        } else {
            print("no run is done yet: no estimate of the time left")
        }
    }

    /// The wall time a finished run recorded in its `run-info.json`.
    static func wallSeconds(_ runDir: URL) -> Double? {
        guard let data = FileManager.default.contents(atPath: runDir.appendingPathComponent("run-info.json").path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return (object["wall_s"] as? NSNumber)?.doubleValue
    }

    /// Seconds for people (`42 s`, `7 min`, `3.5 h`).
    static func duration(_ s: Double) -> String {
        if s < 90 { return String(format: "%.0f s", s) }
        if s < 5400 { return String(format: "%.0f min", s / 60) }
        return String(format: "%.1f h", s / 3600)
    }
}
