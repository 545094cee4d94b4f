import Foundation
import Metrics
import Scenario

/// How one metric compares.
public enum ComparisonStatus: String, Sendable {
    case ok
    case improved
    /// Worse than the tolerance allows (or a text value changed, or the metric disappeared).
    case regressed
    /// Only in the candidate.
    case new
    case ignored
    /// Different in any way, in exact mode (a deterministic run that should be reproduced bit
    /// for bit: improvements and new figures count too).
    case changed

    /// Whether the comparison fails on this row.
    public var fails: Bool { self == .regressed || self == .changed }
}

/// One metric of a baseline and a candidate summary.
public struct MetricComparison: Sendable, Equatable {
    public var metric: String
    public var baseline: OrderedJSON?
    public var candidate: OrderedJSON?
    /// The largest worsening allowed, in the metric's units (nil for text values).
    public var allowed: Double?
    public var better: MetricDirection
    public var status: ComparisonStatus
}

/// Compares summaries metric by metric with tolerances (`iccsim compare`).
public enum SummaryComparison {
    /// Which way a metric improves, from the metric registry (never guessed from its name);
    /// neutral for a key the registry does not know.
    public static func direction(of metric: String) -> MetricDirection {
        MetricRegistry.metric(for: metric)?.direction ?? .neutral
    }

    /// Compares two parsed summaries: with `exact`, any difference in any figure fails (the
    /// tolerances and ignore rules do not apply).
    public static func compare(baseline: OrderedJSON, candidate: OrderedJSON, tolerances: ToleranceFile, exact: Bool = false) -> [MetricComparison] {
        let base = baseline.flattened(), cand = candidate.flattened()
        let candByKey = Dictionary(cand, uniquingKeysWith: { a, _ in a })
        let baseKeys = Set(base.map(\.0))
        var out: [MetricComparison] = []
        for (key, b) in base {
            let rule = tolerances.rule(for: key)
            let better = rule.better ?? direction(of: key)
            let c = candByKey[key]
            var row = MetricComparison(metric: key, baseline: b, candidate: c, allowed: nil, better: better, status: .ok)
            if exact {
                row.allowed = 0
                row.status = c == b ? .ok : .changed
            } else if rule.ignore {
                row.status = .ignored
            } else if case .number(let x)? = Optional(b), case .number(let y)? = c {
                let allowed = max(rule.absolute ?? tolerances.default.absolute ?? 0,
                                  (rule.relative ?? tolerances.default.relative ?? 0) * abs(x))
                row.allowed = allowed
                let worse: Double, gain: Double
                switch better {
                case .lower: worse = y - x; gain = x - y
                case .higher: worse = x - y; gain = y - x
                case .neutral: worse = abs(y - x); gain = 0
                }
                row.status = worse > allowed ? .regressed : (gain > allowed ? .improved : .ok)
            } else if c == nil {
                row.status = .regressed
            } else if b != c! {
                row.status = .regressed
            }
            out.append(row)
        }
        for (key, c) in cand where !baseKeys.contains(key) {
            out.append(MetricComparison(metric: key, baseline: nil, candidate: c, allowed: nil, better: direction(of: key), status: exact ? .changed : .new))
        }
        return out
    }

    /// A text table of the rows (all rows, or only those not `ok`/`ignored`).
    public static func table(_ rows: [MetricComparison], all: Bool) -> String {
        let shown = rows.filter { all || ($0.status != .ok && $0.status != .ignored) }
        var lines = [["metric", "baseline", "candidate", "change", "allowed", "better", "status"]]
        for r in shown {
            lines.append([r.metric, ComparisonReport.text(r.baseline), ComparisonReport.text(r.candidate), ComparisonReport.change(r),
                          ComparisonReport.allowed(r), r.better.rawValue, r.status.fails ? r.status.rawValue.uppercased() : r.status.rawValue])
        }
        let widths = (0..<7).map { c in lines.map { $0[c].count }.max()! }
        return lines.map { row in
            row.enumerated().map { c, v in c == 0 ? v.padding(toLength: widths[c], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[c] - v.count) + v }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
