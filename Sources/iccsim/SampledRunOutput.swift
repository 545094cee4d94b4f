import Configuration
import Foundation
import Metrics
import Records
import Reports
import Scenario
import SimKernel
import Traces

/// Writes a sampled run (`iccsim run --sampled`): `summary.json` with each period's figures
/// under `periods`, `summary.md` with them as a table, `trace.h5` with `/periods` (its other
/// tables are empty: a sample's own records are not kept) and `run-info.json`, all or nothing.
enum SampledRunOutput {
    /// Runs and writes; returns the table of periods for the terminal.
    static func execute(_ loaded: LoadedScenario, _ o: SampledRun.Options, outPath: String, overrides: [String], outFlag: String,
                        quiet: Bool, forceProgress: Bool) throws -> String {
        let s = loaded.scenario
        let dir: RunDirectory
        do { dir = try RunDirectory(path: outPath, flag: outFlag) } catch let e as TraceError { throw RunFailure(message: e.message) }
        do {
            let t0 = wallSeconds()
            let showProgress = !quiet && (forceProgress || isatty(2) != 0)
            let name = s.name, periodName = o.periodName
            var progress: (@Sendable (Int, Int) -> Void)? = nil
            if showProgress {
                progress = { (done: Int, all: Int) in
                    let line = "sampled " + name + ": \(done) of \(all) windows simulated (" + periodName + "s)\n"
                    FileHandle.standardError.write(Data(line.utf8))
                }
            }
            let periods = try SampledRun.run(s, o, progress: progress)
            var metadata = TraceMetadata(softwareVersion: ICCSimVersion.current, scenarioName: s.name, seed: s.seed, runIndex: 0,
                                         policy: s.scheduling.policy, scenarioYAML: loaded.resolvedYAML)
            metadata.overrides = overrides
            metadata.periods = true
            let writer = try TraceWriter(path: dir.path("trace.h5"), metadata: metadata)
            try writer.record(periods: periods, pools: s.cluster.poolNames)
            try writer.close()
            let day = Double(SimTime.nsPerDay)
            let fields: [(String, SummaryValue)] = [
                ("scenario", .text(s.name)), ("seed", .unsigned(s.seed)), ("policy", .text(s.scheduling.policy)),
                ("sampled", .object([("period", .text(o.periodName)), ("window_days", .real(Double(o.lengthNs) / day)),
                                     ("warmup_days", .real(Double(o.warmupNs) / day)), ("periods", .integer(Int64(periods.count))),
                                     ("start", .text(s.start?.date.description ?? ""))]
                                    + (o.windows > 1 ? [("windows", .integer(Int64(o.windows)))] : []))),
                periodsField(periods, s, o),
            ]
            try dir.write("summary.json", SummaryWriter.json(fields))
            let table = markdown(periods, s, o)
            try dir.write("summary.md", table + poolTable(periods, s, o))
            let wall = wallSeconds() - t0
            try dir.write("run-info.json", SummaryWriter.json([
                ("tool", .text(OutputPath.toolMark)), ("software_version", .text(ICCSimVersion.current)), ("scenario_source", .text(loaded.source)),
                ("wall_s", .real((wall * 1e3).rounded() / 1e3)), ("sampled", .text(o.periodName)), ("overrides", .text(overrides.joined(separator: "; "))),
            ]))
            try dir.commit()
            note(String(format: "iccsim: %@ seed %llu sampled by %@: %d periods in %.1f s wall -> %@", s.name, s.seed, o.periodName, periods.count, wall, dir.finalURL.path))
            return table
        } catch let e as TraceError {
            dir.discard()
            throw RunFailure(message: e.message)
        } catch {
            dir.discard()
            throw error
        }
    }

    /// The `periods` field of `summary.json`: each period's figures under its label, with
    /// `pools`: the figures of each pool that had accelerators or batch jobs in it, by name.
    /// A sampled period that started with a queue carried in has `carried_queue_days`: each
    /// such pool's longest stretch of its demand a window started with.
    static func periodsField(_ periods: [PeriodFigures], _ s: Scenario, _ o: SampledRun.Options) -> (String, SummaryValue) {
        let pools = s.cluster.poolNames
        return ("periods", .object(periods.map { p -> (String, SummaryValue) in
            let carried = carriedQueue(p, pools: pools)
            let byPool = p.activePools.filter { $0.index < pools.count }.map { (pools[$0.index], SummaryValue.object($0.figures.poolFields)) }
            return (label(of: p, s, o), SummaryValue.object(p.fields + (byPool.isEmpty ? [] : [("pools", .object(byPool))])
                                                             + (carried.isEmpty ? [] : [("carried_queue_days", .object(carried.map { ($0.0, .real($0.1)) }))])))
        }))
    }

    /// The pools of a period that started with a queue carried in, and its days of their demand.
    static func carriedQueue(_ p: PeriodFigures, pools: [String]) -> [(String, Double)] {
        p.carriedQueueDays.enumerated().filter { $0.1 > 0 && $0.0 < pools.count }.map { (pools[$0.0], $0.1) }
    }

    static func label(of p: PeriodFigures, _ s: Scenario, _ o: SampledRun.Options) -> String {
        SampledRun.label(index: p.index, periodStartNs: p.periodStartNs, periodEndNs: p.periodEndNs, start: s.start?.date, o)
    }

    /// The periods as a Markdown table for people.
    static func markdown(_ periods: [PeriodFigures], _ s: Scenario, _ o: SampledRun.Options, sampled: Bool = true) -> String {
        let intro = sampled
            ? (o.windows > 1 ? "\(o.windows) \(o.lengthNs / SimTime.nsPerDay)-day windows" : "One \(o.lengthNs / SimTime.nsPerDay)-day window")
                + " per \(o.periodName) after a \(o.warmupNs / SimTime.nsPerDay)-day warm-up (seed \(s.seed)); ± is the 95% confidence half-width from "
                + (o.windows > 1 ? "the windows' means (independent replications)." : "the window's days.")
            : "Every day of the job-level run (seed \(s.seed)); ± is the 95% confidence half-width from the \(o.periodName)'s daily means; accelerators in the center in the \(o.periodName)'s middle."
        let withCost = periods.contains { $0.costPerDay != nil }
        let header = PeriodTable.header(withCost: withCost)
        var lines = ["# \(s.name): " + (sampled ? "sampled by \(o.periodName)" : "by \(o.periodName)"), "", intro, "",
                     "| " + header.joined(separator: " | ") + " |", "|---|" + String(repeating: "---:|", count: header.count - 1)]
        if withCost, let currency = s.power?.prices?.currency ?? s.power?.tariff?.currency {
            lines.insert(contentsOf: ["Costs in \(currency) a day: the energy at the tariff of each hour, and the capital (written off), "
                                      + "maintenance and staff of what was in the center.", ""], at: 4)
        }
        for p in periods {
            let row = PeriodTable.row(label(of: p, s, o), withCost: withCost) { name in let v = p.figure(name); return v.isNaN ? nil : v }
            lines.append("| " + row.joined(separator: " | ") + " |")
        }
        let carried = periods.compactMap { p -> String? in
            let pools = carriedQueue(p, pools: s.cluster.poolNames)
            guard !pools.isEmpty else { return nil }
            return label(of: p, s, o) + " (" + pools.map { "\($0.0) \(NumberText.duration($0.1 * 86_400))" }.joined(separator: ", ") + ")"
        }
        if !carried.isEmpty {
            lines += ["", "Periods whose samples started with the queue the center carried in (each pool's backlog as a stretch of its "
                      + "demand; their waits rest on that estimate): " + carried.joined(separator: "; ") + "."]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table of each pool's figures, period by period, to follow ``markdown(_:_:_:sampled:)``
    /// in `summary.md` (empty when the periods keep no pools).
    static func poolTable(_ periods: [PeriodFigures], _ s: Scenario, _ o: SampledRun.Options) -> String {
        let pools = s.cluster.poolNames
        let rows = periods.flatMap { p in
            p.activePools.filter { $0.index < pools.count }.map { q in
                PeriodTable.poolRow(label(of: p, s, o), pool: pools[q.index]) { name in let v = q.figures.figure(name); return v.isNaN ? nil : v }
            }
        }
        guard !rows.isEmpty else { return "" }
        return (["", "## By pool", "",
                "Each pool over its own accelerators: its batch jobs, their offered load and waits, its busy accelerators (batch jobs and "
                + "service replicas) and the jobs waiting for it on average; ± as above.", "",
                "| " + PeriodTable.poolHeader.joined(separator: " | ") + " |", "|---|---|" + String(repeating: "---:|", count: PeriodTable.poolHeader.count - 2)]
            + rows.map { "| " + $0.joined(separator: " | ") + " |" }).joined(separator: "\n") + "\n"
    }
}
