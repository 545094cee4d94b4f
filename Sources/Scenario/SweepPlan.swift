import Foundation
import SimKernel
import Yams

/// One run of a sweep: a configuration (its parameter values) and a replicate, keyed by a hash
/// of its resolved scenario and the replicate, and seeded from (sweep seed, key), so neither
/// the shard that runs it nor the order of runs can change its result.
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
        let configs = spec.configurations()
        configurations = configs.count
        let fixed = spec.set.map { $0.override($0.key) }
        var runs: [SweepRun] = []
        for (c, values) in configs.enumerated() {
            let overrides = fixed + zip(spec.parameters, values).map { "\($0)=\($1)" }
            let loaded: LoadedScenario
            do { loaded = try ScenarioLoader.load(path: basePath, overrides: overrides) } catch let e as ScenarioError {
                let named = zip(spec.parameters, values).map { "\($0)=\($1)" }.joined(separator: ", ")
                throw ScenarioError("sweep '\(spec.name)' configuration \(c) (\(named.isEmpty ? "no parameters" : named)): \(e.description)")
            }
            let configKey = Self.fnv1a(loaded.resolvedYAML)
            for r in 0..<spec.replicates {
                let key = SplitMix64.mix(configKey ^ SplitMix64.mix(UInt64(r) &+ 0x5EED))
                runs.append(SweepRun(index: runs.count, configuration: c, replicate: r, key: key,
                                     seed: SplitMix64.mix(spec.seed ^ SplitMix64.mix(key)) >> 1, values: values, overrides: overrides))
            }
        }
        self.runs = runs
    }

    /// FNV-1a over the UTF-8 bytes: a stable hash (Swift's `Hasher` is seeded per process).
    static func fnv1a(_ text: String) -> UInt64 {
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
