import Metrics
import Records
import Release
import Scenario
import Scheduling
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
    public var seedCollisions: [String]
    /// Names behind the indices in the records.
    public var names: DemandNames
    /// What each replayed trace's import found.
    public var traceReports: [(name: String, report: TraceImportReport)]
}

/// Runs one scenario: wires the workload, the scheduling policy and the pool to a kernel,
/// runs it to the horizon (or until all work is done) and summarises.
public enum CenterRun {
    /// Runs `scenario`, sending records to `sink`. `runIndex` separates replicate runs of one seed.
    public static func run(_ scenario: Scenario, sink: any RecordSink, kernelOptions: KernelOptions = KernelOptions(),
                           runIndex: UInt64 = 0) throws -> RunResult {
        let streams = RandomStreams(masterSeed: scenario.seed, runIndex: runIndex)
        let horizonNs = scenario.horizon?.baseUnits ?? SimTime.never
        let demand = try DemandPlan(scenario, streams: streams, horizonNs: horizonNs)
        guard SchedulingPolicies.make(scenario.scheduling.policy) != nil else {
            preconditionFailure("unknown policy '\(scenario.scheduling.policy)' passed validation")
        }
        let spec = scenario.scheduling
        let policyOptions = spec.options(tenants: demand.names.tenants, types: demand.names.tenantTypes)
        let pools = demand.layouts.indices.map { i in
            AcceleratorPool(layout: demand.layouts[i], placement: spec.placement, sharing: spec.sharing.options(pool: demand.pools[i].name))
        }
        var options = kernelOptions
        if options.permuteTies { options.permutationSeed = RandomStreams.seed(master: scenario.seed, run: runIndex, name: "kernel/ties") }
        let kernel = Kernel(options: options)
        var model = CenterModel(pools: pools, poolNames: demand.pools.map(\.name),
                                policy: { SchedulingPolicies.make(spec.policy, options: policyOptions)! }, sources: demand.sources,
                                listed: demand.listed, names: demand.names, sink: sink,
                                preemptionCost: PreemptionCost(saveNs: spec.preemption.saveTime.baseUnits, restoreNs: spec.preemption.restoreTime.baseUnits),
                                trueDurations: spec.durations == .true, kernel: kernel)
        model.network = FabricPlan.network(scenario, sink: sink)
        model.storage = scenario.io.storage.map { StorageModel(system: $0.system) }
        model.poolServerNetworkBytesPerS = demand.pools.map { $0.server.networkBandwidthBytesPerS }
        let forms: [ReleaseSpec.Policy: ReleaseForm] = [.deploy: .service, .api: .api, .file: .modelFile]
        model.registry = ModelRegistry(servedModels: demand.applicationProfiles.flatMap { app in app.services.map { (app.index, $0.modelIndex) } },
                                       servedForm: forms[scenario.release.policy]!)
        model.configureServices(scenario, demand: demand, streams: streams, horizonNs: horizonNs)
        if let names = sink as? DemandNamesReceiver { names.receive(demand.names) }
        model.prime(kernel)
        let reason = kernel.run(&model, untilNs: horizonNs)
        // A run that drains ends at its last real event, not at a stale completion event of a
        // job whose speed changed (or a wake-up that found nothing to do).
        // Services serve until the horizon even when nothing else happens.
        let drainedNs = model.services.isEmpty || horizonNs == SimTime.never ? model.lastActivityNs : max(model.lastActivityNs, horizonNs)
        let endNs = reason == .queueEmpty ? drainedNs : kernel.nowNs
        model.finalize(at: endNs)

        let st = model.stats
        let endS = SimTime.seconds(endNs)
        let capacity = scenario.cluster.totalAccelerators
        let stopText: String
        switch reason {
        case .queueEmpty: stopText = "completed"
        case .horizonReached: stopText = "horizon"
        default: stopText = reason.description
        }
        var summary = RunSummary(
            scenario: scenario.name, seed: scenario.seed, policy: scenario.scheduling.policy, accelerators: capacity,
            jobsSubmitted: st.submitted, jobsCompleted: st.completed, jobsRejected: st.rejected,
            jobsUnfinished: st.submitted - st.completed - st.rejected,
            waitMeanS: st.started > 0 ? st.waitSumNs / Double(st.started) / 1e9 : 0,
            waitP50S: st.started > 0 ? Double(st.waits.valueAtPercentile(50)) / 1e9 : 0,
            waitP99S: st.started > 0 ? Double(st.waits.valueAtPercentile(99)) / 1e9 : 0,
            jctMeanS: st.completed > 0 ? st.jctSumNs / Double(st.completed) / 1e9 : 0,
            jctP50S: st.completed > 0 ? Double(st.jcts.valueAtPercentile(50)) / 1e9 : 0,
            jctP99S: st.completed > 0 ? Double(st.jcts.valueAtPercentile(99)) / 1e9 : 0,
            utilizationMean: endNs > 0 ? st.busyAreaNs / (Double(endNs) * Double(capacity)) : 0,
            queueLengthMean: endNs > 0 ? st.queueAreaNs / Double(endNs) : 0,
            arrivalRatePerS: endS > 0 ? Double(st.submitted) / endS : 0,
            makespanS: endS, eventsProcessed: kernel.eventsProcessed, stopReason: stopText)
        summary.horizonS = scenario.horizon.map { SimTime.seconds($0.baseUnits) }
        summary.slowdownMean = st.completed > 0 ? st.slowdownSum / Double(st.completed) : 0
        summary.queueingDelayMeanS = st.completed > 0 ? st.queueingDelaySumNs / Double(st.completed) / 1e9 : 0
        summary.preemptions = model.preemptionsTotal
        summary.network = model.network?.summary ?? [(Metric.model.key, .text(scenario.io.model.rawValue))]
        summary.storage = model.storage?.summary(endNs: endNs) ?? []
        (summary.services, summary.serving) = model.services.summary(endNs: endNs, names: demand.names)
        SummaryBreakdowns.fill(&summary, breakdown: model.breakdown, stats: st, demand: demand, endNs: endNs,
                               sharingCapacities: pools.map(\.sharing.oversubscription), quotas: spec.quotas)
        var result = RunResult(summary: summary, stopReason: reason, rejectionMessages: model.rejectionMessages,
                               seedCollisions: streams.collisions, names: demand.names, traceReports: demand.traceReports)
        result.serviceWarnings = model.services.warnings
        return result
    }
}

/// A sink that wants the names behind a run's indices (applications, tenants, models, pools)
/// before the first record, to write them as dictionaries.
public protocol DemandNamesReceiver: AnyObject {
    func receive(_ names: DemandNames)
}

extension JobClassSpec {
    /// The workload model's view of this class, in base units.
    public var jobClass: JobClass {
        var c = JobClass(name: name, maxJobs: jobs, startNs: start.baseUnits, interarrivalNs: interarrival.distribution,
                         accelerators: accelerators.distribution, durationNs: duration.distribution)
        c.priority = priority
        c.cpuMilli = cpuMilli
        c.memoryMiB = memoryMiB
        if let e = elastic {
            c.minAccelerators = Int32(e.min)
            c.maxAccelerators = Int32(e.max)
        }
        return c
    }
}
