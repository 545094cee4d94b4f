import ArgumentParser
import Foundation
import Scenario

/// `iccsim validate SCENARIO`: check a scenario file without running it.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario file (keys, types, units, ranges) without running it; a sweep file is checked by planning every configuration, a targets file (iccsim plan) by reading it.")

    @Argument(help: "The scenario file (default: the built-in city-center scenario).")
    var scenario: String?

    @Option(name: .customLong("set"), help: "Override a key: --set path.to.key=value (repeatable).")
    var overrides: [String] = []

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    @Flag(help: "Print the fully resolved scenario (includes inlined, defaults and overrides applied) as YAML.")
    var resolved = false

    /// Whether `path` holds a sweep file (a top-level `base` and no `cluster`).
    static func isSweep(_ path: String) -> Bool { SweepSpec.isSweepFile(path) }

    func run() throws {
        if let path = scenario, Self.isSweep(path) {
            guard overrides.isEmpty, !resolved else { throw ValidationError("--set and --resolved apply to scenario files, not sweep files") }
            let plan = try SweepPlan(SweepSpec.load(path: path), directory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
            print("\(path): OK: sweep '\(plan.spec.name)', \(plan.runs.count) runs (\(plan.configurations) configurations x \(plan.spec.replicates) replicates) of \(plan.basePath)")
            return
        }
        if let path = scenario, PlanTargets.isTargetsFile(path) {
            guard overrides.isEmpty, !resolved else { throw ValidationError("--set and --resolved apply to scenario files, not targets files") }
            let t = try PlanTargets.load(path: path)
            print("\(path): OK: targets file, \(t.targets.count) target(s) (\(t.targets.map(\.metric).joined(separator: ", "))), \(t.seeds) seed(s)"
                  + (t.isPhased ? "; a phased plan (iccsim plan --phased) with candidates \(t.candidates.map(\.server.name).joined(separator: ", "))" : ""))
            return
        }
        let loaded = try DefaultScenario.load(scenario, overrides: overrides, seed: nil, limits: limitOptions.limits)
        for n in loaded.notes { note("note: \(n)") }
        if resolved {
            print(loaded.resolvedYAML, terminator: "")
            return
        }
        let s = loaded.scenario
        let pools = s.cluster.poolNames.map { "\($0) (\(s.cluster.capacity(ofPool: $0)))" }.joined(separator: ", ")
        print("\(scenario ?? loaded.source): OK: '\(s.name)', \(s.cluster.totalAccelerators) accelerators in \(s.cluster.servers.count) server group(s), "
              + "pools \(pools); \(s.workload.applications.count) application(s), "
              + "\(s.workload.classes.count) job class(es), \(s.workload.jobs.count) listed job(s); policy \(s.scheduling.policy)")
    }
}
