import Foundation
import SimKernel
import Production
import Workloads

/// A column of a CSV file with a header, named in a scenario (`dist: trace`). The path is
/// relative to the scenario file and stored resolved (relative to the working directory).
public struct TraceColumnSource: Sendable, Equatable {
    public var file: String
    public var column: String
    public var unit: String?

    init(_ at: any Decoder, file: String, column: String, unit: String?) throws {
        self.file = resolvePath(file, relativeTo: (at as? NodeDecoder)?.file)
        self.column = column
        self.unit = unit
    }

    /// The column's values, each at most `max`; errors name the CSV file and line.
    func read(from at: any Decoder, max: Double) throws -> [Double] {
        let text = try readTraceFile(file, at: at)
        do { return try TraceImport.column(text, column, max: max) } catch {
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

/// The text of a trace file, or an error at the scenario node that names it.
func readTraceFile(_ path: String, at: any Decoder) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw at.scenarioError("cannot read trace file '\(path)'")
    }
    guard let text = String(data: data, encoding: .utf8) else { throw at.scenarioError("trace file '\(path)' is not UTF-8 text") }
    return text
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
    /// The file's text, read once when the scenario is loaded.
    public var text: String

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
        text = try readTraceFile(file, at: fileDecoder)
        if let l = limit { text = Self.firstRows(text, l) }
        // Check every row now, so bad input is reported before the run (Pollux pricing uses a stand-in device here).
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
