import ArgumentParser
import Scheduling

/// `iccsim policies`: the scheduling policies selectable by name.
struct PoliciesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policies",
        abstract: "List the scheduling policies (for scheduling.policy or --policy).")

    @Flag(help: "Print only the names, one per line.")
    var names = false

    func run() {
        for p in SchedulingPolicies.all {
            print(names ? p.name : "\(p.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(p.summary)")
        }
    }
}
