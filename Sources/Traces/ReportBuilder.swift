import Foundation
import Metrics
import Reports
import Scenario

/// Builds `iccsim report` pages: from a run directory (summary.json and trace.h5) or a sweep
/// directory (sweep.csv).
public enum ReportBuilder {
    /// At most this many points per line (longer series are thinned evenly, ends kept).
    static let maxPoints = 1_500

    static func thin(_ xs: [Double], _ ys: [Double]) -> ([Double], [Double]) {
        guard xs.count > maxPoints else { return (xs, ys) }
        let step = Double(xs.count - 1) / Double(maxPoints - 1)
        let idx = (0..<maxPoints).map { Int((Double($0) * step).rounded()) }
        return (idx.map { xs[$0] }, idx.map { ys[$0] })
    }

    /// An empirical CDF of `values` (seconds), thinned.
    static func cdf(_ name: String, _ values: [Double]) -> PlotSeries {
        let v = values.filter(\.isFinite).sorted()
        let n = Double(v.count)
        let (xs, ys) = thin(v, v.indices.map { Double($0 + 1) / n })
        return PlotSeries(name: "\(name) (\(v.count))", xs: xs, ys: ys)
    }

    static func number(_ v: OrderedJSON?) -> String {
        guard case .number(let x)? = v else { if case .string(let s)? = v { return s }; return "" }
        return abs(x) >= 1e6 || (abs(x) < 1e-3 && x != 0) ? String(format: "%.3e", x) : (x == x.rounded() ? String(format: "%.0f", x) : String(format: "%.4g", x))
    }

    /// The report of one run.
    public static func run(directory: URL) throws -> HTMLReport {
        let summaryPath = directory.appendingPathComponent("summary.json").path
        guard let data = FileManager.default.contents(atPath: summaryPath) else {
            throw TraceError("'\(directory.path)' is neither a run (no summary.json) nor a sweep (no sweep.csv)")
        }
        guard case .object(let fields) = try OrderedJSON.parse(String(decoding: data, as: UTF8.self)) else { throw TraceError("\(summaryPath): not a summary") }
        let flat = OrderedJSON.object(fields).flattened()
        func get(_ k: String) -> OrderedJSON? { flat.first { $0.0 == k }?.1 }
        // Key figures, with their unit and meaning from the metric registry.
        let top: [Metric] = [.jobsSubmitted, .jobsCompleted, .waitMeanS, .waitP99S, .jctMeanS, .jctP99S, .utilizationMean, .queueLengthMean,
                             .preemptions]
        let keys = top.map(\.key) + [Metric.allreduceBusbwGBpsP50, .exposedCommunicationFraction].map { "\(SummarySection.network).\($0.key)" }
            + ["\(SummarySection.storage).\(Metric.ioBoundFraction.key)", Metric.makespanS.key]
            + [Metric.requests, .sloAttainment, .replicaHours, .lentAcceleratorHours, .coldStarts, .rollouts].map { "\(SummarySection.serving).\($0.key)" }
            + [Metric.failuresTotal, .jobsInterrupted, .workLostAcceleratorHours, .goodput, .ettr, .availability, .repairBacklogMean]
                .map { "\(SummarySection.failures).\($0.key)" }
        var table = [["figure", "value", "unit", "meaning"]]
        for k in keys where get(k) != nil {
            let m = MetricRegistry.metric(for: k)
            table.append([k, number(get(k)), m.map { $0.unit == "1" ? "" : $0.unit } ?? "", m?.summary ?? ""])
        }

        let trace = try TraceReader(path: directory.appendingPathComponent("trace.h5").path)
        var sections: [HTMLReport.Section] = []
        // Utilisation and queue over time.
        let t = try trace.doubles("utilization/time_ns").map { $0 / 3.6e12 }
        let busy = try trace.doubles("utilization/busy_accelerators"), queued = try trace.doubles("utilization/queued_jobs")
        let (tb, b) = thin(t, busy), (tq, q) = thin(t, queued)
        var overTime = [SVGPlot(title: "Busy accelerators", xLabel: "hours", yLabel: "accelerators", series: [PlotSeries(name: "all", xs: tb, ys: b, step: true)]),
                        SVGPlot(title: "Queued jobs", xLabel: "hours", yLabel: "jobs", series: [PlotSeries(name: "all", xs: tq, ys: q, step: true)])]
        for (group, label) in [("pool", "pool"), ("tenant", "tenant")] {
            let names = try trace.dictionary(group)
            let gt = try trace.doubles("utilization_\(group)s/time_ns"), key = try trace.doubles("utilization_\(group)s/\(group)")
            let gb = try trace.doubles("utilization_\(group)s/busy_accelerators")
            var byGroup: [Int: ([Double], [Double])] = [:]
            for i in gt.indices { byGroup[Int(key[i]), default: ([], [])].0.append(gt[i] / 3.6e12); byGroup[Int(key[i])]!.1.append(gb[i]) }
            // The busiest few, in code order.
            let top = byGroup.keys.sorted { (byGroup[$0]!.1.max() ?? 0, -$0) > (byGroup[$1]!.1.max() ?? 0, -$1) }.prefix(8).sorted()
            let series = top.map { g -> PlotSeries in
                let (xs, ys) = thin(byGroup[g]!.0, byGroup[g]!.1)
                return PlotSeries(name: names[g] ?? (g < 0 ? "none" : "\(label) \(g)"), xs: xs, ys: ys, step: true)
            }
            if !series.isEmpty { overTime.append(SVGPlot(title: "Busy accelerators per \(label)", xLabel: "hours", yLabel: "accelerators", series: series)) }
        }
        sections.append(.init(title: "Utilisation and queue over time", plots: overTime))

        // Wait and completion-time CDFs of batch jobs (not service replicas), overall and for the busiest tenants.
        let replicaJobs = Set(try trace.has("deployments/job") ? trace.doubles("deployments/job") : [])
        let batch = try trace.doubles("jobs/id").map { !replicaJobs.contains($0) }
        func batchOnly(_ xs: [Double]) -> [Double] { xs.indices.filter { batch[$0] }.map { xs[$0] } }
        let submit = batchOnly(try trace.doubles("jobs/submit_ns")), start = batchOnly(try trace.doubles("jobs/start_ns")), end = batchOnly(try trace.doubles("jobs/end_ns"))
        let tenant = batchOnly(try trace.doubles("jobs/tenant")), tenantNames = try trace.dictionary("tenant")
        let waits = submit.indices.filter { start[$0] >= 0 }.map { (start[$0] - submit[$0]) / 1e9 }
        let jcts = submit.indices.filter { end[$0] >= 0 }.map { (end[$0] - submit[$0]) / 1e9 }
        var waitSeries = [cdf("all", waits.map { max($0, 1e-3) })], jctSeries = [cdf("all", jcts)]
        var counts: [Int: Int] = [:]
        for x in tenant { counts[Int(x), default: 0] += 1 }
        for g in counts.keys.sorted(by: { (counts[$0]!, -$0) > (counts[$1]!, -$1) }).prefix(4).sorted() where counts.count > 1 {
            let name = tenantNames[g] ?? "no tenant"
            waitSeries.append(cdf(name, submit.indices.filter { Int(tenant[$0]) == g && start[$0] >= 0 }.map { max((start[$0] - submit[$0]) / 1e9, 1e-3) }))
            jctSeries.append(cdf(name, submit.indices.filter { Int(tenant[$0]) == g && end[$0] >= 0 }.map { (end[$0] - submit[$0]) / 1e9 }))
        }
        sections.append(.init(title: "Waits and completion times", note: "Empirical CDFs; waits under 1 ms are drawn at 1 ms on the log axis.",
                              plots: [SVGPlot(title: "Wait (CDF)", xLabel: "seconds", yLabel: "fraction of jobs", logX: true, series: waitSeries),
                                      SVGPlot(title: "Job completion time (CDF)", xLabel: "seconds", yLabel: "fraction of jobs", logX: true, series: jctSeries)]))

        // The fabric.
        let busbw = try trace.doubles("collectives/busbw_gbps"), share = try trace.doubles("jobs/communication_share").filter { $0 > 0 }
        if busbw.isEmpty {
            sections.append(.init(title: "All-reduce and communication", note: "No collectives: the run priced communication without the shared fabric (io.model: fabric adds them).", plots: []))
        } else {
            sections.append(.init(title: "All-reduce and communication", plots: [
                SVGPlot(title: "All-reduce bus bandwidth (CDF over stretches)", xLabel: "GB/s", yLabel: "fraction", series: [cdf("busbw", busbw)]),
                SVGPlot(title: "Exposed communication share (CDF over jobs)", xLabel: "share of run time", yLabel: "fraction", series: [cdf("jobs", share)])]))
        }
        sections.append(try servingSection(trace, summary: flat, table: &table))
        if trace.has("failures/time_ns") { sections.append(try failuresSection(trace)) }
        let scenario = get("scenario").flatMap { if case .string(let s) = $0 { return s }; return nil } ?? directory.lastPathComponent
        // The overrides the run was given (run-info.json), and the run's directory by its name only.
        var given = ""
        if let info = FileManager.default.contents(atPath: directory.appendingPathComponent("run-info.json").path),
           case .object(let fields)? = try? OrderedJSON.parse(String(decoding: info, as: UTF8.self)),
           case .string(let overrides)? = fields.first(where: { $0.0 == "overrides" })?.1, !overrides.isEmpty {
            given = "; overrides: \(overrides)"
        }
        return HTMLReport(title: "ICCSim run: \(scenario)", subtitle: "\(directory.lastPathComponent): policy \(number(get("policy"))), seed \(number(get("seed"))), \(number(get("stop_reason")))\(given)",
                          table: table, sections: sections)
    }

    /// Online services: ready replicas over time (autoscaled services beside their static,
    /// peak-sized deployment), and the latency of request-level services' sampled requests;
    /// per service, its attainment and replica-hours against the static deployment's.
    static func servingSection(_ trace: TraceReader, summary flat: [(String, OrderedJSON)], table: inout [[String]]) throws -> HTMLReport.Section {
        guard trace.has("deployments/service"), case let serviceNames = try trace.dictionary("service"), !serviceNames.isEmpty else {
            return .init(title: "Serving", note: "No online services in this run.", plots: [])
        }
        func get(_ k: String) -> OrderedJSON? { flat.first { $0.0 == k }?.1 }
        let t = try trace.doubles("deployments/time_ns"), service = try trace.doubles("deployments/service"), ready = try trace.doubles("deployments/replicas")
        var makespanS = 0.0
        if case .number(let x)? = get("makespan_s") { makespanS = x }
        let endH = makespanS / 3600
        var byService: [Int: ([Double], [Double])] = [:]
        for i in t.indices { byService[Int(service[i]), default: ([], [])].0.append(t[i] / 3.6e12); byService[Int(service[i])]!.1.append(ready[i]) }
        let top = byService.keys.sorted { (byService[$0]!.1.max() ?? 0, -$0) > (byService[$1]!.1.max() ?? 0, -$1) }.prefix(6).sorted()
        var series: [PlotSeries] = []
        for g in top {
            let name = serviceNames[g] ?? "service \(g)"
            let (xs, ys) = thin(byService[g]!.0 + [endH], byService[g]!.1 + [byService[g]!.1.last ?? 0])
            series.append(PlotSeries(name: name, xs: xs, ys: ys, step: true))
            if case .string("autoscaled")? = get("services.\(name).scaling"), case .number(let peak)? = get("services.\(name).replicas_peak_sized") {
                series.append(PlotSeries(name: "\(name) (static)", xs: [xs.first ?? 0, endH], ys: [peak, peak], step: true))
            }
        }
        for g in serviceNames.keys.sorted() {
            let name = serviceNames[g]!
            guard let att = get("services.\(name).slo_attainment"), let hours = get("services.\(name).replica_hours") else { continue }
            var row = "attainment \(number(att)), replica-hours \(number(hours))"
            if case .string("autoscaled")? = get("services.\(name).scaling"), case .number(let peak)? = get("services.\(name).replicas_peak_sized"),
               case .number(let live)? = get("services.\(name).live_from_s") {
                row += " (static, peak-sized: \(number(.number(peak * (endH - live / 3600)))))"
            }
            table.append(["service \(name)", row, "", "SLO attainment and replica-hours, against a static deployment sized for the peak"])
        }
        var plots = [SVGPlot(title: "Ready replicas per service", xLabel: "hours", yLabel: "replicas", series: series)]
        if trace.has("requests/arrival_ns") {
            let arrival = try trace.doubles("requests/arrival_ns"), end = try trace.doubles("requests/end_ns"), rs = try trace.doubles("requests/service")
            var latency: [Int: [Double]] = [:]
            for i in arrival.indices { latency[Int(rs[i]), default: []].append((end[i] - arrival[i]) / 1e9) }
            let curves = latency.keys.sorted().prefix(6).map { cdf(serviceNames[$0] ?? "service \($0)", latency[$0]!) }
            if !curves.isEmpty { plots.append(SVGPlot(title: "Request latency (CDF, sampled requests)", xLabel: "seconds", yLabel: "fraction of requests", logX: true, series: curves)) }
        }
        return .init(title: "Serving", note: "Ready replicas after every change (the busiest six services); autoscaled services beside the static deployment sized for their peak. Latency of request-level services from /requests.", plots: plots)
    }

    /// Failures on the timeline: servers out of service over time (each failure until its
    /// server is back), and failures so far by class of part.
    static func failuresSection(_ trace: TraceReader) throws -> HTMLReport.Section {
        let t = try trace.doubles("failures/time_ns"), down = try trace.doubles("failures/down_ns"), component = try trace.doubles("failures/component")
        let classes = try trace.dictionary("failure_component")
        // Servers down: +1 at each failure, -1 when its server is back, in time order.
        let changes = (t.indices.map { (t[$0], 1.0) } + t.indices.map { (t[$0] + down[$0], -1.0) }).sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var level = 0.0, xs: [Double] = [0], ys: [Double] = [0]
        for (time, step) in changes {
            level += step
            xs.append(time / 3.6e12)
            ys.append(level)
        }
        var cumulative: [PlotSeries] = []
        for c in classes.keys.sorted() {
            let times = t.indices.filter { Int(component[$0]) == c }.map { t[$0] / 3.6e12 }
            guard !times.isEmpty else { continue }
            cumulative.append(PlotSeries(name: classes[c]!, xs: [0] + times, ys: [0] + times.indices.map { Double($0 + 1) }, step: true))
        }
        return .init(title: "Failures", note: "Servers out of service (from each failure until its server is back: a reboot, a repair or a hot spare's swap), and failures so far by class of part, from /failures.",
                     plots: [SVGPlot(title: "Servers out of service", xLabel: "hours", yLabel: "servers", series: [PlotSeries(name: "down", xs: xs, ys: ys, step: true)]),
                             SVGPlot(title: "Failures so far, by class", xLabel: "hours", yLabel: "failures", series: cumulative)])
    }

    /// A number from a CSV cell with four significant digits (empty stays empty).
    static func short(_ text: String) -> String {
        guard let x = Double(text) else { return text }
        return number(.number(x))
    }

    /// The report of a sweep: each chosen metric's mean (with its 95% band) against each
    /// parameter, one line per combination of the other parameters.
    public static func sweep(directory: URL, metrics wanted: [String] = ["wait_mean_s", "jct_mean_s", "utilization_mean", "wait_p99_s"]) throws -> HTMLReport {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("sweep.csv").path) else {
            throw TraceError("'\(directory.path)' has no sweep.csv: run 'iccsim sweep collect \(directory.path)' first")
        }
        let rows = SweepPlan.parseCSV(String(decoding: data, as: UTF8.self))
        guard let header = rows.first, let split = header.firstIndex(of: "runs_planned") else { throw TraceError("sweep.csv has no runs_planned column") }
        let params = Array(header[..<split]), body = Array(rows.dropFirst())
        let metrics = wanted.filter { header.contains("\($0)_mean") }
        func col(_ name: String) -> Int { header.firstIndex(of: name)! }
        var table = [params + ["runs"] + metrics.map { "\($0) (mean ± 95%)" }]
        for r in body.prefix(40) {
            table.append(Array(r[..<split]) + ["\(r[col("runs_complete")])/\(r[col("runs_planned")])"]
                         + metrics.map { m in "\(short(r[col("\(m)_mean")])) ± \(short(r[col("\(m)_ci95")]))" })
        }
        var sections: [HTMLReport.Section] = []
        for (pi, p) in params.enumerated() {
            var categories: [String] = []
            for r in body where !categories.contains(r[pi]) { categories.append(r[pi]) }
            var plots: [SVGPlot] = []
            for m in metrics {
                var lines: [String: [(Double, Double, Double)]] = [:], order: [String] = []
                for r in body {
                    let others = params.indices.filter { $0 != pi }.map { "\(params[$0])=\(r[$0])" }.joined(separator: ", ")
                    if lines[others] == nil { order.append(others) }
                    let mean = Double(r[col("\(m)_mean")]) ?? .nan, ci = Double(r[col("\(m)_ci95")]) ?? 0
                    lines[others, default: []].append((Double(categories.firstIndex(of: r[pi])!), mean, ci.isFinite ? ci : 0))
                }
                let series = order.prefix(8).map { k -> PlotSeries in
                    let pts = lines[k]!.sorted { $0.0 < $1.0 }
                    return PlotSeries(name: k.isEmpty ? m : k, xs: pts.map(\.0), ys: pts.map(\.1), lower: pts.map { $0.1 - $0.2 }, upper: pts.map { $0.1 + $0.2 })
                }
                plots.append(SVGPlot(title: "\(m) against \(p)", xLabel: p, yLabel: m, series: series, xCategories: categories))
            }
            sections.append(.init(title: "Against \(p)", note: "Means over replicate seeds with 95% confidence bands.", plots: plots))
        }
        // Wait and completion-time CDFs per configuration, from each one's first finished run.
        if let runsData = FileManager.default.contents(atPath: directory.appendingPathComponent("runs.csv").path) {
            let runs = SweepPlan.parseCSV(String(decoding: runsData, as: UTF8.self))
            if let h = runs.first, let ci = h.firstIndex(of: "configuration"), let ri = h.firstIndex(of: "run") {
                var waitSeries: [PlotSeries] = [], jctSeries: [PlotSeries] = []
                var seen: [String] = []
                for r in runs.dropFirst() where !seen.contains(r[ci]) && seen.count < 8 {
                    let trace = directory.appendingPathComponent("runs/\(r[ri])/trace.h5").path
                    guard FileManager.default.fileExists(atPath: trace) else { continue }
                    seen.append(r[ci])
                    let reader = try TraceReader(path: trace)
                    let submit = try reader.doubles("jobs/submit_ns"), start = try reader.doubles("jobs/start_ns"), end = try reader.doubles("jobs/end_ns")
                    let name = params.indices.map { "\(r[h.firstIndex(of: params[$0])!])" }.joined(separator: ", ")
                    waitSeries.append(cdf(name, submit.indices.filter { start[$0] >= 0 }.map { max((start[$0] - submit[$0]) / 1e9, 1e-3) }))
                    jctSeries.append(cdf(name, submit.indices.filter { end[$0] >= 0 }.map { (end[$0] - submit[$0]) / 1e9 }))
                }
                if !waitSeries.isEmpty {
                    sections.insert(.init(title: "Waits and completion times per configuration",
                                          note: "Empirical CDFs from each configuration's first finished run (at most eight configurations); waits under 1 ms at 1 ms.",
                                          plots: [SVGPlot(title: "Wait (CDF)", xLabel: "seconds", yLabel: "fraction of jobs", logX: true, series: waitSeries),
                                                  SVGPlot(title: "Job completion time (CDF)", xLabel: "seconds", yLabel: "fraction of jobs", logX: true, series: jctSeries)]),
                                    at: 0)
                }
            }
        }
        return HTMLReport(title: "ICCSim sweep: \(directory.lastPathComponent)", subtitle: "\(directory.lastPathComponent): \(body.count) configurations",
                          table: table, sections: sections)
    }
}
