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
        if let l = location { return displayable("\(l): \(message)") }
        return displayable(message)
    }
}

/// `text` made safe and short enough to print in a message, whatever the user wrote: control
/// characters other than line breaks escaped (`\x01`), a run of more than 160 characters
/// without a space cut to its first 80 with a note of its length, and the whole cut at 4,000
/// characters.
public func displayable(_ text: String) -> String {
    var out = ""
    var run: [Character] = []
    func flushRun() {
        if run.count > 160 {
            out += String(run.prefix(80)) + "…(\(run.count) characters)"
        } else {
            out += String(run)
        }
        run.removeAll(keepingCapacity: true)
    }
    for ch in text {
        if ch == " " || ch == "\n" {
            flushRun()
            out.append(ch)
            continue
        }
        if let ascii = ch.asciiValue, ascii < 0x20 || ascii == 0x7F {
            run.append(contentsOf: String(format: "\\x%02X", ascii))
        } else if ch.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format && $0.value >= 0x202A && $0.value <= 0x2069 }) {
            run.append(contentsOf: ch.unicodeScalars.map { String(format: "\\u{%04X}", $0.value) }.joined())
        } else {
            run.append(ch)
        }
    }
    flushRun()
    if out.count > 4000 { out = String(out.prefix(4000)) + "…(message cut)" }
    return out
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
public func didYouMean(_ word: String, among candidates: [String]) -> String {
    suggestion(for: word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
}

func suggestion(for word: String, among candidates: [String]) -> String? {
    // A distance is at least the difference in length: skip what cannot be close (and long
    // user strings, which would cost length × length).
    let n = word.count, limit = Swift.max(2, n / 3)
    let scored = candidates.filter { abs($0.count - n) <= limit && n <= 200 }.map { ($0, levenshtein(word, $0)) }
    guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
    return best.1 <= limit ? best.0 : nil
}
