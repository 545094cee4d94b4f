/// A JSON value that keeps its objects' key order (summaries are compared in the order they
/// were written). Parses the JSON that ICCSim writes and any other standard JSON.
public indirect enum OrderedJSON: Sendable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    public static func == (a: OrderedJSON, b: OrderedJSON) -> Bool {
        switch (a, b) {
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }

    /// A parse error with the 1-based line and column.
    public struct ParseError: Error, Sendable, Equatable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    /// Parses `text`.
    public static func parse(_ text: String) throws(ParseError) -> OrderedJSON {
        var p = Parser(bytes: Array(text.utf8))
        p.skipSpace()
        let v = try p.value()
        p.skipSpace()
        guard p.i == p.bytes.count else { throw p.error("unexpected text after the JSON value") }
        return v
    }

    /// A short rendering of a leaf for messages (`1`, `259200`, `city-center`).
    public var text: String {
        switch self {
        case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array: return "[...]"
        case .object: return "{...}"
        }
    }

    /// Leaves of the value as (dotted path, value), in document order (`pools.training.utilization_mean`).
    public func flattened(prefix: String = "") -> [(String, OrderedJSON)] {
        switch self {
        case .object(let fields):
            return fields.flatMap { k, v in v.flattened(prefix: prefix.isEmpty ? k : "\(prefix).\(k)") }
        case .array(let items):
            return items.enumerated().flatMap { i, v in v.flattened(prefix: "\(prefix).\(i)") }
        default:
            return [(prefix, self)]
        }
    }
}

private struct Parser {
    let bytes: [UInt8]
    var i = 0

    func error(_ message: String) -> OrderedJSON.ParseError {
        var line = 1, column = 1
        for b in bytes[..<min(i, bytes.count)] {
            if b == 10 { line += 1; column = 1 } else { column += 1 }
        }
        return OrderedJSON.ParseError(line: line, column: column, message: message)
    }

    mutating func skipSpace() {
        while i < bytes.count, [32, 9, 10, 13].contains(bytes[i]) { i += 1 }
    }

    mutating func expect(_ literal: String) throws(OrderedJSON.ParseError) {
        for b in literal.utf8 {
            guard i < bytes.count, bytes[i] == b else { throw error("expected '\(literal)'") }
            i += 1
        }
    }

    mutating func value() throws(OrderedJSON.ParseError) -> OrderedJSON {
        guard i < bytes.count else { throw error("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var fields: [(String, OrderedJSON)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try string()
                skipSpace()
                try expect(":")
                skipSpace()
                fields.append((key, try value()))
                skipSpace()
                guard i < bytes.count else { throw error("unterminated object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [OrderedJSON] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value())
                skipSpace()
                guard i < bytes.count else { throw error("unterminated array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        default:
            let start = i
            while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
            guard i > start, let v = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else { throw error("expected a JSON value") }
            return .number(v)
        }
    }

    mutating func string() throws(OrderedJSON.ParseError) -> String {
        i += 1   // opening quote
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if b == UInt8(ascii: "\\") {
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "u"):
                    guard i + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
                        throw error("bad \\u escape")
                    }
                    i += 4
                    out.append(contentsOf: Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
                default: out.append(e)
                }
            } else {
                out.append(b)
            }
        }
        throw error("unterminated string")
    }
}
