import Release
import SimKernel
import Workloads

/// A service's serving record over a run, at rate level: how long it spent with each number of
/// ready replicas in each hour of the week (the arrival rate is constant within an hour of the
/// week), so its figures are priced once per distinct (replicas, hour) by queueing formulas
/// (Erlang C with Allen–Cunneen's correction for deterministic batch times) instead of per
/// request. It also integrates the requests each ready replica served (for delivered FLOPs).
struct ServingLedger {
    let meanRatePerS: Double
    let cycle: ArrivalCycle
    /// Seconds spent per (ready replicas << 8 | hour of the week).
    var seconds: [Int64: Double] = [:]
    /// Since when demand is counted (the first replica ready); -1 before.
    var fromNs: SimTimeNs = -1
    var lastNs: SimTimeNs = -1
    var ready = 0
    /// Expected requests so far, those that found no ready replica, and ∫ λ / ready dt.
    var requests = 0.0
    var unserved = 0.0
    var perReplicaRequests = 0.0
    /// Ready-replica seconds (∫ ready dt).
    var readyReplicaSeconds = 0.0

    init(meanRatePerS: Double, cycle: ArrivalCycle) {
        self.meanRatePerS = meanRatePerS
        self.cycle = cycle
    }

    static let hourNs: SimTimeNs = 3_600_000_000_000

    /// The arrival rate (requests per second) at `tNs`.
    func rate(atNs t: SimTimeNs) -> Double { meanRatePerS * cycle.multiplier(atNs: t) }

    /// Accounts for the time from the last change to `tNs` at the replicas ready then.
    mutating func advance(to tNs: SimTimeNs) {
        guard lastNs >= 0, tNs > lastNs else { return }
        var t = lastNs
        while t < tNs {
            let next = min(tNs, (t / Self.hourNs + 1) * Self.hourNs)
            let dt = Double(next - t) / 1e9
            let hourOfWeek = Int64((t / Self.hourNs) % 168)
            seconds[Int64(ready) << 8 | hourOfWeek, default: 0] += dt
            let r = rate(atNs: t) * dt
            requests += r
            readyReplicaSeconds += Double(ready) * dt
            if ready > 0 { perReplicaRequests += r / Double(ready) } else { unserved += r }
            t = next
        }
        lastNs = tNs
    }

    /// From `tNs` on, `n` replicas are ready; demand starts with the first one.
    mutating func setReady(_ n: Int, atNs tNs: SimTimeNs) {
        if lastNs < 0 {
            guard n > 0 else { return }
            fromNs = tNs
            lastNs = tNs
        }
        advance(to: tNs)
        ready = n
    }

    /// The most replicas ready over a stretch of time (not counting the instant a rolling
    /// update's new replica is ready before the old one it replaces stops).
    var mostReady: Int { Int(seconds.filter { $0.value > 0 }.keys.max().map { $0 >> 8 } ?? 0) }

    /// Expected requests over [from, to) (for the autoscaler's observed rate).
    func expectedRequests(fromNs a: SimTimeNs, toNs b: SimTimeNs) -> Double {
        var t = a, total = 0.0
        while t < b {
            let next = min(b, (t / Self.hourNs + 1) * Self.hourNs)
            total += rate(atNs: t) * Double(next - t) / 1e9
            t = next
        }
        return total
    }

    /// Figures over the run: per distinct (replicas, hour of the week), requests and the
    /// formulas' attainment and mean latency, in key order (deterministic).
    func buckets(model: (Int) -> RateLevelServing?, batchS: Double, targetS: Double)
        -> [(requests: Double, lambda: Double, model: RateLevelServing?)] {
        seconds.keys.sorted().map { key in
            let c = Int(key >> 8), hour = Int(key & 0xFF)
            let lambda = meanRatePerS * cycle.hourly[hour % 24] * cycle.daily[hour / 24]
            return (lambda * seconds[key]!, lambda, c > 0 ? model(c) : nil)
        }
    }
}

/// Latency figures of a service from its ledger (rate level) or its simulated requests
/// (request level).
struct ServingFigures {
    var requests = 0.0
    var unserved = 0.0
    var met = 0.0
    var latencySumS = 0.0
    var latencyCount = 0.0
    var p99S = Double.nan

    /// Rate level: Erlang C with Allen–Cunneen per bucket; the 99th percentile of latency by
    /// bisection on the mixed tail (infinite when more than 1% of requests are never served or
    /// wait without bound).
    static func rateLevel(_ ledger: ServingLedger, muPerReplica: Double, batchS: Double, targetS: Double) -> ServingFigures {
        let buckets = ledger.buckets(model: { RateLevelServing(replicas: $0, serviceRatePerS: muPerReplica, serviceCV: 0) },
                                     batchS: batchS, targetS: targetS)
        var f = ServingFigures()
        for b in buckets where b.requests > 0 {
            f.requests += b.requests
            guard let m = b.model else { f.unserved += b.requests; continue }
            let x = m.figures(ratePerS: b.lambda, targetWaitS: max(0, targetS - batchS))
            if targetS >= batchS { f.met += b.requests * x.attainment }
            if x.meanWaitS.isFinite {
                f.latencySumS += b.requests * (x.meanWaitS + batchS)
                f.latencyCount += b.requests
            }
        }
        guard f.requests > 0 else { f.p99S = 0; return f }
        func tail(_ t: Double) -> Double {
            var p = 0.0
            for b in buckets where b.requests > 0 {
                guard let m = b.model, t >= batchS else { p += b.requests; continue }
                p += b.requests * (1 - m.figures(ratePerS: b.lambda, targetWaitS: t - batchS).attainment)
            }
            return p / f.requests
        }
        if tail(1e7) <= 0.01 {
            var lo = batchS, hi = 1e7
            for _ in 0..<100 { let mid = (lo + hi) / 2; if tail(mid) > 0.01 { lo = mid } else { hi = mid } }
            f.p99S = hi
        } else {
            f.p99S = .infinity
        }
        return f
    }

    var attainment: Double { requests > 0 ? met / requests : 0 }
    var latencyMeanS: Double { latencyCount > 0 ? latencySumS / latencyCount : 0 }
}
