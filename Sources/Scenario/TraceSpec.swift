import Foundation
import SimKernel
import Production
import Workloads

/// A column of a CSV file with a header, named in a scenario (`dist: trace`). The path is
/// relative to the scenario file and stored resolved (relative to the working directory); the
/// column is read after decoding (``Scenario/importFiles(_:tree:)``).
public struct TraceColumnSource: Sendable, Equatable {
    public var file: String
    public var column: String
    public var unit: String?
    /// Where the scenario names the file (for an error reading it).
    var fileLocation: SourceLocation?
    /// Base units per value of the column, and the largest value allowed (in the column's unit).
    var factor = 1.0
    var maxValue = Double.greatestFiniteMagnitude

    init(_ at: any Decoder, file: String, column: String, unit: String?) throws {
        self.file = resolvePath(file, relativeTo: (at as? NodeDecoder)?.file)
        self.column = column
        self.unit = unit
        fileLocation = (at as? NodeDecoder)?.location
    }

    /// The column's values in base units, ascending; errors name the CSV file and line.
    func read(_ files: TraceFiles) throws -> [Double] {
        let text = try readTraceFile(file, files: files, at: fileLocation)
        do { return try TraceImport.column(text, column, max: maxValue).map { max(0, $0 * factor) }.sorted() } catch {
            throw ScenarioError(error.message, at: SourceLocation(file: file, line: error.line, column: 1))
        }
    }
}

/// `path` resolved against the directory of the scenario file `scenarioFile` (kept relative
/// when both are); built-in scenarios resolve against the working directory.
func resolvePath(_ path: String, relativeTo scenarioFile: String?) -> String {
    guard !path.hasPrefix("/"), let f = scenarioFile, !f.hasPrefix("built-in:"), !f.hasPrefix("--set") else { return path }
    let dir = (f as NSString).deletingLastPathComponent
    return dir.isEmpty ? path : ((dir as NSString).appendingPathComponent(path) as NSString).standardizingPath
}

/// The text of a trace file (read by `files`, once per path), or an error at the scenario node
/// that names it.
func readTraceFile(_ path: String, files: TraceFiles, at location: SourceLocation?) throws -> String {
    do { return try files.text(of: path) } catch { throw ScenarioError(error.message, at: location) }
}

/// The text of a file read while decoding (a cluster's node list, which shapes the cluster the
/// rest of the scenario is checked against), or an error at the scenario node that names it.
func readFileNow(_ path: String, at: any Decoder) throws -> String {
    return try readTraceFile(path, files: TraceFiles(), at: (at as? NodeDecoder)?.location)
}

extension TraceFormat: ScenarioEnum {}

/// A real job trace replayed as part of the workload (`workload.traces`).
public struct TraceSpec: Codable, Sendable, Equatable {
    public var name: String
    public var format: TraceFormat
    /// The trace file, resolved (see ``resolvePath(_:relativeTo:)``).
    public var file: String
    /// The pool its jobs run in (default: the first).
    public var pool: String?
    /// Replay only the first `limit` rows.
    public var limit: Int?
    /// Multiplies submission times (0.1: arrivals ten times as dense, run times unchanged).
    public var arrivalScale: Double
    /// The file's text (the first `limit` rows), read after decoding (``importFile(_:)``).
    public var text = ""
    /// Where the scenario names the file.
    var fileLocation: SourceLocation?

    enum CodingKeys: String, CodingKey, CaseIterable { case name, format, file, pool, limit, arrivalScale }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name) { isPlainName($0) ? nil : "must be a plain name" }
        format = try c.decode(TraceFormat.self, forKey: .format)
        let fileDecoder = try c.superDecoder(forKey: .file)
        file = resolvePath(try c.decode(String.self, forKey: .file), relativeTo: (fileDecoder as? NodeDecoder)?.file)
        pool = try c.decodeIfPresent(String.self, forKey: .pool)
        limit = try c.decodeIfPresent(Int.self, forKey: .limit)
        if let l = limit, l < 1 { throw try c.superDecoder(forKey: .limit).scenarioError("limit must be at least 1, got \(l)") }
        arrivalScale = try c.decode(Double.self, forKey: .arrivalScale, default: 1) { $0 <= 0 || $0 > 1e6 ? "must be in (0, 1000000]" : nil }
        fileLocation = (fileDecoder as? NodeDecoder)?.location
    }

    /// Reads the trace and checks every row, so bad input is reported before the run (Pollux
    /// pricing uses a stand-in device here).
    mutating func importFile(_ files: TraceFiles) throws {
        text = try readTraceFile(file, files: files, at: fileLocation)
        if let l = limit { text = Self.firstRows(text, l) }
        _ = try jobs(pool: TraceSpec.checkingPool)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name); try c.encode(format, forKey: .format); try c.encode(file, forKey: .file)
        try c.encodeIfPresent(pool, forKey: .pool); try c.encodeIfPresent(limit, forKey: .limit)
        try c.encode(arrivalScale, forKey: .arrivalScale)
    }

    /// The trace's jobs priced on `pool`, or an error at the bad row (`FILE:LINE: message`).
    public func jobs(pool: PoolView, io: any JobIOModel = IdealIO()) throws -> (jobs: [ImportedJob], report: TraceImportReport) {
        do {
            var result = try TraceImport.parse(text, format: format, pool: pool, io: io)
            if arrivalScale != 1 {
                for i in result.jobs.indices { result.jobs[i].submitNs = SimTimeNs((Double(result.jobs[i].submitNs) * arrivalScale).rounded()) }
            }
            return result
        } catch {
            throw ScenarioError(error.message, at: SourceLocation(file: file, line: error.line, column: 1))
        }
    }

    static func firstRows(_ text: String, _ n: Int) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.count > n + 1 { lines = Array(lines[...n]) }
        return lines.joined(separator: "\n")
    }

    static var checkingPool: PoolView {
        let s = ServerCatalog.builtIn(named: "generic-8")!
        return PoolView(name: "check", role: .general, accelerator: AcceleratorCatalog.builtIn(named: s.accelerator)!, server: s, capacity: 1)
    }
}
