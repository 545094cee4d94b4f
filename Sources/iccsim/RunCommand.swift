import ArgumentParser
import Center
import Configuration
import Foundation
import Records
import Scenario
import Scheduling
import SimKernel
import Traces

/// `iccsim run`: simulate one scenario and write its trace and summary.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario; write trace.h5, summary.json, summary.md and run-info.json.",
        discussion: "Without SCENARIO, runs the built-in default scenario, Scenarios/city-center.yaml (written to Results/city-center-seed1).")

    @Argument(help: "The scenario file (default: the built-in default scenario).")
    var scenario: String?

    @Option(parsing: .unconditional, help: "Master seed, a non-negative integer (overrides the scenario's seed).", transform: parseSeed)
    var seed: UInt64?

    @Option(name: .customLong("set"), help: "Override a key: --set path.to.key=value (repeatable).")
    var overrides: [String] = []

    @Option(help: "Output directory (default: Results/<scenario>-seed<N>, and -<policy>-<hash of the overrides> when --set or --policy change the center, its demand or its policy; the run's horizon and warm-up do not count).")
    var out: String?

    @Option(help: ArgumentHelp("Scheduling policy, replacing the scenario's (\(SchedulingPolicies.names.joined(separator: ", "))).",
                               valueName: "name"))
    var policy: String?

    @Option(help: ArgumentHelp("Warm-up (a time, e.g. 2h): the summary's wait, completion-time, slowdown and queueing figures cover jobs submitted after it, utilisation and queue length the time after it (the scenario's 'warmup').", valueName: "time"))
    var warmup: String?

    @Option(help: ArgumentHelp("Sampled multi-year mode: simulate one representative week per period (quarter or month) at job level, each warmed up with the servers in service then, the queue the center carried in (--sample-queue) and the period's mean demand, and measured until its jobs have started, and report each period's offered load, utilisation, waits, SLO attainment and energy with 95% confidence intervals.", valueName: "period"))
    var sampled: String?

    @OptionGroup var sampling: SamplingOptions

    @Option(help: ArgumentHelp("A job-level run's figures period by period (quarter or month): offered load, utilisation, waits and energy of each, in summary.json ('periods'), summary.md and the trace's /periods, as a sampled run reports them.", valueName: "period"))
    var periods: String?

    @Option(help: ArgumentHelp("Write the /jobs rows of this share of the jobs only (0.01 or 1%; chosen by job id, the same in every run), for runs of years; the summary counts every job.", valueName: "share"))
    var jobsSample: String?

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    @Option(help: ArgumentHelp("Stop the run (exit 1) when it uses more memory than this (default: 85% of this machine's).", valueName: "size"),
            transform: parseMemorySize)
    var maxMemory: Int64?

    @Flag(help: "Test mode: permute same-time events to expose order-dependent models.")
    var permuteTies = false

    @Flag(name: [.customShort("q"), .long], help: "Do not print the summary on stdout (nor progress on a terminal).")
    var quiet = false

    @Flag(help: "Show progress as plain lines on stderr (for logs and CI), even when stderr is not a terminal.")
    var progress = false

    func run() throws {
        var all = overrides
        if let p = policy {
            guard SchedulingPolicies.make(p) != nil else {
                throw ScenarioError("--policy: unknown scheduling policy '\(p)'; expected one of \(SchedulingPolicies.names.joined(separator: ", "))")
            }
            all.append("scheduling.policy=\(p)")
        }
        if let w = warmup { all.append("warmup=\(w)") }
        let loaded = try DefaultScenario.load(scenario, overrides: all, seed: seed, limits: limitOptions.limits)
        for n in loaded.notes { note("note: \(n)") }
        let s = loaded.scenario
        let outPath = out ?? Self.defaultOut(s, overrides: all)
        if let period = sampled {
            let options = try sampling.options(period, flag: "--sampled")
            let rows = try SampledRunOutput.execute(loaded, options, outPath: outPath, overrides: all,
                                                    outFlag: out == nil ? "the default output directory" : "--out", quiet: quiet, forceProgress: progress)
            if !quiet { print(rows, terminator: "") }
            return
        }
        guard !sampling.given else { throw ValidationError("--sample-length, --sample-warmup, --sample-windows and --sample-queue need --sampled") }
        let periodOptions = try periods.map { try sampling.options($0, flag: "--periods") }
        let rate = try jobsSample.map(Self.share) ?? 1
        var budget = MemoryBudget.standard()
        if let m = maxMemory { budget.maxResidentBytes = m }
        var options = KernelOptions(permuteTies: permuteTies, memoryBudget: budget)
        let meter = ProgressMeter.make(horizonNs: s.horizon?.baseUnits ?? SimTime.never, forced: progress, quiet: quiet)
        if let meter { options.progress = { now, events in meter.update(nowNs: now, events: events) } }
        let (summary, table) = try RunCommand.execute(loaded, outPath: outPath, overrides: all, outFlag: out == nil ? "the default output directory" : "--out",
                                                      options: options, meter: meter, periods: periodOptions, jobsSampleRate: rate)
        if !quiet { print(SummaryWriter.markdown(summary, overrides: all) + table, terminator: "") }
    }

    /// A share from `0.01` or `1%`, above 0 and at most 1.
    static func share(_ text: String) throws -> Double {
        let percent = text.hasSuffix("%")
        guard let v = Double(percent ? String(text.dropLast()) : text).map({ percent ? $0 / 100 : $0 }), v > 0, v <= 1 else {
            throw ValidationError("--jobs-sample expects a share above 0 and at most 1 (0.01 or 1%), got '\(text)'")
        }
        return v
    }

    /// The default output directory: `Results/NAME-seedN` for the scenario as written, and
    /// `Results/NAME-seedN-POLICY-HASH` when overrides change the center, its demand or its
    /// policy (HASH: 4 hex digits of those overrides), so what-ifs of one scenario land side by
    /// side. The run's length (`horizon`, `warmup`) is not a what-if: a longer run of the same
    /// what-if replaces the shorter one.
    static func defaultOut(_ s: Scenario, overrides: [String]) -> String {
        let base = "Results/\(s.name)-seed\(s.seed)"
        let whatIf = overrides.filter { o in !["horizon", "warmup"].contains(o.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "") }
        guard !whatIf.isEmpty else { return base }
        let hash = String(format: "%04llx", SweepPlan.fnv1a(whatIf.joined(separator: "\n")) & 0xFFFF)
        return "\(base)-\(s.scheduling.policy)-\(hash)"
    }

    /// Runs a loaded scenario into `outPath`, all or nothing; `overrides` (as given) are recorded
    /// in run-info.json and the trace.
    /// With `periods`, the run's figures period by period go to the outputs too; returns them
    /// as a Markdown table (empty without).
    static func execute(_ loaded: LoadedScenario, outPath: String, overrides: [String] = [], outFlag: String = "--out", options: KernelOptions,
                        meter: ProgressMeter? = nil, periods: SampledRun.Options? = nil, jobsSampleRate: Double = 1) throws -> (RunSummary, String) {
        let s = loaded.scenario
        let dir: RunDirectory
        do { dir = try RunDirectory(path: outPath, flag: outFlag) } catch let e as TraceError { throw RunFailure(message: e.message) }
        do {
            var metadata = TraceMetadata(softwareVersion: ICCSimVersion.current, scenarioName: s.name, seed: s.seed, runIndex: 0,
                                         policy: s.scheduling.policy, scenarioYAML: loaded.resolvedYAML)
            metadata.failures = s.failures != nil
            metadata.power = s.power != nil
            metadata.periods = periods != nil
            metadata.overrides = overrides
            metadata.jobsSampleRate = jobsSampleRate
            let writer = try TraceWriter(path: dir.path("trace.h5"), metadata: metadata)
            meter?.jobsDone = { writer.jobRows }
            let t0 = wallSeconds()
            meter?.stage("simulating \(s.name) (seed \(s.seed)), generating its demand as it goes")
            var result: RunResult, figures: [PeriodFigures] = []
            if let periods {
                (result, figures) = try RunPeriods.run(s, sink: writer, kernelOptions: options, periods)
                try writer.record(periods: figures, pools: s.cluster.poolNames)
            } else {
                result = try CenterRun.run(s, sink: writer, kernelOptions: options, drawDemandAhead: true)
            }
            meter?.finish()
            meter?.stage("writing the trace")
            if case .overBudget(let why) = result.stopReason {
                throw RunFailure(message: "\(why); the run stopped after \(String(format: "%.0f", result.summary.makespanS)) s of simulated time "
                                 + "and wrote nothing (shorten the horizon, lower the demand, or raise --max-memory)")
            }
            try writer.close()
            let wall = wallSeconds() - t0
            for m in result.rejectionMessages { note("warning: rejected at submission: \(m)") }
            for m in result.serviceWarnings { note("warning: \(m)") }
            for (name, r) in result.traceReports {
                var parts: [String] = []
                if r.fractionalRequests > 0 { parts.append("\(r.fractionalRequests) ask for a fraction of a GPU (they share devices)") }
                if r.withoutAccelerators > 0 { parts.append("\(r.withoutAccelerators) ask for no accelerator (run without waiting)") }
                if r.skipped > 0 { parts.append("\(r.skipped) have no run time or processor count (skipped)") }
                if r.neverScheduled > 0 { parts.append("\(r.neverScheduled) never started in the trace (replayed with their lifetime as run time)") }
                if !parts.isEmpty { note("trace \(name): \(r.rows) rows; " + parts.joined(separator: "; ")) }
            }
            if result.summary.jobsRejected > Int64(result.rejectionMessages.count) {
                note("warning: \(result.summary.jobsRejected) jobs rejected in all (see /jobs state and reject_reason)")
            }
            if case .noProgress(let why) = result.stopReason { note("warning: the run stopped without progress: \(why)") }
            for c in result.seedCollisions { note("note: random stream '\(c)' had a 32-bit seed collision; re-mixed") }
            let summary = result.summary
            let table = periods.map { SampledRunOutput.markdown(figures, s, $0, sampled: false) } ?? ""
            let byPool = periods.map { SampledRunOutput.poolTable(figures, s, $0) } ?? ""
            try dir.write("summary.json", SummaryWriter.json(summary.fields + (periods.map { [SampledRunOutput.periodsField(figures, s, $0)] } ?? [])))
            try dir.write("summary.md", SummaryWriter.markdown(summary, overrides: overrides) + (table.isEmpty ? "" : "\n" + table + byPool))
            let eps = wall > 0 ? Double(summary.eventsProcessed) / wall : 0
            try dir.write("run-info.json", SummaryWriter.json([
                ("tool", .text(OutputPath.toolMark)), ("software_version", .text(ICCSimVersion.current)), ("scenario_source", .text(loaded.source)),
                ("wall_s", .real((wall * 1e3).rounded() / 1e3)), ("events_processed", .integer(summary.eventsProcessed)),
                ("events_per_s", .real(eps.rounded())), ("permute_ties", .text(options.permuteTies ? "true" : "false")),
                ("overrides", .text(overrides.joined(separator: "; "))),
            ]))
            try dir.commit()
            note(String(format: "iccsim: %@ seed %llu: %lld events in %.2f s wall (%.2f M events/s) -> %@",
                        s.name, s.seed, summary.eventsProcessed, wall, eps / 1e6, dir.finalURL.path))
            return (summary, table.isEmpty ? "" : "\n" + table)
        } catch let e as TraceError {
            dir.discard()
            throw RunFailure(message: e.message)
        }
    }
}
