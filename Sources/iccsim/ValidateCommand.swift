import ArgumentParser
import Scenario

/// `iccsim validate SCENARIO`: check a scenario file without running it.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario file (keys, types, units, ranges) without running it.")

    @Argument(help: "The scenario file.")
    var scenario: String

    @Option(name: .customLong("set"), help: "Override a key: --set path.to.key=value (repeatable).")
    var overrides: [String] = []

    func run() throws {
        let loaded = try ScenarioLoader.load(path: scenario, overrides: overrides)
        let s = loaded.scenario
        print("\(scenario): OK: '\(s.name)', \(s.cluster.totalAccelerators) accelerators in \(s.cluster.servers.count) server group(s), "
              + "\(s.workload.classes.count) job class(es), \(s.workload.jobs.count) listed job(s), policy \(s.scheduling.policy)")
    }
}
