import Metrics
import Reports

extension ReportBuilder {
    /// The facility's power over the run (IT, cooling and facility, and the cap), over the hours
    /// of the day (each hour's mean over the run's days), and the tenants that drew the most.
    static func powerSection(_ trace: TraceReader, _ figures: Figures) throws -> HTMLReport.Section {
        let t = try trace.doubles("power/time_ns").map(hours)
        let it = try trace.doubles("power/it_kw").map { $0 / 1000 }, cooling = try trace.doubles("power/cooling_kw").map { $0 / 1000 }
        let facility = try trace.doubles("power/facility_kw").map { $0 / 1000 }
        var series = [PlotSeries(name: "facility", xs: t, ys: facility, step: true), PlotSeries(name: "IT", xs: t, ys: it, step: true),
                      PlotSeries(name: "cooling and distribution", xs: t, ys: cooling, step: true)]
        let capPath = "\(SummarySection.power).\(Metric.powerCapKW.key)"
        if let cap = figures.number(capPath), let last = t.last {
            series.append(PlotSeries(name: "cap", xs: [0, last], ys: [cap / 1000, cap / 1000]))
        }
        // Each hour of the day: the mean over the rows that start in it (the run starts at midnight).
        var sum = Array(repeating: 0.0, count: 24), itSum = sum, count = sum
        for i in t.indices {
            let h = Int(t[i].rounded(.down)) % 24
            sum[h] += facility[i]; itSum[h] += it[i]; count[h] += 1
        }
        let hoursOfDay = (0..<24).filter { count[$0] > 0 }
        let day = [PlotSeries(name: "facility", xs: hoursOfDay.map(Double.init), ys: hoursOfDay.map { sum[$0] / count[$0] }),
                   PlotSeries(name: "IT", xs: hoursOfDay.map(Double.init), ys: hoursOfDay.map { itSum[$0] / count[$0] })]
        // Tenants by facility energy.
        let prefix = "\(SummarySection.power).tenants."
        let energyKey = ".\(Metric.facilityEnergyKWh.key)"
        let tenants = figures.flat.map(\.0).filter { $0.hasPrefix(prefix) && $0.hasSuffix(energyKey) }
            .map { (String($0.dropFirst(prefix.count).dropLast(energyKey.count)), figures.number($0) ?? 0) }
            .sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(10)
        var table = [["tenant (ten largest)", "facility energy", "energy cost", "emissions"]]
        for (name, _) in tenants {
            let base = prefix + name
            table.append([name, reading(figures.get(base + energyKey), path: base + energyKey),
                          reading(figures.get("\(base).\(Metric.energyCost.key)"), path: "\(base).\(Metric.energyCost.key)"),
                          reading(figures.get("\(base).\(Metric.emissionsT.key)"), path: "\(base).\(Metric.emissionsT.key)")])
        }
        return .init(title: "Power, energy and cost",
                     note: "From /power (one row per power.interval): IT power (servers, accelerators, switches, storage), cooling and power distribution, and facility power (IT times the hour's PUE); the cap when the site has one. Energy and cost per tenant from summary.json's power section.",
                     table: table.count > 1 ? table : [],
                     plots: [SVGPlot(title: "Power over the run", xLabel: timeAxis, yLabel: "power (MW)", series: series),
                             SVGPlot(title: "Power over the day (mean of each hour)", xLabel: "hour of the day", yLabel: "power (MW)", series: day)])
    }
}
