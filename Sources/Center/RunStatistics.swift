import Metrics
import Histogram
import Scheduling
import SimKernel

/// Streaming statistics of a run: exact counts, sums and time integrals, and bounded-memory
/// percentiles (HDR histograms, 3 significant digits).
struct RunStatistics {
    var submitted: Int64 = 0
    var completed: Int64 = 0
    var rejected: Int64 = 0
    /// Jobs submitted at or after this time are measured (the warm-up; 0: every job): the
    /// wait, completion-time, slowdown and queueing figures below count only them.
    var measuredFromNs: SimTimeNs = 0
    var measuredSubmitted: Int64 = 0
    var measuredCompleted: Int64 = 0
    /// ∫ busy accelerators dt and ∫ queue length dt up to the warm-up.
    var busyAreaAtWarmupNs: Double = 0
    var queueAreaAtWarmupNs: Double = 0
    var started: Int64 = 0
    var waitSumNs: Double = 0
    var jctSumNs: Double = 0
    var waits = Histogram<UInt64>(highestTrackableValue: 1 << 62, numberOfSignificantValueDigits: .three)
    var jcts = Histogram<UInt64>(highestTrackableValue: 1 << 62, numberOfSignificantValueDigits: .three)
    /// ∫ busy accelerators dt and ∫ queue length dt, in accelerator·ns and job·ns.
    var busyAreaNs: Double = 0
    var queueAreaNs: Double = 0
    /// ∫ busy accelerators dt per pool.
    var poolBusyAreaNs: [Double] = []
    /// ∫ partly booked devices dt and ∫ stranded capacity (milli-units on them no whole job can use) dt, per pool.
    var poolPartialAreaNs: [Double] = []
    var poolStrandedMilliAreaNs: [Double] = []
    var lastChangeNs: SimTimeNs = 0
    /// In a center built in phases: ∫ accelerators in the center dt, per pool and in all, and
    /// its value at the warm-up (nil without phases: every accelerator is there throughout).
    var poolInstalledAreaNs: [Double]?
    var installedAreaNs = 0.0, installedAreaAtWarmupNs = 0.0

    mutating func advance(to nowNs: SimTimeNs, busyAccelerators: Double, queued: Int, poolBusyMilli: [Int64], pools: [AcceleratorPool],
                          installed: [Int]? = nil) {
        let dt = Double(nowNs - lastChangeNs)
        guard dt > 0 else { return }
        let installedNow = installed.map { Double($0.reduce(0, +)) } ?? 0
        if lastChangeNs < measuredFromNs {
            let before = Double(min(nowNs, measuredFromNs) - lastChangeNs)
            busyAreaAtWarmupNs = busyAreaNs + before * busyAccelerators
            queueAreaAtWarmupNs = queueAreaNs + before * Double(queued)
            installedAreaAtWarmupNs = installedAreaNs + before * installedNow
        }
        busyAreaNs += dt * busyAccelerators
        queueAreaNs += dt * Double(queued)
        if let installed {
            if poolInstalledAreaNs == nil { poolInstalledAreaNs = Array(repeating: 0, count: installed.count) }
            installedAreaNs += dt * installedNow
            for p in installed.indices { poolInstalledAreaNs![p] += dt * Double(installed[p]) }
        }
        for p in pools.indices {
            poolBusyAreaNs[p] += dt * Double(poolBusyMilli[p]) / 1000
            if pools[p].partialDevices > 0 {
                poolPartialAreaNs[p] += dt * Double(pools[p].partialDevices)
                poolStrandedMilliAreaNs[p] += dt * Double(pools[p].strandedMilli)
            }
        }
        lastChangeNs = nowNs
    }

    /// A job was submitted (measured when at or after the warm-up).
    mutating func jobSubmitted(atNs submitNs: SimTimeNs) {
        submitted += 1
        if submitNs >= measuredFromNs { measuredSubmitted += 1 }
    }

    mutating func jobStarted(waitNs: SimTimeNs, submitNs: SimTimeNs) {
        guard submitNs >= measuredFromNs else { return }
        started += 1
        waitSumNs += Double(waitNs)
        _ = waits.record(UInt64(waitNs))
    }

    /// Σ (completion time / run time) over completed jobs.
    var slowdownSum: Double = 0
    /// Σ time spent queued (before the first start and after preemptions) over completed jobs.
    var queueingDelaySumNs: Double = 0

    mutating func jobCompleted(jctNs: SimTimeNs, workNs: SimTimeNs, runNs: SimTimeNs, submitNs: SimTimeNs) {
        completed += 1
        guard submitNs >= measuredFromNs else { return }
        measuredCompleted += 1
        jctSumNs += Double(jctNs)
        queueingDelaySumNs += Double(max(0, jctNs - runNs))
        slowdownSum += workNs > 0 ? Double(jctNs) / Double(workNs) : 1
        _ = jcts.record(UInt64(jctNs))
    }
}

/// The figures of one run that go to `summary.json`. Deterministic: no wall-clock values.
public struct RunSummary: Sendable, Equatable {
    public var scenario: String
    public var seed: UInt64
    public var policy: String
    public var accelerators: Int
    public var jobsSubmitted: Int64
    public var jobsCompleted: Int64
    public var jobsRejected: Int64
    /// Jobs still running or waiting at the end.
    public var jobsUnfinished: Int64
    public var waitMeanS: Double
    public var waitP50S: Double
    public var waitP99S: Double
    public var jctMeanS: Double
    public var jctP50S: Double
    public var jctP99S: Double
    /// Time-average of busy / total accelerators over [0, makespan].
    public var utilizationMean: Double
    /// Time-average queue length over [0, makespan].
    public var queueLengthMean: Double
    /// Submitted jobs per second of makespan.
    public var arrivalRatePerS: Double
    /// Simulated time the run covered: the last event, or the horizon.
    public var makespanS: Double
    public var eventsProcessed: Int64
    /// How the run ended (`completed`, `horizon`, or a watchdog message).
    public var stopReason: String
    /// Mean of completion time / run time over completed jobs.
    public var slowdownMean: Double = 0
    /// Mean time completed jobs spent queued, before their first start and after preemptions
    /// (equal to their wait under non-preemptive policies).
    public var queueingDelayMeanS: Double = 0
    /// Preemptions over the run.
    public var preemptions: Int64 = 0
    /// The scenario's horizon in seconds (nil: it runs until its jobs are done); `compare`
    /// warns when two summaries differ in it.
    public var horizonS: Double?
    /// The warm-up in seconds and the jobs submitted after it (nil: none; the figures cover the whole run).
    public var warmup: (seconds: Double, jobsMeasured: Int64)?
    /// Jain's fairness index of the tenants' mean slowdowns (1: all equal; 1/n: one tenant takes all the delay).
    public var fairnessJain: Double = 1
    /// Time-average share of all accelerators' capacity stranded on partly booked devices.
    public var strandedCapacityMean: Double = 0
    /// Delivered compute: FLOPs and accelerator-hours by kind of work (`delivered`).
    public var delivered: [(String, SummaryValue)] = []
    /// Per-pool, per-application and per-tenant figures (`pools`, `applications`, `tenants`).
    public var pools: [(String, SummaryValue)] = []
    public var applications: [(String, SummaryValue)] = []
    public var tenants: [(String, SummaryValue)] = []
    /// The fabric's figures (`network`): all-reduce bus bandwidth, exposed communication,
    /// leaf-spine link utilisation (with `io.model: fabric`; the model's name otherwise).
    public var network: [(String, SummaryValue)] = []
    /// The storage system's figures (`storage`, with `io.storage`): ingests, I/O-bound share,
    /// per-tier traffic and utilisation.
    public var storage: [(String, SummaryValue)] = []
    /// The applications' online services at rate level (`serving` and `services`): requests,
    /// latency mean and p99, SLO attainment (share of requests within the latency target).
    public var serving: [(String, SummaryValue)] = []
    public var services: [(String, SummaryValue)] = []
    /// Sections of run components other than the fabric and the storage system, in the
    /// order they were set.
    public var componentSections: [(String, [(String, SummaryValue)])] = []

    /// Sets the section `name` (a run component's part of the summary).
    public mutating func setSection(_ name: String, _ figures: [(String, SummaryValue)]) {
        switch name {
        case SummarySection.network: network = figures
        case SummarySection.storage: storage = figures
        default:
            if let i = componentSections.firstIndex(where: { $0.0 == name }) { componentSections[i].1 = figures } else { componentSections.append((name, figures)) }
        }
    }

    /// Ordered (key, value) pairs: the `summary.json` contract. Keys are stable snake_case with units.
    public var fields: [(String, SummaryValue)] {
        [(Metric.scenario.key, .text(scenario)), (Metric.seed.key, .unsigned(seed)), (Metric.policy.key, .text(policy)),
         ("horizon_s", horizonS.map { .real($0) } ?? .text("none")),
         (Metric.accelerators.key, .integer(Int64(accelerators))),
         (Metric.jobsSubmitted.key, .integer(jobsSubmitted)), (Metric.jobsCompleted.key, .integer(jobsCompleted)),
         (Metric.jobsRejected.key, .integer(jobsRejected)), (Metric.jobsUnfinished.key, .integer(jobsUnfinished)),
         (Metric.waitMeanS.key, .real(waitMeanS)), (Metric.waitP50S.key, .real(waitP50S)), (Metric.waitP99S.key, .real(waitP99S)),
         (Metric.jctMeanS.key, .real(jctMeanS)), (Metric.jctP50S.key, .real(jctP50S)), (Metric.jctP99S.key, .real(jctP99S)),
         (Metric.queueingDelayMeanS.key, .real(queueingDelayMeanS)), (Metric.slowdownMean.key, .real(slowdownMean)), (Metric.preemptions.key, .integer(preemptions)), (Metric.fairnessJain.key, .real(fairnessJain)),
         (Metric.fragmentationStrandedMean.key, .real(strandedCapacityMean)),
         (Metric.utilizationMean.key, .real(utilizationMean)), (Metric.queueLengthMean.key, .real(queueLengthMean)),
         (Metric.arrivalRatePerS.key, .real(arrivalRatePerS)), (Metric.makespanS.key, .real(makespanS)),
         (Metric.eventsProcessed.key, .integer(eventsProcessed)), (Metric.stopReason.key, .text(stopReason))]
        + (warmup.map { [(Metric.warmupS.key, .real($0.seconds)), (Metric.jobsMeasured.key, .integer($0.jobsMeasured))] } ?? [])
        + [
         (SummarySection.delivered, .object(delivered)), (SummarySection.pools, .object(pools)), (SummarySection.applications, .object(applications)),
         (SummarySection.tenants, .object(tenants)), (SummarySection.network, .object(network)), (SummarySection.storage, .object(storage)),
         (SummarySection.serving, .object(serving)), (Metric.services.key, .object(services))]
            + componentSections.map { ($0.0, .object($0.1)) }
    }

    public static func == (a: RunSummary, b: RunSummary) -> Bool {
        a.fields.map(\.0) == b.fields.map(\.0) && a.fields.map(\.1) == b.fields.map(\.1)
    }
}
