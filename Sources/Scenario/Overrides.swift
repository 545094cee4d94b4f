import Yams

/// One `--set path.to.key=value` override. Path segments are mapping keys or list indices
/// (`workload.classes.0.jobs=100` or `workload.classes[0].jobs=100`); the value is YAML
/// (`4`, `400Gbps`, `{dist: exponential, mean: 2m}`, `[1, 2, 4]`).
public struct Override: Sendable, Equatable {
    public var path: [String]
    public var valueText: String
    /// The override as the user wrote it.
    public var text: String

    /// Parses `KEY=VALUE`.
    public init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "=") else {
            throw ScenarioError("--set expects KEY=VALUE (for example cluster.servers.0.count=64), got '\(text)'")
        }
        let key = String(text[..<eq])
        let normalized = key.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "")
        path = normalized.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, !path.contains(where: \.isEmpty) else {
            throw ScenarioError("--set has a malformed key '\(key)': expected dotted names such as cluster.servers.0.count")
        }
        valueText = String(text[text.index(after: eq)...])
        self.text = text
    }

    /// The dotted key.
    public var key: String { path.joined(separator: ".") }

    /// Applies the override to a scenario's node tree, creating missing mapping keys (the strict
    /// pass then rejects any that are unknown).
    public func apply(to root: Node) throws -> Node {
        let value: Node
        do {
            value = stripMarks(try Yams.compose(yaml: valueText) ?? Node("", Tag(.null)))
        } catch {
            throw ScenarioError("--set \(key): the value '\(valueText)' is not valid YAML")
        }
        return try set(root, at: path[...], to: value, done: [])
    }

    private func set(_ node: Node, at path: ArraySlice<String>, to value: Node, done: [String]) throws -> Node {
        guard let head = path.first else { return value }
        let rest = path.dropFirst()
        let here = (done + [head]).joined(separator: ".")
        switch node {
        case .mapping(var m):
            if let existing = m[head] {
                let updated = try set(existing, at: rest, to: value, done: done + [head])
                if let i = m.index(forKey: Node(head)) { m[i] = (key: m[i].key, value: updated) }
            } else {
                let fresh = try set(Node.mapping(Node.Mapping([])), at: rest, to: value, done: done + [head])
                var pairs = Array(m)
                pairs.append((key: Node(head), value: fresh))
                m = Node.Mapping(pairs, m.tag, m.style, m.mark)
            }
            return .mapping(m)
        case .sequence(var s):
            guard let i = Int(head) else {
                throw ScenarioError("--set \(key): '\(done.joined(separator: "."))' is a list; expected an index, found '\(head)'")
            }
            guard i >= 0, i < s.count else {
                throw ScenarioError("--set \(key): index \(i) is out of range for '\(done.joined(separator: "."))' (\(s.count) items)")
            }
            s[i] = try set(s[i], at: rest, to: value, done: done + [head])
            return .sequence(s)
        default:
            if node.scalar?.string.isEmpty ?? false, node.tag == Tag(.null) {
                return try set(Node.mapping(Node.Mapping([])), at: path, to: value, done: done)
            }
            throw ScenarioError("--set \(key): '\(done.isEmpty ? "the scenario" : done.joined(separator: "."))' is a value, not a mapping, so it has no key '\(head)' (at \(here))")
        }
    }
}

/// A copy of `node` with no source marks, so errors in it are attributed to `--set`.
func stripMarks(_ node: Node) -> Node {
    switch node {
    case .scalar(let s): return .scalar(Node.Scalar(s.string, s.tag, s.style, nil))
    case .mapping(let m): return .mapping(Node.Mapping(m.map { (stripMarks($0.key), stripMarks($0.value)) }, m.tag, m.style, nil))
    case .sequence(let s): return .sequence(Node.Sequence(s.map(stripMarks), s.tag, s.style, nil))
    case .alias: return node
    }
}
