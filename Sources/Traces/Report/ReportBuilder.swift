import Foundation
import Metrics
import Reports

/// Builds `iccsim report` pages: from a run directory (summary.json and trace.h5) or a sweep
/// directory (sweep.csv). Figures are named by the metric registry's labels and shown in their
/// units; axes carry their units; times on run plots are hours of simulated time.
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
        return PlotSeries(name: "\(name) (\(NumberText.grouped(Int64(v.count))))", xs: xs, ys: ys)
    }

    /// Hours from nanoseconds: the time axis of run plots.
    static func hours(_ ns: Double) -> Double { ns / 3.6e12 }
    static let timeAxis = "simulated time (h)"

    /// The people's text of a summary value at `path`, in the registry's unit for it.
    static func reading(_ v: OrderedJSON?, path: String) -> String {
        switch v {
        case .number(let x)?: return NumberText.reading(x, of: MetricRegistry.metric(for: path))
        case .string(let s)?: return s
        default: return ""
        }
    }

    /// An axis label for a registry figure: its label and unit ("mean wait (s)", "SLO attainment (%)").
    static func axisLabel(_ m: Metric?, fallback: String) -> String {
        guard let m else { return fallback }
        switch m.unit {
        case "1", "text": return m.label
        case "share": return "\(m.label) (%)"
        default: return "\(m.label) (\(m.unit))"
        }
    }

    /// Figures of a run's summary, read once.
    struct Figures {
        let flat: [(String, OrderedJSON)]
        func get(_ k: String) -> OrderedJSON? { flat.first { $0.0 == k }?.1 }
        func number(_ k: String) -> Double? { if case .number(let x)? = get(k) { return x }; return nil }
        func text(_ k: String) -> String? { if case .string(let s)? = get(k) { return s }; return nil }
    }
}
