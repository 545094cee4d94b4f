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
}
