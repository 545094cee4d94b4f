import Foundation
import SimKernel

/// A replayed LLM request trace (Azure LLM inference 2023 via Vidur:
/// `data/inference/vidur_splitwise_{conv,code}.csv`, columns `arrived_at` (s),
/// `num_prefill_tokens`, `num_decode_tokens`).
public struct LLMRequestTrace: Sendable {
    public var arrivalS: [Double]
    public var promptTokens: [Double]
    public var outputTokens: [Double]

    public init(arrivalS: [Double], promptTokens: [Double], outputTokens: [Double]) {
        self.arrivalS = arrivalS
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
    }

    /// A bad row: its 1-based line and what is wrong.
    public struct RowError: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Reads the trace; arrival times are at most `InputLimits.maxSeconds`, token counts at most
    /// `InputLimits.maxTokens`, and a bad row is reported with its line in the file.
    public static func parse(_ text: String) throws -> LLMRequestTrace {
        let lines = InputText.numberedLines(text)
        let header = lines.first?.text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        guard let a = header.firstIndex(of: "arrived_at"), let p = header.firstIndex(of: "num_prefill_tokens"),
              let d = header.firstIndex(of: "num_decode_tokens") else {
            throw RowError(line: lines.first?.number ?? 1, message: "expected the columns arrived_at, num_prefill_tokens, num_decode_tokens")
        }
        var t = LLMRequestTrace(arrivalS: [], promptTokens: [], outputTokens: [])
        var last = -Double.infinity
        for (n, line) in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == header.count else { throw RowError(line: n, message: "expected \(header.count) fields as in the header, found \(f.count)") }
            func value(_ i: Int, max: Double) throws -> Double {
                switch InputText.number(f[i][...], max: max) {
                case .success(let v): return v
                case .failure(let problem): throw RowError(line: n, message: "\(header[i]) is '\(f[i])'; \(problem.expected)")
                }
            }
            let at = try value(a, max: InputLimits.maxSeconds), pr = try value(p, max: InputLimits.maxTokens), de = try value(d, max: InputLimits.maxTokens)
            guard at >= last else { throw RowError(line: n, message: "arrived_at \(at) is before the previous row's \(last)") }
            last = at
            t.arrivalS.append(at); t.promptTokens.append(pr); t.outputTokens.append(de)
        }
        return t
    }
}
