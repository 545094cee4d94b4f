import ArgumentParser
import Foundation
import Traces

/// `iccsim export`: other views of a run's trace.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export a run's trace to other tools.",
                                                    subcommands: [TimelineCommand.self])
}

/// `iccsim export timeline RUN_DIR`: a Chrome/Perfetto trace of a small run.
struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Write a Chrome/Perfetto trace (JSON) of a small run: jobs on lanes per pool, busy accelerators as a counter.",
        discussion: "Open the file in https://ui.perfetto.dev or chrome://tracing.")

    @Argument(help: "A run directory (with trace.h5).")
    var directory: String

    @Option(help: "Where to write it (default: DIR/timeline.json).")
    var out: String?

    @Option(help: "Refuse runs with more jobs than this.")
    var maxJobs: Int = 200_000

    func run() throws {
        let dir = URL(fileURLWithPath: directory).standardizedFileURL
        let trace = dir.appendingPathComponent("trace.h5").path
        guard FileManager.default.fileExists(atPath: trace) else { throw ValidationError("'\(directory)' has no trace.h5") }
        let text: String
        do { text = try TimelineExport.json(trace: TraceReader(path: trace), maxJobs: maxJobs) } catch let e as TraceError {
            throw ValidationError("\(e)")
        }
        let path = out ?? dir.appendingPathComponent("timeline.json").path
        try OutputFile.write(text, to: path, generator: OutputFile.timelineMark)
        print("wrote \(path)")
    }
}
