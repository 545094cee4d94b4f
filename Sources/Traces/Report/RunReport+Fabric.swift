import Foundation
import Metrics
import Reports

extension ReportBuilder {
    /// The all-reduce on the shared fabric: bus bandwidth over stretches, the exposed share of
    /// jobs' run time, and the hottest leaf-spine links from `/links` (a table of their mean and
    /// peak utilisation, and their utilisation over time).
    static func fabricSection(_ trace: TraceReader, _ figures: Figures) throws -> HTMLReport.Section {
        let title = "Network: all-reduce and the hottest links"
        let busbw = try trace.doubles("collectives/busbw_gbps"), share = try trace.doubles("jobs/communication_share").filter { $0 > 0 }
        guard !busbw.isEmpty else {
            return .init(title: title, note: "No collectives: the run priced communication without the shared fabric (io.model: fabric adds them).", plots: [])
        }
        var plots = [SVGPlot(title: "All-reduce bus bandwidth (CDF over stretches)", xLabel: "bus bandwidth (GB/s, nccl-tests busbw)", yLabel: "share of stretches",
                             series: [cdf("stretches", busbw)]),
                     SVGPlot(title: "Exposed communication (CDF over jobs)", xLabel: "share of the job's run time (%)", yLabel: "share of jobs",
                             series: [cdf("jobs", share.map { $0 * 100 })])]
        var table: [[String]] = []
        if trace.has("links/time_ns") {
            let t = try trace.doubles("links/time_ns"), link = try trace.doubles("links/link"), use = try trace.doubles("links/utilization")
            let names = try trace.dictionary("link")
            var byLink: [Int: (xs: [Double], ys: [Double])] = [:]
            for i in t.indices { byLink[Int(link[i]), default: ([], [])].xs.append(hours(t[i])); byLink[Int(link[i])]!.ys.append(use[i] * 100) }
            // Codes are busiest first (the trace's order).
            let codes = byLink.keys.sorted()
            table = [["link (pool/leaf/spine/direction)", "mean utilisation", "peak over a sample interval"]]
            for c in codes.prefix(10) {
                let ys = byLink[c]!.ys
                table.append([names[c] ?? "link \(c)", NumberText.percent(ys.reduce(0, +) / Double(max(ys.count, 1)) / 100), NumberText.percent((ys.max() ?? 0) / 100)])
            }
            let series = codes.prefix(6).map { c -> PlotSeries in
                let (xs, ys) = thin(byLink[c]!.xs, byLink[c]!.ys)
                return PlotSeries(name: names[c] ?? "link \(c)", xs: xs, ys: ys, step: true)
            }
            if !series.isEmpty { plots.append(SVGPlot(title: "Hottest leaf-spine links", xLabel: timeAxis, yLabel: "utilisation (%)", series: series)) }
        }
        return .init(title: title, note: "Bus bandwidth of each stretch of a run at one all-reduce speed (/collectives); the links with the highest mean utilisation (/links), sampled per io.fabric.linkSampleInterval.",
                     table: table, plots: plots)
    }
}
