import Foundation
import SimKernel
import Yams

/// A sweep file (`iccsim sweep plan`): a base scenario, axes over any of its keys, and
/// replicate seeds. Axes combine as a grid (every combination, the last axis varying fastest),
/// zipped lists (stepped together, one more grid axis), and random samples (drawn with their
/// own seed, one more grid axis). Documented in `docs/user-guide.md#sweeps`.
public struct SweepSpec: Codable, Sendable, Equatable {
    public var name: String
    /// The base scenario, relative to the sweep file.
    public var base: String
    /// The sweep seed: replicate r of every configuration runs with the seed of (this seed, r).
    public var seed: UInt64
    /// Runs per configuration, each with its own seed.
    public var replicates: Int
    /// Overrides applied to every run (`KEY: VALUE`).
    public var set: [SweepValue]
    /// The warm-up of every run (the scenario's `warmup`), where the sweep's statistics start.
    public var warmup: SweepValue?
    public var grid: [SweepAxis]
    public var zip: [SweepAxis]
    public var random: SweepSamples?
    /// Where `base` was written (a missing base file is reported there).
    public var baseLocation: SourceLocation?

    enum CodingKeys: String, CodingKey, CaseIterable { case name, base, seed, replicates, warmup, set, grid, zip, random }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name) { isPlainName($0) ? nil : "must be a non-empty name of letters, digits, '.', '_' and '-'" }
        base = try c.decode(String.self, forKey: .base) { $0.isEmpty ? "must name the base scenario file" : nil }
        baseLocation = (try c.superDecoder(forKey: .base) as? NodeDecoder)?.location
        seed = try c.decode(UInt64.self, forKey: .seed, default: 1)
        replicates = try c.decode(Int.self, forKey: .replicates, default: 1) { $0 < 1 || $0 > 10_000 ? "must be between 1 and 10000" : nil }
        set = []
        if c.contains(.set) {
            let d = try c.superDecoder(forKey: .set)
            guard let nd = d as? NodeDecoder, case .mapping(let m) = nd.node else { throw d.scenarioError("set expects a mapping of KEY: VALUE") }
            set = m.map { SweepValue(key: $0.key.string ?? "", node: $0.value, file: nd.file) }
        }
        if c.contains(.warmup) {
            let d = try c.superDecoder(forKey: .warmup)
            guard let nd = d as? NodeDecoder else { throw d.scenarioError("warmup expects a time") }
            if set.contains(where: { $0.key == "warmup" }) { throw d.scenarioError("warmup is given both here and under set") }
            warmup = SweepValue(key: "warmup", node: nd.node, file: nd.file)
        }
        grid = try c.decode([SweepAxis].self, forKey: .grid, default: [])
        zip = try c.decode([SweepAxis].self, forKey: .zip, default: [])
        if let n = zip.first?.values.count, let bad = zip.first(where: { $0.values.count != n }) {
            throw try c.superDecoder(forKey: .zip).scenarioError("zipped axes step together: '\(bad.key)' has \(bad.values.count) values, '\(zip[0].key)' has \(n)")
        }
        random = try c.decodeIfPresent(SweepSamples.self, forKey: .random)
        let keys = grid.map(\.key) + zip.map(\.key) + (random?.keys.map(\.key) ?? [])
        for (i, k) in keys.enumerated() where keys[..<i].contains(k) {
            throw decoder.scenarioError("key '\(k)' is swept twice")
        }
        // Every configuration is checked against the base scenario when the sweep is planned.
        let sizes = grid.map { Double($0.values.count) } + [Double(zip.first?.values.count ?? 1), Double(random?.count ?? 1)]
        let runs = sizes.reduce(Double(replicates), *)
        if runs > Double(Self.maxRuns) {
            let widest = grid.indices.max { grid[$0].values.count < grid[$1].values.count }
            let at = try widest.map { try c.superDecoder(forKey: .grid, item: $0) } ?? decoder
            throw at.scenarioError("the sweep has \(String(format: "%.0f", runs)) runs (\(sizes.map { String(format: "%.0f", $0) }.joined(separator: " x ")) x \(replicates) replicates); "
                                   + "at most \(Self.maxRuns) fit one sweep: split it into several")
        }
    }

    /// The overrides of every run: `set`, then the warm-up.
    public var fixed: [SweepValue] { self.set + (warmup.map { [$0] } ?? []) }

    /// The most runs one sweep may have.
    public static let maxRuns = 10_000

    /// Whether the file at `path` looks like a sweep file (a top-level `base` and no `cluster`);
    /// false for anything unreadable, which the scenario loader then reports.
    public static func isSweepFile(_ path: String) -> Bool { YAMLSource.isFile(path, withTopKey: "base") }

    /// The swept keys, in column order: grid, then zipped, then sampled.
    public var parameters: [String] { grid.map(\.key) + zip.map(\.key) + (random?.keys.map(\.key) ?? []) }

    /// Every configuration: its values, one per parameter, with where each was written.
    public func configurations() -> [[SweepValue]] {
        var axes: [[[SweepValue]]] = grid.map { a in a.values.map { [$0] } }
        if let n = zip.first?.values.count { axes.append((0..<n).map { i in zip.map { $0.values[i] } }) }
        if let r = random { axes.append(r.draw()) }
        var out: [[SweepValue]] = [[]]
        for axis in axes { out = out.flatMap { prefix in axis.map { prefix + $0 } } }
        return out
    }
}

/// A key and the value text of an override (any YAML value: scalars as written, others as YAML),
/// with where it was written, so a value the base scenario rejects is reported in the sweep file.
public struct SweepValue: Sendable, Equatable, Codable {
    public var key: String
    public var text: String
    /// Where the value was written (or, for a sampled value, what it was drawn from).
    public var origin: OverrideOrigin?

    init(key: String, node: Node, file: String) {
        self.key = key
        text = SweepValue.text(node)
        origin = OverrideOrigin(file: file, node: node)
    }

    /// A value drawn at `origin` (a sample).
    init(text: String, origin: OverrideOrigin?) {
        key = ""
        self.text = text
        self.origin = origin
    }

    public init(from decoder: any Decoder) throws {
        guard let nd = decoder as? NodeDecoder else { throw decoder.scenarioError("sweep values are read from YAML") }
        key = ""
        text = SweepValue.text(nd.node)
        origin = OverrideOrigin(file: nd.file, node: nd.node)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    /// Scalars as written; lists and mappings as one-line flow YAML.
    static func text(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return s.string
        case .sequence(let items): return "[" + items.map { text($0) }.joined(separator: ", ") + "]"
        case .mapping(let m): return "{" + m.map { "\(text($0.key)): \(text($0.value))" }.joined(separator: ", ") + "}"
        case .alias: return ""
        }
    }

    /// The `--set` text of this value for `key`.
    public func override(_ key: String) -> String { "\(key)=\(text)" }

    /// The override of `key` by this value, located where the value was written.
    public func located(_ key: String) throws -> Override { try Override(parsing: override(key), origin: origin) }
}

/// One swept key and its values (`{key: scheduling.policy, values: [fifo, sjf]}`).
public struct SweepAxis: Codable, Sendable, Equatable {
    public var key: String
    public var values: [SweepValue]

    enum CodingKeys: String, CodingKey, CaseIterable { case key, values }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key) { $0.isEmpty ? "must name a scenario key" : nil }
        values = try c.decode([SweepValue].self, forKey: .values) { $0.isEmpty ? "must list at least one value" : nil }
    }
}

/// Random samples: `count` points, each key drawn uniformly from its range or choices with the
/// samples' own `seed` (so adding samples keeps the earlier ones).
public struct SweepSamples: Codable, Sendable, Equatable {
    public var count: Int
    public var seed: UInt64
    public var keys: [SampledKey]

    enum CodingKeys: String, CodingKey, CaseIterable { case count, seed, keys }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        count = try c.decode(Int.self, forKey: .count) { $0 < 1 || $0 > 100_000 ? "must be between 1 and 100000" : nil }
        seed = try c.decode(UInt64.self, forKey: .seed, default: 1)
        keys = try c.decode([SampledKey].self, forKey: .keys) { $0.isEmpty ? "must list at least one key" : nil }
    }

    /// The samples' values, one list per sample, in key order.
    func draw() -> [[SweepValue]] {
        var state = SplitMix64(seed: seed)
        return (0..<count).map { _ in keys.map { $0.draw(&state) } }
    }
}

/// A sampled key: `uniform: [lo, hi]` (a real), `integer: [lo, hi]` (inclusive), or `choice: [...]`.
public struct SampledKey: Codable, Sendable, Equatable {
    public var key: String
    public var uniform: [Double]?
    public var integer: [Int]?
    public var choice: [SweepValue]?
    /// Where the range was written (sampled values are reported there).
    public var origin: OverrideOrigin?

    enum CodingKeys: String, CodingKey, CaseIterable { case key, uniform, integer, choice }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key) { $0.isEmpty ? "must name a scenario key" : nil }
        uniform = try c.decodeIfPresent([Double].self, forKey: .uniform)
        integer = try c.decodeIfPresent([Int].self, forKey: .integer)
        choice = try c.decodeIfPresent([SweepValue].self, forKey: .choice)
        guard [uniform != nil, integer != nil, choice != nil].filter({ $0 }).count == 1 else {
            throw decoder.scenarioError("sampled key '\(key)' needs exactly one of uniform: [lo, hi], integer: [lo, hi], choice: [...]")
        }
        if let r = uniform, r.count != 2 || !(r[0] <= r[1]) { throw try c.superDecoder(forKey: .uniform).scenarioError("uniform expects [lo, hi] with lo <= hi") }
        if let r = integer, r.count != 2 || !(r[0] <= r[1]) { throw try c.superDecoder(forKey: .integer).scenarioError("integer expects [lo, hi] with lo <= hi") }
        if choice?.isEmpty == true { throw try c.superDecoder(forKey: .choice).scenarioError("choice must list at least one value") }
        if let r = integer, Double(r[1]) - Double(r[0]) >= 9e15 {
            throw try c.superDecoder(forKey: .integer).scenarioError("integer range [\(r[0]), \(r[1])] is too wide to sample (at most 9e15 values)")
        }
        if let range = try (uniform != nil ? c.superDecoder(forKey: .uniform) : integer != nil ? c.superDecoder(forKey: .integer) : nil) as? NodeDecoder {
            origin = OverrideOrigin(file: range.file, at: range.node)
        }
    }

    func draw(_ state: inout SplitMix64) -> SweepValue {
        let u = state.nextUnit()
        if let r = uniform { return SweepValue(text: "\(r[0] + (r[1] - r[0]) * u)", origin: origin) }
        if let r = integer {
            let span = Double(r[1]) - Double(r[0])
            return SweepValue(text: "\(r[0] + Int(min(span, (u * (span + 1)).rounded(.down))))", origin: origin)
        }
        let c = choice!
        return c[min(c.count - 1, Int(u * Double(c.count)))]
    }
}
