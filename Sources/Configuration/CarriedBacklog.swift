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
/// stretch, linear between the samples of the same stretch of unchanged capacity and held
/// before the first and after the last (models grow slowly; a phase shifts the routing on its
/// date). The capacity is the pool's accelerators in service: a pool that the city's
/// three-year job-level run saturates keeps 99.5% of them busy.
///
/// A day's demand is not its mean: a few large jobs make most of a pool's work, so the queue a
/// center carries is one history of its days. Each sample draws its own (``history(_:)``): each
/// day's work a gamma variable with the day's mean and the spread of a Poisson stream of the
/// samples' jobs (the sum of their works' squares, per unit of factor like the work), so a pool
/// near its capacity carries the queue its unlucky months build, and the windows of a period,
/// each with its own history, spread as much as the queues they start with.
public struct CarriedBacklog: Sendable {
    /// A backlog shorter than this stretch of its pool's demand is left to the warm-up (one hour).
    public static let minimumStretchNs: SimTimeNs = 3_600_000_000_000

    /// What one sample measured: the middle of its warm-up and window (the scenario's time),
    /// the work each application sends each pool per unit of its demand factor
    /// (`[application][pool]`, accelerators' worth at factor 1), and the sum of the squares of
    /// its jobs' works per factor-day (accelerator-ns², 0 if not measured).
    public struct Point: Sendable {
        public var centreNs: SimTimeNs
        public var work: [[Double]]
        public var workSquared: [[Double]]

        public init(centreNs: SimTimeNs, work: [[Double]], workSquared: [[Double]] = []) {
            self.centreNs = centreNs
            self.work = work
            self.workSquared = workSquared
        }
    }

    /// Each pool's offered work each day (accelerators' worth), the variance of that day's work
    /// (accelerator-ns²) and its accelerators in service at the day's start.
    public let offered: [[Double]]
    public let varianceNs2: [[Double]]
    public let capacity: [[Double]]

    /// The fluid over `days` days from the samples' `points` (in any order), each application's
    /// demand factor on each day (`factor(application, day)`) and each pool's accelerators in
    /// service at a time (`capacity(pool, t)`).
    ///
    /// A job-mix line routes its jobs among its pools by their accelerators in service, so the
    /// split of an application's work between pools changes on the day a phase enters or leaves
    /// service, not gradually: a day's work is read from the points of its own stretch of
    /// unchanged capacity (linear between them, held before the first and after the last), and
    /// from all the points only when none falls in that stretch.
    public init(points unsorted: [Point], pools: Int, days: Int, factor: (Int, Int) -> Double, capacity: (Int, SimTimeNs) -> Double) {
        let dayNs = SimTime.nsPerDay
        let points = unsorted.sorted { $0.centreNs < $1.centreNs }
        let applications = points.map(\.work.count).max() ?? 0
        let accelerators = (0..<pools).map { p in (0..<days).map { capacity(p, SimTimeNs($0) * dayNs) } }
        // Each day's stretch of unchanged capacity, and the points in each stretch.
        var stretchOfDay = Array(repeating: 0, count: days)
        for d in stride(from: 1, to: days, by: 1) {
            stretchOfDay[d] = stretchOfDay[d - 1] + ((0..<pools).contains { accelerators[$0][d] != accelerators[$0][d - 1] } ? 1 : 0)
        }
        var pointsOfStretch = Array(repeating: [Point](), count: (stretchOfDay.last ?? 0) + 1)
        for point in points where days > 0 {
            pointsOfStretch[stretchOfDay[min(days - 1, max(0, Int(point.centreNs / dayNs)))]].append(point)
        }
        var offered = Array(repeating: Array(repeating: 0.0, count: days), count: pools)
        var variance = offered
        for d in 0..<days {
            let near = pointsOfStretch[stretchOfDay[d]].isEmpty ? points : pointsOfStretch[stretchOfDay[d]]
            guard let (lo, hi, w) = Self.blend(near, atNs: SimTimeNs(d) * dayNs + dayNs / 2) else { continue }
            func mix(_ x: Double, _ y: Double) -> Double { w == 0 ? x : x + (y - x) * w }
            for a in 0..<applications {
                let f = factor(a, d)
                for p in 0..<pools {
                    offered[p][d] += mix(lo.work.at(a, p), hi.work.at(a, p)) * f
                    variance[p][d] += mix(lo.workSquared.at(a, p), hi.workSquared.at(a, p)) * f
                }
            }
        }
        self.offered = offered
        varianceNs2 = variance
        self.capacity = accelerators
    }

    /// The points a day at `t` reads (sorted by time): the last at or before it (or the first)
    /// and the next, and the weight of the next (linear between them; 0, with the same point
    /// twice, before the first and after the last). Nil without points.
    static func blend(_ points: [Point], atNs t: SimTimeNs) -> (Point, Point, Double)? {
        guard !points.isEmpty else { return nil }
        let k = points.lastIndex { $0.centreNs <= t } ?? 0
        let lo = points[k]
        guard t > lo.centreNs, k + 1 < points.count else { return (lo, lo, 0) }
        return (lo, points[k + 1], Double(t - lo.centreNs) / Double(points[k + 1].centreNs - lo.centreNs))
    }

    /// Each pool's backlog at the start of each day (accelerator-ns) when day `d` brings pool `p`
    /// `work(p, d)` accelerator-ns: it grows by the work beyond the accelerators in service
    /// and never falls below empty.
    func queue(_ work: (Int, Int) -> Double) -> [[Double]] {
        let dayNs = Double(SimTime.nsPerDay)
        return capacity.indices.map { p in
            var b = Array(repeating: 0.0, count: capacity[p].count + 1)
            for d in capacity[p].indices { b[d + 1] = max(0, b[d] + work(p, d) - capacity[p][d] * dayNs) }
            return b
        }
    }

    /// Each pool's backlog (accelerator-ns) at the start of each day with every day at its mean
    /// demand: the fluid without a history drawn.
    public var backlogNs: [[Double]] { queue { p, d in offered[p][d] * Double(SimTime.nsPerDay) } }

    /// One history of the pools' backlogs (accelerator-ns at the start of each day): each
    /// day's work drawn from `stream`, a gamma variable with the day's mean and variance (its
    /// mean when it has no variance, or one a millionth of a millionth of its square).
    public func history(_ stream: RandomStream) -> [[Double]] {
        let dayNs = Double(SimTime.nsPerDay)
        return queue { p, d in
            let mean = offered[p][d] * dayNs, v = varianceNs2[p][d]
            guard mean > 0, v > 0, mean * mean / v < 1e12 else { return mean }
            return stream.gamma(shape: mean * mean / v, scale: v / mean)
        }
    }

    /// Each pool's queue at the start of day `t / day`, as the stretch of its demand it holds
    /// (its backlog over its offered work that day): 0 below ``minimumStretchNs``. A sample
    /// that runs `runNs` holds at most the backlog its pool's accelerators could do in that
    /// time (a job behind more would not start before the sample ends either way), and a
    /// stretch of at most four such runs (a pool whose demand all but stopped while its queue
    /// drains): the sample's memory stays bounded. A backlog the pool's spare accelerators
    /// clear within `warmupNs` at its mean demand is left out too: the window would not see
    /// it. All 0: the warm-up starts empty. `history`: one drawn with ``history(_:)`` (default:
    /// every day at its mean).
    public func stretchNs(atNs t: SimTimeNs, runNs: SimTimeNs, warmupNs: SimTimeNs = 0, in history: [[Double]]? = nil) -> [SimTimeNs] {
        let d = Int(t / SimTime.nsPerDay), backlog = history ?? backlogNs
        let warmupDays = Int(warmupNs / SimTime.nsPerDay)
        return backlog.indices.map { p in
            guard d < offered[p].count, offered[p][d] > 0 else { return 0 }
            let spareNs = (d..<min(d + warmupDays, offered[p].count)).reduce(0.0) { $0 + max(0, capacity[p][$1] - offered[p][$1]) } * Double(SimTime.nsPerDay)
            guard backlog[p][d] > spareNs else { return 0 }
            let s = min(min(backlog[p][d], capacity[p][d] * Double(runNs)) / offered[p][d], 4 * Double(runNs))
            return s >= Double(Self.minimumStretchNs) ? SimTimeNs(s) : 0
        }
    }
}

extension [[Double]] {
    /// `self[a][p]`, 0 outside the table.
    func at(_ a: Int, _ p: Int) -> Double { a < count && p < self[a].count ? self[a][p] : 0 }
}
