import Configuration
import Foundation
import Records
import Scenario
import SimKernel
import Testing

/// A sampled run starts each window's warm-up with the queue the center carried in
/// (``CarriedBacklog``), and measures its window's waits whole (the sample runs on until the
/// window's jobs have started).
@Suite struct CarriedBacklogTests {
    static let dayNs = Double(SimTime.nsPerDay)
    /// A sample's run: 28 days of warm-up, a 7-day window, 56 days to drain.
    static let runNs = 91 * SimTime.nsPerDay

    /// The fluid by hand: one application, one pool of 2 accelerators' capacity, 2 accelerators'
    /// worth of work per unit of factor, a factor of 1.5 for 20 days then 0.5. The pool is
    /// offered 3 a day for 20 days (its queue grows by 1 accelerator-day a day, to 20), then 1
    /// (it drains by 1 a day, empty on day 40).
    @Test func fluidQueueGrowsBeyondCapacityAndDrainsBelowIt() {
        let points = [CarriedBacklog.Point(centreNs: 30 * SimTime.nsPerDay, work: [[0], [2]]),
                      CarriedBacklog.Point(centreNs: 10 * SimTime.nsPerDay, work: [[0], [2]])]
        let fluid = CarriedBacklog(points: points, pools: 1, days: 60, factor: { a, d in a == 1 ? (d < 20 ? 1.5 : 0.5) : 1 },
                                   capacity: { _, _ in 2 })
        for (day, queue) in [(0, 0.0), (10, 10), (20, 20), (30, 10), (40, 0), (50, 0)] {
            #expect(abs(fluid.backlogNs[0][day] / Self.dayNs - queue) < 1e-9, "day \(day): \(fluid.backlogNs[0][day] / Self.dayNs)")
        }
        // As stretches of the pool's demand that day: 10 accelerator-days at 3 a day, 20 at 1.
        #expect(fluid.stretchNs(atNs: 10 * SimTime.nsPerDay, runNs: Self.runNs) == [SimTimeNs(10.0 / 3 * Self.dayNs)])
        #expect(fluid.stretchNs(atNs: 20 * SimTime.nsPerDay, runNs: Self.runNs) == [20 * SimTime.nsPerDay])
        #expect(fluid.stretchNs(atNs: 45 * SimTime.nsPerDay, runNs: Self.runNs) == [0])
        // A sample of 5 days holds at most what the pool does in them: 10 accelerator-days, 10
        // days of demand at 1 a day on day 20.
        #expect(fluid.stretchNs(atNs: 20 * SimTime.nsPerDay, runNs: 5 * SimTime.nsPerDay) == [10 * SimTime.nsPerDay])
        // A pool whose demand all but stopped holds a stretch of at most four runs (not one that
        // overflows the clock), and a backlog of nothing offered none.
        let stopped = CarriedBacklog(points: [.init(centreNs: 0, work: [[4], [1e-300]])], pools: 1, days: 12, factor: { a, d in a == 0 ? (d < 10 ? 1 : 0) : 1 },
                                     capacity: { _, _ in 2 })
        #expect(stopped.stretchNs(atNs: 11 * SimTime.nsPerDay, runNs: Self.runNs) == [4 * Self.runNs])
        #expect(CarriedBacklog(points: [], pools: 2, days: 3, factor: { _, _ in 1 }, capacity: { _, _ in 0 }).stretchNs(atNs: 0, runNs: Self.runNs) == [0, 0])
        // Work between two samples is linear in time: 2 at day 10, 4 at day 30, 2.95 in the
        // middle of day 19 (19.5 days).
        let rising = CarriedBacklog(points: [.init(centreNs: 10 * SimTime.nsPerDay, work: [[], [2]]), .init(centreNs: 30 * SimTime.nsPerDay, work: [[], [4]])],
                                    pools: 1, days: 40, factor: { _, _ in 1 }, capacity: { _, _ in 100 })
        #expect(abs(rising.offered[0][19] - 2.95) < 1e-12 && rising.offered[0][0] == 2 && rising.offered[0][35] == 4)
        #expect(rising.backlogNs[0].allSatisfy { $0 == 0 } && rising.stretchNs(atNs: 0, runNs: Self.runNs) == [0])
        // Less than an hour of demand is left to the warm-up.
        let brief = CarriedBacklog(points: [.init(centreNs: 0, work: [[2.01]])], pools: 1, days: 2, factor: { _, _ in 1 }, capacity: { _, _ in 2 })
        #expect(brief.backlogNs[0][1] > 0 && brief.stretchNs(atNs: SimTime.nsPerDay, runNs: Self.runNs) == [0])
    }

    /// Routing follows the accelerators in service, so a pool's share of the work changes on the
    /// day a phase enters service, not gradually between samples: a sample on day 10 saw all the
    /// work go to pool 0, one on day 30 all to pool 1, which enters service on day 20. Days
    /// 0-19 read the first sample (2 a day to pool 0, none to pool 1; linear between the
    /// samples, day 19 would read 1.05 and 0.95), days 20-39 the second.
    @Test func workSplitsBetweenPoolsOnThePhasesDates() {
        let points = [CarriedBacklog.Point(centreNs: 10 * SimTime.nsPerDay, work: [[], [2, 0]]),
                      CarriedBacklog.Point(centreNs: 30 * SimTime.nsPerDay, work: [[], [0, 2]])]
        let fluid = CarriedBacklog(points: points, pools: 2, days: 40, factor: { _, _ in 1 },
                                   capacity: { p, t in p == 0 ? 4 : (t >= 20 * SimTime.nsPerDay ? 4 : 0) })
        #expect((0..<20).allSatisfy { fluid.offered[0][$0] == 2 && fluid.offered[1][$0] == 0 }, "\(fluid.offered)")
        #expect((20..<40).allSatisfy { fluid.offered[0][$0] == 0 && fluid.offered[1][$0] == 2 }, "\(fluid.offered)")
        // Without a change of capacity the same points are linear in time.
        let steady = CarriedBacklog(points: points, pools: 2, days: 40, factor: { _, _ in 1 }, capacity: { _, _ in 4 })
        #expect(abs(steady.offered[0][19] - 1.05) < 1e-12 && abs(steady.offered[1][19] - 0.95) < 1e-12)
    }

    /// A backlog that the pool's spare accelerators clear within the warm-up at its mean demand
    /// is left out: 10 accelerator-days queued on day 10 (offered 2 a day on a capacity of 1),
    /// then 0.5 a day (0.5 spare): a 28-day warm-up clears 14, so the sample starts empty; a
    /// 14-day one clears 7, so it starts with the 10 (20 days of its demand at 0.5 a day).
    @Test func aBacklogTheWarmupClearsIsLeftOut() {
        let fluid = CarriedBacklog(points: [.init(centreNs: 0, work: [[1]])], pools: 1, days: 60, factor: { _, d in d < 10 ? 2 : 0.5 },
                                   capacity: { _, _ in 1 })
        #expect(abs(fluid.backlogNs[0][10] / Self.dayNs - 10) < 1e-9)
        let day10 = 10 * SimTime.nsPerDay
        #expect(fluid.stretchNs(atNs: day10, runNs: Self.runNs) == [20 * SimTime.nsPerDay])
        #expect(fluid.stretchNs(atNs: day10, runNs: Self.runNs, warmupNs: 28 * SimTime.nsPerDay) == [0])
        #expect(fluid.stretchNs(atNs: day10, runNs: Self.runNs, warmupNs: 14 * SimTime.nsPerDay) == [20 * SimTime.nsPerDay])
    }

    /// A drawn history is a Lindley recursion: with each day's work exponential (a gamma of
    /// shape 1: variance the square of the mean), mean m = 0.8 accelerator-days, on one
    /// accelerator, the backlog at a day's start is the wait of a D/M/1 queue (arrivals every
    /// day, exponential service of mean m), whose mean is σ m / (1 − σ) with σ the root of
    /// σ = exp(−(1 − σ) / ρ), ρ = 0.8 (the G/M/1 queue, Kleinrock, Queueing Systems vol. 1,
    /// chapter 6): σ = 0.629, 1.354 accelerator-days. Over 100,000 days of one history, after 1,000, within 5%. Without a
    /// spread (or one too small to draw) the history is the fluid at its mean (no queue below
    /// capacity).
    @Test func aDrawnHistoryQueuesLikeADM1Queue() {
        let m = 0.8, rho = 0.8
        var sigma = 0.5
        for _ in 0..<200 { sigma = exp(-(1 - sigma) / rho) }
        let reference = sigma * m / (1 - sigma)
        #expect(abs(reference - 1.354) < 0.001, "\(reference)")
        let days = 100_000
        let backlog = CarriedBacklog(points: [.init(centreNs: 0, work: [[m]], workSquared: [[m * m * Self.dayNs * Self.dayNs]])], pools: 1, days: days,
                                     factor: { _, _ in 1 }, capacity: { _, _ in 1 })
        let history = backlog.history(RandomStreams(masterSeed: 7).stream("test"))[0]
        let mean = history[1_000..<days].reduce(0, +) / Double(days - 1_000) / Self.dayNs
        #expect(abs(mean - reference) <= 0.05 * reference, "mean backlog \(mean) accelerator-days, D/M/1 \(reference)")
        let still = CarriedBacklog(points: [.init(centreNs: 0, work: [[m]])], pools: 1, days: 100, factor: { _, _ in 1 }, capacity: { _, _ in 1 })
        #expect(still.history(RandomStreams(masterSeed: 7).stream("test")) == still.backlogNs && still.backlogNs[0].allSatisfy { $0 == 0 })
        // Nor with a spread too small to draw (a gamma of shape 1e30).
        let tiny = CarriedBacklog(points: [.init(centreNs: 0, work: [[m]], workSquared: [[1e-30 * m * m * Self.dayNs * Self.dayNs]])], pools: 1, days: 100,
                                  factor: { _, _ in 1 }, capacity: { _, _ in 1 })
        #expect(tiny.history(RandomStreams(masterSeed: 7).stream("test")) == tiny.backlogNs)
    }

    /// `Scenarios/examples/saturated-quarter.yaml`: a pool offered 1.3 times its capacity through
    /// the first quarter and 0.7 times through the second: in a job-level run its queue grows by 0.3 of a day's capacity a day, to 27
    /// days at the quarter's end, and drains at the same pace after it, so a job waits about
    /// 0.3 t days in the first quarter and as long in the second (mean waits of about 13.6 days,
    /// 330 hours, in both). Sampled (one window in the middle of each quarter, 28 days of
    /// warm-up): with the carried queue and whole waits, each quarter's mean wait is within 10%
    /// of the job-level run's; a second-quarter sample from an empty center reads under a tenth of
    /// it, and a window whose waits are cut at its end reads its first quarter's at most half
    /// the window.
    @Test func samplesCarryTheQueueOfASaturatedQuarter() throws {
        let path = repositoryRoot.appendingPathComponent("Scenarios/examples/saturated-quarter.yaml").path
        let s = try ScenarioLoader.load(path: path).scenario
        var o = try #require(SampledRun.Options(period: "quarter"))
        let full = try RunPeriods.run(s, sink: NullSink(), o).periods
        #expect(abs(full[0].offeredLoad.mean - 1.3) < 0.05 && abs(full[1].offeredLoad.mean - 0.7) < 0.05, "\(full.map(\.offeredLoad))")
        let carried = try SampledRun.run(s, o, workers: 2)
        for (f, c) in zip(full, carried) {
            #expect(f.waitMeanS.mean > 250 * 3600 && f.waitMeanS.mean < 400 * 3600, "job-level quarter \(f.index): \(f.waitMeanS.mean / 3600) h")
            #expect(abs(c.waitMeanS.mean - f.waitMeanS.mean) <= 0.1 * f.waitMeanS.mean,
                    "quarter \(c.index): sampled \(c.waitMeanS.mean / 3600) h, job level \(f.waitMeanS.mean / 3600) h")
        }
        // The same on one worker: the figures do not depend on how many samples run at once.
        let one = try SampledRun.run(s, o, workers: 1)
        #expect(one.map { $0.days.map(\.waitSumS) } == carried.map { $0.days.map(\.waitSumS) })

        o.carriesBacklog = false
        let empty = try SampledRun.run(s, o, workers: 2)
        #expect(empty[1].waitMeanS.mean < 0.1 * full[1].waitMeanS.mean, "from empty: \(empty[1].waitMeanS.mean / 3600) h")
        // The carried jobs come on top of the sample's own: the window's jobs are the same.
        #expect(empty.map { $0.days.map(\.jobsSubmitted) } == carried.map { $0.days.map(\.jobsSubmitted) })

        o.carriesBacklog = true
        o.maxDrainNs = 0
        let cut = try SampledRun.run(s, o, workers: 2)
        #expect(cut[0].waitMeanS.mean <= 3.5 * 86_400 + 3600, "cut at the window's end: \(cut[0].waitMeanS.mean / 3600) h")
    }
}
