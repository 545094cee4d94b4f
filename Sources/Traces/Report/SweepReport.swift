import Foundation
import Metrics
import Reports
import Scenario

extension ReportBuilder {
    /// The report of a sweep: each chosen metric's mean (with its 95% band, clipped at zero:
    /// every figure of the registry is a count, a duration, a share or a quantity) against each
    /// parameter, one series per combination of the other parameters. A numeric parameter is a
    /// numeric axis with lines; a categorical one (a policy's name) shows points with error bars
    /// at each category, never lines between them.
    public static func sweep(directory: URL, metrics wanted: [String] = ["wait_mean_s", "jct_mean_s", "utilization_mean", "wait_p99_s"]) throws -> HTMLReport {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("sweep.csv").path) else {
            throw TraceError("'\(directory.path)' has no sweep.csv: run 'iccsim sweep collect \(directory.path)' first")
        }
        let rows = SweepPlan.parseCSV(String(decoding: data, as: UTF8.self))
        guard let header = rows.first, let split = header.firstIndex(of: "runs_planned") else { throw TraceError("sweep.csv has no runs_planned column") }
        let params = Array(header[..<split]), body = Array(rows.dropFirst())
        let metrics = wanted.filter { header.contains("\($0)_mean") }
        func col(_ name: String) -> Int { header.firstIndex(of: name)! }
        func label(_ m: String) -> String { MetricRegistry.metric(key: m)?.label ?? m }
        func cell(_ text: String, _ m: String) -> String { Double(text).map { NumberText.reading($0, of: MetricRegistry.metric(key: m)) } ?? text }
        var table = [params + ["runs"] + metrics.map { "\(label($0)) (mean ± 95%)" }]
        for r in body.prefix(40) {
            table.append(Array(r[..<split]) + ["\(r[col("runs_complete")])/\(r[col("runs_planned")])"]
                         + metrics.map { m in "\(cell(r[col("\(m)_mean")], m)) ± \(cell(r[col("\(m)_ci95")], m))" })
        }
        var sections: [HTMLReport.Section] = []
        for (pi, p) in params.enumerated() {
            var values: [String] = []
            for r in body where !values.contains(r[pi]) { values.append(r[pi]) }
            let numeric = values.allSatisfy { Double($0)?.isFinite == true }
            func x(_ value: String) -> Double { numeric ? Double(value)! : Double(values.firstIndex(of: value)!) }
            var plots: [SVGPlot] = []
            for m in metrics {
                let share = MetricRegistry.metric(key: m)?.unit == "share"
                let scale = share ? 100.0 : 1.0
                var lines: [String: [(Double, Double, Double)]] = [:], order: [String] = []
                for r in body {
                    let others = params.indices.filter { $0 != pi }.map { "\(params[$0])=\(r[$0])" }.joined(separator: ", ")
                    if lines[others] == nil { order.append(others) }
                    let mean = Double(r[col("\(m)_mean")]) ?? .nan, ci = Double(r[col("\(m)_ci95")]) ?? 0
                    lines[others, default: []].append((x(r[pi]), mean * scale, ci.isFinite ? ci * scale : 0))
                }
                let series = order.prefix(8).map { k -> PlotSeries in
                    let pts = lines[k]!.sorted { $0.0 < $1.0 }
                    return PlotSeries(name: k.isEmpty ? label(m) : k, xs: pts.map(\.0), ys: pts.map(\.1),
                                      lower: pts.map { max(0, $0.1 - $0.2) }, upper: pts.map { $0.1 + $0.2 })
                }
                plots.append(SVGPlot(title: "\(label(m)) against \(p)", xLabel: p, yLabel: axisLabel(MetricRegistry.metric(key: m), fallback: m), series: series,
                                     xCategories: numeric ? nil : values, xTicks: numeric && values.count <= 12 ? values.map { Double($0)! } : nil))
            }
            sections.append(.init(title: "Against \(p)", note: numeric
                                  ? "Means over replicate seeds with 95% confidence bands (clipped at zero)."
                                  : "Means over replicate seeds with 95% confidence intervals (clipped at zero), side by side at each \(p).",
                                  plots: plots))
        }
        if let perConfiguration = try configurationCDFs(directory: directory, params: params) { sections.insert(perConfiguration, at: 0) }
        return HTMLReport(title: "ICCSim sweep: \(directory.lastPathComponent)",
                          subtitle: "sweep \(directory.lastPathComponent) · \(body.count) configurations · parameters: \(params.joined(separator: ", "))",
                          table: table, sections: sections)
    }

    /// Wait and completion-time CDFs per configuration, from each one's first finished run.
    static func configurationCDFs(directory: URL, params: [String]) throws -> HTMLReport.Section? {
        guard let runsData = FileManager.default.contents(atPath: directory.appendingPathComponent("runs.csv").path) else { return nil }
        let runs = SweepPlan.parseCSV(String(decoding: runsData, as: UTF8.self))
        guard let h = runs.first, let ci = h.firstIndex(of: "configuration"), let ri = h.firstIndex(of: "run") else { return nil }
        var waitSeries: [PlotSeries] = [], jctSeries: [PlotSeries] = []
        var seen: [String] = []
        for r in runs.dropFirst() where !seen.contains(r[ci]) && seen.count < 8 {
            let trace = directory.appendingPathComponent("runs/\(r[ri])/trace.h5").path
            guard FileManager.default.fileExists(atPath: trace) else { continue }
            seen.append(r[ci])
            let reader = try TraceReader(path: trace)
            let submit = try reader.doubles("jobs/submit_ns"), start = try reader.doubles("jobs/start_ns"), end = try reader.doubles("jobs/end_ns")
            let name = params.map { r[h.firstIndex(of: $0)!] }.joined(separator: ", ")
            waitSeries.append(cdf(name, submit.indices.filter { start[$0] >= 0 }.map { max((start[$0] - submit[$0]) / 1e9, 1e-3) }))
            jctSeries.append(cdf(name, submit.indices.filter { end[$0] >= 0 }.map { (end[$0] - submit[$0]) / 1e9 }))
        }
        guard !waitSeries.isEmpty else { return nil }
        return .init(title: "Waits and completion times per configuration",
                     note: "Empirical CDFs from each configuration's first finished run (at most eight configurations; legend: \(params.joined(separator: ", ")) and jobs); waits under 1 ms at 1 ms.",
                     plots: [SVGPlot(title: "Wait (CDF)", xLabel: "wait (s, log scale)", yLabel: "share of jobs", logX: true, series: waitSeries),
                             SVGPlot(title: "Job completion time (CDF)", xLabel: "completion time (s, log scale)", yLabel: "share of jobs", logX: true, series: jctSeries)])
    }
}
