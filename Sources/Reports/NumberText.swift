import Foundation
import Metrics

/// Numbers as people read them, the same in every locale.
public enum NumberText {
    /// An integer with its thousands grouped by commas: 1046378 → "1,046,378".
    public static func grouped(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A figure for a table people read: whole numbers grouped; from 100 up, grouped with one
    /// decimal (985948.47 → "985,948.5"); below, four significant digits (96.85, 0.1234);
    /// e-notation only beyond 10¹⁵ or
    /// below 0.001; "-" when not finite.
    public static func figure(_ x: Double) -> String {
        guard x.isFinite else { return "-" }
        if abs(x) >= 1e15 || (abs(x) < 1e-3 && x != 0) { return String(format: "%.4g", x) }
        if x == x.rounded() { return grouped(Int64(x)) }
        if abs(x) >= 100 {
            let tenths = Int64((abs(x) * 10).rounded())
            return (x < 0 ? "-" : "") + grouped(tenths / 10) + "." + String(tenths % 10)
        }
        return String(format: "%.4g", x)
    }

    /// A share (0–1) as a percentage: 0.9949 → "99.5%", 0.0035 → "0.35%", 0 → "0%". A share that
    /// rounds to a whole percent reads as one (0.999999 → "100%", as 1 does: not "100.0%"
    /// beside it in a column).
    public static func percent(_ share: Double) -> String {
        guard share.isFinite else { return "-" }
        let p = share * 100
        if p == 0 { return "0%" }
        let text = String(format: abs(p) >= 10 ? "%.1f" : abs(p) >= 0.01 ? "%.2f" : "%.2g", p)
        if let dot = text.firstIndex(of: "."), text[text.index(after: dot)...].allSatisfy({ $0 == "0" }) {
            return text[..<dot] + "%"
        }
        return text + "%"
    }

    /// A duration in seconds in the unit people read it in: "350 ms", "2.5 s", "33.8 min",
    /// "5.2 h", "30 d".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        let a = abs(seconds)
        func trim(_ v: Double, _ unit: String) -> String {
            (v == v.rounded() ? grouped(Int64(v)) : String(format: abs(v) >= 10 ? "%.1f" : "%.2f", v)) + " " + unit
        }
        if a == 0 { return "0 s" }
        if a < 1 { return trim(seconds * 1e3, "ms") }
        if a < 120 { return trim(seconds, "s") }
        if a < 7_200 { return trim(seconds / 60, "min") }
        if a < 172_800 { return trim(seconds / 3_600, "h") }
        return trim(seconds / 86_400, "d")
    }

    /// A large quantity with an SI prefix and three significant digits: 6.4e18 FLOP →
    /// "6.41 EFLOP", 1.42e14 B → "142 TB"; below 1,000 as a figure.
    public static func si(_ x: Double, _ unit: String) -> String {
        guard x.isFinite else { return "-" }
        let prefixes = ["", "k", "M", "G", "T", "P", "E", "Z", "Y"]
        var v = abs(x), i = 0
        while v >= 999.5 && i < prefixes.count - 1 { v /= 1000; i += 1 }
        if i == 0 { return "\(figure(x)) \(unit)" }
        let digits = v >= 99.95 ? "%.0f" : v >= 9.995 ? "%.1f" : "%.2f"
        return (x < 0 ? "-" : "") + String(format: digits, v) + " \(prefixes[i])\(unit)"
    }

    /// A value in the unit the metric registry gives it, as people read it: shares as
    /// percentages, seconds as durations, FLOPs and bytes with SI prefixes, rates and
    /// bandwidths with their unit, counts and hours as grouped figures.
    public static func reading(_ x: Double, unit: String) -> String {
        switch unit {
        case "share": return percent(x)
        case "s": return duration(x)
        case "FLOP", "B": return si(x, unit)
        case "kWh": return si(x * 1000, "Wh")
        case "kW": return si(x * 1000, "W")
        case "money": return !x.isFinite ? "-" : abs(x) >= 1000 ? grouped(Int64(x.rounded())) : String(format: "%.2f", x)
        case "1", "h": return figure(x)
        default: return "\(figure(x)) \(unit)"
        }
    }

    /// A value of a registry figure as people read it, in the figure's unit (a count without one).
    public static func reading(_ x: Double, of metric: Metric?) -> String { reading(x, unit: metric?.unit ?? "1") }
}
