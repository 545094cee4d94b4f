import Center
import Configuration
import Foundation
import Metrics
import Records
import Release
import Scenario
import SimKernel
import Testing
import Workloads

/// The services' rate-level figures in a center run's summary.
@Suite struct ServingFiguresTests {
    /// Reference: Erlang C with Allen–Cunneen's correction (`RateLevelServing`, itself checked
    /// against request-level simulation). The smart customer service application with a flat
    /// cycle and static deployments: each service's SLO attainment and mean latency are the
    /// formulas' at its rate, replicas and batch time, and its latency percentiles leave 50%, 10% and
    /// 1% of requests above them.
    @Test func servicesFollowTheRateLevelFormulas() throws {
        let s = try shippedScenario("Scenarios/applications/smart-customer-service.yaml",
                                    ["horizon=1d", "workload.applications.0.cycle={diurnal: flat, weekly: flat}",
                                     "workload.applications.0.services.2.cycle=null"]
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
        // The 12345 hotline's own 7x24 cycle is set aside: every service follows the application's.
        let statics = (0..<3).map { "workload.applications.0.services.\($0).autoscale=null" } + ["workload.applications.0.services.2.cycle=null"]
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

extension ServingFiguresTests {
    /// A service deploys where its peak load costs the least power among the pools with room for
    /// its peak replicas beside the services placed before it. Reference: the city center's
    /// services on its L4 pool, whose peak accelerators there fit in the pool; with that pool cut
    /// to 8 servers (64 L4s), the services still sent there hold at most 64 accelerators at their
    /// peaks and the rest move to the A100 inference pool.
    @Test func servicesSpillOverWhenTheCheapestPoolIsFull() throws {
        func placement(_ sets: [String]) throws -> (onL4: [String], l4Peak: Double, l4Capacity: Int) {
            let s = try shippedScenario("Scenarios/city-center.yaml", ["horizon=1d"] + sets)
            let plan = try DemandPlan(s, streams: RandomStreams(masterSeed: s.seed), horizonNs: s.horizon!.baseUnits)
            let l4 = try #require(plan.pools.firstIndex { $0.name == "inference-l4" })
            var names: [String] = [], peak = 0.0
            for app in plan.applicationProfiles {
                for svc in app.services where Int(svc.pool) == l4 {
                    names.append(svc.name)
                    peak += svc.acceleratorsNeeded(on: plan.pools[l4], peakMultiplier: (svc.cycle ?? app.cycle).peak)
                }
            }
            return (names, peak, plan.pools[l4].capacity)
        }
        let full = try placement([])
        #expect(full.onL4.contains("camera-detection") && full.l4Peak <= Double(full.l4Capacity))
        let cut = try placement(["cluster.servers.4.count=8"])
        #expect(cut.l4Capacity == 64 && cut.l4Peak <= 64, "\(cut)")
        #expect(cut.onL4.count < full.onL4.count && !cut.onL4.isEmpty, "\(cut.onL4) against \(full.onL4)")
    }
}

extension ServingFiguresTests {
    /// `inferenceScale` multiplies an application's inference demand alone. Reference: the city
    /// center's recognition-detection application at its inferenceScale 10 and at 20 (its other
    /// figures unchanged): every service's request rate and every batch-inference line's rate
    /// double, every other job line's rate stays to the last bit.
    @Test func inferenceScaleScalesInferenceAlone() throws {
        func profile(_ sets: [String]) throws -> ApplicationProfile {
            let s = try shippedScenario("Scenarios/city-center.yaml", ["horizon=1d"] + sets)
            return try DemandPlan(s, streams: RandomStreams(masterSeed: s.seed), horizonNs: s.horizon!.baseUnits).applicationProfiles[0]
        }
        let base = try profile([]), doubled = try profile(["workload.applications.0.inferenceScale=20"])
        #expect(!base.services.isEmpty && base.services.count == doubled.services.count)
        for (a, b) in zip(base.services, doubled.services) { #expect(abs(b.requestsPerSecond / a.requestsPerSecond - 2) < 1e-12, "\(a.name)") }
        #expect(base.jobMix.contains { $0.kind == .batchInference } && base.jobMix.contains { $0.kind != .batchInference })
        for (a, b) in zip(base.jobMix, doubled.jobMix) {
            if a.kind == .batchInference { #expect(abs(b.ratePerNs / a.ratePerNs - 2) < 1e-12) } else { #expect(b.ratePerNs == a.ratePerNs) }
        }
    }
}

