import Foundation
import Workloads
import Yams

/// A scenario ready to run: the decoded values and the fully resolved YAML (defaults and
/// overrides applied) that is stored in the trace.
public struct LoadedScenario: Sendable {
    public var scenario: Scenario
    /// Where it came from: a path, or `built-in:NAME`.
    public var source: String
    public var resolvedYAML: String
    /// The decoded node tree, to locate checks made after decoding.
    public var tree: ScenarioTree
    /// Notes for people (not errors): durations rounded to whole nanoseconds.
    public var notes: [String] { tree.roundingNotes() }
}

/// Reads scenario files strictly: YAML syntax, unknown keys, types, units and ranges are all
/// reported as `file:line:column: message`.
public enum ScenarioLoader {
    /// Loads the file at `path` with `overrides` applied; `seed` (when given) replaces the scenario's seed.
    /// The demand it would generate is checked against `limits` (``DemandEstimate``).
    /// Files the scenario names are read through `files` (share one reader across the
    /// variations of a scenario to read each file once).
    public static func load(path: String, overrides: [String] = [], seed: UInt64? = nil, limits: RunLimits = .standard,
                            files: TraceFiles = TraceFiles()) throws -> LoadedScenario {
        try load(path: path, overrides: overrides.map { try Override(parsing: $0) }, seed: seed, limits: limits, files: files)
    }

    /// Loads the file at `path` with `overrides` (from the command line or a file) applied.
    public static func load(path: String, overrides: [Override], seed: UInt64? = nil, limits: RunLimits = .standard,
                            files: TraceFiles = TraceFiles()) throws -> LoadedScenario {
        let text = try YAMLSource.read(path: path, what: "scenario file")
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try load(text: text, file: path, defaultName: stem, overrides: overrides, seed: seed, limits: limits, files: files)
    }

    /// Loads scenario text; `file` is the name used in error messages.
    public static func load(text: String, file: String, defaultName: String, overrides: [String] = [],
                            seed: UInt64? = nil, includes: IncludeReader = .fileSystem, limits: RunLimits = .standard,
                            files: TraceFiles = TraceFiles()) throws -> LoadedScenario {
        try load(text: text, file: file, defaultName: defaultName, overrides: overrides.map { try Override(parsing: $0) }, seed: seed,
                 includes: includes, limits: limits, files: files)
    }

    /// Loads scenario text with `overrides` applied; `file` is the name used in error messages.
    public static func load(text: String, file: String, defaultName: String, overrides: [Override],
                            seed: UInt64? = nil, includes: IncludeReader = .fileSystem, limits: RunLimits = .standard,
                            files: TraceFiles = TraceFiles()) throws -> LoadedScenario {
        var root = try YAMLSource.compose(text, file: file, what: "scenario")
        let expanded = try IncludeExpansion.expand(root, file: file, reader: includes)
        root = expanded.root
        var fileByPath = expanded.fileByPath
        for o in overrides {
            root = try o.apply(to: root)
            if let origin = o.origin { fileByPath[o.key] = origin.file }
        }
        var scenario = try Scenario(from: NodeDecoder(node: root, file: file, fileByPath: fileByPath, codingPath: []))
        if scenario.name.isEmpty { scenario.name = isPlainName(defaultName) ? defaultName : sanitize(defaultName) }
        if let s = seed { scenario.seed = s }
        let tree = ScenarioTree(root: root, file: file, fileByPath: fileByPath)
        try scenario.importFiles(files, tree: tree)
        try DemandEstimate(scenario).check(limits, tree: tree)
        let resolved = try scenario.resolvedYAML()
        return LoadedScenario(scenario: scenario, source: file, resolvedYAML: resolved, tree: tree)
    }

    private static func sanitize(_ name: String) -> String {
        let cleaned = String(name.map { isPlainName(String($0)) ? $0 : "_" })
        return cleaned.isEmpty ? "scenario" : cleaned
    }
}

extension Scenario {
    /// The scenario as one self-contained YAML file (includes expanded, defaults written out).
    public func resolvedYAML() throws -> String { try YAMLEncoder().encode(self) }
}
