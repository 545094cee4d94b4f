import Foundation
import Metrics
import Reports

extension ReportBuilder {
    /// The report of one run: a header naming the scenario, seed, policy, horizon and overrides;
    /// the years period by period (a run given --periods, or a sampled run, whose page is only
    /// that); the key figures; utilisation (per pool, as a percentage) and the queue over time; waits
    /// and completion times; the fabric and its hottest links; serving; failures.
    public static func run(directory: URL) throws -> HTMLReport {
        let summaryPath = directory.appendingPathComponent("summary.json").path
        guard let data = FileManager.default.contents(atPath: summaryPath) else {
            throw TraceError("'\(directory.path)' is neither a run (no summary.json) nor a sweep (no sweep.csv)")
        }
        guard case .object(let fields) = try OrderedJSON.parse(String(decoding: data, as: UTF8.self)) else { throw TraceError("\(summaryPath): not a summary") }
        let figures = Figures(flat: OrderedJSON.object(fields).flattened())
        let scenario = figures.text(Metric.scenario.key) ?? directory.lastPathComponent
        let years = periods(fields), sampled = fields.contains { $0.0 == "sampled" }
        // A sampled run keeps no records but its periods: the page is its years.
        if sampled {
            let how = ["run \(directory.lastPathComponent)", "scenario \(scenario)", "seed \(figures.number(Metric.seed.key).map(NumberText.figure) ?? "?")",
                       "sampled by \(figures.text("sampled.period") ?? "?"): \(years.count) periods, \(figures.number("sampled.windows").map(NumberText.figure) ?? "one") \(figures.number("sampled.window_days").map(NumberText.figure) ?? "?")-day window(s) each after a \(figures.number("sampled.warmup_days").map(NumberText.figure) ?? "?")-day warm-up",
                       "from \(figures.text("sampled.start") ?? "?")"]
            return HTMLReport(title: "ICCSim sampled run: \(scenario)", subtitle: how.joined(separator: " · "), table: [],
                              sections: [yearsSection(years, sampled: true)])
        }
        let trace = try TraceReader(path: directory.appendingPathComponent("trace.h5").path)
        let table = keyFigures(figures)
        var sections = [try utilisationSection(trace, figures), try waitsSection(trace), try fabricSection(trace, figures)]
        if !years.isEmpty { sections.insert(yearsSection(years, sampled: false), at: 0) }
        sections.append(try servingSection(trace, figures))
        if trace.has("failures/time_ns") { sections.append(try failuresSection(trace)) }
        if trace.has("power/time_ns") { sections.append(try powerSection(trace, figures)) }
        return HTMLReport(title: "ICCSim run: \(scenario)", subtitle: header(figures, directory: directory), table: table, sections: sections)
    }

    /// The page's header line: the run's directory by its name only (never an absolute path),
    /// scenario, seed, policy, horizon, how it stopped, and the overrides from run-info.json.
    static func header(_ figures: Figures, directory: URL) -> String {
        var parts = ["run \(directory.lastPathComponent)", "scenario \(figures.text(Metric.scenario.key) ?? "?")"]
        if let seed = figures.number(Metric.seed.key) { parts.append("seed \(NumberText.figure(seed))") }
        parts.append("policy \(figures.text(Metric.policy.key) ?? "?")")
        if let h = figures.number(Metric.horizonS.key) { parts.append("horizon \(NumberText.duration(h))") } else { parts.append("no horizon (runs until its jobs are done)") }
        if let w = figures.number(Metric.warmupS.key) { parts.append("warm-up \(NumberText.duration(w))") }
        parts.append("stopped: \(figures.text(Metric.stopReason.key) ?? "?")")
        var overrides = "overrides: none"
        if let info = FileManager.default.contents(atPath: directory.appendingPathComponent("run-info.json").path),
           case .object(let fields)? = try? OrderedJSON.parse(String(decoding: info, as: UTF8.self)),
           case .string(let given)? = fields.first(where: { $0.0 == "overrides" })?.1, !given.isEmpty {
            overrides = "overrides: \(given)"
        }
        return (parts + [overrides]).joined(separator: " · ")
    }

    /// Key figures with their planner's names, values in their units, meanings, and their keys
    /// in `summary.json` for those who read it.
    static func keyFigures(_ figures: Figures) -> [[String]] {
        let top: [Metric] = [.jobsSubmitted, .jobsCompleted, .jobsUnfinished, .waitMeanS, .waitP99S, .jctMeanS, .jctP99S, .utilizationMean,
                             .queueLengthMean, .preemptions, .makespanS]
        let paths = top.map(\.key)
            + [Metric.allreduceBusbwGBpsP50, .exposedCommunicationFraction, .spineLinkUtilizationPeak].map { "\(SummarySection.network).\($0.key)" }
            + ["\(SummarySection.storage).\(Metric.ioBoundFraction.key)"]
            + [Metric.requests, .sloAttainment, .replicaHours, .lentAcceleratorHours, .coldStarts, .rollouts].map { "\(SummarySection.serving).\($0.key)" }
            + [Metric.failuresTotal, .jobsInterrupted, .workLostAcceleratorHours, .goodput, .ettr, .availability, .repairBacklogMean]
                .map { "\(SummarySection.failures).\($0.key)" }
            + [Metric.pueAchieved, .facilityEnergyKWh, .facilityPowerPeakKW, .energyCost, .emissionsT, .tcoPerAcceleratorHour]
                .map { "\(SummarySection.power).\($0.key)" }
        var table = [["figure", "value", "meaning", "summary.json key"]]
        let servicesOn = (figures.number("\(SummarySection.serving).\(Metric.services.key)") ?? 0) > 0
        for path in paths where figures.get(path) != nil {
            if path.hasPrefix("\(SummarySection.serving).") && !servicesOn { continue }
            let m = MetricRegistry.metric(for: path)
            table.append([m?.label ?? path, reading(figures.get(path), path: path), m?.summary ?? "", path])
        }
        return table
    }

    /// Busy accelerators and queued jobs over time; each pool's utilisation as a percentage of
    /// its accelerators (with a table of the pools), and the busiest tenants.
    static func utilisationSection(_ trace: TraceReader, _ figures: Figures) throws -> HTMLReport.Section {
        let t = try trace.doubles("utilization/time_ns").map(hours)
        let busy = try trace.doubles("utilization/busy_accelerators"), queued = try trace.doubles("utilization/queued_jobs")
        let (tb, b) = thin(t, busy), (tq, q) = thin(t, queued)
        var plots = [SVGPlot(title: "Busy accelerators", xLabel: timeAxis, yLabel: "accelerators", series: [PlotSeries(name: "all", xs: tb, ys: b, step: true)]),
                     SVGPlot(title: "Queued jobs", xLabel: timeAxis, yLabel: "jobs waiting", series: [PlotSeries(name: "all", xs: tq, ys: q, step: true)])]
        let poolNames = try trace.dictionary("pool")
        let pools = try seriesByGroup(trace, "pool", top: 8) { code, xs, ys in
            let name = poolNames[code] ?? "pool \(code)"
            let size = figures.number("\(SummarySection.pools).\(name).\(Metric.accelerators.key)") ?? 0
            return PlotSeries(name: name, xs: xs, ys: ys.map { size > 0 ? $0 / size * 100 : 0 }, step: true)
        }
        if !pools.isEmpty { plots.append(SVGPlot(title: "Utilisation per pool", xLabel: timeAxis, yLabel: "busy share of the pool (%)", series: pools)) }
        let tenantNames = try trace.dictionary("tenant")
        let tenants = try seriesByGroup(trace, "tenant", top: 8) { code, xs, ys in
            PlotSeries(name: tenantNames[code] ?? (code < 0 ? "no tenant" : "tenant \(code)"), xs: xs, ys: ys, step: true)
        }
        if tenants.count > 1 { plots.append(SVGPlot(title: "Busy accelerators per tenant (busiest eight)", xLabel: timeAxis, yLabel: "accelerators", series: tenants)) }
        var poolTable = [["pool", "accelerator", "accelerators", "utilisation", "jobs submitted", "mean wait", "mean completion time"]]
        for (key, _) in figures.flat where key.hasPrefix("\(SummarySection.pools).") && key.hasSuffix(".\(Metric.utilizationMean.key)") {
            let base = String(key.dropLast(Metric.utilizationMean.key.count + 1)), name = String(base.dropFirst(SummarySection.pools.count + 1))
            let jobs = figures.number("\(base).\(Metric.jobsSubmitted.key)") ?? 0
            func cell(_ m: Metric) -> String { jobs == 0 && m.unit == "s" ? "—" : reading(figures.get("\(base).\(m.key)"), path: "\(base).\(m.key)") }
            poolTable.append([name + (jobs == 0 ? " (no batch jobs)" : ""), cell(.accelerator), cell(.accelerators), cell(.utilizationMean), cell(.jobsSubmitted),
                              cell(.waitMeanS), cell(.jctMeanS)])
        }
        return .init(title: "Utilisation and queue over time", note: "Utilisation is the time-average share of a pool's accelerators allocated to jobs (a share of a device counts that share).",
                     table: poolTable.count > 1 ? poolTable : [], plots: plots)
    }

    /// Busy accelerators of each group (`pool`, `tenant`) over time from `/utilization_<group>s`,
    /// the `top` busiest (by their peak), in code order, shaped by `make`.
    static func seriesByGroup(_ trace: TraceReader, _ group: String, top: Int,
                              _ make: (Int, [Double], [Double]) -> PlotSeries) throws -> [PlotSeries] {
        let gt = try trace.doubles("utilization_\(group)s/time_ns"), key = try trace.doubles("utilization_\(group)s/\(group)")
        let gb = try trace.doubles("utilization_\(group)s/busy_accelerators")
        var byGroup: [Int: ([Double], [Double])] = [:]
        for i in gt.indices { byGroup[Int(key[i]), default: ([], [])].0.append(hours(gt[i])); byGroup[Int(key[i])]!.1.append(gb[i]) }
        let chosen = byGroup.keys.sorted { (byGroup[$0]!.1.max() ?? 0, -$0) > (byGroup[$1]!.1.max() ?? 0, -$1) }.prefix(top).sorted()
        return chosen.map { g in
            let (xs, ys) = thin(byGroup[g]!.0, byGroup[g]!.1)
            return make(g, xs, ys)
        }
    }

    /// Wait and completion-time CDFs of batch jobs (not service replicas), overall and for the
    /// busiest tenants.
    static func waitsSection(_ trace: TraceReader) throws -> HTMLReport.Section {
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
        return .init(title: "Waits and completion times", note: "Empirical CDFs of batch jobs (all, and the four tenants with most jobs; counts in the legend); waits under 1 ms are drawn at 1 ms on the log axis.",
                     plots: [SVGPlot(title: "Wait (CDF)", xLabel: "wait (s, log scale)", yLabel: "share of jobs", logX: true, series: waitSeries),
                             SVGPlot(title: "Job completion time (CDF)", xLabel: "completion time (s, log scale)", yLabel: "share of jobs", logX: true, series: jctSeries)])
    }
}
