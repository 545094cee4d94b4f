import Foundation
import Yams

/// Decodes `Decodable` values from a Yams node tree, strictly.
///
/// This is the scenario format's strict pass: every error carries the file, line and column of
/// the offending node. Unknown keys are errors (with a "did you mean" suggestion) for any type
/// whose `CodingKeys` are `CaseIterable`; wrong types, missing keys, bad units and out-of-range
/// values are errors too. Nodes without a source mark come from `--set` overrides and are
/// reported as such.
public final class NodeDecoder: Decoder {
    let node: Node
    let file: String
    /// Files of included subtrees, by their full path (`workload.applications.3`).
    let fileByPath: [String: String]
    public let codingPath: [any CodingKey]
    public var userInfo: [CodingUserInfoKey: Any] { [:] }

    public convenience init(node: Node, file: String, codingPath: [any CodingKey] = []) {
        self.init(node: node, file: file, fileByPath: [:], codingPath: codingPath)
    }

    init(node: Node, file: String, fileByPath: [String: String], codingPath: [any CodingKey]) {
        self.node = node
        self.file = file
        self.fileByPath = fileByPath
        self.codingPath = codingPath
    }

    /// The dotted path of this node (list indices omitted), e.g. `cluster.servers`.
    public var dottedPath: String { NodeDecoder.dotted(codingPath) }

    /// `cluster.servers[0].nics.speed`: keys joined by dots, list items by their index.
    static func dotted(_ path: [any CodingKey]) -> String { dotted(parts: path.map { ($0.intValue, $0.stringValue) }) }

    /// The same for a path's parts (a list index, or a key's name).
    static func dotted(parts: [(index: Int?, name: String)]) -> String {
        var out = ""
        for part in parts {
            if let i = part.index { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + part.name }
        }
        return out
    }

    /// Where this node came from.
    public var location: SourceLocation { location(of: node) }

    /// Where `n` came from; `key` names it when it is a key node (for overrides, which have no marks).
    func location(of n: Node, key: String? = nil) -> SourceLocation {
        if let m = n.mark {
            // A key spliced in from another file (an include entry's own keys, a sweep's value).
            var f = file
            if let key, !fileByPath.isEmpty, let other = fileByPath[(codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } + [key]).joined(separator: ".")] {
                f = other
            }
            return SourceLocation(file: f, line: m.line, column: m.column)
        }
        let path = [dottedPath, key ?? ""].filter { !$0.isEmpty }.joined(separator: ".")
        return SourceLocation(file: "--set \(path)")
    }

    /// An error located at this node.
    public func error(_ message: String) -> ScenarioError { ScenarioError(message, at: location) }

    func child(_ n: Node, key: any CodingKey) -> NodeDecoder {
        let path = codingPath + [key]
        var f = file
        if !fileByPath.isEmpty, let included = fileByPath[path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")] {
            f = included
        }
        return NodeDecoder(node: n, file: f, fileByPath: fileByPath, codingPath: path)
    }

    var kindName: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s): return "'\(s.string)'"
        case .alias: return "an alias"
        }
    }

    var pathSuffix: String { codingPath.isEmpty ? "" : " for '\(dottedPath)'" }

    public func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping\(pathSuffix), found \(kindName)")
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        for (k, v) in mapping {
            guard case .scalar(let ks) = k else { throw ScenarioError("keys must be plain strings", at: location(of: k)) }
            if entries[ks.string] != nil {
                throw ScenarioError("duplicate key '\(ks.string)'\(codingPath.isEmpty ? "" : " in \(dottedPath)")", at: location(of: k))
            }
            entries[ks.string] = (k, v)
        }
        if let known = knownKeyStrings(Key.self) {
            // Report the first unknown key in document order.
            for (k, _) in mapping {
                let name = k.scalar?.string ?? ""
                if !known.contains(name) {
                    let hint = didYouMean(name, among: known)
                    let place = codingPath.isEmpty ? "at the top level" : "in \(dottedPath)"
                    throw ScenarioError("unknown key '\(name)' \(place)\(hint)", at: location(of: k, key: name))
                }
            }
        }
        return KeyedDecodingContainer(KeyedNodeContainer<Key>(decoder: self, entries: entries))
    }

    /// The most items a list in a scenario may hold (longer data belong in a trace CSV).
    public static let maxListItems = 10_000

    public func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let seq) = node else {
            throw error("expected a list\(pathSuffix), found \(kindName)")
        }
        guard seq.count <= Self.maxListItems else {
            throw error("the list\(pathSuffix) has \(seq.count) items; at most \(Self.maxListItems) (give longer data as a trace file)")
        }
        return UnkeyedNodeContainer(decoder: self, items: Array(seq))
    }

    public func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// Checks that a mapping has only `allowed` keys, for types that choose their keys at run time
    /// (a distribution's parameters depend on its `dist`).
    public func requireOnlyKeys(_ allowed: [String], what: String) throws {
        guard case .mapping(let mapping) = node else { return }
        for (k, _) in mapping {
            let name = k.scalar?.string ?? ""
            if !allowed.contains(name) {
                let hint = didYouMean(name, among: allowed)
                throw ScenarioError("unknown key '\(name)' in \(dottedPath) for \(what); expected one of \(allowed.joined(separator: ", "))\(hint)", at: location(of: k, key: name))
            }
        }
    }
}

/// The string values of a `CaseIterable` coding-key type, or nil when the keys are open.
func knownKeyStrings<K: CodingKey>(_ type: K.Type) -> [String]? {
    guard let iterable = type as? any CaseIterable.Type else { return nil }
    return caseStrings(iterable)
}

private func caseStrings<T: CaseIterable>(_ type: T.Type) -> [String] {
    type.allCases.compactMap { ($0 as? any CodingKey)?.stringValue }
}

struct IndexKey: CodingKey {
    var stringValue: String { "\(intValue!)" }
    var intValue: Int?
    init(_ i: Int) { intValue = i }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

// MARK: - Scalars

extension NodeDecoder: SingleValueDecodingContainer {
    var scalarText: String? { if case .scalar(let s) = node { return s.string } else { return nil } }

    var isNullScalar: Bool {
        guard case .scalar(let s) = node else { return false }
        if s.style != .plain { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    public func decodeNil() -> Bool { isNullScalar }

    func scalar(_ expected: String) throws -> String {
        guard let t = scalarText, !isNullScalar || expected == "a string" else {
            throw error("expected \(expected)\(pathSuffix), found \(kindName)")
        }
        return t
    }

    public func decode(_ type: Bool.Type) throws -> Bool {
        let t = try scalar("true or false")
        switch t {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        default: throw error("expected true or false\(pathSuffix), found '\(t)'")
        }
    }

    public func decode(_ type: String.Type) throws -> String { try scalar("a string") }

    public func decode(_ type: Double.Type) throws -> Double {
        let t = try scalar("a number")
        guard let v = Double(t.replacingOccurrences(of: "_", with: "")), v.isFinite else {
            throw error("expected a number\(pathSuffix), found '\(t)'")
        }
        return v
    }

    public func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let t = try scalar("an integer")
        let cleaned = t.replacingOccurrences(of: "_", with: "")
        if let v = T(cleaned) { return v }
        // Accept exact integers written as 1e6.
        if let d = Double(cleaned), d == d.rounded(), let v = T(exactly: d) { return v }
        if Int64(cleaned) != nil || Double(cleaned) != nil {
            throw error("expected an integer in \(T.min)...\(T.max)\(pathSuffix), found '\(t)'")
        }
        throw error("expected an integer\(pathSuffix), found '\(t)'")
    }

    public func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    public func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    public func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    public func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    public func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    public func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
    public func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
    public func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
    public func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
    public func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }

    public func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }
}

// MARK: - Containers

struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let entries: [String: (key: Node, value: Node)]
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { entries.keys.sorted().compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { entries[key.stringValue] != nil }

    func childDecoder(_ key: Key) throws -> NodeDecoder {
        guard let e = entries[key.stringValue] else {
            let place = codingPath.isEmpty ? "at the top level" : "in \(decoder.dottedPath)"
            throw decoder.error("missing key '\(key.stringValue)' \(place)")
        }
        return decoder.child(e.value, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try childDecoder(key).decodeNil() }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: childDecoder(key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let e = entries[key.stringValue] else { return nil }
        let d = decoder.child(e.value, key: key)
        if d.isNullScalar { return nil }
        return try T(from: d)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try childDecoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try childDecoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        if let e = entries[key.stringValue] { return decoder.child(e.value, key: key) }
        return decoder
    }
}

struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [Node]
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else { throw decoder.error("list\(decoder.pathSuffix) has too few items") }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], key: IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if decoder.child(items[currentIndex], key: IndexKey(currentIndex)).isNullScalar {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

// MARK: - Helpers for model types

extension Decoder {
    /// An error located at this decoder's node (file:line:column), for validation in `init(from:)`.
    public func scenarioError(_ message: String) -> any Error {
        if let d = self as? NodeDecoder { return d.error(message) }
        return DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: message))
    }

    /// The dotted path of this decoder's node.
    public var scenarioPath: String { NodeDecoder.dotted(codingPath) }
}

extension KeyedDecodingContainer {
    /// A decoder for item `index` of the list at `key`, to report an error at that item.
    public func superDecoder(forKey key: Key, item index: Int) throws -> any Decoder {
        var list = try nestedUnkeyedContainer(forKey: key)
        for _ in 0..<index { _ = try list.superDecoder() }
        return try list.superDecoder()
    }

    /// Decodes `key` (or returns `defaultValue` when absent) and checks it; `check` returns a
    /// problem description such as "must be at least 1", reported at the value's position.
    public func decode<T: Decodable>(_ type: T.Type, forKey key: Key, default defaultValue: T? = nil,
                                     check: (T) -> String? = { _ in nil }) throws -> T {
        let value: T
        if let d = defaultValue {
            value = try decodeIfPresent(T.self, forKey: key) ?? d
        } else {
            value = try decode(T.self, forKey: key)
        }
        if let problem = check(value) {
            let d = try superDecoder(forKey: key)
            let path = ([d.scenarioPath]).filter { !$0.isEmpty }.first ?? key.stringValue
            throw d.scenarioError("\(path) \(problem), got \(value)")
        }
        return value
    }
}
