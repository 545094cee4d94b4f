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
extension PlanTargets: StrictYAMLFile {
    public static var fileKind: String { "targets file" }

    /// Whether `path` holds a targets file (a top-level `targets` and no `cluster`).
    public static func isTargetsFile(_ path: String) -> Bool { YAMLSource.isFile(path, withTopKey: "targets") }
}

extension YAMLSource {
    /// Whether `path` holds YAML whose top level has `key` and no `cluster` (so it is not a
    /// scenario): how `iccsim validate` tells sweep and targets files from scenarios.
    static func isFile(_ path: String, withTopKey key: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path), let root = try? Yams.compose(yaml: String(decoding: data, as: UTF8.self)),
              case .mapping(let m) = root else { return false }
        return m[Node(key)] != nil && m[Node("cluster")] == nil
    }
}
