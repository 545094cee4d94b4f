import Release
import Workloads

/// A measured latency table pricing a service's requests (`latency:`), as `iccsim serve` uses
/// it: prefill by prompt size and time per output token by batch, for one model, hardware and
/// tensor-parallel degree of the table (the Splitwise CSV format). The path is relative to the
/// scenario file; the table is read and checked after decoding (``importFile(_:)``).
public struct ServiceLatencySpec: Codable, Sendable, Equatable {
    public var file: String
    public var model: String
    public var hardware: String
    public var tensorParallel: Int
    /// The file's text (not written back to YAML).
    public var text = ""
    /// Where the scenario names the file, and the entry (for errors after decoding).
    var fileLocation: SourceLocation?
    var location: SourceLocation?

    enum CodingKeys: String, CodingKey, CaseIterable { case file, model, hardware, tensorParallel }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let fileDecoder = try c.superDecoder(forKey: .file)
        file = resolvePath(try c.decode(String.self, forKey: .file), relativeTo: (fileDecoder as? NodeDecoder)?.file)
        model = try c.decode(String.self, forKey: .model)
        hardware = try c.decode(String.self, forKey: .hardware)
        tensorParallel = try c.decode(Int.self, forKey: .tensorParallel, default: 1) { $0 < 1 ? "must be at least 1" : nil }
        fileLocation = (fileDecoder as? NodeDecoder)?.location
        location = (decoder as? NodeDecoder)?.location
    }

    /// Reads and checks the table: it must have the named model, hardware and degree.
    mutating func importFile(_ files: TraceFiles) throws {
        text = try readTraceFile(file, files: files, at: fileLocation)
        let table: LatencyTable
        do { table = try LatencyTable.parse(text) } catch let e as LatencyTable.TableError {
            throw ScenarioError(e.message, at: SourceLocation(file: file, line: e.line, column: 1))
        }
        guard table.latency(key, promptTokens: 1) != nil else {
            let have = table.keys.map { "\($0.model)/\($0.hardware)/tp\($0.tensorParallel)" }.joined(separator: ", ")
            throw ScenarioError("the latency table '\(file)' has no \(model) on \(hardware) with tensorParallel \(tensorParallel); it has \(have)", at: location)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(model, forKey: .model)
        try c.encode(hardware, forKey: .hardware)
        try c.encode(tensorParallel, forKey: .tensorParallel)
    }

    public var key: LatencyTable.Key { LatencyTable.Key(model: model, hardware: hardware, tensorParallel: tensorParallel) }
    /// The parsed table (checked at load).
    public var table: LatencyTable { try! LatencyTable.parse(text) }
}

/// A replayed request trace for a service (`requestTrace:`): arrival times, prompt and output
/// tokens (the Azure LLM trace as Vidur processed it), replayed from the service's go-live and,
/// with `repeat`, again every span of the trace until the horizon.
public struct RequestTraceSpec: Codable, Sendable, Equatable {
    public var file: String
    public var `repeat`: Bool
    /// The file's text (not written back to YAML), read after decoding (``importFile(_:)``).
    public var text = ""
    var fileLocation: SourceLocation?
    var location: SourceLocation?

    enum CodingKeys: String, CodingKey, CaseIterable { case file, `repeat` }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let fileDecoder = try c.superDecoder(forKey: .file)
        file = resolvePath(try c.decode(String.self, forKey: .file), relativeTo: (fileDecoder as? NodeDecoder)?.file)
        `repeat` = try c.decode(Bool.self, forKey: .repeat, default: true)
        fileLocation = (fileDecoder as? NodeDecoder)?.location
        location = (decoder as? NodeDecoder)?.location
    }

    /// Reads and checks the trace: every row, and at least one request.
    mutating func importFile(_ files: TraceFiles) throws {
        text = try readTraceFile(file, files: files, at: fileLocation)
        do {
            let t = try LLMRequestTrace.parse(text)
            if t.arrivalS.isEmpty { throw ScenarioError("the request trace '\(file)' has no requests", at: location) }
        } catch let e as LLMRequestTrace.RowError {
            throw ScenarioError(e.message, at: SourceLocation(file: file, line: e.line, column: 1))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(`repeat`, forKey: .repeat)
    }

    /// The parsed trace (checked at load).
    public var trace: LLMRequestTrace { try! LLMRequestTrace.parse(text) }
}

extension LoadBalancer: ScenarioEnum {}
