import Foundation
import Yams

/// How every YAML input (scenarios, included files, sweep, tolerance and targets files) is read:
/// the bytes are checked first (UTF-8, no control characters), then composed into a node tree.
/// Every problem is reported at `file:line:column`: an empty file, a byte that is not UTF-8, a
/// control character, a syntax error, a duplicate key (at its second occurrence, naming the
/// first), and aliases that expand into an enormous tree ("billion laughs").
public enum YAMLSource {
    /// The most nodes a file may expand to (aliases counted at every use).
    public static let maxNodes = 1_000_000

    /// Reads the file at `path`; `what` names it in messages ("scenario file").
    public static func read(path: String, what: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScenarioError("\(what) '\(path)' does not exist")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError("cannot read \(what) '\(path)'\(isDirectory.boolValue ? ": it is a directory" : "")")
        }
        return try text(of: data, file: path)
    }

    /// `data` as text, or an error at the first byte that is not UTF-8 or is a control character.
    public static func text(of data: Data, file: String) throws -> String {
        let bytes = [UInt8](data)
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        var line = 1, column = 1
        decoding: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if let problem = controlProblem(scalar, atStart: offset == 0) {
                    throw ScenarioError(problem, at: SourceLocation(file: file, line: line, column: column))
                }
                offset += encoded.count
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .error(let length):
                let shown = bytes[offset..<min(bytes.count, offset + max(1, length))].map { String(format: "0x%02X", $0) }.joined(separator: " ")
                throw ScenarioError("the file is not UTF-8 text: byte \(shown) cannot start or continue a character",
                                    at: SourceLocation(file: file, line: line, column: column))
            case .emptyInput:
                break decoding
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Why `scalar` may not appear in YAML text (YAML 1.1 printable characters), or nil.
    static func controlProblem(_ scalar: Unicode.Scalar, atStart: Bool) -> String? {
        let v = scalar.value
        if v == 0x09 || v == 0x0A || v == 0x0D || v == 0x85 { return nil }
        if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) {
            return String(format: "control character U+%04X is not allowed in YAML text", v)
        }
        if v == 0xFEFF && !atStart { return "a byte-order mark (U+FEFF) is allowed only at the start of the file" }
        if v == 0xFFFE || v == 0xFFFF { return String(format: "character U+%04X is not allowed in YAML text", v) }
        return nil
    }

    /// The node tree of `text`; `what` names the file's kind for an empty file ("scenario").
    public static func compose(_ text: String, file: String, what: String) throws -> Node {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw syntaxError(e, text: text, file: file)
        }
        guard let root else { throw ScenarioError("empty \(what)", at: SourceLocation(file: file, line: 1, column: 1)) }
        if case .scalar(let s) = root, s.string.isEmpty, s.tag == Tag(.null) {
            throw ScenarioError("empty \(what)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        var budget = maxNodes
        if !fits(root, &budget) {
            throw ScenarioError("the file expands to more than \(maxNodes) YAML nodes (aliases of aliases?)",
                                at: SourceLocation(file: file, line: root.mark?.line ?? 1, column: root.mark?.column ?? 1))
        }
        return root
    }

    /// Whether `node` has at most `budget` nodes, counting each alias use (stops early).
    static func fits(_ node: Node, _ budget: inout Int) -> Bool {
        budget -= 1
        if budget < 0 { return false }
        switch node {
        case .scalar, .alias: return true
        case .sequence(let s):
            for item in s where !fits(item, &budget) { return false }
            return true
        case .mapping(let m):
            for (k, v) in m where !fits(k, &budget) || !fits(v, &budget) { return false }
            return true
        }
    }

    /// A located error for a Yams failure.
    static func syntaxError(_ e: YamlError, text: String, file: String) -> ScenarioError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ScenarioError("YAML syntax error: \(problem)", at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = context.mark
            if let second = DuplicateKeySearch.secondOccurrence(of: key, after: first, in: text) {
                return ScenarioError("duplicate key '\(key)' (first at \(first.line):\(first.column))",
                                     at: SourceLocation(file: file, line: second.line, column: second.column))
            }
            return ScenarioError("duplicate key '\(key)' in this mapping", at: SourceLocation(file: file, line: first.line, column: first.column))
        case .reader(let problem, let offset, _, _):
            let (line, column) = position(ofUTF8Offset: offset ?? 0, in: text)
            return ScenarioError("YAML reader error: \(problem)", at: SourceLocation(file: file, line: line, column: column))
        default:
            return ScenarioError("YAML error: \(e)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    /// The 1-based line and column (in Unicode scalars) of a UTF-8 byte offset.
    static func position(ofUTF8Offset offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1, seen = 0
        for scalar in text.unicodeScalars {
            if seen >= offset { break }
            seen += UTF8.width(scalar)
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
