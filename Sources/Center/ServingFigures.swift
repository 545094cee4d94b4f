import Foundation
import Release
import SimKernel
import Workloads

/// Serving figures of the applications' online services at rate level (the planning fidelity
/// of `docs/release.md`): per service and hour of the run, Poisson requests at the service's
/// rate × its application's cycle on its replicas (as deployed: sized for the cycle's peak),
/// each replica serving batches of the roofline's best size, priced by Erlang C with
/// Allen–Cunneen's correction for deterministic batch times. Latency = wait + batch time.
enum ServingFigures {
    struct Service {
        var name: String
        var replicas: Int
        var batch: Int
        var batchS: Double
        var hours: [(requests: Double, lambda: Double, seconds: Double)]
        var targetS: Double
        var model: RateLevelServing
    }

    static func services(_ profiles: [ApplicationProfile], pools: [PoolView], endNs: SimTimeNs) -> [(application: String, Service)] {
        var out: [(String, Service)] = []
        for app in profiles {
            for s in app.services where s.startNs < endNs {
                let device = pools[Int(s.pool)].accelerator
                let replicas = s.work.replicasNeeded(requestRatePerS: s.requestsPerSecond * app.cycle.peak, maxBatch: s.maxBatch,
                                                     latencyTargetS: s.latencyTargetS, on: device, accelerators: s.acceleratorsPerReplica)
                let b = s.work.bestBatch(maxBatch: s.maxBatch, latencyTargetS: s.latencyTargetS, on: device, accelerators: s.acceleratorsPerReplica)
                let batchS = s.work.batchSeconds(batch: b, on: device, accelerators: s.acceleratorsPerReplica)
                var hours: [(Double, Double, Double)] = []
                var t = s.startNs
                while t < endNs {
                    let next = min(endNs, (t / 3_600_000_000_000 + 1) * 3_600_000_000_000)
                    let lambda = s.requestsPerSecond * app.cycle.multiplier(atNs: t)
                    let seconds = Double(next - t) / 1e9
                    hours.append((lambda * seconds, lambda, seconds))
                    t = next
                }
                out.append((app.name, Service(name: s.name, replicas: replicas, batch: b, batchS: batchS, hours: hours, targetS: s.latencyTargetS,
                                              model: RateLevelServing(replicas: replicas, serviceRatePerS: Double(b) / batchS, serviceCV: 0))))
            }
        }
        return out
    }

    /// P(latency > t) over the service's hours, weighted by their requests.
    static func tail(_ s: Service, _ t: Double) -> Double {
        let total = s.hours.reduce(0) { $0 + $1.requests }
        guard total > 0 else { return 0 }
        var p = 0.0
        for h in s.hours where h.requests > 0 {
            let f = s.model.figures(ratePerS: h.lambda, targetWaitS: max(0, t - s.batchS))
            p += h.requests * (t < s.batchS ? 1 : 1 - f.attainment)
        }
        return p / total
    }

    /// The `services` and `serving` objects of the summary.
    static func summary(_ profiles: [ApplicationProfile], pools: [PoolView], endNs: SimTimeNs) -> (services: [(String, SummaryValue)], serving: [(String, SummaryValue)]) {
        var rows: [(String, SummaryValue)] = []
        var allRequests = 0.0, allMet = 0.0
        for (app, s) in services(profiles, pools: pools, endNs: endNs) {
            var requests = 0.0, met = 0.0, latency = 0.0, seconds = 0.0
            for h in s.hours {
                let f = s.model.figures(ratePerS: h.lambda, targetWaitS: max(0, s.targetS - s.batchS))
                requests += h.requests
                seconds += h.seconds
                met += h.requests * (s.targetS >= s.batchS ? f.attainment : 0)
                latency += h.requests * (f.meanWaitS + s.batchS)
            }
            // The 99th percentile by bisection on the mixed tail (infinite when overloaded).
            var p99 = Double.infinity
            if tail(s, 1e7) <= 0.01 {
                var lo = s.batchS, hi = 1e7
                for _ in 0..<100 { let mid = (lo + hi) / 2; if tail(s, mid) > 0.01 { lo = mid } else { hi = mid } }
                p99 = hi
            }
            allRequests += requests
            allMet += met
            rows.append((s.name, .object([
                ("application", .text(app)), ("replicas", .integer(Int64(s.replicas))), ("batch", .integer(Int64(s.batch))), ("batch_seconds", .real(s.batchS)),
                ("requests", .real(requests)), ("throughput_per_s", .real(seconds > 0 ? requests / seconds : 0)),
                ("latency_target_s", .real(s.targetS)), ("latency_mean_s", .real(requests > 0 ? latency / requests : 0)),
                ("latency_p99_s", .real(p99)), ("slo_attainment", .real(requests > 0 ? met / requests : 0))])))
        }
        let serving: [(String, SummaryValue)] = [("model", .text("rate_level")), ("services", .integer(Int64(rows.count))),
                                                 ("requests", .real(allRequests)), ("slo_attainment", .real(allRequests > 0 ? allMet / allRequests : 0))]
        return (rows, serving)
    }
}
