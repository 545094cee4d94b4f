import Foundation
import Metrics

/// Before and after (`iccsim diff BASE WHATIF`): the figures of two summaries that changed,
/// with their absolute and relative change, grouped by what they are about (jobs and waits,
/// pools, applications, tenants, network, storage, serving, failures, ...), without a verdict:
/// `iccsim compare` is the gate. Warns when the two runs differ in seed or horizon.
public struct SummaryDiff: Sendable {
    /// One figure that changed.
    public struct Change: Sendable {
        public var figure: String
        public var base: OrderedJSON
        public var whatIf: OrderedJSON
    }

    /// Changed figures by group, in the order the base summary first gives them.
    public var groups: [(name: String, changes: [Change])] = []
    /// Differences in the runs' setup a reader should know of (seed, horizon, scenario).
    public var warnings: [String] = []
    /// Figures compared.
    public var compared = 0

    public init(base: OrderedJSON, whatIf: OrderedJSON) {
        let a = base.flattened(), b = whatIf.flattened()
        let bIndex = Dictionary(b.enumerated().map { ($0.element.0, $0.offset) }, uniquingKeysWith: { first, _ in first })
        for (key, label) in [(Metric.seed.key, "seeds"), (Metric.horizonS.key, "horizons"), (Metric.scenario.key, "scenarios")] {
            let x = a.first { $0.0 == key }?.1, y = bIndex[key].map { b[$0].1 }
            if let x, let y, x != y { warnings.append("warning: the runs' \(label) differ (\(Self.text(x)) against \(Self.text(y))): the differences below are not the what-if's alone") }
        }
        var order: [String] = []
        var byGroup: [String: [Change]] = [:]
        for (key, x) in a {
            guard let j = bIndex[key] else { continue }
            let y = b[j].1
            compared += 1
            guard x != y, key != Metric.seed.key, key != Metric.eventsProcessed.key else { continue }
            let g = Self.group(key)
            if byGroup[g] == nil { order.append(g) }
            byGroup[g, default: []].append(Change(figure: key, base: x, whatIf: y))
        }
        for (key, y) in b where !a.contains(where: { $0.0 == key }) {
            let g = Self.group(key)
            if byGroup[g] == nil { order.append(g) }
            byGroup[g, default: []].append(Change(figure: key, base: .null, whatIf: y))
        }
        groups = order.map { ($0, byGroup[$0]!) }
    }

    /// The group of a figure: its section, or for top-level figures what they measure.
    static func group(_ key: String) -> String {
        guard let dot = key.firstIndex(of: ".") else {
            if key.hasPrefix("wait") || key.hasPrefix("jct") || key.hasPrefix("queue") || key.hasPrefix("slowdown") { return "waits and completion times" }
            if key.hasPrefix("jobs") || key == Metric.preemptions.key { return "jobs" }
            return "the run"
        }
        return String(key[..<dot])
    }

    static func text(_ v: OrderedJSON) -> String {
        switch v {
        case .number(let x): return number(x)
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .null: return "-"
        default: return "…"
        }
    }

    static func number(_ x: Double) -> String { NumberText.figure(x) }

    /// The change of a figure: absolute and relative ("+12.3%"), when both are numbers.
    static func change(_ c: Change) -> (String, String) {
        guard case .number(let x) = c.base, case .number(let y) = c.whatIf else { return ("", "") }
        let d = y - x
        let relative = x != 0 ? String(format: "%+.1f%%", d / abs(x) * 100) : (d == 0 ? "0%" : "new")
        return ((d > 0 ? "+" : "") + number(d), relative)
    }

    static let header = ["figure", "base", "what-if", "change", "relative"]

    func rows(_ changes: [Change]) -> [[String]] {
        changes.map { c in
            let (d, r) = Self.change(c)
            return [c.figure, Self.text(c.base), Self.text(c.whatIf), d, r]
        }
    }

    /// Aligned columns for a terminal, a block per group.
    public var text: String {
        var out = warnings.map { $0 + "\n" }.joined()
        for (name, changes) in groups {
            let table = [Self.header] + rows(changes)
            let widths = Self.header.indices.map { c in table.map { $0[c].count }.max()! }
            out += "\n\(name)\n"
            for row in table {
                out += row.indices.map { c in c == 0 ? row[c].padding(toLength: widths[c], withPad: " ", startingAt: 0)
                                                      : String(repeating: " ", count: widths[c] - row[c].count) + row[c] }.joined(separator: "  ") + "\n"
            }
        }
        let changed = groups.reduce(0) { $0 + $1.changes.count }
        return out + "\n\(changed) of \(compared) figures changed\n"
    }

    /// Markdown: a table per group (for a pull request or a notebook).
    public var markdown: String {
        var out = warnings.map { "> \($0)\n\n" }.joined()
        for (name, changes) in groups {
            out += "### \(name)\n\n| " + Self.header.joined(separator: " | ") + " |\n|---|---:|---:|---:|---:|\n"
            for row in rows(changes) { out += "| `\(row[0])` | " + row.dropFirst().joined(separator: " | ") + " |\n" }
            out += "\n"
        }
        let changed = groups.reduce(0) { $0 + $1.changes.count }
        return out + "\(changed) of \(compared) figures changed.\n"
    }
}
