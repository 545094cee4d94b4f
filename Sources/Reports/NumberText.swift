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

    /// A figure for a table people read: whole numbers grouped, very large or small ones with
    /// four significant digits, others with one (from 100) or four decimals; "-" when not finite.
    public static func figure(_ x: Double) -> String {
        guard x.isFinite else { return "-" }
        if x == x.rounded(), abs(x) < 1e15 { return grouped(Int64(x)) }
        if abs(x) >= 1e6 || abs(x) < 1e-3 { return String(format: "%.4g", x) }
        return String(format: abs(x) >= 100 ? "%.1f" : "%.4f", x)
    }
}
