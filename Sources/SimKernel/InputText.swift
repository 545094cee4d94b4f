/// Shared reading of users' text tables (trace and calibration CSVs), so every reader reports
/// the same line numbers for the same file.
public enum InputText {
    /// The non-blank lines of `text` with their 1-based line numbers in the file (a trailing
    /// carriage return removed).
    public static func numberedLines(_ text: String) -> [(number: Int, text: Substring)] {
        var out: [(number: Int, text: Substring)] = []
        for (i, l) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let t = l.hasSuffix("\r") ? l.dropLast() : l
            if t.contains(where: { $0 != " " && $0 != "\t" }) { out.append((i + 1, t)) }
        }
        return out
    }

    /// `text` as a finite number in `min...max`, or a description of what is wrong with it.
    public static func number(_ text: Substring, min: Double = 0, max: Double = InputLimits.maxCount) -> Result<Double, InputTextProblem> {
        guard let v = Double(text), v.isFinite else { return .failure(.notANumber) }
        guard v >= min else { return .failure(.tooSmall(min)) }
        guard v <= max else { return .failure(.tooLarge(max)) }
        return .success(v)
    }
}

/// Why a field is not the number expected.
public enum InputTextProblem: Error, Sendable, Equatable {
    case notANumber
    case tooSmall(Double)
    case tooLarge(Double)

    /// "expected ..." for a message.
    public var expected: String {
        switch self {
        case .notANumber: return "expected a number"
        case .tooSmall(let m): return "expected at least \(m.formattedLimit)"
        case .tooLarge(let m): return "expected at most \(m.formattedLimit)"
        }
    }
}

extension Double {
    /// A limit for messages: whole numbers without a fraction.
    var formattedLimit: String { self == rounded() && abs(self) < 1e18 ? String(Int64(self)) : "\(self)" }
}
