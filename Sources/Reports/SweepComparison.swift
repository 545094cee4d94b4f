import Foundation
import Metrics

/// Two sweeps compared as paired experiments (`iccsim sweep compare A B`): each run of the
/// candidate is paired with the baseline's run of the same configuration (same parameter
/// values) and replicate. Sweeps draw common random numbers (replicate r of every
/// configuration runs with the seed of (sweep seed, r)), so two sweeps with the same seed meet
/// the same demand run for run, and the interval of the paired differences is much narrower
/// than the unpaired interval of the difference of the means.
public struct SweepComparison: Sendable {
    /// What a difference means for a figure, by its direction in the metric registry.
    public enum Verdict: String, Sendable {
        case better, worse
        /// A neutral figure moved.
        case changed
        /// The paired interval holds zero.
        case same = "no significant change"
        /// Fewer than two pairs: no interval.
        case unknown = "too few pairs"
    }

    /// One figure of one configuration.
    public struct Row: Sendable {
        public var configuration: String
        public var metric: String
        public var pairs: Int
        public var baseline: Double
        public var candidate: Double
        /// Mean of the paired differences (candidate − baseline) and its 95% half-width (Student's t).
        public var difference: Double
        public var pairedCI95: Double
        /// The 95% half-width of the difference of the means, as if the runs were independent (Welch).
        public var unpairedCI95: Double
        public var verdict: Verdict
    }

    public var rows: [Row] = []
    /// Whether some pair's runs had different seeds (then they share no random numbers).
    public var seedsDiffer = false

    /// Pairs `candidate`'s complete runs with `baseline`'s. The sweeps must vary the same parameters.
    public init(baseline: SweepTable, candidate: SweepTable) throws {
        guard baseline.parameters == candidate.parameters else {
            throw ComparisonError("the sweeps vary different parameters (\(baseline.parameters.joined(separator: ", ")) against \(candidate.parameters.joined(separator: ", "))): nothing to pair")
        }
        let a = baseline.runRows, b = candidate.runRows
        let metrics = baseline.metrics.filter { candidate.metrics.contains($0) }
        let aIndex = baseline.metrics, bIndex = candidate.metrics
        // Configurations in the candidate's order; pairs by (parameter values, replicate).
        var configurations: [[String]] = []
        for r in b where !configurations.contains(r.values) { configurations.append(r.values) }
        for values in configurations {
            var pairs: [(Double, Double)]
            let label = zip(candidate.parameters, values).map { "\($0)=\($1)" }.joined(separator: ", ")
            for m in metrics {
                pairs = []
                let i = aIndex.firstIndex(of: m)!, j = bIndex.firstIndex(of: m)!
                for y in b where y.values == values {
                    guard let ym = y.metrics, let x = a.first(where: { $0.values == values && $0.replicate == y.replicate }), let xm = x.metrics else { continue }
                    if x.seed != y.seed { seedsDiffer = true }
                    if !xm[i].isNaN && !ym[j].isNaN { pairs.append((xm[i], ym[j])) }
                }
                guard !pairs.isEmpty else { continue }
                rows.append(Self.row(label.isEmpty ? "all" : label, m, pairs))
            }
        }
    }

    static func row(_ configuration: String, _ metric: String, _ pairs: [(Double, Double)]) -> Row {
        let diffs = SweepTable.meanAndCI(pairs.map { $1 - $0 })
        let base = SweepTable.meanAndCI(pairs.map(\.0)), cand = SweepTable.meanAndCI(pairs.map(\.1))
        let n = Double(pairs.count)
        func variance(_ xs: [Double], _ mean: Double) -> Double { xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(1, n - 1) }
        let unpaired = pairs.count > 1
            ? SweepTable.t95(2 * pairs.count - 2) * ((variance(pairs.map(\.0), base.mean) + variance(pairs.map(\.1), cand.mean)) / n).squareRoot() : .nan
        let verdict: Verdict
        if pairs.count < 2 || diffs.ci95.isNaN {
            verdict = .unknown
        } else if abs(diffs.mean) <= diffs.ci95 {
            verdict = .same
        } else {
            switch MetricRegistry.metric(for: metric)?.direction ?? .neutral {
            case .lower: verdict = diffs.mean < 0 ? .better : .worse
            case .higher: verdict = diffs.mean > 0 ? .better : .worse
            case .neutral: verdict = .changed
            }
        }
        return Row(configuration: configuration, metric: metric, pairs: pairs.count, baseline: base.mean, candidate: cand.mean,
                   difference: diffs.mean, pairedCI95: diffs.ci95, unpairedCI95: unpaired, verdict: verdict)
    }

    /// Whether some figure got significantly worse.
    public var regressed: Bool { rows.contains { $0.verdict == .worse } }

    static func number(_ x: Double) -> String { NumberText.figure(x) }

    static let header = ["configuration", "figure", "pairs", "baseline", "candidate", "difference", "paired ±95%", "unpaired ±95%", "verdict"]

    func cells(_ r: Row) -> [String] {
        [r.configuration, r.metric, "\(r.pairs)", Self.number(r.baseline), Self.number(r.candidate), Self.number(r.difference),
         Self.number(r.pairedCI95), Self.number(r.unpairedCI95), r.verdict.rawValue]
    }

    /// Aligned columns for a terminal; `all` false leaves out figures with no significant change.
    public func text(all: Bool) -> String {
        let shown = rows.filter { all || $0.verdict != .same }
        let table = [Self.header] + shown.map(cells)
        let widths = Self.header.indices.map { c in table.map { $0[c].count }.max()! }
        var lines = table.map { row in row.indices.map { c in c < 2 ? row[c].padding(toLength: widths[c], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[c] - row[c].count) + row[c] }.joined(separator: "  ") }
        lines.append(summaryLine)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown table (for a pull-request comment).
    public func markdown(all: Bool) -> String {
        let shown = rows.filter { all || $0.verdict != .same }
        var lines = ["| " + Self.header.joined(separator: " | ") + " |", "|---|---|" + String(repeating: "---:|", count: 6) + "---|"]
        lines += shown.map { "| " + cells($0).joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n") + "\n\n" + summaryLine + "\n"
    }

    /// Every row as JSON.
    public var json: String {
        func n(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }
        let items = rows.map { r in
            "{\"configuration\": \(JSONText.string(r.configuration)), \"figure\": \(JSONText.string(r.metric)), \"pairs\": \(r.pairs), "
                + "\"baseline\": \(n(r.baseline)), \"candidate\": \(n(r.candidate)), \"difference\": \(n(r.difference)), "
                + "\"paired_ci95\": \(n(r.pairedCI95)), \"unpaired_ci95\": \(n(r.unpairedCI95)), \"verdict\": \(JSONText.string(r.verdict.rawValue))}"
        }
        return "{\"seeds_differ\": \(seedsDiffer), \"regressed\": \(regressed), \"rows\": [\n  " + items.joined(separator: ",\n  ") + "\n]}\n"
    }

    /// JUnit XML: one test suite per configuration, one test case per figure, failing when it
    /// got worse (for a CI system's test report).
    public var junit: String {
        let failures = rows.filter { $0.verdict == .worse }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"iccsim sweep compare\" tests=\"\(rows.count)\" failures=\"\(failures)\">\n"
        var configurations: [String] = []
        for r in rows where !configurations.contains(r.configuration) { configurations.append(r.configuration) }
        for c in configurations {
            let own = rows.filter { $0.configuration == c }
            out += "  <testsuite name=\"\(ComparisonReport.xml(c))\" tests=\"\(own.count)\" failures=\"\(own.filter { $0.verdict == .worse }.count)\">\n"
            for r in own {
                out += "    <testcase classname=\"\(ComparisonReport.xml(c))\" name=\"\(ComparisonReport.xml(r.metric))\""
                if r.verdict == .worse {
                    let message = "worse: \(Self.number(r.baseline)) -> \(Self.number(r.candidate)), paired difference \(Self.number(r.difference)) ± \(Self.number(r.pairedCI95)) (95%, \(r.pairs) pairs)"
                    out += ">\n      <failure message=\"\(ComparisonReport.xml(message))\" type=\"worse\"/>\n    </testcase>\n"
                } else {
                    out += "/>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    var summaryLine: String {
        let worse = rows.filter { $0.verdict == .worse }.count, better = rows.filter { $0.verdict == .better }.count
        var s = "\(rows.count) figures compared in pairs: \(better) better, \(worse) worse (the paired 95% interval excludes zero)"
        if seedsDiffer { s += "; warning: paired runs had different seeds (the sweeps' seeds differ), so they share no random numbers" }
        return s
    }
}

/// Two sweeps that cannot be compared.
public struct ComparisonError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
