import ArgumentParser
import Foundation
import Traces

/// `iccsim export`: other views of a run's trace.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export a run's trace to other tools.",
                                                    subcommands: [ExportCSVCommand.self, ExportParquetCommand.self, TimelineCommand.self, TraceSchemaCommand.self])
}

/// `iccsim export timeline RUN_DIR`: a Chrome/Perfetto trace of a run.
struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Write a Chrome/Perfetto trace (JSON) of a run: jobs on lanes per pool with their all-reduce stretches, failures, services' ready replicas and busy accelerators as counters.",
        discussion: "Open the file in https://ui.perfetto.dev or chrome://tracing. It is written as it is built, so large runs stream to disk (the viewer may still struggle with millions of events).")

    @Argument(help: "A run directory (with trace.h5).")
    var directory: String

    @Option(help: "Where to write it (default: DIR/timeline.json).")
    var out: String?

    @Option(help: "Refuse runs with more jobs than this (default: no limit).")
    var maxJobs: Int?

    func run() throws {
        let dir = URL(fileURLWithPath: directory).standardizedFileURL
        let trace = dir.appendingPathComponent("trace.h5").path
        guard FileManager.default.fileExists(atPath: trace) else { throw ValidationError("'\(directory)' has no trace.h5") }
        let path = out ?? dir.appendingPathComponent("timeline.json").path
        let reader = try TraceReader(path: trace)
        do {
            try OutputFile.stream(to: path, generator: OutputFile.timelineMark) { emit in
                try TimelineExport.write(trace: reader, maxJobs: maxJobs, emit: emit)
            }
        } catch let e as TraceError where e.message.contains("--max-jobs") {
            throw ValidationError("\(e)")
        }
        print("wrote \(path)")
    }
}

/// `iccsim export trace-schema [--table NAME]`: the columns of `trace.h5` as the writer declares them.
struct TraceSchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace-schema",
        abstract: "Print the columns of every trace table (name, type, units, meaning) as Markdown, as the writer declares them.")

    @Option(help: ArgumentHelp("Only this table (\(TraceSchema.tableNames.joined(separator: ", "))).", valueName: "name"))
    var table: String?

    func run() throws {
        if let t = table {
            guard let text = TraceSchema.markdown(table: t) else {
                throw ValidationError("unknown table '\(t)'; expected one of \(TraceSchema.tableNames.joined(separator: ", "))")
            }
            print(text, terminator: "")
            return
        }
        for t in TraceSchema.tableNames { print("## /\(t)\n\n" + TraceSchema.markdown(table: t)!) }
    }
}
