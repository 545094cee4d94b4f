import ArgumentParser
import Foundation
import Reports
import Traces

/// `iccsim report DIR`: one self-contained HTML page of a run or a sweep.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Turn a run directory or a collected sweep directory into one self-contained HTML file (inline SVG).",
        discussion: """
        A run: key figures, utilisation and queue over time (all, per pool, per tenant), CDFs of \
        wait and completion time (all and the busiest tenants), all-reduce bus bandwidth and \
        communication share. A sweep (after 'iccsim sweep collect'): a table of configurations and \
        each metric's mean with its 95% band against each parameter. No network access is needed to view it.
        """)

    @Argument(help: "A run directory (summary.json, trace.h5) or a sweep directory (sweep.csv).")
    var directory: String

    @Option(help: "Where to write the page (default: DIR/report.html).")
    var out: String?

    func run() throws {
        let dir = URL(fileURLWithPath: directory).standardizedFileURL
        let isSweep = FileManager.default.fileExists(atPath: dir.appendingPathComponent("sweep.yaml").path)
        guard isSweep || FileManager.default.fileExists(atPath: dir.appendingPathComponent("summary.json").path) else {
            throw ValidationError("'\(directory)' is neither a run directory (summary.json, trace.h5) nor a sweep directory (sweep.yaml)")
        }
        let report: HTMLReport
        do {
            report = isSweep ? try ReportBuilder.sweep(directory: dir) : try ReportBuilder.run(directory: dir)
        } catch let e as TraceError {
            throw RunFailure(message: "\(e)")
        }
        let path = out ?? dir.appendingPathComponent("report.html").path
        try OutputFile.write(report.html(), to: path, generator: OutputFile.htmlMark)
        print("wrote \(path)")
    }
}
