import Components
import Metrics
import Records
import Release
import SimKernel
import Workloads

/// The outcome of one run.
public struct RunResult: Sendable {
    public var summary: RunSummary
    public var stopReason: StopReason
    /// The first few rejection messages (all are counted in the summary and listed in the trace).
    public var rejectionMessages: [String]
    /// Services that cannot be deployed as asked (replicas larger than every pool they may use,
    /// or a peak-sized deployment that does not fit).
    public var serviceWarnings: [String] = []
    /// Random streams whose 32-bit GSL seeds collided and were re-mixed.
    public var seedCollisions: [String] = []
    /// Names behind the indices in the records.
    public var names: DemandNames
    /// What each replayed trace's import found.
    public var traceReports: [(name: String, report: TraceImportReport)] = []
    /// Each kept period's SLO attainment over the services (``ServiceController/keepPeriods(startingAtNs:)``;
    /// empty when none are kept).
    public var sloAttainmentByPeriod: [Double] = []
}

/// Runs the engine on a configured center: wires the pools, policies, sources and shared
/// resources to a kernel, runs it to the horizon (or until all work is done) and summarises.
public enum CenterEngine {
    /// Runs `setup`, sending records to `sink`.
    public static func run(_ setup: CenterSetup, sink: any RecordSink, kernelOptions: KernelOptions = KernelOptions()) -> RunResult {
        let horizonNs = setup.horizonNs
        let kernel = Kernel(options: kernelOptions)
        var model = CenterModel(pools: setup.acceleratorPools, poolNames: setup.pools.map(\.name), policy: setup.makePolicy,
                                sources: setup.sources, listed: setup.listed, names: setup.names, sink: sink,
                                preemptionCost: setup.preemption, trueDurations: setup.trueDurations, kernel: kernel)
        model.components = setup.components
        model.checkpointing = setup.components.contains { $0.plansCheckpoints }
        model.stats.measuredFromNs = setup.warmupNs
        if let t = setup.stopOnceStartedBeforeNs { model.stopOnceStartedBeforeNs = t }
        model.poolServerNetworkBytesPerS = setup.pools.map { $0.server.networkBandwidthBytesPerS }
        model.registry = setup.registry
        if let services = setup.services { model.services = services }
        model.lifecycle = setup.lifecycle
        if let names = sink as? DemandNamesReceiver { names.receive(setup.names) }
        model.prime()
        let reason = kernel.run(&model, untilNs: horizonNs)
        // A run that drains ends at its last real event, not at a stale completion event of a
        // job whose speed changed (or a wake-up that found nothing to do).
        // Services serve until the horizon even when nothing else happens.
        let drainedNs = model.services.isEmpty || horizonNs == SimTime.never ? model.lastActivityNs : max(model.lastActivityNs, horizonNs)
        let endNs = reason == .queueEmpty ? drainedNs : kernel.nowNs
        model.finalize(at: endNs)

        let st = model.stats
        let endS = SimTime.seconds(endNs)
        // Time averages over the time after the warm-up (the whole run without one).
        let windowNs = Double(max(0, endNs - setup.warmupNs))
        let busyAreaNs = st.busyAreaNs - st.busyAreaAtWarmupNs, queueAreaNs = st.queueAreaNs - st.queueAreaAtWarmupNs
        let capacity = setup.pools.reduce(0) { $0 + $1.capacity }
        let stopText: String
        switch reason {
        case .queueEmpty: stopText = "completed"
        case .horizonReached: stopText = "horizon"
        default: stopText = reason.description
        }
        var summary = RunSummary(
            scenario: setup.name, seed: setup.seed, policy: setup.policyName, accelerators: capacity,
            jobsSubmitted: st.submitted, jobsCompleted: st.completed, jobsRejected: st.rejected,
            jobsUnfinished: st.submitted - st.completed - st.rejected,
            waitMeanS: st.started > 0 ? st.waitSumNs / Double(st.started) / 1e9 : 0,
            waitP50S: st.started > 0 ? Double(st.waits.valueAtPercentile(50)) / 1e9 : 0,
            waitP99S: st.started > 0 ? Double(st.waits.valueAtPercentile(99)) / 1e9 : 0,
            jctMeanS: st.measuredCompleted > 0 ? st.jctSumNs / Double(st.measuredCompleted) / 1e9 : 0,
            jctP50S: st.measuredCompleted > 0 ? Double(st.jcts.valueAtPercentile(50)) / 1e9 : 0,
            jctP99S: st.measuredCompleted > 0 ? Double(st.jcts.valueAtPercentile(99)) / 1e9 : 0,
            utilizationMean: st.poolInstalledAreaNs != nil ? busyAreaNs / max(1, st.installedAreaNs - st.installedAreaAtWarmupNs)
                : windowNs > 0 ? busyAreaNs / (windowNs * Double(capacity)) : 0,
            queueLengthMean: windowNs > 0 ? queueAreaNs / windowNs : 0,
            arrivalRatePerS: endS > 0 ? Double(st.submitted) / endS : 0,
            makespanS: endS, eventsProcessed: kernel.eventsProcessed, stopReason: stopText)
        summary.horizonS = horizonNs == SimTime.never ? nil : SimTime.seconds(horizonNs)
        summary.slowdownMean = st.measuredCompleted > 0 ? st.slowdownSum / Double(st.measuredCompleted) : 0
        summary.queueingDelayMeanS = st.measuredCompleted > 0 ? st.queueingDelaySumNs / Double(st.measuredCompleted) / 1e9 : 0
        if setup.warmupNs > 0 { summary.warmup = (SimTime.seconds(setup.warmupNs), st.measuredSubmitted) }
        summary.preemptions = model.preemptionsTotal
        summary.network = [(Metric.model.key, .text(setup.ioModelName))]
        for c in model.components {
            for (section, figures) in c.summary(endNs: endNs) { summary.setSection(section, figures) }
        }
        (summary.services, summary.serving) = model.services.summary(endNs: endNs, names: setup.names)
        SummaryBreakdowns.fill(&summary, breakdown: model.breakdown, stats: st, pools: setup.pools, names: setup.names, endNs: endNs,
                               sharingCapacities: setup.acceleratorPools.map(\.sharing.oversubscription), quotaShares: setup.tenantQuotaShares)
        var result = RunResult(summary: summary, stopReason: reason, rejectionMessages: model.rejectionMessages, names: setup.names)
        result.serviceWarnings = model.services.warnings
        result.sloAttainmentByPeriod = model.services.periodSLOAttainment()
        return result
    }
}

/// A sink that wants the names behind a run's indices (applications, tenants, models, pools)
/// before the first record, to write them as dictionaries.
public protocol DemandNamesReceiver: AnyObject {
    func receive(_ names: DemandNames)
}
