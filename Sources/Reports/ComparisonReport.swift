import Foundation
import Metrics

/// One compared pair of summaries and its rows.
public struct ComparedPair: Sendable {
    public var baseline: String
    public var candidate: String
    public var rows: [MetricComparison]

    public init(baseline: String, candidate: String, rows: [MetricComparison]) {
        self.baseline = baseline
        self.candidate = candidate
        self.rows = rows
    }

    /// Its name in reports (`baseline -> candidate`).
    public var name: String { "\(baseline) -> \(candidate)" }
}

/// The verdicts of `iccsim compare` for machines and reviews: JSON (every row), Markdown (for a
/// pull-request comment) and JUnit XML (one test case per metric, for CI test reports).
public enum ComparisonReport {
    /// A value as a report shows it (`1`, `0.25`, `text`, `-` when absent).
    public static func text(_ v: OrderedJSON?) -> String {
        switch v {
        case .number(let d)?: return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(format: "%.6g", d)
        case .string(let s)?: return s
        case .bool(let b)?: return b ? "true" : "false"
        case .null?: return "null"
        case nil: return "-"
        default: return "…"
        }
    }

    /// The change from baseline to candidate (relative, or absolute from zero); empty when not numbers.
    public static func change(_ r: MetricComparison) -> String {
        guard case .number(let x)? = r.baseline, case .number(let y)? = r.candidate else { return "" }
        if x == 0 { return y == 0 ? "0" : String(format: "%+.6g", y - x) }
        return String(format: "%+.2f%%", (y - x) / abs(x) * 100)
    }

    /// The allowed worsening as text (empty when none applies).
    static func allowed(_ r: MetricComparison) -> String { r.allowed.map { String(format: "%.6g", $0) } ?? "" }

    /// Every row of every pair as one JSON document.
    public static func json(_ pairs: [ComparedPair], exact: Bool) -> String {
        func value(_ v: OrderedJSON?) -> String {
            switch v {
            case .number(let d)?: return d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)") : quoted(d.isNaN ? "nan" : d > 0 ? "inf" : "-inf")
            case .string(let s)?: return quoted(s)
            case .bool(let b)?: return b ? "true" : "false"
            case .null?, nil: return "null"
            case .array?, .object?: return quoted(text(v))
            }
        }
        let failing = pairs.reduce(0) { $0 + $1.rows.filter(\.status.fails).count }
        var out = "{\"exact\": \(exact), \"failing\": \(failing), \"summaries\": ["
        out += pairs.map { p in
            let rows = p.rows.map { r in
                "{\"metric\": \(quoted(r.metric)), \"baseline\": \(value(r.baseline)), \"candidate\": \(value(r.candidate)), "
                    + "\"allowed\": \(r.allowed.map { $0.isFinite ? "\($0)" : "null" } ?? "null"), \"better\": \(quoted(r.better.rawValue)), \"status\": \(quoted(r.status.rawValue))}"
            }
            return "\n  {\"baseline\": \(quoted(p.baseline)), \"candidate\": \(quoted(p.candidate)), \"metrics\": [\n    " + rows.joined(separator: ",\n    ") + "]}"
        }.joined(separator: ",")
        return out + "]}\n"
    }

    /// A Markdown section per pair: a verdict line and the table of the rows that are not ok
    /// (every row with `all`).
    public static func markdown(_ pairs: [ComparedPair], exact: Bool, all: Bool) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = ""
        for p in pairs {
            let failing = p.rows.filter(\.status.fails).count, improved = p.rows.filter { $0.status == .improved }.count
            out += "### `\(cell(p.baseline))` → `\(cell(p.candidate))`\n\n"
            out += failing > 0 ? "**\(failing) of \(p.rows.count) figures \(exact ? "changed" : "regressed")**" : "No \(exact ? "difference" : "regression") in \(p.rows.count) figures"
            out += improved > 0 ? ", \(improved) improved.\n" : ".\n"
            let shown = p.rows.filter { all || ($0.status != .ok && $0.status != .ignored) }
            guard !shown.isEmpty else { out += "\n"; continue }
            out += "\n| metric | baseline | candidate | change | allowed | better | status |\n|---|---:|---:|---:|---:|---|---|\n"
            for r in shown {
                let status = r.status.fails ? "**\(r.status.rawValue)**" : r.status.rawValue
                out += "| `\(cell(r.metric))` | \(cell(text(r.baseline))) | \(cell(text(r.candidate))) | \(change(r)) | \(allowed(r)) | \(r.better.rawValue) | \(status) |\n"
            }
            out += "\n"
        }
        return out
    }

    /// JUnit XML: a test suite per pair, a test case per metric (a failure when it regressed or,
    /// exact, changed; skipped when ignored).
    public static func junit(_ pairs: [ComparedPair], exact: Bool) -> String {
        let tests = pairs.reduce(0) { $0 + $1.rows.count }, failures = pairs.reduce(0) { $0 + $1.rows.filter(\.status.fails).count }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"iccsim compare\" tests=\"\(tests)\" failures=\"\(failures)\">\n"
        for p in pairs {
            let f = p.rows.filter(\.status.fails).count, skipped = p.rows.filter { $0.status == .ignored }.count
            out += "  <testsuite name=\"\(xml(p.name))\" tests=\"\(p.rows.count)\" failures=\"\(f)\" skipped=\"\(skipped)\">\n"
            for r in p.rows {
                out += "    <testcase classname=\"\(xml(p.name))\" name=\"\(xml(r.metric))\""
                if r.status.fails {
                    let message = "\(r.status.rawValue): \(text(r.baseline)) -> \(text(r.candidate))"
                        + (change(r).isEmpty ? "" : " (\(change(r)))") + (r.allowed.map { _ in ", allowed \(allowed(r))" } ?? "") + ", better \(r.better.rawValue)"
                    out += ">\n      <failure message=\"\(xml(message))\" type=\"\(r.status.rawValue)\"/>\n    </testcase>\n"
                } else if r.status == .ignored {
                    out += ">\n      <skipped message=\"ignored by the tolerance file\"/>\n    </testcase>\n"
                } else {
                    out += "/>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// `s` as a JSON string.
    static func quoted(_ s: String) -> String { JSONText.string(s) }

    /// `s` escaped for an XML attribute (control characters other than tab and line breaks dropped).
    static func xml(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            default: if c.value >= 0x20 { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}
