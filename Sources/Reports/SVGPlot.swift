import Foundation

/// One line of a plot: points (x ascending), drawn as a polyline or a step function, with an
/// optional band (a confidence interval) around it.
public struct PlotSeries: Sendable {
    public var name: String
    public var xs: [Double]
    public var ys: [Double]
    public var lower: [Double]?
    public var upper: [Double]?
    public var step: Bool

    public init(name: String, xs: [Double], ys: [Double], lower: [Double]? = nil, upper: [Double]? = nil, step: Bool = false) {
        self.name = name
        self.xs = xs
        self.ys = ys
        self.lower = lower
        self.upper = upper
        self.step = step
    }
}

/// A vertical reference line across a plot (a latency target), labelled at its top.
public struct PlotMarker: Sendable {
    public var x: Double
    public var label: String
    public var color: String

    public init(x: Double, label: String, color: String = "#555555") {
        self.x = x
        self.label = label
        self.color = color
    }
}

/// A line chart as inline SVG: axes with round ticks (decades on a log axis), series in a fixed
/// palette, reference lines, a legend below the axes (it never covers data), and nothing that
/// needs a network or a script. On a categorical x axis the series are points with error bars,
/// side by side at each category, never joined by lines.
public struct SVGPlot: Sendable {
    public var title: String
    /// Axis labels, with their units: "time (h)", "wait (s)".
    public var xLabel: String
    public var yLabel: String
    public var logX: Bool
    public var series: [PlotSeries]
    /// Category names for the x positions 0, 1, 2, ... (sweep parameters); nil for a numeric axis.
    public var xCategories: [String]?
    public var markers: [PlotMarker]
    /// Ticks at these x values instead of round ones (a sweep's parameter values).
    public var xTicks: [Double]?

    public init(title: String, xLabel: String, yLabel: String, logX: Bool = false, series: [PlotSeries], xCategories: [String]? = nil,
                markers: [PlotMarker] = [], xTicks: [Double]? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.series = series
        self.xCategories = xCategories
        self.markers = markers
        self.xTicks = xTicks
    }

    /// Legend entries per row below the axes, and the height of a legend row.
    static let legendColumns = 2, legendRowHeight = 15.0

    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]

    /// Round tick values covering [lo, hi].
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let raw = (hi - lo) / Double(count)
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var out: [Double] = []
        var t = ceil(lo / step) * step
        while t <= hi + step * 1e-9 { out.append(abs(t) < step * 1e-9 ? 0 : t); t += step }
        return out
    }

    static func label(_ v: Double) -> String {
        let a = abs(v)
        if a == 0 { return "0" }
        if a >= 1e6 || a < 1e-3 { return String(format: "%.0e", v) }
        if a >= 100 || v == v.rounded() { return String(format: "%.0f", v) }
        return String(format: "%.3g", v)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The plot as an `<svg>` element: `height` is the axes' part; a legend of more than one
    /// series adds its rows below.
    public func svg(width: Double = 560, height: Double = 300) -> String {
        let left = 64.0, right = 16.0, top = 28.0, bottom = 44.0
        let pw = width - left - right, ph = height - top - bottom
        let legend = series.count > 1 ? Array(series.prefix(12).enumerated()) : []
        let legendRows = (legend.count + Self.legendColumns - 1) / Self.legendColumns
        let total = height + (legendRows > 0 ? Double(legendRows) * Self.legendRowHeight + 6 : 0)
        let categorical = xCategories != nil
        let fx: (Double) -> Double = logX ? { log10(max($0, 1e-12)) } : { $0 }
        let all = series.flatMap { s in zip(s.xs, s.ys).filter { $0.0.isFinite && $0.1.isFinite && (!logX || $0.0 > 0) } }
        let bands = series.flatMap { s in (s.lower ?? []) + (s.upper ?? []) }.filter(\.isFinite)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"\(Int(width))\" height=\"\(Int(total))\" viewBox=\"0 0 \(Int(width)) \(Int(total))\">"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
        out += "<text x=\"\(Int(width / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">\(Self.escape(title))</text>"
        guard !all.isEmpty else {
            return out + "<text x=\"\(Int(width / 2))\" y=\"\(Int(height / 2))\" text-anchor=\"middle\" fill=\"#888\">no data</text></svg>"
        }
        let xsAll = all.map { fx($0.0) } + markers.map { fx($0.x) }.filter(\.isFinite)
        var x0 = xsAll.min()!, x1 = xsAll.max()!
        if let cats = xCategories { x0 = -0.5; x1 = Double(max(cats.count, 1)) - 0.5 }
        var y0 = min(0, (all.map(\.1) + bands).min()!), y1 = (all.map(\.1) + bands).max()!
        if x1 == x0 { x0 -= 0.5; x1 += 0.5 }
        if y1 == y0 { y1 = y0 + 1 }
        y1 += (y1 - y0) * 0.05
        let sx = { (x: Double) in left + (fx(x) - x0) / (x1 - x0) * pw }
        let sy = { (y: Double) in top + ph - (y - y0) / (y1 - y0) * ph }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        // Axes and ticks.
        out += "<g stroke=\"#bbb\" stroke-width=\"1\">"
        for t in Self.ticks(y0, y1) { out += "<line x1=\"\(f(left))\" x2=\"\(f(left + pw))\" y1=\"\(f(sy(t)))\" y2=\"\(f(sy(t)))\" stroke=\"#eee\"/>" }
        out += "<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + ph))\"/><line x1=\"\(f(left))\" x2=\"\(f(left + pw))\" y1=\"\(f(top + ph))\" y2=\"\(f(top + ph))\"/></g>"
        out += "<g font-size=\"11\" fill=\"#333\">"
        for t in Self.ticks(y0, y1) { out += "<text x=\"\(f(left - 6))\" y=\"\(f(sy(t) + 4))\" text-anchor=\"end\">\(Self.label(t))</text>" }
        let xticks: [(Double, String)]
        if let cats = xCategories {
            xticks = cats.enumerated().map { (Double($0.offset), $0.element) }
        } else if let given = xTicks {
            xticks = given.map { ($0, Self.label($0)) }
        } else if logX {
            xticks = stride(from: ceil(x0), through: floor(x1), by: 1).map { (pow(10, $0), Self.label(pow(10, $0))) }
        } else {
            xticks = Self.ticks(x0, x1).map { ($0, Self.label($0)) }
        }
        for (v, name) in xticks { out += "<text x=\"\(f(sx(v)))\" y=\"\(f(top + ph + 16))\" text-anchor=\"middle\">\(Self.escape(name))</text>" }
        out += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>"
        out += "<text transform=\"translate(14,\(f(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">\(Self.escape(yLabel))</text></g>"
        // Reference lines, labelled at the top inside the axes.
        for m in markers where fx(m.x).isFinite && (!logX || m.x > 0) {
            let x = sx(m.x)
            out += "<line class=\"marker\" x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(top))\" y2=\"\(f(top + ph))\" stroke=\"\(m.color)\" stroke-dasharray=\"5,3\" stroke-width=\"1.2\"/>"
            out += "<text x=\"\(f(x - 4))\" y=\"\(f(top + 10))\" text-anchor=\"end\" font-size=\"10\" fill=\"\(m.color)\">\(Self.escape(m.label))</text>"
        }
        // Bands, then lines (or, on categories, points with error bars side by side).
        for (i, s) in series.enumerated() {
            let color = Self.palette[i % Self.palette.count]
            if categorical {
                let dodge = series.count > 1 ? (Double(i) - Double(series.count - 1) / 2) * min(0.6 / Double(series.count), 0.12) : 0
                for (j, (x, y)) in zip(s.xs, s.ys).enumerated() where y.isFinite {
                    let cx = sx(x + dodge)
                    if let lo = s.lower?[j], let hi = s.upper?[j], lo.isFinite, hi.isFinite {
                        out += "<line class=\"series\" x1=\"\(f(cx))\" x2=\"\(f(cx))\" y1=\"\(f(sy(lo)))\" y2=\"\(f(sy(hi)))\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
                        for v in [lo, hi] { out += "<line x1=\"\(f(cx - 4))\" x2=\"\(f(cx + 4))\" y1=\"\(f(sy(v)))\" y2=\"\(f(sy(v)))\" stroke=\"\(color)\" stroke-width=\"1.5\"/>" }
                    }
                    out += "<circle class=\"series\" cx=\"\(f(cx))\" cy=\"\(f(sy(y)))\" r=\"3.5\" fill=\"\(color)\"/>"
                }
                continue
            }
            if let lo = s.lower, let hi = s.upper {
                let pts = zip(s.xs, hi).filter { $0.1.isFinite }.map { "\(f(sx($0.0))),\(f(sy($0.1)))" }
                    + zip(s.xs, lo).filter { $0.1.isFinite }.reversed().map { "\(f(sx($0.0))),\(f(sy($0.1)))" }
                if !pts.isEmpty { out += "<polygon points=\"\(pts.joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>" }
            }
            var pts: [String] = []
            var previous: Double? = nil
            for (x, y) in zip(s.xs, s.ys) where x.isFinite && y.isFinite && (!logX || x > 0) {
                if s.step, let p = previous { pts.append("\(f(sx(x))),\(f(sy(p)))") }
                pts.append("\(f(sx(x))),\(f(sy(y)))")
                previous = y
            }
            out += "<polyline class=\"series\" points=\"\(pts.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"/>"
            if s.xs.count <= 12 { for (x, y) in zip(s.xs, s.ys) where y.isFinite { out += "<circle class=\"series\" cx=\"\(f(sx(x)))\" cy=\"\(f(sy(y)))\" r=\"3\" fill=\"\(color)\"/>" } }
        }
        // The legend, below the axes and their labels.
        if !legend.isEmpty {
            out += "<g class=\"legend\" font-size=\"11\">"
            let columnWidth = (width - left) / Double(Self.legendColumns)
            for (i, s) in legend {
                let x = left + Double(i % Self.legendColumns) * columnWidth, y = height + 4 + Double(i / Self.legendColumns) * Self.legendRowHeight
                out += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"10\" height=\"10\" fill=\"\(Self.palette[i % Self.palette.count])\"/>"
                out += "<text x=\"\(f(x + 15))\" y=\"\(f(y + 9))\">\(Self.escape(String(s.name.prefix(40))))</text>"
            }
            out += "</g>"
        }
        return out + "</svg>"
    }
}
