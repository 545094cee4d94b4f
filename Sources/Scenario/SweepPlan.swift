import Foundation
import SimKernel
import Workloads
import Yams

/// One run of a sweep: a configuration (its parameter values) and a replicate, keyed by a hash
/// of its resolved scenario and the replicate, and seeded from (sweep seed, replicate), so neither
/// the shard that runs it nor the order of runs can change its result, and replicate r of every
/// configuration draws the same random numbers (common random numbers: the configurations are
/// compared on the same demand and the same failures, a paired comparison).
public struct SweepRun: Sendable, Equatable {
    public var index: Int
    public var configuration: Int
    public var replicate: Int
    public var key: UInt64
    public var seed: UInt64
    /// Parameter values, in ``SweepSpec/parameters`` order.
    public var values: [String]
    /// Every `--set` override of the run (the sweep's fixed ones, then the parameters).
    public var overrides: [String]

    /// The run's directory name under `runs/`: its key in hex.
    public var name: String { String(format: "%016llx", key) }
}

/// A sweep expanded into runs, every configuration validated against the base scenario.
public struct SweepPlan: Sendable {
    public var spec: SweepSpec
    /// The base scenario's absolute path.
    public var basePath: String
    public var runs: [SweepRun]
    public var configurations: Int

    /// Expands `spec`; `base` is relative to `directory`. A configuration that is not a valid
    /// scenario is an error naming it.
    public init(_ spec: SweepSpec, directory: String) throws {
        self.spec = spec
        basePath = spec.base.hasPrefix("/") ? spec.base : URL(fileURLWithPath: directory).appendingPathComponent(spec.base).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: basePath, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ScenarioError("the base scenario '\(spec.base)' does not exist (looked for \(basePath))", at: spec.baseLocation)
        }
        let configs = spec.configurations()
        configurations = configs.count
        let fixed = try spec.fixed.map { try $0.located($0.key) }
        var runs: [SweepRun] = []
        let files = TraceFiles()  // each trace file is read once for all configurations
        for (c, located) in configs.enumerated() {
            let values = located.map(\.text)
            let overrides = fixed.map(\.text) + zip(spec.parameters, values).map { "\($0)=\($1)" }
            let loaded: LoadedScenario
            do {
                loaded = try ScenarioLoader.load(path: basePath, overrides: fixed + zip(spec.parameters, located).map { try $1.located($0) }, files: files)
            } catch let e as ScenarioError {
                let named = zip(spec.parameters, values).map { "\($0)=\($1)" }.joined(separator: ", ")
                throw ScenarioError("sweep '\(spec.name)' configuration \(c) (\(named.isEmpty ? "no parameters" : named)): \(e.message)", at: e.location)
            }
            let configKey = Self.fnv1a(loaded.resolvedYAML)
            for r in 0..<spec.replicates {
                let key = SplitMix64.mix(configKey ^ SplitMix64.mix(UInt64(r) &+ 0x5EED))
                runs.append(SweepRun(index: runs.count, configuration: c, replicate: r, key: key,
                                     seed: Self.seed(sweep: spec.seed, replicate: r), values: values, overrides: overrides))
            }
        }
        self.runs = runs
    }

    /// The plan a sweep directory recorded (`plan.csv`, written by ``csv``), without loading
    /// the base scenario again: `sweep run` and `sweep collect` start at once.
    public init(_ spec: SweepSpec, basePath: String, csv text: String, file: String) throws {
        self.spec = spec
        self.basePath = basePath
        let rows = Self.parseCSV(text)
        let header = ["run", "key", "configuration", "replicate", "seed"] + spec.parameters
        guard rows.first == header else { throw ScenarioError("\(file):1: the header is not \(header.joined(separator: ",")); plan the sweep again") }
        let fixed = spec.fixed.map { $0.override($0.key) }
        runs = try rows.dropFirst().enumerated().map { i, f in
            guard f.count == header.count, let index = Int(f[0]), index == i, let key = UInt64(f[1], radix: 16),
                  let c = Int(f[2]), let r = Int(f[3]), let seed = UInt64(f[4]) else {
                throw ScenarioError("\(file):\(i + 2): not a run of this plan; plan the sweep again")
            }
            let values = Array(f[5...])
            return SweepRun(index: index, configuration: c, replicate: r, key: key, seed: seed, values: values,
                            overrides: fixed + zip(spec.parameters, values).map { "\($0)=\($1)" })
        }
        configurations = (runs.map(\.configuration).max() ?? -1) + 1
    }

    /// `plan.csv`: one row per run (index, key, configuration, replicate, seed, parameter values).
    public var csv: String {
        var lines = [(["run", "key", "configuration", "replicate", "seed"] + spec.parameters).map(Self.quote).joined(separator: ",")]
        for r in runs {
            lines.append((["\(r.index)", r.name, "\(r.configuration)", "\(r.replicate)", "\(r.seed)"] + r.values.map(Self.quote)).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
    public static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Rows of RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks).
    public static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, i = text.startIndex
        while i < text.endIndex {
            let ch = text[i]
            if quoted {
                if ch == "\"" {
                    let next = text.index(after: i)
                    if next < text.endIndex, text[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else { field.append(ch) }
            } else if ch == "\"" {
                quoted = true
            } else if ch == "," {
                row.append(field); field = ""
            } else if ch == "\n" {
                row.append(field); rows.append(row); row = []; field = ""
            } else if ch != "\r" {
                field.append(ch)
            }
            i = text.index(after: i)
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// The seed of replicate `r` of every configuration of a sweep seeded `sweep`.
    public static func seed(sweep: UInt64, replicate r: Int) -> UInt64 {
        SplitMix64.mix(sweep ^ SplitMix64.mix(UInt64(r) &+ 0xC0FFEE)) >> 1
    }

    /// FNV-1a over the UTF-8 bytes: a stable hash (Swift's `Hasher` is seeded per process).
    public static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    /// The sweep file as the plan directory keeps it: the original text with `base` made absolute.
    public static func normalizedText(of path: String, basePath: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError("cannot read sweep file '\(path)'")
        }
        guard var root = try? Yams.compose(yaml: text), case .mapping(var m) = root else { return text }
        m[Node("base")] = Node(basePath, Tag(.str), .doubleQuoted)
        root = .mapping(m)
        return try Yams.serialize(node: root)
    }
}
