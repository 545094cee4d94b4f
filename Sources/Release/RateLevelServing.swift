import Foundation

/// Rate-level serving (the planning fidelity): per interval, a service with Poisson arrivals at
/// rate λ on c replicas, each serving at μ requests per second with service-time coefficient of
/// variation `cv`, priced by queueing formulas instead of simulated request by request:
/// Erlang C for the probability of waiting, the mean wait C/(cμ − λ) scaled by (1 + cv²)/2
/// (Allen–Cunneen; exact for cv = 1, M/M/c), and P(wait > t) = C · exp(−(cμ − λ)·t·2/(1 + cv²)).
public struct RateLevelServing: Sendable, Equatable {
    public var replicas: Int
    public var serviceRatePerS: Double
    public var serviceCV: Double

    public init(replicas: Int, serviceRatePerS: Double, serviceCV: Double = 1) {
        self.replicas = replicas
        self.serviceRatePerS = serviceRatePerS
        self.serviceCV = serviceCV
    }

    /// Erlang C: the probability an arrival waits (1 when the load reaches capacity).
    public static func erlangC(servers c: Int, offered a: Double) -> Double {
        guard a < Double(c) else { return 1 }
        var term = 1.0, sum = 1.0
        for k in 1..<max(1, c) { term *= a / Double(k); sum += term }
        if c == 1 { sum = 1 }
        let last = (c == 1 ? a : term * a / Double(c)) / (1 - a / Double(c))
        return last / (sum + last)
    }

    /// Figures for arrivals at `ratePerS`: utilisation, P(wait), mean wait, and the share of
    /// requests whose wait is at most `targetWaitS` (0 when overloaded).
    public func figures(ratePerS lambda: Double, targetWaitS: Double) -> (utilization: Double, pWait: Double, meanWaitS: Double, attainment: Double) {
        let c = Double(replicas), mu = serviceRatePerS
        guard lambda < c * mu else { return (1, 1, .infinity, 0) }
        let pWait = Self.erlangC(servers: replicas, offered: lambda / mu)
        let scale = (1 + serviceCV * serviceCV) / 2
        let meanWait = pWait / (c * mu - lambda) * scale
        let attainment = 1 - pWait * exp(-(c * mu - lambda) * targetWaitS / scale)
        return (lambda / (c * mu), pWait, meanWait, attainment)
    }

    /// The fewest replicas (from `minimum` to `maximum`) whose attainment at `ratePerS` reaches
    /// `target`; `maximum` when none does.
    public static func replicasNeeded(ratePerS: Double, serviceRatePerS: Double, serviceCV: Double, targetWaitS: Double,
                                      attainment target: Double, minimum: Int, maximum: Int) -> Int {
        var c = max(1, minimum)
        while c < maximum {
            let f = RateLevelServing(replicas: c, serviceRatePerS: serviceRatePerS, serviceCV: serviceCV).figures(ratePerS: ratePerS, targetWaitS: targetWaitS)
            if f.attainment >= target { return c }
            c += 1
        }
        return maximum
    }
}

/// An autoscaler (弹性伸缩) over intervals: before each interval it sizes the service for the
/// rate it observed in the previous one (a target on the share of requests served within the
/// wait target), between `minimum` and `maximum` replicas; a scale-up takes effect only after
/// `scaleUpDelayIntervals` (cold start: pulling and loading the model), and a scale-down waits
/// for `cooldownIntervals` of lower demand.
public struct IntervalAutoscaler: Sendable {
    public var minimum: Int
    public var maximum: Int
    public var targetAttainment: Double
    public var targetWaitS: Double
    public var scaleUpDelayIntervals: Int
    public var cooldownIntervals: Int
    /// Extra load sized for beyond the observed rate (0.2: 20%), against the lag of reacting.
    public var headroom: Double

    public init(minimum: Int, maximum: Int, targetAttainment: Double, targetWaitS: Double, scaleUpDelayIntervals: Int = 0, cooldownIntervals: Int = 1,
                headroom: Double = 0.2) {
        self.headroom = headroom
        self.minimum = minimum
        self.maximum = maximum
        self.targetAttainment = targetAttainment
        self.targetWaitS = targetWaitS
        self.scaleUpDelayIntervals = scaleUpDelayIntervals
        self.cooldownIntervals = cooldownIntervals
    }

    /// Replicas serving in each interval, given the arrival rate of each (requests per second):
    /// the first interval starts at `minimum`; each later one is sized from the rate observed
    /// in the one before (a reactive autoscaler).
    public func plan(rates: [Double], serviceRatePerS: Double, serviceCV: Double) -> [Int] {
        var serving: [Int] = []
        var current = minimum, lowFor = 0
        var pending: [(at: Int, replicas: Int)] = []
        for (i, _) in rates.enumerated() {
            for p in pending where p.at == i { current = max(current, p.replicas) }
            pending.removeAll { $0.at <= i }
            serving.append(current)
            // Decide from this interval's observed rate, for the intervals ahead.
            let want = RateLevelServing.replicasNeeded(ratePerS: rates[i] * (1 + headroom), serviceRatePerS: serviceRatePerS, serviceCV: serviceCV,
                                                       targetWaitS: targetWaitS, attainment: targetAttainment, minimum: minimum, maximum: maximum)
            if want > current {
                lowFor = 0
                if scaleUpDelayIntervals == 0 { current = want } else { pending.append((i + scaleUpDelayIntervals, want)) }
            } else if want < current {
                lowFor += 1
                if lowFor >= cooldownIntervals { current = want; lowFor = 0 }
            } else {
                lowFor = 0
            }
        }
        return serving
    }
}
