import ArgumentParser
import Configuration
import Scenario
import SimKernel

/// How periods are sampled, for `iccsim run --sampled` and `iccsim plan --phased`: the
/// measured window of each period and the warm-up before it, whole days.
struct SamplingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("With --sampled or --phased: the measured window of each period, whole days (default 7d).", valueName: "time"))
    var sampleLength: String?

    @Option(help: ArgumentHelp("With --sampled or --phased: the warm-up before each window, whole days (default 28d).", valueName: "time"))
    var sampleWarmup: String?

    @Option(help: ArgumentHelp("With --sampled or --phased: windows per period, one in each of as many equal parts of it, each with its own random streams; with two or more the half-widths come from the windows' means (default 1; more see more of a heavy-tailed demand, at that many times the time).", valueName: "count"))
    var sampleWindows: Int?

    @Option(help: ArgumentHelp("With --sampled: the queue each window's warm-up starts with: 'carried' (default), the backlog the center carries in from the periods before, estimated from the samples' demand beyond each pool's capacity (windows that start with one run again with it); or 'empty'.", valueName: "carried|empty"))
    var sampleQueue: String?

    /// Whether any flag was given.
    var given: Bool { sampleLength != nil || sampleWarmup != nil || sampleWindows != nil || sampleQueue != nil }

    /// The options for `period` (`quarter` or `month`, given with `flag`).
    func options(_ period: String, flag: String) throws -> SampledRun.Options {
        func days(_ text: String?, _ name: String, default d: SimTimeNs) throws -> SimTimeNs {
            guard let text else { return d }
            guard case .success(let ns) = Quantities.parse(text, as: TimeUnit.self), ns > 0, ns < 3.2e18,
                  SimTimeNs(ns) % SimTime.nsPerDay == 0 else {
                throw ValidationError("\(name) expects whole days (7d, 2w), got '\(text)'")
            }
            return SimTimeNs(ns)
        }
        let length = try days(sampleLength, "--sample-length", default: 7 * SimTime.nsPerDay)
        let warmup = try days(sampleWarmup, "--sample-warmup", default: SampledRun.defaultWarmupNs)
        guard var o = SampledRun.Options(period: period, lengthNs: length, warmupNs: warmup) else {
            throw ValidationError("\(flag) expects quarter or month, got '\(period)'")
        }
        if let n = sampleWindows {
            guard (1...12).contains(n) else { throw ValidationError("--sample-windows expects 1 to 12 windows a period, got \(n)") }
            o.windows = n
        }
        switch sampleQueue {
        case nil, "carried": o.carriesBacklog = true
        case "empty": o.carriesBacklog = false
        case let q?: throw ValidationError("--sample-queue expects carried or empty, got '\(q)'")
        }
        return o
    }
}
