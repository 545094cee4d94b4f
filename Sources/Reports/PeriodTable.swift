/// Each period's figures of a run of years as people read them: the table `summary.md` and the
/// report show, and the reading of one figure (by its `summary.json` name under `periods`).
public enum PeriodTable {
    public static let header = ["period", "accelerators", "jobs a day", "offered load", "utilisation", "mean wait", "p99 wait", "SLO attainment",
                                "facility energy a day"]

    /// The header, with the cost a day when the run has a price list (`power`).
    public static func header(withCost: Bool) -> [String] { header + (withCost ? ["cost a day"] : []) }

    /// The row of period `label`; `figure` gives a figure by name (nil when absent or undefined),
    /// its 95% half-width under `NAME_ci95`; with `withCost`, the cost a day last.
    public static func row(_ label: String, withCost: Bool, _ figure: (String) -> Double?) -> [String] {
        row(label, figure) + (withCost ? [cell("cost_per_day", figure)] : [])
    }

    /// The row of period `label` without its cost.
    public static func row(_ label: String, _ figure: (String) -> Double?) -> [String] {
        [label] + ["accelerators", "jobs_submitted_per_day", "offered_load", "utilization", "wait_mean_s", "wait_p99_s", "slo_attainment",
                   "energy_kwh_per_day"].map { cell($0, figure) }
    }

    /// The header of the table of each pool's figures, period by period.
    public static let poolHeader = ["period", "pool", "accelerators", "jobs a day", "offered load", "utilisation", "mean wait", "jobs waiting"]

    /// The row of pool `pool` in period `label`; `figure` as for ``row(_:_:)`` (the pool's
    /// figures under the period's `pools`).
    public static func poolRow(_ label: String, pool: String, _ figure: (String) -> Double?) -> [String] {
        [label, pool] + ["accelerators", "jobs_submitted_per_day", "offered_load", "utilization", "wait_mean_s", "queued_jobs"].map { cell($0, figure) }
    }

    /// A figure with its 95% half-width, as people read them.
    static func cell(_ name: String, _ figure: (String) -> Double?) -> String {
        guard let v = figure(name) else { return "–" }
        guard let ci = figure(name + "_ci95") else { return reading(name, v) }
        return "\(reading(name, v)) ± \(reading(name, ci))"
    }

    /// A period figure as people read it: shares as percentages, seconds as durations, energy
    /// in watt-hours, counts grouped and whole (jobs waiting, a mean, to a tenth below 100).
    public static func reading(_ name: String, _ x: Double) -> String {
        guard x.isFinite else { return "–" }
        switch name {
        case "utilization", "offered_load", "slo_attainment": return NumberText.percent(x)
        case "energy_kwh_per_day": return NumberText.si(x * 1000, "Wh")
        case "cost_per_day": return NumberText.grouped(Int64(x.rounded()))
        case "accelerators", "jobs_submitted_per_day": return NumberText.grouped(Int64(x.rounded()))
        case "queued_jobs": return x < 100 ? String(format: "%.1f", x) : NumberText.grouped(Int64(x.rounded()))
        case _ where name.hasSuffix("_s"): return NumberText.duration(x)
        default: return NumberText.figure(x)
        }
    }
}
