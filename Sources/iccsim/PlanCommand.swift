import ArgumentParser
import Center
import Configuration
import Foundation
import Reports
import Scenario
import SimKernel
import Traces

/// `iccsim plan`: the smallest (or cheapest) configuration that meets the targets.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Search the smallest (or cheapest) configuration meeting targets in every replicate seed; write its scenario.",
        discussion: """
        --vary KEY=RANGE gives a key and its candidate values: lo..hi (integers), lo..hi:step, or a \
        comma-separated list, smallest first. One key is searched by bisection (a larger value \
        must never make the targets harder to meet); several keys are searched as a grid. The \
        targets file lists summary figures with min and/or max, the replicate seeds, and an \
        optional cost model (docs/user-guide.md#capacity-planning). Exit 1 when no candidate meets them.

        --phased quarter (or month) plans the center's phases over a multi-year scenario instead: \
        the targets file bounds each period's figures (wait_mean_s, wait_p99_s, slo_attainment, \
        utilization, ...) and lists candidate server types with their price, lead time and \
        commissioning; each period is simulated sampled (as iccsim run --sampled), and a phase \
        is added, as late and as small as the targets allow and of the cheapest type, wherever \
        a period would miss them (docs/lifecycle.md#phased-capacity-planning).
        """)

    @Argument(help: "The scenario file (default: the built-in default scenario).")
    var scenario: String?

    @Option(help: "The targets file.")
    var targets: String

    @Option(help: "A key to vary and its values: KEY=lo..hi, KEY=lo..hi:step or KEY=a,b,c (repeatable).")
    var vary: [String] = []

    @Option(name: .customLong("set"), help: "Override a key for every run (repeatable).")
    var overrides: [String] = []

    @Option(help: ArgumentHelp("Plan the center's phases period by period (quarter or month): when each phase must come online, how big, of which candidate type.", valueName: "period"))
    var phased: String?

    @OptionGroup var sampling: SamplingOptions

    @Flag(help: "Minimise the targets file's cost model instead of the sum of the varied values (grid search).")
    var cheapest = false

    @Option(help: "Where to write the recommended scenario (default: Results/plan-<name>.yaml).")
    var out: String?

    @Flag(name: [.customShort("q"), .long], help: "Show no progress on a terminal.")
    var quiet = false

    @Flag(help: "Show progress as plain lines on stderr (a line per run; for logs and CI), even when stderr is not a terminal.")
    var progress = false

    static func parseVary(_ text: String) throws -> (String, [String]) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { throw ValidationError("--vary expects KEY=RANGE, got '\(text)'") }
        let key = String(text[..<eq]), range = String(text[text.index(after: eq)...])
        if let dots = range.range(of: "..") {
            let lo = Int(range[..<dots.lowerBound]), rest = range[dots.upperBound...]
            let parts = rest.split(separator: ":")
            let hi = parts.first.flatMap { Int($0) }, step = parts.count == 2 ? Int(parts[1]) : 1
            guard let lo, let hi, let step, step > 0, lo <= hi, parts.count <= 2 else {
                throw ValidationError("--vary \(key): expected lo..hi or lo..hi:step with integers lo <= hi and step > 0, got '\(range)'")
            }
            return (key, stride(from: lo, through: hi, by: step).map(String.init))
        }
        let values = range.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !values.isEmpty, !values.contains(where: \.isEmpty) else { throw ValidationError("--vary \(key): no values in '\(range)'") }
        return (key, values)
    }

    func run() throws {
        let goals = try PlanTargets.load(path: targets)
        if let period = phased {
            guard vary.isEmpty, !cheapest else { throw ValidationError("--phased searches phases, not --vary or --cheapest: give one or the other") }
            guard goals.isPhased else {
                throw ValidationError("\(targets) lists no candidates: a phased plan needs the server types it may add (candidates: [{server: {...}, price, leadTime, commissioning, max}])")
            }
            guard sampling.sampleQueue == nil else {
                throw ValidationError("--sample-queue applies to iccsim run --sampled: a phased plan's periods each start from an empty center (a plan that meets its targets carries no queue from one period to the next)")
            }
            let options = try sampling.options(period, flag: "--phased")
            let loaded = try DefaultScenario.load(scenario, overrides: overrides, seed: nil)
            try PhasedPlanOutput.execute(loaded, targets: goals, targetsPath: targets, options: options,
                                         outPath: out ?? "Results/plan-\(loaded.scenario.name)-phased.yaml", quiet: quiet, forceProgress: progress)
            return
        }
        guard !sampling.given else { throw ValidationError(sampling.sampleQueue != nil ? "--sample-queue applies to iccsim run --sampled"
                                                            : "--sample-length, --sample-warmup and --sample-windows need --phased") }
        if goals.isPhased { throw ValidationError("\(targets) lists candidates (a phased plan's): give --phased quarter or --phased month") }
        guard !vary.isEmpty else { throw ValidationError("give at least one --vary KEY=RANGE") }
        let axes = try vary.map(Self.parseVary)
        guard axes.count == 1 || axes.reduce(1, { $0 * $1.1.count }) <= 10_000 else { throw ValidationError("the grid has more than 10000 points") }
        if cheapest && goals.cost == nil { throw ValidationError("--cheapest needs a cost model in \(targets)") }
        let loaded = try DefaultScenario.load(scenario, overrides: overrides, seed: nil)
        let basePath: String
        // The default scenario is planned from a copy in a scratch directory this run creates
        // (mkdtemp: a new name, never one that was there), removed when the plan ends.
        var scratch: String?
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        if let s = scenario { basePath = s } else {
            var template = Array((FileManager.default.temporaryDirectory.path + "/iccsim-plan-XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else { throw ValidationError("cannot create a scratch directory in \(FileManager.default.temporaryDirectory.path)") }
            let tmp = String(cString: made)
            scratch = tmp
            basePath = tmp + "/default.yaml"
            try writeAtomically(loaded.resolvedYAML, to: basePath)
        }
        var planner = CapacityPlanner(basePath: basePath, overrides: overrides, vary: axes.map { (key: $0.0, values: $0.1) }, targets: goals,
                                      cheapest: cheapest)
        showProgress(on: &planner, horizonNs: loaded.scenario.horizon?.baseUnits ?? SimTime.never, seeds: goals.seeds)
        let (explored, best) = try planner.search()
        let keys = axes.map(\.0)
        print("# iccsim plan: \(loaded.scenario.name), \(goals.seeds) seed(s) per configuration, \(explored.count) configuration(s) run")
        let header = keys + goals.targets.map { t in "\(t.metric)" + (t.max.map { " <= \($0)" } ?? "") + (t.min.map { " >= \($0)" } ?? "") } + ["meets"]
            + (goals.cost != nil ? ["cost"] : [])
        print("| " + header.joined(separator: " | ") + " |")
        print("|" + String(repeating: "---|", count: header.count))
        for p in explored {
            let cells = p.values + p.worst.map { NumberText.figure($0) } + [p.meets ? "yes" : "no"] + (p.cost.map { [NumberText.figure($0)] } ?? [])
            print("| " + cells.joined(separator: " | ") + " |")
        }
        guard let best else {
            print("no candidate meets the targets")
            throw CheckFailed()
        }
        let margins = zip(goals.targets, best.margins).map { "\($0.metric) margin \(NumberText.figure($1))" }.joined(separator: ", ")
        print("recommended: " + zip(keys, best.values).map { "\($0)=\($1)" }.joined(separator: " ") + " (\(margins))")
        let path = out ?? "Results/plan-\(loaded.scenario.name).yaml"
        try OutputFile.write(OutputFile.planMark + ": " + zip(keys, best.values).map { "\($0)=\($1)" }.joined(separator: " ") + "\n" + best.resolvedYAML, to: path, generator: OutputFile.planMark)
        print("wrote \(path)")
    }

    /// Progress on stderr: a line as each run starts (its configuration, replicate, how many
    /// runs of the search's estimate are done and the time left), and on a terminal the run's
    /// simulated time rewritten in place. Wall-clock time never reaches a result.
    func showProgress(on planner: inout CapacityPlanner, horizonNs: SimTimeNs, seeds: Int) {
        guard let meter = ProgressMeter.make(horizonNs: horizonNs, forced: progress, quiet: quiet) else { return }
        meter.plainSimulation = false
        planner.kernelOptions.progress = { now, events in meter.update(nowNs: now, events: events) }
        let planned = planner.plannedConfigurations * seeds, keys = planner.vary.map(\.key), started = Date()
        var runs = 0
        planner.runStarting = { values, replicate in
            meter.finish()
            let elapsed = Date().timeIntervalSince(started)
            var line = "plan: run \(runs + 1) of \(runs < planned ? "about \(planned)" : "more than planned"): "
                + zip(keys, values).map { "\($0)=\($1)" }.joined(separator: " ") + ", seed \(replicate + 1) of \(seeds)"
            if runs > 0 && runs < planned { line += String(format: ", about %.0f s left", elapsed / Double(runs) * Double(planned - runs)) }
            meter.stage(line)
            meter.restart()
            runs += 1
        }
    }
}
