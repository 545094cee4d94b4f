import ArgumentParser
import Foundation
import Reports

/// `iccsim diff BASE WHATIF`: what changed between two runs, without a verdict.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show the figures that changed between two runs (directories or summary.json files), grouped, with absolute and relative change.",
        discussion: "Neutral: it always exits 0 when both summaries can be read (iccsim compare is the gate). It warns when the runs' seeds, horizons or scenarios differ.")

    @Argument(help: "The base run (a run directory or its summary.json).")
    var base: String

    @Argument(help: "The what-if run.")
    var whatIf: String

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown }

    @Option(help: "Output: text (aligned columns) or markdown (a table per group).")
    var format: Format = .text

    func run() throws {
        let diff = SummaryDiff(base: try Self.summary(base), whatIf: try Self.summary(whatIf))
        switch format {
        case .text: print(diff.text, terminator: "")
        case .markdown: print(diff.markdown, terminator: "")
        }
    }

    /// The summary at `path` (a run directory's summary.json, or the file itself).
    static func summary(_ path: String) throws -> OrderedJSON {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ValidationError("'\(path)' does not exist") }
        let file = isDirectory.boolValue ? URL(fileURLWithPath: path).appendingPathComponent("summary.json").path : path
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("'\(path)' has no summary.json") }
        do { return try OrderedJSON.parse(String(decoding: data, as: UTF8.self)) } catch {
            throw ValidationError("\(file) is not a summary: \(error)")
        }
    }
}
