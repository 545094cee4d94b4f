import Configuration
import Foundation
import Reports
import Scenario
import SimKernel
import Traces

/// `iccsim plan --phased`: runs the phased planner and prints its schedule, each period's
/// figures and the check of every phase (removed, delayed a period) for people; writes the
/// resolved scenario with the plan's phases.
enum PhasedPlanOutput {
    static func execute(_ loaded: LoadedScenario, targets goals: PlanTargets, targetsPath: String, options: SampledRun.Options,
                        outPath: String, quiet: Bool, forceProgress: Bool) throws {
        if loaded.scenario.start == nil {
            // Located at the scenario's top level, where `start` belongs.
            throw ScenarioError("a phased plan needs the scenario's start date (start: YYYY-MM-DD at the top level): phases arrive on dates",
                                at: loaded.tree.location(of: ["name"]) ?? SourceLocation(file: loaded.source, line: 1, column: 1))
        }
        var planner = try PhasedPlanner(scenario: loaded.scenario, targets: goals, options: options)
        if !quiet && (forceProgress || isatty(2) != 0) {
            planner.progress = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }
        let plan = try planner.plan()
        print(report(plan, planner, name: loaded.scenario.name, currency: loaded.scenario.power?.prices?.currency), terminator: "")
        let header = OutputFile.planMark + ": --phased \(options.periodName) --targets \(targetsPath): "
            + (plan.phases.isEmpty ? "no phase needed" : plan.phases.map { "\($0.name) \($0.servers) × \(goals.candidates[$0.candidate].server.name) from \(planner.date($0.inServiceDay))" }.joined(separator: "; "))
        try OutputFile.write(header + "\n" + plan.scenario.resolvedYAML(), to: outPath, generator: OutputFile.planMark)
        print("wrote \(outPath)")
        guard plan.meets else { throw CheckFailed() }
    }

    /// The plan as Markdown.
    static func report(_ plan: PhasedPlanner.Plan, _ planner: PhasedPlanner, name: String, currency: String?) -> String {
        let goals = planner.targets, o = planner.options
        let money = { (x: Double) in NumberText.grouped(Int64(x.rounded())) + (currency.map { " \($0)" } ?? "") }
        func bound(_ t: PlanTarget) -> String { t.metric + (t.max.map { " <= \(PeriodTable.reading(t.metric, $0))" } ?? "") + (t.min.map { " >= \(PeriodTable.reading(t.metric, $0))" } ?? "") }
        var out = ["# iccsim plan --phased \(o.periodName): \(name)", "",
                   "\(plan.periods.count) \(o.periodName)s, one \(o.lengthNs / SimTime.nsPerDay)-day window each after a \(o.warmupNs / SimTime.nsPerDay)-day warm-up, "
                   + "\(goals.seeds) seed(s); \(plan.configurations) configurations run. "
                   + "The center as it stands: \(NumberText.grouped(Int64(planner.base.cluster.totalAccelerators))) accelerators"
                   + (planner.replacedPhases.isEmpty ? "." : "; the scenario's phases (\(planner.replacedPhases.joined(separator: ", "))) are replaced by the plan's."), ""]
        out += ["## Schedule", ""]
        if plan.phases.isEmpty {
            out += ["No phase is needed: the center as it stands meets the targets in every \(o.periodName).", ""]
        } else {
            out += ["| phase | servers | accelerators | order by | arrives | in service | cost |", "|---|---|---:|---|---|---|---:|"]
            for ph in plan.phases {
                let g = goals.candidates[ph.candidate].server
                out.append("| \(ph.name) | \(NumberText.grouped(Int64(ph.servers))) × \(g.name) (\(g.preset ?? g.accelerator), pool \(g.pool)) | "
                           + "\(NumberText.grouped(Int64(ph.servers * g.acceleratorsPerServer))) | \(planner.date(ph.orderDay)) | \(planner.date(ph.arriveDay)) | "
                           + "\(planner.date(ph.inServiceDay)) | \(money(ph.cost)) |")
            }
            let added = plan.phases.reduce(0) { $0 + $1.servers * goals.candidates[$1.candidate].server.acceleratorsPerServer }
            out += ["", "\(plan.phases.count) phase(s), \(NumberText.grouped(Int64(added))) accelerators, \(money(plan.phases.reduce(0) { $0 + $1.cost })) of servers.", ""]
        }
        out += ["## Periods", "", "| period | accelerators | " + goals.targets.map(bound).joined(separator: " | ") + " | meets |",
                "|---|---:|" + String(repeating: "---:|", count: goals.targets.count) + "---|"]
        for p in plan.periods {
            out.append("| \(p.label) | \(NumberText.grouped(Int64(p.accelerators))) | "
                       + zip(goals.targets, p.worst).map { PeriodTable.reading($0.metric, $1) }.joined(separator: " | ") + " | \(p.meets ? "yes" : "**no**") |")
        }
        if !plan.checks.isEmpty {
            out += ["", "## Check: each phase removed, and delayed a \(o.periodName)", "", "| phase | change | first period missing | target | value |", "|---|---|---|---|---:|"]
            for c in plan.checks {
                if let m = c.miss {
                    out.append("| \(c.phase) | \(c.change) | \(m.period) | \(bound(goals.targets[m.target])) | \(PeriodTable.reading(goals.targets[m.target].metric, m.value)) |")
                } else {
                    out.append("| \(c.phase) | \(c.change) | none: every period still meets the targets | | |")
                }
            }
        }
        if !plan.meets {
            out += ["", "Some \(o.periodName)s miss the targets: no candidate can be ordered, delivered and commissioned in time, or none is large enough (raise a candidate's max)."]
        }
        return out.joined(separator: "\n") + "\n\n"
    }
}
