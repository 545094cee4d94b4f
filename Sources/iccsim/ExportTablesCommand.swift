import ArgumentParser
import Foundation
import Traces

/// A directory of exported tables, published whole: the files are written into a marked
/// temporary sibling (``Temporaries``: one a killed export leaves is removed by the next) and
/// renamed into place, and an existing directory is replaced only when an earlier export wrote
/// it (its `export.json` names iccsim as its generator).
struct ExportDirectory {
    static let manifest = "export.json"
    let final: URL
    let staging: URL

    init(run: URL, out: String?, format: String) throws {
        final = out.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? run.appendingPathComponent(format)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: final.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, OutputPath.isExport(final) else {
                throw ValidationError("--out '\(final.path)' exists and is not an earlier export of iccsim; it will not be replaced (choose another --out)")
            }
        }
        let parent = final.deletingLastPathComponent()
        staging = parent.appendingPathComponent(Temporaries.workingName(for: final.lastPathComponent))
        Temporaries.removeStale(in: parent)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try Temporaries.mark(staging)
    }

    /// Writes the manifest and moves the staged files into place.
    func publish(run: URL, format: String, tables: [String]) throws {
        let list = tables.map { "\"\($0)\"" }.joined(separator: ", ")
        try "{\"generator\": \"iccsim\", \"run\": \"\(run.path)\", \"format\": \"\(format)\", \"tables\": [\(list)]}\n"
            .write(to: staging.appendingPathComponent(Self.manifest), atomically: true, encoding: .utf8)
        try Temporaries.unmark(staging)
        if FileManager.default.fileExists(atPath: final.path) { try FileManager.default.removeItem(at: final) }
        try FileManager.default.moveItem(at: staging, to: final)
    }

    func discard() { try? FileManager.default.removeItem(at: staging) }
}

/// `iccsim export csv RUN_DIR`: every trace table as a CSV file.
struct ExportCSVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Write every trace table as CSV (TABLE.csv; coded columns as names, times in ns) into DIR/csv or --out.")

    @Argument(help: "A run directory (with trace.h5).")
    var directory: String

    @Option(help: "The directory to write (default: RUN_DIR/csv); replaced only if an earlier export wrote it.")
    var out: String?

    func run() throws {
        let run = URL(fileURLWithPath: directory).standardizedFileURL
        let trace = run.appendingPathComponent("trace.h5").path
        guard FileManager.default.fileExists(atPath: trace) else { throw ValidationError("'\(directory)' has no trace.h5") }
        let target = try ExportDirectory(run: run, out: out, format: "csv")
        do {
            let tables = try TraceCSV.tables(trace: trace)
            for (name, text) in tables { try text.write(to: target.staging.appendingPathComponent("\(name).csv"), atomically: false, encoding: .utf8) }
            try target.publish(run: run, format: "csv", tables: tables.map(\.name))
            print("wrote \(tables.count) tables to \(target.final.path)")
        } catch {
            target.discard()
            throw error
        }
    }
}

/// `iccsim export parquet RUN_DIR`: every trace table as Parquet, through the Python package.
struct ExportParquetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parquet",
        abstract: "Write every trace table as Parquet (TABLE.parquet) into DIR/parquet or --out, through the iccsim Python package.",
        discussion: """
        Needs python3 with the package's dependencies (pip install './python[parquet]': h5py, numpy, \
        pandas, pyarrow); the package itself is taken from this checkout when it is not installed. \
        Times are in seconds (*_s) unless --times ns.
        """)

    @Argument(help: "A run directory (with trace.h5).")
    var directory: String

    @Option(help: "The directory to write (default: RUN_DIR/parquet); replaced only if an earlier export wrote it.")
    var out: String?

    @Option(help: "Times as seconds (s, columns *_s) or as the file's nanoseconds (ns).")
    var times: String = "s"

    func run() throws {
        guard ["s", "ns"].contains(times) else { throw ValidationError("--times must be s or ns, got '\(times)'") }
        let run = URL(fileURLWithPath: directory).standardizedFileURL
        guard FileManager.default.fileExists(atPath: run.appendingPathComponent("trace.h5").path) else { throw ValidationError("'\(directory)' has no trace.h5") }
        let target = try ExportDirectory(run: run, out: out, format: "parquet")
        let script = """
        import sys
        try:
            import iccsim
        except ImportError:
            sys.path.insert(0, sys.argv[3])
            import iccsim
        paths = iccsim.open(sys.argv[1]).to_parquet(sys.argv[2], times=sys.argv[4])
        print("\\n".join(p.rsplit("/", 1)[-1][:-len(".parquet")] for p in paths))
        """
        // The checkout's python/ next to this binary's build directory (.build/CONFIG/iccsim).
        let checkout = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("python").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, run.path, target.staging.path, checkout, times]
        let output = Pipe(), errors = Pipe()
        p.standardOutput = output
        p.standardError = errors
        do { try p.run() } catch {
            target.discard()
            throw RunFailure(message: "cannot start python3 (\(error)); export parquet needs python3 with h5py, pandas and pyarrow")
        }
        let stdout = output.fileHandleForReading.readDataToEndOfFile(), stderr = errors.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            target.discard()
            let last = String(decoding: stderr, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "exit \(p.terminationStatus)"
            throw RunFailure(message: "python3 could not write Parquet: \(last)" + (last.contains("pip install") ? "" : " (pip install './python[parquet]' installs what it needs)"))
        }
        let tables = String(decoding: stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        try target.publish(run: run, format: "parquet", tables: tables)
        print("wrote \(tables.count) tables to \(target.final.path)")
    }
}
