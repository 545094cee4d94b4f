import Center
import Configuration
import Foundation
import Metrics
import Records
import Release
import Scenario
import Testing

/// The services' rate-level figures in a center run's summary.
@Suite struct ServingFiguresTests {
    /// Reference: Erlang C with Allen–Cunneen's correction (`RateLevelServing`, itself checked
    /// against request-level simulation). The smart customer service application with a flat
    /// cycle and static deployments: each service's SLO attainment and mean latency are the
    /// formulas' at its rate, replicas and batch time, and its latency percentiles leave 50%, 10% and
    /// 1% of requests above them.
    @Test func servicesFollowTheRateLevelFormulas() throws {
        let s = try shippedScenario("Scenarios/applications/smart-customer-service.yaml",
                                    ["horizon=1d", "workload.applications.0.cycle={diurnal: flat, weekly: flat}"]
                                    + (0..<3).map { "workload.applications.0.services.\($0).autoscale=null" })
        let summary = try CenterRun.run(s, sink: NullSink()).summary
        #expect(summary.services.count == 3)
        func real(_ f: [(String, SummaryValue)], _ k: String) -> Double {
            switch f.first(where: { $0.0 == k })?.1 {
            case .real(let x)?: return x
            case .integer(let i)?: return Double(i)
            default: return .nan
            }
        }
        for (name, value) in summary.services {
            guard case .object(let f) = value else { Issue.record("\(name) is not an object"); continue }
            let lambda = real(f, "throughput_per_s"), c = Int(real(f, "replicas")), b = real(f, "batch"), batchS = real(f, "batch_seconds")
            let target = real(f, "latency_target_s")
            #expect(abs(lambda / ["bank-assistant": 12, "telecom-assistant": 20, "hotline-12345": 5][name]! - 1) < 1e-9, "\(name)")
            let model = RateLevelServing(replicas: c, serviceRatePerS: b / batchS, serviceCV: 0)
            let figures = model.figures(ratePerS: lambda, targetWaitS: target - batchS)
            #expect(abs(real(f, "slo_attainment") - figures.attainment) < 1e-12, "\(name)")
            #expect(abs(real(f, "latency_mean_s") - (figures.meanWaitS + batchS)) < 1e-9, "\(name)")
            // Each latency percentile q leaves 1 − q of the requests above it (or is the batch
            // time when fewer than that wait at all).
            for q in [50, 90, 99] {
                let pq = real(f, "latency_p\(q)_s"), share = 1 - Double(q) / 100
                if figures.pWait > share {
                    let above = 1 - model.figures(ratePerS: lambda, targetWaitS: pq - batchS).attainment
                    #expect(abs(above - share) < 1e-6, "\(name): \(above) above p\(q)")
                } else {
                    #expect(abs(pq - batchS) < 1e-6, "\(name) p\(q)")
                }
            }
        }
        guard case .real(let attainment)? = summary.serving.first(where: { $0.0 == "slo_attainment" })?.1 else { Issue.record("no slo_attainment"); return }
        #expect(attainment >= 0 && attainment <= 1)
    }
}

extension ServingFiguresTests {
    /// Reference: the same services on a flat application cycle. With the application on office
    /// hours but every service on its own flat cycle, each service's figures (throughput,
    /// replicas, attainment, latencies) are exactly those of the flat application, while on the
    /// application's office hours they are not: a service follows its own cycle. (The model
    /// version a service serves comes from the application's training jobs, which keep the
    /// application's cycle, so it is left out.)
    @Test func aServiceFollowsItsOwnCycle() throws {
        let statics = (0..<3).map { "workload.applications.0.services.\($0).autoscale=null" }
        func services(_ sets: [String]) throws -> [String] {
            let s = try shippedScenario("Scenarios/applications/smart-customer-service.yaml", ["horizon=1d"] + statics + sets)
            return try CenterRun.run(s, sink: NullSink()).summary.services.map { name, value in
                guard case .object(let f) = value else { return name }
                return name + String(describing: f.filter { $0.0 != "version" })
            }
        }
        let flatApplication = try services(["workload.applications.0.cycle={diurnal: flat, weekly: flat}"])
        let office = ["workload.applications.0.cycle={diurnal: office, weekly: flat}"]
        let ownFlat = try services(office + (0..<3).map { "workload.applications.0.services.\($0).cycle={diurnal: flat, weekly: flat}" })
        let officeHours = try services(office)
        #expect(flatApplication.count == 3 && ownFlat == flatApplication)
        #expect(officeHours != flatApplication)
    }
}
