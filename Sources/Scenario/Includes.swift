import Foundation
import Yams

/// `workload.applications` entries of the form `{include: FILE, scale: 2}` are replaced, before
/// overrides and decoding, by the applications of another scenario file (its
/// `workload.applications`), with the entry's other keys replacing theirs. Paths are relative to
/// the including file. Included nodes keep their own file for error messages.
struct IncludeExpansion {
    /// The expanded tree.
    var root: Node
    /// File of each spliced application, by its path in the tree (`workload.applications.3`).
    var fileByPath: [String: String]

    static func expand(_ root: Node, file: String, reader: IncludeReader, visiting: [String] = []) throws -> IncludeExpansion {
        guard case .mapping(var top) = root, let workload = top["workload"], case .mapping(var w) = workload,
              let apps = w["applications"], case .sequence(let list) = apps else {
            return IncludeExpansion(root: root, fileByPath: [:])
        }
        var out: [Node] = []
        var fileByPath: [String: String] = [:]
        for item in list {
            guard case .mapping(let m) = item, let inc = m["include"] else {
                out.append(item)
                continue
            }
            let at = SourceLocation(file: file, line: inc.mark?.line ?? 0, column: inc.mark?.column ?? 0)
            guard let relative = inc.scalar?.string, !relative.isEmpty else {
                throw ScenarioError("include expects a file name", at: at)
            }
            let chain = visiting + [file]
            if chain.count > 16 { throw ScenarioError("includes nest more than 16 deep (through \(chain.joined(separator: " -> ")))", at: at) }
            let (shown, content) = reader.read(relative, from: file)
            if chain.contains(shown) { throw ScenarioError("include '\(relative)' includes itself (through \(chain.joined(separator: " -> ")))", at: at) }
            guard let data = content else {
                throw ScenarioError("cannot read included scenario '\(relative)' (looked for \(shown))", at: at)
            }
            let included = try YAMLSource.compose(YAMLSource.text(of: data, file: shown), file: shown, what: "included scenario")
            let inner = try expand(included, file: shown, reader: reader, visiting: chain)
            guard case .mapping(let it) = inner.root, case .mapping(let iw)? = it["workload"],
                  case .sequence(let innerApps)? = iw["applications"], !innerApps.isEmpty else {
                throw ScenarioError("included scenario '\(relative)' has no workload.applications", at: at)
            }
            for (k, app) in innerApps.enumerated() {
                let index = out.count
                fileByPath["workload.applications.\(index)"] = inner.fileByPath["workload.applications.\(k)"] ?? shown
                for (p, f) in inner.fileByPath where p.hasPrefix("workload.applications.\(k).") {
                    fileByPath["workload.applications.\(index)" + p.dropFirst("workload.applications.\(k)".count)] = f
                }
                out.append(replacingKeys(of: app, with: m))
                // The entry's own keys are the including file's, errors in them included.
                for (k, _) in m { if let key = k.scalar?.string, key != "include" { fileByPath["workload.applications.\(index).\(key)"] = file } }
            }
        }
        w["applications"] = .sequence(Node.Sequence(out))
        top["workload"] = .mapping(w)
        return IncludeExpansion(root: .mapping(top), fileByPath: fileByPath)
    }

    /// `app` with the include entry's keys (other than `include`) replacing its own, keys and
    /// values with their positions in the including file.
    static func replacingKeys(of app: Node, with entry: Node.Mapping) -> Node {
        guard case .mapping(var a) = app else { return app }
        for (k, v) in entry {
            guard let key = k.scalar?.string, key != "include" else { continue }
            if let i = a.index(forKey: Node(key)) {
                a[i] = (key: k, value: v)
            } else {
                var pairs = Array(a)
                pairs.append((key: k, value: v))
                a = Node.Mapping(pairs, a.tag, a.style, a.mark)
            }
        }
        return .mapping(a)
    }
}

/// Where included scenario files come from: the file system (paths relative to the including
/// file), or a table of built-in texts (for the built-in default scenario).
public struct IncludeReader: Sendable {
    /// Built-in files by relative path; nil reads the file system.
    let builtIn: [String: String]?

    /// Reads includes from the file system.
    public static let fileSystem = IncludeReader(builtIn: nil)

    /// Reads includes from `files` (relative path → text), shown as `built-in:PATH`.
    public static func builtIn(_ files: [String: String]) -> IncludeReader { IncludeReader(builtIn: files) }

    /// The path to show for `relative` included from `file`, and its bytes (nil if unreadable).
    func read(_ relative: String, from file: String) -> (shown: String, data: Data?) {
        if let table = builtIn { return ("built-in:\(relative)", table[relative].map { Data($0.utf8) }) }
        let dir = (file as NSString).deletingLastPathComponent
        let shown = relative.hasPrefix("/") || dir.isEmpty ? relative : (dir as NSString).appendingPathComponent(relative)
        let normal = URL(fileURLWithPath: shown).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: normal, isDirectory: &isDirectory), !isDirectory.boolValue else { return (shown, nil) }
        return (shown, FileManager.default.contents(atPath: normal))
    }
}
