import Foundation
import Metrics
import Reports

extension ReportBuilder {
    /// Online services: ready replicas over time (autoscaled services beside their static,
    /// peak-sized deployment), and the latency of request-level services' sampled requests with
    /// each service's latency target drawn across it; a table of each service's attainment and
    /// replica-hours against the static deployment's.
    static func servingSection(_ trace: TraceReader, _ figures: Figures) throws -> HTMLReport.Section {
        guard trace.has("deployments/service"), case let serviceNames = try trace.dictionary("service"), !serviceNames.isEmpty else {
            return .init(title: "Serving", note: "No online services in this run.", plots: [])
        }
        func service(_ name: String, _ m: Metric) -> String { "\(Metric.services.key).\(name).\(m.key)" }
        let t = try trace.doubles("deployments/time_ns"), svc = try trace.doubles("deployments/service"), ready = try trace.doubles("deployments/replicas")
        let endH = (figures.number(Metric.makespanS.key) ?? 0) / 3600
        var byService: [Int: ([Double], [Double])] = [:]
        for i in t.indices { byService[Int(svc[i]), default: ([], [])].0.append(hours(t[i])); byService[Int(svc[i])]!.1.append(ready[i]) }
        let top = byService.keys.sorted { (byService[$0]!.1.max() ?? 0, -$0) > (byService[$1]!.1.max() ?? 0, -$1) }.prefix(6).sorted()
        var series: [PlotSeries] = []
        for g in top {
            let name = serviceNames[g] ?? "service \(g)"
            let (xs, ys) = thin(byService[g]!.0 + [endH], byService[g]!.1 + [byService[g]!.1.last ?? 0])
            series.append(PlotSeries(name: name, xs: xs, ys: ys, step: true))
            if figures.text(service(name, .scaling)) == "autoscaled", let peak = figures.number(service(name, .replicasPeakSized)) {
                series.append(PlotSeries(name: "\(name) (static)", xs: [xs.first ?? 0, endH], ys: [peak, peak], step: true))
            }
        }
        var table = [["service", "scaling", "SLO attainment", "latency target", "99th-percentile latency", "replica-hours", "static, peak-sized replica-hours"]]
        for g in serviceNames.keys.sorted() {
            let name = serviceNames[g]!
            guard figures.get(service(name, .sloAttainment)) != nil else { continue }
            var staticHours = "—"
            if figures.text(service(name, .scaling)) == "autoscaled", let peak = figures.number(service(name, .replicasPeakSized)),
               let live = figures.number(service(name, .liveFromS)) {
                staticHours = NumberText.figure(peak * (endH - live / 3600))
            }
            table.append([name, figures.text(service(name, .scaling)) ?? ""]
                         + [Metric.sloAttainment, .latencyTargetS, .latencyP99S, .replicaHours].map { reading(figures.get(service(name, $0)), path: service(name, $0)) }
                         + [staticHours])
        }
        var plots = [SVGPlot(title: "Ready replicas per service", xLabel: timeAxis, yLabel: "replicas ready", series: series)]
        if trace.has("requests/arrival_ns") {
            let arrival = try trace.doubles("requests/arrival_ns"), end = try trace.doubles("requests/end_ns"), rs = try trace.doubles("requests/service")
            var latency: [Int: [Double]] = [:]
            for i in arrival.indices { latency[Int(rs[i]), default: []].append((end[i] - arrival[i]) / 1e9) }
            let shown = latency.keys.sorted().prefix(6)
            let curves = shown.map { cdf(serviceNames[$0] ?? "service \($0)", latency[$0]!) }
            let markers = shown.enumerated().compactMap { i, code -> PlotMarker? in
                guard let name = serviceNames[code], let target = figures.number(service(name, .latencyTargetS)), target > 0 else { return nil }
                return PlotMarker(x: target, label: "SLO \(NumberText.duration(target))" + (shown.count > 1 ? " (\(name))" : ""),
                                  color: SVGPlot.palette[i % SVGPlot.palette.count])
            }
            if !curves.isEmpty {
                plots.append(SVGPlot(title: "Request latency (CDF, sampled requests)", xLabel: "latency (s, log scale)", yLabel: "share of requests", logX: true,
                                     series: curves, markers: markers))
            }
        }
        return .init(title: "Serving", note: "Ready replicas after every change (the busiest six services); autoscaled services beside the static deployment sized for their peak. Latency of request-level services from /requests; the dashed line is the service's latency target (its SLO).",
                     table: table.count > 1 ? table : [], plots: plots)
    }

    /// Failures on the timeline: servers out of service over time (each failure until its
    /// server is back), and failures so far by class of part.
    static func failuresSection(_ trace: TraceReader) throws -> HTMLReport.Section {
        let t = try trace.doubles("failures/time_ns"), down = try trace.doubles("failures/down_ns"), component = try trace.doubles("failures/component")
        let classes = try trace.dictionary("failure_component")
        // Parts down: +1 at each failure, -1 when its part is back, in time order.
        let changes = (t.indices.map { (t[$0], 1.0) } + t.indices.map { (t[$0] + down[$0], -1.0) }).sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var level = 0.0, xs: [Double] = [0], ys: [Double] = [0]
        for (time, step) in changes {
            level += step
            xs.append(hours(time))
            ys.append(level)
        }
        var cumulative: [PlotSeries] = []
        for c in classes.keys.sorted() {
            let times = t.indices.filter { Int(component[$0]) == c }.map { hours(t[$0]) }
            guard !times.isEmpty else { continue }
            cumulative.append(PlotSeries(name: classes[c]!, xs: [0] + times, ys: [0] + times.indices.map { Double($0 + 1) }, step: true))
        }
        return .init(title: "Failures", note: "Parts out of service (from each failure until its part is back: a reboot, a repair or a hot spare's swap; a server, or a leaf switch with all its servers, a spine switch or a storage server when the scenario names them), and failures so far by class of part, from /failures.",
                     plots: [SVGPlot(title: "Parts out of service", xLabel: timeAxis, yLabel: "parts", series: [PlotSeries(name: "down", xs: xs, ys: ys, step: true)]),
                             SVGPlot(title: "Failures so far, by class of part", xLabel: timeAxis, yLabel: "failures", series: cumulative)])
    }
}
