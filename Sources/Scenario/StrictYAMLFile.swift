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
        let text = try YAMLSource.read(path: path, what: fileKind)
        let root = try YAMLSource.compose(text, file: path, what: fileKind)
        return try Self(from: NodeDecoder(node: root, file: path))
    }
}

extension ToleranceFile: StrictYAMLFile { public static var fileKind: String { "tolerance file" } }
extension SweepSpec: StrictYAMLFile { public static var fileKind: String { "sweep file" } }
extension PlanTargets: StrictYAMLFile { public static var fileKind: String { "targets file" } }
