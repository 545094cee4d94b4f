/// Where in the user's input something was found: a file position, or a `--set` override.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it, or `--set KEY` for an override.
    public var file: String
    /// 1-based line and column; nil for overrides.
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        if let l = line, let c = column { return "\(file):\(l):\(c)" }
        return file
    }
}

/// A problem with a scenario, reported as `file:line:column: message` and exit code 2.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation?
    public var message: String

    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }

    public var description: String {
        if let l = location { return "\(l): \(message)" }
        return message
    }
}

/// Edit distance, for "did you mean" suggestions.
func levenshtein(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased()), y = Array(b.lowercased())
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count)
    var cur = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        cur[0] = i
        for j in 1...y.count {
            cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[y.count]
}

/// The closest candidate to `word`, if it is close enough to be a likely typo.
/// ` (did you mean 'X'?)` for the candidate closest to `word`, or an empty string.
func didYouMean(_ word: String, among candidates: [String]) -> String {
    suggestion(for: word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
}

func suggestion(for word: String, among candidates: [String]) -> String? {
    let scored = candidates.map { ($0, levenshtein(word, $0)) }
    guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
    return best.1 <= Swift.max(2, word.count / 3) ? best.0 : nil
}
