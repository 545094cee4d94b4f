import Yams

/// Finds where a key is written a second time in the mapping that holds its first occurrence.
/// The YAML parser reports only the first one; users need the line they most likely just added.
/// Block mappings are searched by indentation, flow mappings (`{a: 1, a: 2}`) by nesting depth.
enum DuplicateKeySearch {
    /// A 1-based line and column (in Unicode scalars, as the parser counts them).
    struct Position { var line: Int; var column: Int }

    /// The position of the next `key:` in the same mapping as the one at `first`, if found.
    static func secondOccurrence(of key: String, after first: Mark, in text: String) -> Position? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let row = first.line - 1, col = first.column - 1
        guard row >= 0, row < lines.count, col >= 0, col <= lines[row].count else { return nil }
        let prefix = lines[row][..<col]
        if prefix.allSatisfy({ $0 == " " || $0 == "-" }) {
            return inBlock(key, row: row, column: col, lines: lines)
        }
        return inFlow(key, row: row, column: col, lines: lines)
    }

    /// A block mapping: the next line at the key's indentation that starts with `key:`, before
    /// a line indented less.
    static func inBlock(_ key: String, row: Int, column: Int, lines: [[Unicode.Scalar]]) -> Position? {
        for r in (row + 1)..<lines.count {
            let line = lines[r]
            let indent = line.prefix { $0 == " " }.count
            let rest = line[indent...]
            if rest.allSatisfy({ $0 == " " || $0 == "\r" || $0 == "\t" }) || rest.first == "#" { continue }
            if indent < column { return nil }
            if indent == column, startsWithKey(key, Array(rest)) { return Position(line: r + 1, column: column + 1) }
        }
        return nil
    }

    /// A flow mapping: after each comma at the key's nesting depth, a `key:`.
    static func inFlow(_ key: String, row: Int, column: Int, lines: [[Unicode.Scalar]]) -> Position? {
        var depth = 0
        var quote: Unicode.Scalar? = nil
        var afterComma = false
        var r = row, c = column + key.unicodeScalars.count
        while r < lines.count {
            let line = lines[r]
            while c < line.count {
                let ch = line[c]
                if let q = quote {
                    if ch == q { quote = nil }
                } else if afterComma && ch != " " && ch != "\t" && ch != "\r" {
                    afterComma = false
                    if depth == 0, startsWithKey(key, Array(line[c...])) { return Position(line: r + 1, column: c + 1) }
                    continue
                } else if ch == "\"" || ch == "'" {
                    quote = ch
                } else if ch == "{" || ch == "[" {
                    depth += 1
                } else if ch == "}" || ch == "]" {
                    depth -= 1
                    if depth < 0 { return nil }
                } else if ch == "," && depth == 0 {
                    afterComma = true
                } else if ch == "#" && (c == 0 || line[c - 1] == " ") {
                    break
                }
                c += 1
            }
            r += 1
            c = 0
        }
        return nil
    }

    /// Whether `text` starts with `key` (plain or quoted) followed by optional spaces and `:`.
    static func startsWithKey(_ key: String, _ text: [Unicode.Scalar]) -> Bool {
        let k = Array(key.unicodeScalars)
        for form in [k, ["\""] + k + ["\""], ["'"] + k + ["'"]] where text.count >= form.count && Array(text.prefix(form.count)) == form {
            let after = text.dropFirst(form.count).drop { $0 == " " || $0 == "\t" }
            if after.first == ":" { return true }
        }
        return false
    }
}
