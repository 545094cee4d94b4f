import Yams

/// One `--set path.to.key=value` override. Path segments are mapping keys, list indices or the
/// names of list items (`workload.classes.0.jobs=100`, `workload.classes[0].jobs=100`,
/// `cluster.servers[h100].count=384`, `workload.applications[medical-imaging].scale=2`); the value is YAML
/// (`4`, `400Gbps`, `{dist: exponential, mean: 2m}`, `[1, 2, 4]`).
///
/// An override from the command line has no position, and errors in its value name `--set KEY`.
/// One from a file (a sweep file's `set`, axes and samples) carries its ``origin``: errors in
/// its value are reported at that file's line and column.
public struct Override: Sendable, Equatable {
    public var path: [String]
    public var valueText: String
    /// The override as the user wrote it.
    public var text: String
    /// Where the value was written, when it comes from a file.
    public var origin: OverrideOrigin?

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

    /// Parses `KEY=VALUE` written in a file at `origin`.
    public init(parsing text: String, origin: OverrideOrigin?) throws {
        do { try self.init(parsing: text) } catch let e as ScenarioError { throw ScenarioError(e.message, at: origin?.location) }
        self.origin = origin
    }

    /// The dotted key.
    public var key: String { path.joined(separator: ".") }

    /// Applies the override to a scenario's node tree, creating missing mapping keys (the strict
    /// pass then rejects any that are unknown). New nodes carry the origin's position, or none.
    public func apply(to root: Node) throws -> Node {
        var value: Node
        if let node = origin?.node {
            value = node
        } else {
            do {
                value = try Yams.compose(yaml: valueText) ?? Node("", Tag(.null))
            } catch {
                throw ScenarioError("--set \(key): the value '\(valueText)' is not valid YAML", at: origin?.location)
            }
            value = marked(value, origin?.mark)
        }
        do {
            return try set(root, at: path[...], to: value, done: [])
        } catch let e as ScenarioError where origin != nil {
            throw ScenarioError(e.message, at: origin?.location)
        }
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
                let fresh = try set(Node.mapping(Node.Mapping([], .implicit, .any, origin?.mark)), at: rest, to: value, done: done + [head])
                var pairs = Array(m)
                pairs.append((key: Node.scalar(Node.Scalar(head, .implicit, .any, origin?.mark)), value: fresh))
                m = Node.Mapping(pairs, m.tag, m.style, m.mark)
            }
            return .mapping(m)
        case .sequence(var s):
            guard let i = try Int(head) ?? itemNamed(head, in: s, list: done.joined(separator: ".")) else {
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

extension Override {
    /// The index of the item of `list` named `name`: a mapping whose `name` is `name`, or an
    /// included one (`include: applications/NAME.yaml`) whose file is named so. Nil when no item
    /// has a name (the path wanted an index); an error naming the names when none matches.
    func itemNamed(_ name: String, in items: Node.Sequence, list: String) throws -> Int? {
        func itemName(_ item: Node) -> String? {
            guard case .mapping(let m) = item else { return nil }
            if let n = m["name"]?.scalar?.string { return n }
            guard let file = m["include"]?.scalar?.string else { return nil }
            let base = file.split(separator: "/").last.map(String.init) ?? file
            return base.hasSuffix(".yaml") ? String(base.dropLast(5)) : (base.hasSuffix(".yml") ? String(base.dropLast(4)) : base)
        }
        let names = items.map(itemName)
        guard names.contains(where: { $0 != nil }) else { return nil }
        let matches = names.indices.filter { names[$0] == name }
        guard matches.count == 1 else {
            let known = names.compactMap { $0 }
            let hint = didYouMean(name, among: known)
            throw ScenarioError(matches.isEmpty
                ? "--set \(key): '\(list)' has no item named '\(name)'\(hint); its items are \(known.joined(separator: ", ")) (or give an index)"
                : "--set \(key): '\(list)' has \(matches.count) items named '\(name)'; give an index")
        }
        return matches[0]
    }
}

/// A copy of `node` whose every source mark is `mark`: nil attributes errors in it to `--set`.
func marked(_ node: Node, _ mark: Mark?) -> Node {
    switch node {
    case .scalar(let s): return .scalar(Node.Scalar(s.string, s.tag, s.style, mark))
    case .mapping(let m): return .mapping(Node.Mapping(m.map { (marked($0.key, mark), marked($0.value, mark)) }, m.tag, m.style, mark))
    case .sequence(let s): return .sequence(Node.Sequence(s.map { marked($0, mark) }, s.tag, s.style, mark))
    case .alias: return node
    }
}

/// Where an override written in a file comes from: the file, the value's node there (when the
/// value is the file's own), or the position of what produced it (a sampled value).
public struct OverrideOrigin: @unchecked Sendable, Equatable {  // Node is an immutable value tree
    public var file: String
    /// The value as written in the file, with its positions.
    public var node: Node?
    /// The position errors are reported at.
    public var mark: Mark?

    /// The value `node` as written in `file`.
    public init(file: String, node: Node) {
        self.file = file
        self.node = node
        mark = node.mark
    }

    /// A value produced at `at` in `file` (its own text is parsed and placed there).
    public init(file: String, at: Node) {
        self.file = file
        node = nil
        mark = at.mark
    }

    /// The position as a location.
    public var location: SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.file == b.file && a.node == b.node && a.mark?.line == b.mark?.line && a.mark?.column == b.mark?.column
    }
}
