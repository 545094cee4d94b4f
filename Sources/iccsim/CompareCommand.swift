import ArgumentParser
import Foundation
import Metrics
import Reports
import Scenario

/// `iccsim compare BASELINE CANDIDATE`: compares two summaries (or two directories of them)
/// metric by metric and fails (exit 1) when one is worse than its tolerance allows.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare summary.json files (or directories of them) against a baseline; exit 1 on a regression.",
        discussion: """
        Each metric may worsen by at most max(absolute, relative × |baseline|) from the tolerance \
        file (default: 2% relative); with --exact any difference fails. Which way is worse comes from \
        the metric registry (compare --explain KEY prints a figure's entry) unless the file says \
        otherwise. Text values must be equal. Directories are compared summary by summary \
        (every summary.json below them, matched by relative path; other files are ignored). A \
        warning says when two summaries come from different scenarios, horizons or seeds. See docs/ci.md.
        """)

    @Argument(help: "The baseline summary.json, or a directory of them.")
    var baseline: String?

    @Argument(help: "The candidate summary.json, or a directory of them.")
    var candidate: String?

    @Option(help: ArgumentHelp("Print what a summary figure is (unit, which way is better, meaning) and exit.", valueName: "key"))
    var explain: String?

    @Flag(help: "Print the table of every summary figure (Markdown) and exit.")
    var listMetrics = false

    @Option(help: "A tolerance file (YAML, see docs/ci.md).")
    var tolerances: String?

    @Flag(help: "Show every metric, not only those that changed beyond their tolerance.")
    var all = false

    @Flag(help: "Fail on any difference in any figure, improvements and new figures included (for a rerun of the same scenario and seed: ICCSim is deterministic).")
    var exact = false

    /// How the verdicts are printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown, junit
    }

    @Option(help: "Output: text (for people), json (every figure), markdown (a pull-request comment) or junit (XML, one test case per figure).")
    var format: Format = .text

    func run() throws {
        if listMetrics {
            print(MetricRegistry.markdownTable(), terminator: "")
            return
        }
        if let key = explain {
            guard let m = MetricRegistry.metric(for: key) ?? MetricRegistry.metric(key: key) else {
                throw ValidationError("'\(key)' is not a figure of summary.json\(didYouMean(key, among: MetricRegistry.all.flatMap(\.paths)))")
            }
            print("\(key): \(m.summary)")
            print("  unit: \(m.unit); \(m.direction == .neutral ? "neutral (any change counts)" : "better \(m.direction.rawValue)")")
            print("  appears as: \(m.paths.joined(separator: ", "))")
            return
        }
        guard let baseline, let candidate else { throw ValidationError("give a baseline and a candidate (or --explain KEY)") }
        if exact && tolerances != nil { throw ValidationError("--exact and --tolerances exclude each other") }
        let rules = try tolerances.map { try ToleranceFile.load(path: $0) } ?? .standard
        let pairs = try Self.pairs(baseline, candidate)
        var compared: [ComparedPair] = []
        for (b, c) in pairs {
            let (base, cand) = (try Self.read(b), try Self.read(c))
            for w in Self.provenanceWarnings(base, cand) { note("warning: \(b) and \(c) \(w); their differences are not only the change under test") }
            compared.append(ComparedPair(baseline: b, candidate: c, rows: SummaryComparison.compare(baseline: base, candidate: cand, tolerances: rules, exact: exact)))
        }
        let regressions = compared.reduce(0) { $0 + $1.rows.filter(\.status.fails).count }
        switch format {
        case .json: print(ComparisonReport.json(compared, exact: exact), terminator: "")
        case .markdown: print(ComparisonReport.markdown(compared, exact: exact, all: all), terminator: "")
        case .junit: print(ComparisonReport.junit(compared, exact: exact), terminator: "")
        case .text: printText(compared)
        }
        guard format == .text else {
            if regressions > 0 { throw CheckFailed() }
            return
        }
        if regressions > 0 {
            print(exact ? "compare: \(regressions) figure(s) differ from the baseline" : "compare: \(regressions) regression(s) beyond tolerance")
            throw CheckFailed()
        }
        print("compare: no \(exact ? "difference" : "regression") in \(pairs.count) summar\(pairs.count == 1 ? "y" : "ies")")
    }

    /// The verdicts for people: a line per pair, and the table of what changed.
    func printText(_ compared: [ComparedPair]) {
        for p in compared {
            let bad = p.rows.filter { $0.status.fails }.count, improved = p.rows.filter { $0.status == .improved }.count
            print("\(p.name): \(p.rows.count) metrics, \(bad) \(exact ? "changed" : "regressed"), \(improved) improved")
            if all || p.rows.contains(where: { $0.status != .ok && $0.status != .ignored }) {
                print(SummaryComparison.table(p.rows, all: all))
            }
        }
    }

    /// The (baseline, candidate) files to compare.
    static func pairs(_ baseline: String, _ candidate: String) throws -> [(String, String)] {
        let fm = FileManager.default
        var bDir: ObjCBool = false, cDir: ObjCBool = false
        guard fm.fileExists(atPath: baseline, isDirectory: &bDir) else { throw ScenarioError("baseline '\(baseline)' does not exist") }
        guard fm.fileExists(atPath: candidate, isDirectory: &cDir) else { throw ScenarioError("candidate '\(candidate)' does not exist") }
        switch (bDir.boolValue, cDir.boolValue) {
        case (false, false): return [(baseline, candidate)]
        case (true, true):
            let files = summaries(in: baseline)
            guard !files.isEmpty else { throw ScenarioError("baseline directory '\(baseline)' holds no summary JSON files") }
            let candidates = Set(summaries(in: candidate))
            if let missing = files.first(where: { !candidates.contains($0) }) {
                throw RunFailure(message: "candidate '\(candidate)' lacks \(missing), which the baseline has")
            }
            return files.map { ("\(baseline)/\($0)", "\(candidate)/\($0)") }
        default:
            throw ScenarioError("compare two files or two directories; got '\(baseline)' and '\(candidate)'")
        }
    }

    /// Relative paths of the summaries (`summary.json`) under `dir`, sorted.
    static func summaries(in dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? [])
            .filter { ($0 as NSString).lastPathComponent == "summary.json" && !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
            .sorted()
    }

    /// What makes two summaries incomparable as a change of the model: another scenario,
    /// horizon or seed ("differ in seed (1 vs 2)").
    static func provenanceWarnings(_ a: OrderedJSON, _ b: OrderedJSON) -> [String] {
        let x = Dictionary(a.flattened(), uniquingKeysWith: { f, _ in f }), y = Dictionary(b.flattened(), uniquingKeysWith: { f, _ in f })
        return [Metric.scenario, .horizonS, .seed].map(\.key).compactMap { key in
            guard let u = x[key], let v = y[key], u != v else { return nil }
            return "differ in \(key) (\(u.text) vs \(v.text))"
        }
    }

    static func read(_ path: String) throws -> OrderedJSON {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError("cannot read '\(path)'")
        }
        do { return try OrderedJSON.parse(text) } catch {
            throw ScenarioError("not JSON: \(error.message)", at: SourceLocation(file: path, line: error.line, column: error.column))
        }
    }
}
