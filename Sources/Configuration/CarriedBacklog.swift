import SimKernel

/// The queue a center carries from period to period, for a sampled run (``SampledRun``): each
/// pool's backlog of batch work as a fluid, day by day from the start, growing by the pool's
/// offered work beyond its accelerators in service and never below empty. A sample whose
/// warm-up starts while a pool's backlog is at least ``minimumStretchNs`` of its demand starts
/// with that queue (``SampleWindow/backlogNs``): a warm-up from an empty center builds the
/// queue of its own weeks, not the one a center short of capacity for months holds.
///
/// A pool's offered work on a day (accelerators' worth of batch work) is, summed over the
/// applications, the application's demand factor that day (its growth, season and holidays,
/// from the scenario) times the work it sends the pool per unit of factor. That work is the
/// samples' own: each sample's batch work submitted by the application to the pool over its
/// warm-up and window, over the factor-days of its demand there, placed at the middle of that
/// stretch, linear between samples and held before the first and after the last (it moves
/// slowly: models grow, phases shift the routing). The capacity is the pool's accelerators in
/// service: a pool that the city's three-year job-level run saturates keeps 99.5% of them busy.
/// Below its capacity the fluid holds no queue; the queueing of a pool near it is the warm-up's
/// to build.
public struct CarriedBacklog: Sendable {
    /// A backlog shorter than this stretch of its pool's demand is left to the warm-up (one hour).
    public static let minimumStretchNs: SimTimeNs = 3_600_000_000_000

    /// What one sample measured: the middle of its warm-up and window (the scenario's time),
    /// and the work each application sends each pool per unit of its demand factor
    /// (`[application][pool]`, accelerators' worth at factor 1).
    public struct Point: Sendable {
        public var centreNs: SimTimeNs
        public var work: [[Double]]

        public init(centreNs: SimTimeNs, work: [[Double]]) {
            self.centreNs = centreNs
            self.work = work
        }
    }

    /// Each pool's backlog (accelerator-ns) at the start of each day, its offered work that day
    /// (accelerators' worth) and its accelerators in service at the day's start.
    public let backlogNs: [[Double]]
    public let offered: [[Double]]
    public let capacity: [[Double]]

    /// The fluid over `days` days from the samples' `points` (in any order), each application's
    /// demand factor on each day (`factor(application, day)`) and each pool's accelerators in
    /// service at a time (`capacity(pool, t)`).
    public init(points unsorted: [Point], pools: Int, days: Int, factor: (Int, Int) -> Double, capacity: (Int, SimTimeNs) -> Double) {
        let dayNs = SimTime.nsPerDay
        let points = unsorted.sorted { $0.centreNs < $1.centreNs }
        let applications = points.map(\.work.count).max() ?? 0
        var offered = Array(repeating: Array(repeating: 0.0, count: days), count: pools)
        var k = 0
        for d in 0..<days {
            let t = SimTimeNs(d) * dayNs + dayNs / 2
            while k + 1 < points.count && points[k + 1].centreNs <= t { k += 1 }
            for a in 0..<applications {
                let f = factor(a, d)
                for p in 0..<pools { offered[p][d] += Self.interpolate(points, k, a, p, atNs: t) * f }
            }
        }
        var backlog: [[Double]] = [], accelerators: [[Double]] = []
        for p in 0..<pools {
            let c = (0..<days).map { capacity(p, SimTimeNs($0) * dayNs) }
            var b = Array(repeating: 0.0, count: days + 1)
            for d in 0..<days { b[d + 1] = max(0, b[d] + (offered[p][d] - c[d]) * Double(dayNs)) }
            backlog.append(b)
            accelerators.append(c)
        }
        backlogNs = backlog
        self.offered = offered
        self.capacity = accelerators
    }

    /// Application `a`'s work for pool `p` at `t` from the points, `k` the last at or before
    /// `t` (or the first).
    static func interpolate(_ points: [Point], _ k: Int, _ a: Int, _ p: Int, atNs t: SimTimeNs) -> Double {
        guard !points.isEmpty else { return 0 }
        func work(_ i: Int) -> Double { a < points[i].work.count && p < points[i].work[a].count ? points[i].work[a][p] : 0 }
        let lo = points[k]
        guard t > lo.centreNs, k + 1 < points.count else { return work(k) }
        let f = Double(t - lo.centreNs) / Double(points[k + 1].centreNs - lo.centreNs)
        return work(k) + (work(k + 1) - work(k)) * f
    }

    /// Each pool's queue at the start of day `t / day`, as the stretch of its demand it holds
    /// (its backlog over its offered work that day): 0 below ``minimumStretchNs``. A sample
    /// that runs `runNs` holds at most the backlog its pool's accelerators could do in that
    /// time (a job behind more would not start before the sample ends either way), and a
    /// stretch of at most four such runs (a pool whose demand all but stopped while its queue
    /// drains): the sample's memory stays bounded. All 0: the warm-up starts empty.
    public func stretchNs(atNs t: SimTimeNs, runNs: SimTimeNs) -> [SimTimeNs] {
        let d = Int(t / SimTime.nsPerDay)
        return backlogNs.indices.map { p in
            guard d < offered[p].count, offered[p][d] > 0 else { return 0 }
            let s = min(min(backlogNs[p][d], capacity[p][d] * Double(runNs)) / offered[p][d], 4 * Double(runNs))
            return s >= Double(Self.minimumStretchNs) ? SimTimeNs(s) : 0
        }
    }
}
