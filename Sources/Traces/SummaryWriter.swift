import Center
import Foundation
import Metrics
import Reports

/// Renders a run's summary: `summary.json` (the machine contract, fixed key order, no
/// wall-clock values) and `summary.md` (for people).
public enum SummaryWriter {
    /// JSON text of ordered fields, one per line, ending in a newline.
    public static func json(_ fields: [(String, SummaryValue)]) -> String {
        jsonObject(fields, indent: "") + "\n"
    }

    static func jsonObject(_ fields: [(String, SummaryValue)], indent: String) -> String {
        if fields.isEmpty { return "{}" }
        let inner = indent + "  "
        var out = "{\n"
        for (i, (k, v)) in fields.enumerated() {
            out += "\(inner)\(jsonString(k)): \(jsonValue(v, indent: inner))\(i + 1 < fields.count ? "," : "")\n"
        }
        return out + indent + "}"
    }

    static func jsonValue(_ v: SummaryValue, indent: String = "") -> String {
        switch v {
        case .object(let fields): return jsonObject(fields, indent: indent)
        case .integer(let i): return "\(i)"
        case .unsigned(let u): return "\(u)"
        case .real(let d): return d.isFinite ? "\(d)" : "null"
        case .text(let s): return jsonString(s)
        }
    }

    static func jsonString(_ s: String) -> String { JSONText.string(s) }

    /// A Markdown report of the summary.
    /// `overrides`: the `--set`, `--policy` and `--warmup` the run was given, listed under the title.
    public static func markdown(_ s: RunSummary, overrides: [String] = []) -> String {
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        func n(_ x: Int64) -> String { NumberText.grouped(x) }
        let given = overrides.isEmpty ? "" : "Overrides: " + overrides.map { "`\($0)`" }.joined(separator: ", ") + ".\n\n"
        return """
        # ICCSim run: \(s.scenario) (seed \(s.seed))

        \(given)Policy `\(s.policy)` on \(n(Int64(s.accelerators))) accelerators; \(s.stopReason) after \(f(s.makespanS)) s simulated \
        (\(n(s.eventsProcessed)) events).

        | jobs | count |
        |---|---:|
        | submitted | \(n(s.jobsSubmitted)) |
        | completed | \(n(s.jobsCompleted)) |
        | rejected | \(n(s.jobsRejected)) |
        | unfinished | \(n(s.jobsUnfinished)) |

        | time (s) | mean | p50 | p99 |
        |---|---:|---:|---:|
        | wait | \(f(s.waitMeanS)) | \(f(s.waitP50S)) | \(f(s.waitP99S)) |
        | job completion | \(f(s.jctMeanS)) | \(f(s.jctP50S)) | \(f(s.jctP99S)) |

        Mean accelerator utilisation \(f(s.utilizationMean * 100))%, mean queue length \(f(s.queueLengthMean)) jobs, \
        arrival rate \(String(format: "%.6g", s.arrivalRatePerS)) jobs/s.

        """ + breakdownTables(s)
    }

    /// Tables of the nested figures: delivered compute, pools, applications, tenants.
    static func breakdownTables(_ s: RunSummary) -> String {
        func num(_ v: SummaryValue?) -> String {
            switch v {
            case .integer(let i)?: return "\(i)"
            case .unsigned(let u)?: return "\(u)"
            case .real(let d)?: return abs(d) >= 1e6 ? String(format: "%.3e", d) : String(format: "%.3f", d)
            case .text(let t)?: return t
            default: return ""
            }
        }
        func lookup(_ fields: [(String, SummaryValue)], _ key: String) -> SummaryValue? { fields.first { $0.0 == key }?.1 }
        /// Columns are registry figures, headed by their keys (the registry's units in the header).
        func table(_ title: String, _ rows: [(String, SummaryValue)], _ columns: [Metric]) -> String {
            guard !rows.isEmpty else { return "" }
            let heads = columns.map { $0.unit == "1" || $0.unit == "text" || $0.key.hasSuffix("_\($0.unit)") ? $0.key : "\($0.key) (\($0.unit))" }
            var out = "\n## \(title)\n\n| name | " + heads.joined(separator: " | ") + " |\n|---|"
            out += String(repeating: "---:|", count: columns.count) + "\n"
            for (name, value) in rows {
                guard case .object(let f) = value else { continue }
                out += "| \(name) | " + columns.map { num(lookup(f, $0.key)) }.joined(separator: " | ") + " |\n"
            }
            return out
        }
        var out = ""
        if case .object(let hours)? = lookup(s.delivered, Metric.acceleratorHoursByKindKey),
           case .object(let flops)? = lookup(s.delivered, Metric.flopByKindKey) {
            out += "\n## Delivered compute\n\n| kind | accelerator-hours | FLOP |\n|---|---:|---:|\n"
            for (k, h) in hours { out += "| \(k) | \(num(h)) | \(num(lookup(flops, k))) |\n" }
        }
        let columns: [Metric] = [.jobsSubmitted, .jobsCompleted, .waitMeanS, .jctMeanS, .acceleratorHours, .flop]
        out += table("Pools", s.pools, [.accelerator, .accelerators, .utilizationMean] + columns)
        out += table("Applications", s.applications, columns)
        out += table("Tenants", s.tenants, [.tenantType] + columns)
        return out
    }
}
