import ArgumentParser
import Scenario

/// `--max-jobs` and `--max-requests`: how much demand a scenario may generate before `run` and
/// `validate` refuse it (the estimate is made before anything runs; see docs/user-guide.md).
struct LimitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Refuse a scenario estimated to submit more jobs than this.", valueName: "count"))
    var maxJobs: Double = RunLimits.standard.maxJobs

    @Option(help: ArgumentHelp("Refuse a scenario estimated to simulate more requests one by one than this.", valueName: "count"))
    var maxRequests: Double = RunLimits.standard.maxRequests

    mutating func validate() throws {
        guard maxJobs.isFinite, maxJobs >= 1 else { throw ValidationError("--max-jobs must be a positive number, got \(maxJobs)") }
        guard maxRequests.isFinite, maxRequests >= 1 else { throw ValidationError("--max-requests must be a positive number, got \(maxRequests)") }
    }

    var limits: RunLimits { RunLimits(maxJobs: maxJobs, maxRequests: maxRequests) }
}
