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
            guard let text = content else {
                throw ScenarioError("cannot read included scenario '\(relative)' (looked for \(shown))", at: at)
            }
            let included: Node
            do { included = try Yams.compose(yaml: text) ?? Node.mapping(Node.Mapping([])) } catch let e as YamlError {
                throw ScenarioLoader.yamlSyntaxError(e, file: shown)
            }
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
            }
        }
        w["applications"] = .sequence(Node.Sequence(out))
        top["workload"] = .mapping(w)
        return IncludeExpansion(root: .mapping(top), fileByPath: fileByPath)
    }

    /// `app` with the include entry's keys (other than `include`) replacing its own; the
    /// replacing values lose their marks, so errors in them name the including entry's path.
    static func replacingKeys(of app: Node, with entry: Node.Mapping) -> Node {
        guard case .mapping(var a) = app else { return app }
        for (k, v) in entry {
            guard let key = k.scalar?.string, key != "include" else { continue }
            a[key] = stripMarks(v)
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

    /// The path to show for `relative` included from `file`, and its text (nil if unreadable).
    func read(_ relative: String, from file: String) -> (shown: String, text: String?) {
        if let table = builtIn { return ("built-in:\(relative)", table[relative]) }
        let dir = (file as NSString).deletingLastPathComponent
        let shown = relative.hasPrefix("/") || dir.isEmpty ? relative : (dir as NSString).appendingPathComponent(relative)
        let normal = URL(fileURLWithPath: shown).standardizedFileURL.path
        guard let data = FileManager.default.contents(atPath: normal), let text = String(data: data, encoding: .utf8) else {
            return (shown, nil)
        }
        return (shown, text)
    }
}
