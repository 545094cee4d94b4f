import Center
import Foundation
import Metrics
import Reports

/// Renders a run's summary: `summary.json` (the machine contract, fixed key order, no
/// wall-clock values) and `summary.md` (for people).
public enum SummaryWriter {
    /// JSON text of ordered fields, one per line, ending in a newline.
    public static func json(_ fields: [(String, SummaryValue)]) -> String {
        jsonObject(fields, indent: "") + "\n"
    }

    static func jsonObject(_ fields: [(String, SummaryValue)], indent: String) -> String {
        if fields.isEmpty { return "{}" }
        let inner = indent + "  "
        var out = "{\n"
        for (i, (k, v)) in fields.enumerated() {
            out += "\(inner)\(jsonString(k)): \(jsonValue(v, indent: inner))\(i + 1 < fields.count ? "," : "")\n"
        }
        return out + indent + "}"
    }

    static func jsonValue(_ v: SummaryValue, indent: String = "") -> String {
        switch v {
        case .object(let fields): return jsonObject(fields, indent: indent)
        case .integer(let i): return "\(i)"
        case .unsigned(let u): return "\(u)"
        case .real(let d): return d.isFinite ? "\(d)" : "null"
        case .text(let s): return jsonString(s)
        }
    }

    static func jsonString(_ s: String) -> String { JSONText.string(s) }
}
