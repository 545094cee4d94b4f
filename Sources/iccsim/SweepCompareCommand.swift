import ArgumentParser
import Foundation
import Metrics
import Reports
import Scenario

extension SweepDirectory {
    /// Every run of `plan` with the figures of its summary (nil: not complete) whose key path
    /// matches `patterns` (empty: the top-level figures and those of delivered, network and
    /// storage), and the names of the complete runs. A pattern no figure matches is bad input.
    func figures(_ plan: SweepPlan, metrics patterns: [String]) throws -> (table: SweepTable, complete: [String]) {
        var table = SweepTable(parameters: plan.spec.parameters)
        var matched = Set<String>()
        var complete: [String] = []
        for r in plan.runs {
            var metrics: [(String, Double)]? = nil
            let summaryPath = runDirectory(r).appendingPathComponent("summary.json").path
            if let data = FileManager.default.contents(atPath: summaryPath), let text = String(data: data, encoding: .utf8) {
                do {
                    if patterns.isEmpty {
                        metrics = try SweepTable.metrics(ofSummary: text)
                    } else {
                        metrics = try SweepTable.metrics(ofSummary: text, matching: patterns)
                        for p in patterns where !matched.contains(p) {
                            if metrics!.contains(where: { ToleranceRule(metric: p).matches($0.0) }) { matched.insert(p) }
                        }
                    }
                } catch {
                    throw RunFailure(message: "\(summaryPath): not a summary (\(error)); remove the run and run the sweep again")
                }
                complete.append(r.name)
            }
            table.add(configuration: r.configuration, replicate: r.replicate, seed: r.seed, name: r.name, values: r.values, summary: metrics)
        }
        if !complete.isEmpty, let missing = patterns.first(where: { !matched.contains($0) }) {
            let figures = MetricRegistry.all.flatMap(\.paths)
            throw ValidationError("--metrics '\(missing)' matches no numeric figure of the runs' summaries\(didYouMean(missing, among: figures)); key paths look like 'wait_mean_s', 'pools.*.utilization_mean' or 'serving.slo_attainment' (iccsim compare --list-metrics lists them)")
        }
        return (table, complete)
    }
}

/// `iccsim sweep compare A B`: two sweeps as paired experiments.
struct SweepCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two sweeps run for run: paired differences per configuration and replicate, with their 95% interval.",
        discussion: """
        Each run of the candidate is paired with the baseline's run of the same configuration and \
        replicate; sweeps with the same seed draw the same random numbers run for run (common random \
        numbers), so the paired interval is much narrower than the unpaired one. A figure is better \
        or worse when its paired 95% interval excludes zero, by its direction in the metric registry. \
        Exits 0, or 1 with --gate when a figure got worse; 2 on bad input.
        """)

    @Argument(help: "The baseline sweep directory (collected or not: the runs' summaries are read).")
    var baseline: String

    @Argument(help: "The candidate sweep directory.")
    var candidate: String

    @Option(help: ArgumentHelp("Compare the figures whose key path matches (repeatable; * matches any characters); default: the top-level figures and those of delivered, network and storage.", valueName: "pattern"))
    var metrics: [String] = []

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, json, junit }

    @Option(help: "Output: text (aligned columns), markdown (a pull-request comment), json, or junit (one test case per figure, failing when it got worse).")
    var format: Format = .text

    @Flag(help: "Show every figure, also those with no significant change.")
    var all = false

    @Flag(help: "Exit 1 when a figure got worse (its paired interval excludes zero in the worse direction).")
    var gate = false

    func run() throws {
        let a = SweepDirectory(baseline), b = SweepDirectory(candidate)
        let (ta, ca) = try a.figures(try a.plan(), metrics: metrics)
        let (tb, cb) = try b.figures(try b.plan(), metrics: metrics)
        guard !ca.isEmpty, !cb.isEmpty else {
            throw ValidationError("\(ca.isEmpty ? baseline : candidate) has no finished run: run it first (iccsim sweep run)")
        }
        let comparison: SweepComparison
        do { comparison = try SweepComparison(baseline: ta, candidate: tb) } catch let e as ComparisonError { throw ValidationError(e.description) }
        switch format {
        case .text: print(comparison.text(all: all), terminator: "")
        case .markdown: print(comparison.markdown(all: all), terminator: "")
        case .json: print(comparison.json, terminator: "")
        case .junit: print(comparison.junit, terminator: "")
        }
        if gate && comparison.regressed { throw ExitCode(1) }
    }
}
