import SimKernel
import Workloads

/// A burst of demand: from `startNs` for `durationNs`, the rate × `factor`.
public struct ServiceBurst: Sendable {
    public var startNs: SimTimeNs
    public var durationNs: SimTimeNs
    public var factor: Double

    public init(startNs: SimTimeNs, durationNs: SimTimeNs, factor: Double) {
        self.startNs = startNs
        self.durationNs = durationNs
        self.factor = factor
    }
}

/// A service's serving record over a run, at rate level: how long it spent with each number of
/// ready replicas at each arrival rate (the rate is piecewise constant: the cycle's hours and
/// the bursts' edges), so its figures are priced once per distinct (replicas, rate) by queueing
/// formulas (Erlang C with Allen–Cunneen's correction for deterministic batch times) instead of
/// per request. It also integrates the requests each ready replica served (for delivered FLOPs).
public struct ServingLedger: Sendable {
    struct Key: Hashable, Comparable, Sendable {
        var ready: Int
        var ratePerS: Double
        static func < (a: Key, b: Key) -> Bool { (a.ready, a.ratePerS) < (b.ready, b.ratePerS) }
    }

    let meanRatePerS: Double
    let cycle: ArrivalCycle
    /// Bursts in time order (they do not overlap).
    var bursts: [ServiceBurst] = []
    /// Seconds spent per (ready replicas, arrival rate).
    var seconds: [Key: Double] = [:]
    /// With figures kept period by period (a full run's `--periods`): where each period starts,
    /// ascending (empty: not kept), and the seconds per (period, ready replicas, arrival rate).
    /// Periods start on hour boundaries, so no stretch of constant rate straddles two.
    var periodStartsNs: [SimTimeNs] = []
    var periodSeconds: [PeriodKey: Double] = [:]
    struct PeriodKey: Hashable, Comparable, Sendable {
        var period: Int
        var key: Key
        static func < (a: PeriodKey, b: PeriodKey) -> Bool { (a.period, a.key) < (b.period, b.key) }
    }
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

    public init(meanRatePerS: Double, cycle: ArrivalCycle, bursts: [ServiceBurst] = []) {
        self.meanRatePerS = meanRatePerS
        self.cycle = cycle
        self.bursts = bursts.sorted { $0.startNs < $1.startNs }
    }

    static let hourNs: SimTimeNs = 3_600_000_000_000

    /// The burst factor at `tNs` (1 outside bursts): the last burst starting at or before it
    /// (binary search; bursts are sorted and do not overlap), if it still lasts.
    func burstFactor(atNs t: SimTimeNs) -> Double {
        var lo = 0, hi = bursts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if bursts[mid].startNs <= t { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0, t < bursts[lo - 1].startNs + bursts[lo - 1].durationNs else { return 1 }
        return bursts[lo - 1].factor
    }

    /// The largest burst factor (for the thinning envelope).
    public var peakBurstFactor: Double { bursts.map(\.factor).max().map { max(1, $0) } ?? 1 }

    /// The arrival rate (requests per second) at `tNs`.
    func rate(atNs t: SimTimeNs) -> Double { meanRatePerS * cycle.multiplier(atNs: t) * burstFactor(atNs: t) }

    /// The next time after `t` at which the rate may change (an hour boundary or a burst edge).
    func nextChange(after t: SimTimeNs) -> SimTimeNs {
        var next = (t / Self.hourNs + 1) * Self.hourNs
        for b in bursts {
            if b.startNs > t { next = min(next, b.startNs) }
            if b.startNs + b.durationNs > t { next = min(next, b.startNs + b.durationNs) }
        }
        return next
    }

    /// Calls `body(start, rate, seconds)` for each stretch of constant rate in [a, b).
    func forEachStretch(fromNs a: SimTimeNs, toNs b: SimTimeNs, _ body: (SimTimeNs, Double, Double) -> Void) {
        var t = a
        while t < b {
            let next = min(b, nextChange(after: t))
            body(t, rate(atNs: t), Double(next - t) / 1e9)
            t = next
        }
    }

    /// The period holding `tNs` (the last starting at or before it; 0 before the first).
    func period(atNs t: SimTimeNs) -> Int {
        var lo = 0, hi = periodStartsNs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if periodStartsNs[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return max(0, lo - 1)
    }

    /// Accounts for the time from the last change to `tNs` at the replicas ready then.
    mutating func advance(to tNs: SimTimeNs) {
        guard lastNs >= 0, tNs > lastNs else { return }
        var stretches: [(SimTimeNs, Double, Double)] = []
        forEachStretch(fromNs: lastNs, toNs: tNs) { stretches.append(($0, $1, $2)) }
        for (startNs, lambda, dt) in stretches {
            let key = Key(ready: ready, ratePerS: lambda)
            seconds[key, default: 0] += dt
            if !periodStartsNs.isEmpty { periodSeconds[PeriodKey(period: period(atNs: startNs), key: key), default: 0] += dt }
            let r = lambda * dt
            requests += r
            readyReplicaSeconds += Double(ready) * dt
            if ready > 0 { perReplicaRequests += r / Double(ready) } else { unserved += r }
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
    var mostReady: Int { seconds.filter { $0.value > 0 }.keys.map(\.ready).max() ?? 0 }

    /// Expected requests over [from, to) (for the autoscaler's observed rate).
    func expectedRequests(fromNs a: SimTimeNs, toNs b: SimTimeNs) -> Double {
        var total = 0.0
        forEachStretch(fromNs: a, toNs: b) { total += $1 * $2 }
        return total
    }

    /// Figures over the run (or over period `period` alone): per distinct (replicas, rate),
    /// requests and the queueing model, in key order (deterministic).
    func buckets(period: Int? = nil, model: (Int) -> RateLevelServing?) -> [(requests: Double, lambda: Double, model: RateLevelServing?)] {
        let time: [(Key, Double)] = if let period {
            periodSeconds.keys.filter { $0.period == period }.sorted().map { ($0.key, periodSeconds[$0]!) }
        } else {
            seconds.keys.sorted().map { ($0, seconds[$0]!) }
        }
        return time.map { key, s in (key.ratePerS * s, key.ratePerS, key.ready > 0 ? model(key.ready) : nil) }
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
    /// Latency at the 50th, 90th and 99th percentiles.
    var percentilesS: [Double] = [.nan, .nan, .nan]
    static let percentiles: [Double] = [50, 90, 99]

    /// Rate level: Erlang C with Allen–Cunneen per bucket; latency percentiles by bisection on
    /// the mixed tail (infinite when more than their share of requests are never served or
    /// wait without bound).
    static func rateLevel(_ ledger: ServingLedger, muPerReplica: Double, batchS: Double, targetS: Double) -> ServingFigures {
        let buckets = ledger.buckets(model: { RateLevelServing(replicas: $0, serviceRatePerS: muPerReplica, serviceCV: 0) })
        var f = totals(buckets, batchS: batchS, targetS: targetS)
        guard f.requests > 0 else { f.percentilesS = [0, 0, 0]; return f }
        func tail(_ t: Double) -> Double {
            var p = 0.0
            for b in buckets where b.requests > 0 {
                guard let m = b.model, t >= batchS else { p += b.requests; continue }
                p += b.requests * (1 - m.figures(ratePerS: b.lambda, targetWaitS: t - batchS).attainment)
            }
            return p / f.requests
        }
        f.percentilesS = percentiles.map { q in
            let above = 1 - q / 100
            guard tail(1e7) <= above else { return .infinity }
            var lo = batchS, hi = 1e7
            for _ in 0..<100 { let mid = (lo + hi) / 2; if tail(mid) > above { lo = mid } else { hi = mid } }
            return hi
        }
        return f
    }

    /// Rate level over period `period` alone: requests, unserved, met and mean latency (no
    /// percentiles).
    static func rateLevel(_ ledger: ServingLedger, period: Int, muPerReplica: Double, batchS: Double, targetS: Double) -> ServingFigures {
        totals(ledger.buckets(period: period, model: { RateLevelServing(replicas: $0, serviceRatePerS: muPerReplica, serviceCV: 0) }),
               batchS: batchS, targetS: targetS)
    }

    /// Requests, unserved, met and latency sums over `buckets`.
    private static func totals(_ buckets: [(requests: Double, lambda: Double, model: RateLevelServing?)], batchS: Double, targetS: Double) -> ServingFigures {
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
        return f
    }

    var attainment: Double { requests > 0 ? met / requests : 0 }
    var latencyMeanS: Double { latencyCount > 0 ? latencySumS / latencyCount : 0 }
}
