import Center
import Foundation

/// Renders a run's summary: `summary.json` (the machine contract, fixed key order, no
/// wall-clock values) and `summary.md` (for people).
public enum SummaryWriter {
    /// JSON text of ordered fields, one per line, ending in a newline.
    public static func json(_ fields: [(String, SummaryValue)]) -> String {
        var out = "{\n"
        for (i, (k, v)) in fields.enumerated() {
            out += "  \(jsonString(k)): \(jsonValue(v))\(i + 1 < fields.count ? "," : "")\n"
        }
        return out + "}\n"
    }

    static func jsonValue(_ v: SummaryValue) -> String {
        switch v {
        case .integer(let i): return "\(i)"
        case .unsigned(let u): return "\(u)"
        case .real(let d): return d.isFinite ? "\(d)" : "null"
        case .text(let s): return jsonString(s)
        }
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// A Markdown report of the summary.
    public static func markdown(_ s: RunSummary) -> String {
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        return """
        # ICCSim run: \(s.scenario) (seed \(s.seed))

        Policy `\(s.policy)` on \(s.accelerators) accelerators; \(s.stopReason) after \(f(s.makespanS)) s simulated \
        (\(s.eventsProcessed) events).

        | jobs | count |
        |---|---:|
        | submitted | \(s.jobsSubmitted) |
        | completed | \(s.jobsCompleted) |
        | rejected | \(s.jobsRejected) |
        | unfinished | \(s.jobsUnfinished) |

        | time (s) | mean | p50 | p99 |
        |---|---:|---:|---:|
        | wait | \(f(s.waitMeanS)) | \(f(s.waitP50S)) | \(f(s.waitP99S)) |
        | job completion | \(f(s.jctMeanS)) | \(f(s.jctP50S)) | \(f(s.jctP99S)) |

        Mean accelerator utilisation \(f(s.utilizationMean * 100))%, mean queue length \(f(s.queueLengthMean)) jobs, \
        arrival rate \(String(format: "%.6g", s.arrivalRatePerS)) jobs/s.

        """
    }
}
