import Foundation
import Metrics
import Scenario

/// The table `iccsim sweep collect` writes: one row per configuration (parameter columns
/// first, then every summary metric's mean and 95% confidence half-width across the
/// configuration's replicate runs), and one row per run.
public struct SweepTable: Sendable {
    public var parameters: [String]
    /// Metric names, in the order complete runs' summaries first give them.
    public private(set) var metrics: [String] = []
    /// The runs, with their figures by name (looked up, never iterated; nil: not complete).
    var runs: [(configuration: Int, replicate: Int, seed: UInt64, name: String, values: [String], figures: [String: Double]?)] = []
    /// The metrics listed so far (for membership only).
    var listed: Set<String> = []

    public init(parameters: [String]) { self.parameters = parameters }

    /// One row per run, its figures in ``metrics`` order (nan: a figure its summary lacks).
    public var runRows: [(configuration: Int, replicate: Int, seed: UInt64, name: String, values: [String], metrics: [Double]?)] {
        runs.map { r in (r.configuration, r.replicate, r.seed, r.name, r.values, r.figures.map { f in metrics.map { f[$0] ?? .nan } }) }
    }

    /// The numeric figures of a `summary.json` whose dotted key path (`pools.training.utilization_mean`,
    /// `services.chat.latency_p99_s`) matches one of `patterns` (`*` matches any characters), in
    /// document order.
    public static func metrics(ofSummary text: String, matching patterns: [String]) throws -> [(String, Double)] {
        let rules = patterns.map { ToleranceRule(metric: $0) }
        return try OrderedJSON.parse(text).flattened().compactMap { key, value in
            guard case .number(let x) = value, rules.contains(where: { $0.matches(key) }) else { return nil }
            return (key, x)
        }
    }

    /// The numeric figures of a `summary.json`: top-level numbers but the seed (a run's seed is
    /// its own column), and the numbers one level inside `delivered`, `network` and `storage`
    /// (as `network.allreduce_busbw_gbps_p50`).
    public static func metrics(ofSummary text: String) throws -> [(String, Double)] {
        guard case .object(let fields) = try OrderedJSON.parse(text) else { return [] }
        var out: [(String, Double)] = []
        // Figures of the run (not the seed or the horizon, which a sweep sets), and those of the
        // delivered compute, the fabric and the storage system.
        let setup = [Metric.seed.key, Metric.horizonS.key]
        for (k, v) in fields {
            switch v {
            case .number(let x) where !setup.contains(k): out.append((k, x))
            case .object(let inner) where [SummarySection.delivered, SummarySection.network, SummarySection.storage].contains(k):
                for (ik, iv) in inner { if case .number(let x) = iv { out.append(("\(k).\(ik)", x)) } }
            default: continue
            }
        }
        return out
    }

    /// Adds a run; `summary` is nil for a run not (yet) complete.
    public mutating func add(configuration: Int, replicate: Int, seed: UInt64, name: String, values: [String], summary: [(String, Double)]?) {
        for (key, _) in summary ?? [] where listed.insert(key).inserted { metrics.append(key) }
        runs.append((configuration, replicate, seed, name, values, summary.map { Dictionary($0, uniquingKeysWith: { first, _ in first }) }))
    }

    /// Student's t quantile for a two-sided 95% interval with `dof` degrees of freedom.
    public static func t95(_ dof: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
                               2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
                               2.045, 2.042]
        guard dof >= 1 else { return .nan }
        return dof <= table.count ? table[dof - 1] : (dof <= 60 ? 2.000 : (dof <= 120 ? 1.980 : 1.960))
    }

    /// Mean and 95% confidence half-width (nan with fewer than two values).
    public static func meanAndCI(_ xs: [Double]) -> (mean: Double, ci95: Double) {
        guard !xs.isEmpty else { return (.nan, .nan) }
        let n = Double(xs.count)
        let mean = xs.reduce(0, +) / n
        guard xs.count > 1 else { return (mean, .nan) }
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (mean, t95(xs.count - 1) * (variance / n).squareRoot())
    }

    /// One row per configuration: its parameter values, runs planned and complete, then per
    /// metric its mean and CI half-width.
    public var configurationRows: [(values: [String], planned: Int, complete: Int, stats: [(mean: Double, ci95: Double)])] {
        var order: [Int] = []
        let runRows = self.runRows
        for r in runRows where !order.contains(r.configuration) { order.append(r.configuration) }
        return order.map { c in
            let rows = runRows.filter { $0.configuration == c }
            let done = rows.compactMap(\.metrics)
            return (rows[0].values, rows.count, done.count, metrics.indices.map { m in Self.meanAndCI(done.map { $0[m] }) })
        }
    }

    /// `sweep.csv`: parameters, `runs_planned`, `runs_complete`, then `METRIC_mean`, `METRIC_ci95`.
    public var configurationCSV: String {
        var lines = [(parameters + ["runs_planned", "runs_complete"] + metrics.flatMap { ["\($0)_mean", "\($0)_ci95"] }).map(Self.quote).joined(separator: ",")]
        for row in configurationRows {
            lines.append((row.values.map(Self.quote) + ["\(row.planned)", "\(row.complete)"]
                          + row.stats.flatMap { [Self.number($0.mean), Self.number($0.ci95)] }).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `runs.csv`: one row per run: configuration, replicate, seed, run directory, parameters, metrics (empty when not complete).
    public var runCSV: String {
        var lines = [(["configuration", "replicate", "seed", "run"] + parameters + metrics).map(Self.quote).joined(separator: ",")]
        for r in runRows {
            let m = r.metrics.map { $0.map(Self.number) } ?? Array(repeating: "", count: metrics.count)
            lines.append((["\(r.configuration)", "\(r.replicate)", "\(r.seed)", r.name] + r.values.map(Self.quote) + m).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A number as CSV text: the shortest exact decimal; empty for nan.
    static func number(_ x: Double) -> String { x.isNaN ? "" : "\(x)" }

    /// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
    public static func quote(_ s: String) -> String { SweepPlan.quote(s) }
}
