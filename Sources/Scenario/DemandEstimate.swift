import Foundation
import SimKernel
import Workloads

/// How much a run may take on before it starts: a scenario whose demand is estimated beyond
/// these is bad input (`validate` and `run` refuse it, located at the line that asks for it),
/// so a typo such as `interarrival: 1ns` never fills the machine's memory.
public struct RunLimits: Sendable, Equatable {
    /// Jobs submitted over the run (`--max-jobs`). The default month of the city center
    /// submits about a million.
    public var maxJobs: Double
    /// Requests of request-level services simulated one by one.
    public var maxRequests: Double

    public init(maxJobs: Double = 50_000_000, maxRequests: Double = 2_000_000_000) {
        self.maxJobs = maxJobs
        self.maxRequests = maxRequests
    }

    /// The limits of a run without flags.
    public static let standard = RunLimits()
}

/// The demand a scenario will generate, estimated from its figures: jobs of each job class
/// (its count, or the horizon over its mean interarrival), of each application's job-mix line
/// (submissions per day × scale × days, times the trials of an AutoML search), of replayed
/// traces and listed jobs; and requests of request-level services (rate × scale × time, at the
/// largest burst factor).
public struct DemandEstimate: Sendable {
    /// One source of demand and where the scenario asks for it.
    public struct Source: Sendable {
        /// Path of the key that sets its size (for locating messages).
        public var path: [String]
        /// How the estimate was made, for messages.
        public var reason: String
        public var count: Double
    }

    public var jobSources: [Source] = []
    public var requestSources: [Source] = []

    /// Jobs in all.
    public var jobs: Double { jobSources.reduce(0) { $0 + $1.count } }
    /// Requests simulated one by one, in all.
    public var requests: Double { requestSources.reduce(0) { $0 + $1.count } }

    public init(_ s: Scenario) {
        let horizonNs = s.horizon.map { Double($0.baseUnits) }
        let horizonText = s.horizon.map { "within the \($0) horizon" } ?? ""
        for (i, c) in s.workload.classes.enumerated() {
            if let n = c.jobs {
                jobSources.append(Source(path: ["workload", "classes", "\(i)", "jobs"], reason: "its 'jobs'", count: Double(n)))
                continue
            }
            let span = max(0, (horizonNs ?? 0) - Double(c.start.baseUnits))
            let mean = c.interarrival.distribution.mean
            let n = span == 0 ? 0 : (mean > 0 ? span / mean : .infinity)
            jobSources.append(Source(path: ["workload", "classes", "\(i)", "interarrival"],
                                     reason: "a mean interarrival of \(Quantities.format(mean, as: TimeUnit.self)) \(horizonText)", count: n))
        }
        let days = (horizonNs ?? 0) / 86_400e9
        for (a, app) in s.workload.applications.enumerated() {
            // Growth and seasons: the mean of the day-by-day factor over the horizon.
            let trendDays = WorkloadSpec.trendDays(horizonNs: s.horizon?.baseUnits ?? 0)
            let trend = s.workload.trend(of: app, start: s.start?.date, days: trendDays)?.mean(fromDay: 0, toDay: trendDays) ?? 1
            let trendText = trend == 1 ? "" : " × growth and season \(Self.number(trend)) on average"
            let scaleText = app.driverFactor == 1 ? "scale \(Self.number(app.scale))" : "scale \(Self.number(app.rateScale)) (with its driver)"
            let inferenceText = app.inferenceScale == 1 ? "" : " × inference scale \(Self.number(app.inferenceScale))"
            for (j, line) in app.jobs.enumerated() {
                let trials = line.kind == .automl ? Double(line.trials ?? 27) : 1
                let n = line.perDay * app.rateScale(of: line.kind) * trend * days * trials
                jobSources.append(Source(path: ["workload", "applications", "\(a)", "jobs", "\(j)", "perDay"],
                                         reason: "\(Self.number(line.perDay)) a day × \(scaleText)\(line.kind == .batch_inference ? inferenceText : "")\(trendText)\(trials > 1 ? " × \(Int(trials)) trials" : "") \(horizonText)",
                                         count: n))
            }
            for (k, service) in app.services.enumerated() where service.fidelity == .request {
                let seconds = max(0, (horizonNs ?? 0) - Double(service.start.baseUnits)) / 1e9
                let burst = service.bursts.map(\.factor).max().map { max(1, $0) } ?? 1
                requestSources.append(Source(path: ["workload", "applications", "\(a)", "services", "\(k)", "requestsPerSecond"],
                                             reason: "\(Self.number(service.requestsPerSecond)) requests a second × \(scaleText)\(inferenceText)\(trendText) \(horizonText)",
                                             count: service.requestsPerSecond * app.serviceRateScale * trend * burst * seconds))
            }
        }
        for (i, t) in s.workload.traces.enumerated() {
            let rows = Double(max(0, InputText.numberedLines(t.text).count - 1))
            jobSources.append(Source(path: ["workload", "traces", "\(i)", "file"], reason: "its rows", count: rows))
        }
        if !s.workload.jobs.isEmpty {
            jobSources.append(Source(path: ["workload", "jobs"], reason: "the list", count: Double(s.workload.jobs.count)))
        }
    }

    /// Throws a located error when the estimate passes `limits`: at the largest source.
    public func check(_ limits: RunLimits, tree: ScenarioTree) throws {
        func refuse(_ sources: [Source], total: Double, limit: Double, what: String, flag: String) throws {
            guard total > limit, let big = sources.max(by: { !($0.count >= $1.count) }) else { return }
            let shown = big.path.enumerated().map { $0.offset > 0 && Int($0.element) != nil ? "[\($0.element)]" : ($0.offset > 0 ? "." : "") + $0.element }.joined()
            let part = sources.count > 1 ? " (\(Self.format(total)) in all)" : ""
            throw ScenarioError("\(shown) would generate about \(Self.format(big.count)) \(what) from \(big.reason)\(part); "
                                + "this run allows at most \(Self.format(limit)) (raise it with \(flag) if this machine can hold them)",
                                at: tree.location(of: big.path))
        }
        try refuse(jobSources, total: jobs, limit: limits.maxJobs, what: "jobs", flag: "--max-jobs")
        try refuse(requestSources, total: requests, limit: limits.maxRequests, what: "requests simulated one by one", flag: "--max-requests")
    }

    /// A figure as written: `3`, `0.5`, `1e+09`.
    static func number(_ x: Double) -> String { String(format: "%g", x) }

    /// A count for people: `7.2e+12`, `1,234,567`.
    static func format(_ x: Double) -> String {
        if !x.isFinite { return "infinitely many" }
        if x >= 1e9 { return String(format: "%.2g", x) }
        let n = Int64(x.rounded())
        var digits = String(n), out = ""
        while digits.count > 3 { out = "," + digits.suffix(3) + out; digits.removeLast(3) }
        return digits + out
    }
}
