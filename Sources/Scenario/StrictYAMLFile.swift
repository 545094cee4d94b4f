import Foundation
import Yams

/// A YAML file decoded strictly (`file:line:column` errors), for the files beside scenarios:
/// tolerance, sweep and targets files.
public protocol StrictYAMLFile: Decodable {
    /// What the file is, for "cannot read the WHAT 'PATH'".
    static var fileKind: String { get }
}

extension StrictYAMLFile {
    /// Reads the file at `path` strictly.
    public static func load(path: String) throws -> Self {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError("cannot read \(fileKind) '\(path)'")
        }
        let root: Node
        do { root = try Yams.compose(yaml: text) ?? Node.mapping(Node.Mapping([])) } catch let e as YamlError {
            throw ScenarioLoader.yamlSyntaxError(e, file: path)
        }
        return try Self(from: NodeDecoder(node: root, file: path))
    }
}

extension ToleranceFile: StrictYAMLFile { public static var fileKind: String { "tolerance file" } }
extension SweepSpec: StrictYAMLFile { public static var fileKind: String { "sweep file" } }
extension PlanTargets: StrictYAMLFile { public static var fileKind: String { "targets file" } }
