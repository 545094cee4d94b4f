import Metrics
import Reports

extension ReportBuilder {
    /// The periods of a run (`summary.json` `periods`: a sampled run's windows, or a job-level
    /// run's quarters or months), each with its figures and their 95% half-widths.
    static func periods(_ fields: [(String, OrderedJSON)]) -> [(label: String, figures: Figures)] {
        guard case .object(let periods)? = fields.first(where: { $0.0 == "periods" })?.1 else { return [] }
        return periods.compactMap { label, value in
            guard case .object(let f) = value else { return nil }
            return (label, Figures(flat: f))
        }
    }

    /// Each pool named under some period's `pools`, in the order first met, with its figures in
    /// each period (nil where it has none).
    static func poolFigures(_ periods: [(label: String, figures: Figures)]) -> [(name: String, byPeriod: [Figures?])] {
        var names: [String] = []
        let tables = periods.map { p -> [(String, OrderedJSON)] in
            guard case .object(let pools)? = p.figures.get("pools") else { return [] }
            for (name, _) in pools where !names.contains(name) { names.append(name) }
            return pools
        }
        return names.map { name in
            (name, tables.map { t in
                guard case .object(let f)? = t.first(where: { $0.0 == name })?.1 else { return nil }
                return Figures(flat: f)
            })
        }
    }

    /// The years on one page: a table of the periods and their figures as points with 95%
    /// error bars, one category per period, and, with two pools or more, each pool's
    /// utilisation and mean wait.
    static func yearsSection(_ periods: [(label: String, figures: Figures)], sampled: Bool) -> HTMLReport.Section {
        let labels = periods.map(\.label), xs = labels.indices.map(Double.init)
        /// Figure `key` of each period (of `figures`, the periods' own by default) with its 95% error bars.
        func series(_ name: String, _ key: String, scale: Double = 1, of figures: [Figures?]? = nil) -> PlotSeries {
            let byPeriod = figures ?? periods.map { Optional($0.figures) }
            let mean = byPeriod.map { ($0?.number(key) ?? .nan) * scale }
            let ci = byPeriod.map { ($0?.number(key + "_ci95") ?? 0) * scale }
            return PlotSeries(name: name, xs: xs, ys: mean, lower: zip(mean, ci).map { max(0, $0 - ($1.isFinite ? $1 : 0)) },
                              upper: zip(mean, ci).map { $0 + ($1.isFinite ? $1 : 0) })
        }
        func plot(_ title: String, _ y: String, _ s: [PlotSeries]) -> SVGPlot {
            SVGPlot(title: title, xLabel: "period", yLabel: y, series: s, xCategories: labels)
        }
        var plots = [plot("Offered load and utilisation", "share of the accelerators in the center (%)",
                          [series("offered load", "offered_load", scale: 100), series("utilisation", "utilization", scale: 100)]),
                     plot("Waits of batch jobs", "wait (h)", [series("mean", "wait_mean_s", scale: 1 / 3600), series("99th percentile", "wait_p99_s", scale: 1 / 3600)]),
                     plot("Accelerators in the center", "accelerators", [series("accelerators", "accelerators")]),
                     plot("Facility energy a day", "energy (MWh a day)", [series("facility energy", "energy_kwh_per_day", scale: 1e-3)])]
        // With two pools or more, each pool's utilisation, and the mean wait of those with batch jobs.
        let pools = poolFigures(periods)
        if pools.count >= 2 {
            plots.append(plot("Utilisation by pool", "share of the pool's accelerators (%)",
                              pools.map { series($0.name, "utilization", scale: 100, of: $0.byPeriod) }))
            let batch = pools.filter { $0.byPeriod.contains { ($0?.number("jobs_submitted_per_day") ?? 0) > 0 && ($0?.number("wait_mean_s") ?? 0) > 0 } }
            if !batch.isEmpty {
                plots.append(plot("Mean wait by pool", "wait (h)", batch.map { series($0.name, "wait_mean_s", scale: 1 / 3600, of: $0.byPeriod) }))
            }
        }
        let withCost = periods.contains { $0.figures.number("cost_per_day") != nil }
        let table = [PeriodTable.header(withCost: withCost)] + periods.map { label, f in PeriodTable.row(label, withCost: withCost) { f.number($0) } }
        return .init(title: "The years, period by period",
                     note: sampled
                        ? "A sampled run: each period is one or more windows of days at the period's demand with the servers in service then, each after a warm-up that starts with the queue the center carried in (estimated from the samples' demand; docs/lifecycle.md says when sampling is valid); ± and the error bars are 95% half-widths from one window's days or from the windows' means."
                        : "Every day of the run, period by period; ± and the error bars are 95% half-widths from the period's daily means; accelerators in the center in the period's middle.",
                     table: table, plots: plots)
    }
}
