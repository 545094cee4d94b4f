import Foundation
import Yams

/// A scenario ready to run: the decoded values and the fully resolved YAML (defaults and
/// overrides applied) that is stored in the trace.
public struct LoadedScenario: Sendable {
    public var scenario: Scenario
    /// Where it came from: a path, or `built-in:NAME`.
    public var source: String
    public var resolvedYAML: String
}

/// Reads scenario files strictly: YAML syntax, unknown keys, types, units and ranges are all
/// reported as `file:line:column: message`.
public enum ScenarioLoader {
    /// Loads the file at `path` with `overrides` applied; `seed` (when given) replaces the scenario's seed.
    public static func load(path: String, overrides: [String] = [], seed: UInt64? = nil) throws -> LoadedScenario {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ScenarioError("scenario file '\(path)' does not exist")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError("cannot read scenario file '\(path)' as UTF-8 text")
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try load(text: text, file: path, defaultName: stem, overrides: overrides, seed: seed)
    }

    /// Loads scenario text; `file` is the name used in error messages.
    public static func load(text: String, file: String, defaultName: String, overrides: [String] = [],
                            seed: UInt64? = nil, includes: IncludeReader = .fileSystem) throws -> LoadedScenario {
        var root: Node
        do {
            root = try Yams.compose(yaml: text) ?? Node.mapping(Node.Mapping([]))
        } catch let e as YamlError {
            throw yamlSyntaxError(e, file: file)
        }
        let expanded = try IncludeExpansion.expand(root, file: file, reader: includes)
        root = expanded.root
        for o in overrides { root = try Override(parsing: o).apply(to: root) }
        var scenario = try Scenario(from: NodeDecoder(node: root, file: file, fileByPath: expanded.fileByPath, codingPath: []))
        if scenario.name.isEmpty { scenario.name = isPlainName(defaultName) ? defaultName : sanitize(defaultName) }
        if let s = seed { scenario.seed = s }
        let resolved = try YAMLEncoder().encode(scenario)
        return LoadedScenario(scenario: scenario, source: file, resolvedYAML: resolved)
    }

    private static func sanitize(_ name: String) -> String {
        let cleaned = String(name.map { isPlainName(String($0)) ? $0 : "_" })
        return cleaned.isEmpty ? "scenario" : cleaned
    }

    static func yamlSyntaxError(_ e: YamlError, file: String) -> ScenarioError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ScenarioError("YAML syntax error: \(problem)", at: SourceLocation(file: file, line: mark.line, column: mark.column))
        default:
            return ScenarioError("YAML error: \(e)", at: SourceLocation(file: file))
        }
    }
}
