import Yams

/// A scenario's node tree as it was decoded (includes expanded, overrides applied), kept to
/// locate checks made after decoding: ``location(of:)`` names the file, line and column where a
/// key was written.
public struct ScenarioTree: @unchecked Sendable {  // Node is an immutable value tree
    let root: Node
    let file: String
    /// Files of spliced subtrees, by dotted path (see ``NodeDecoder``).
    let fileByPath: [String: String]

    /// Where the value at `path` (keys and list indices, `["workload", "classes", "0", "jobs"]`)
    /// was written: its line and column in the file that holds it, or `--set PATH` for a value
    /// from the command line. Nil when the path is not in the tree.
    public func location(of path: [String]) -> SourceLocation? {
        var node = root
        var f = file
        for (depth, part) in path.enumerated() {
            switch node {
            case .mapping(let m):
                guard let pair = m.first(where: { $0.key.scalar?.string == part }) else { return nil }
                node = pair.value
            case .sequence(let s):
                guard let i = Int(part), i >= 0, i < s.count else { return nil }
                node = s[i]
            default:
                return nil
            }
            if let other = fileByPath[path[...depth].joined(separator: ".")] { f = other }
        }
        guard let mark = node.mark else { return SourceLocation(file: "--set \(path.joined(separator: "."))") }
        return SourceLocation(file: f, line: mark.line, column: mark.column)
    }

    /// Keys whose durations keep fractions of a nanosecond (``FineTimeQuantity``).
    static let fineTimeKeys: Set<String> = ["intraLatency", "interLatency"]

    /// A note for every duration written with a fraction of a nanosecond (`1.5ns`, `0.0001us`)
    /// where times are whole nanoseconds: it runs rounded to the nearest, and the note says so
    /// (`file:line:column: path = 1.5ns is not a whole nanosecond; ...`). Fabric latencies keep
    /// their fractions and get none.
    public func roundingNotes() -> [String] {
        var notes: [String] = []
        func walk(_ node: Node, _ path: [String]) {
            switch node {
            case .mapping(let m):
                for pair in m { if let k = pair.key.scalar?.string { walk(pair.value, path + [k]) } }
            case .sequence(let items):
                for (i, item) in items.enumerated() { walk(item, path + ["\(i)"]) }
            case .scalar(let scalar):
                guard let key = path.last, !Self.fineTimeKeys.contains(key),
                      case .success(let ns) = Quantities.parse(scalar.string, as: TimeUnit.self), ns != ns.rounded(), ns.isFinite else { return }
                let place = location(of: path).map { "\($0): " } ?? ""
                notes.append("\(place)\(path.joined(separator: ".")) = \(scalar.string) is not a whole nanosecond; times are kept in whole "
                             + "nanoseconds, so it runs as \(Quantities.format(ns.rounded(), as: TimeUnit.self))")
            default:
                return
            }
        }
        walk(root, [])
        return notes
    }
}
