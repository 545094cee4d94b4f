import Aggregation
import Center
import Components
import Failures
import Power
import Records
import Release
import Scenario
import Scheduling
import SimKernel
import Workloads

/// Runs one scenario: the configuration layer turns it into domain values (``CenterSetup``:
/// pools, policies, job sources, fabric, storage, services) and the engine runs them.
public enum CenterRun {
    /// Runs `scenario`, sending records to `sink`. `runIndex` separates replicate runs of one seed.
    /// `observeDemand` (when given) sees every job the demand generates, as it is submitted.
    /// With `periodStartsNs`, the services' SLO attainment is kept per period too
    /// (``RunResult/sloAttainmentByPeriod``). `drawDemandAhead` draws the synthetic demand on
    /// another thread (``PrefetchedSource``: the same jobs): for a run alone on the machine, not
    /// for runs made side by side, whose cores are already busy.
    public static func run(_ scenario: Scenario, sink: any RecordSink, kernelOptions: KernelOptions = KernelOptions(),
                           runIndex: UInt64 = 0, periodStartsNs: [SimTimeNs] = [], drawDemandAhead: Bool = false,
                           observeDemand: ((JobSpec) -> Void)? = nil) throws -> RunResult {
        let streams = RandomStreams(masterSeed: scenario.seed, runIndex: runIndex)
        var setup = try configure(scenario, sink: sink, streams: streams)
        if !periodStartsNs.isEmpty { setup.center.services?.keepPeriods(startingAtNs: periodStartsNs) }
        if drawDemandAhead {
            setup.center.sources = setup.center.sources.map { $0 is JobMixGenerator ? PrefetchedSource($0) : $0 }
        }
        if let observe = observeDemand { setup.center.sources = setup.center.sources.map { ObservedSource($0, observe) } }
        var options = kernelOptions
        if options.permuteTies { options.permutationSeed = RandomStreams.seed(master: scenario.seed, run: runIndex, name: "kernel/ties") }
        var result = CenterEngine.run(setup.center, sink: sink, kernelOptions: options)
        result.seedCollisions = streams.collisions
        result.traceReports = setup.traceReports
        return result
    }

    /// The engine's view of `scenario`, and what its trace imports found.
    public static func configure(_ scenario: Scenario, sink: any RecordSink, streams: RandomStreams) throws
        -> (center: CenterSetup, traceReports: [(name: String, report: TraceImportReport)]) {
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
        var center = CenterSetup(name: scenario.name, seed: scenario.seed, policyName: spec.policy, horizonNs: horizonNs, pools: demand.pools,
                                 acceleratorPools: pools, makePolicy: { SchedulingPolicies.make(spec.policy, options: policyOptions)! },
                                 sources: demand.sources, listed: demand.listed, names: demand.names, ioModelName: scenario.io.model.rawValue)
        center.preemption = PreemptionCost(saveNs: spec.preemption.saveTime.baseUnits, restoreNs: spec.preemption.restoreTime.baseUnits)
        center.trueDurations = spec.durations == .true
        center.warmupNs = scenario.warmup?.baseUnits ?? 0
        center.stopOnceStartedBeforeNs = scenario.sample?.windowEndNs
        // The run components, in the order a job starts with them: the facility's power first
        // (it charges a job from the moment it holds accelerators, and under a power cap holds
        // it until there is power for it), failures next (a job's
        // first start, before any gate, begins its books and its checkpoint plan), then the
        // storage system holds a job while it ingests, then the fabric prices its all-reduce;
        // utilisation sampling observes each pass.
        let components: [(any RunComponent)?] = [PowerPlan.component(scenario, demand: demand, sink: sink, horizonNs: horizonNs),
                                                 failures(scenario, demand: demand, streams: streams, sink: sink),
                                                 scenario.io.storage.map { StorageComponent(system: $0.system, growth: scenario.storageGrowth) },
                                                 FabricPlan.component(scenario, sink: sink),
                                                 UtilizationSampler(pools: demand.pools.count, tenants: demand.names.tenants.count, sink: sink)]
        center.components = components.compactMap { $0 }
        center.lifecycle = lifecycle(scenario.cluster, start: scenario.start?.date, pools: demand.pools.map(\.name))
        let forms: [ReleaseSpec.Policy: ReleaseForm] = [.deploy: .service, .api: .api, .file: .modelFile]
        center.registry = ModelRegistry(servedModels: demand.applicationProfiles.flatMap { app in app.services.map { (app.index, $0.modelIndex) } },
                                        servedForm: forms[scenario.release.policy]!)
        center.services = ServicePlan.controller(scenario, demand: demand, pools: pools, sink: sink, streams: streams, horizonNs: horizonNs)
        // Each tenant's guaranteed share of every pool: its own quota, else its type's (shared
        // with the type's other tenants).
        center.tenantQuotaShares = demand.names.tenants.indices.map { i in
            let name = demand.names.tenants[i], type = demand.names.tenantTypes[i]
            return spec.quotas.first { $0.tenant == name }?.share ?? spec.quotas.first { $0.type == type }?.share ?? 0
        }
        return (center, demand.traceReports)
    }
}

extension CenterRun {
    /// When each server of a center built in phases enters and leaves it (nil: no phases): a
    /// pool's servers are its groups' in the cluster's order.
    static func lifecycle(_ cluster: ClusterSpec, start: CivilDate?, pools: [String]) -> ServerLifecycle? {
        guard let schedule = cluster.capacitySchedule(start: start) else { return nil }
        var absent: [(pool: Int32, server: Int32)] = []
        var steps: [ServerLifecycle.Step] = []
        var next = Array(repeating: Int32(0), count: pools.count)
        for (g, w) in zip(cluster.servers, schedule.groups) {
            let p = pools.firstIndex(of: g.pool)!
            for s in next[p]..<next[p] + Int32(g.count) {
                if w.fromNs > 0 || w.retireNs <= 0 { absent.append((Int32(p), s)) }
                guard w.retireNs > 0 else { continue }
                if w.fromNs > 0 { steps.append(.init(atNs: w.fromNs, pool: Int32(p), server: s, change: .install)) }
                if w.retireNs != SimTime.never {
                    steps.append(.init(atNs: w.retireNs, pool: Int32(p), server: s, change: .retire))
                    steps.append(.init(atNs: w.removeNs, pool: Int32(p), server: s, change: .remove))
                }
            }
            next[p] += Int32(g.count)
        }
        return ServerLifecycle(absentAtStart: absent, steps: steps)
    }

    /// The failures of the scenario's servers (nil: none), drawing from the `failures/POOL` streams.
    static func failures(_ scenario: Scenario, demand: DemandPlan, streams: RandomStreams, sink: any RecordSink) -> ServerFailures? {
        guard let spec = scenario.failures else { return nil }
        let names = demand.pools.map(\.name)
        let bandwidth = Double(scenario.io.storageBandwidthPerJob.baseUnits) / 8
        // The switches of each pool's fabric and the storage servers of the tiers that declare them.
        // A phase's storage servers fail while they are in the center.
        let growth = scenario.storageGrowth
        let parts = FabricPartLayout(leafOfServer: demand.layouts.map(\.leafOfServer), spines: scenario.io.fabric.spines,
                                     storageServers: scenario.io.storage?.tiers.map { $0.servers ?? 0 } ?? [],
                                     storageServersAtMost: growth?.mostServers ?? [], storageServersAtStart: growth?.serversAtStart ?? [],
                                     storageSeed: RandomStreams.seed(master: streams.masterSeed, run: streams.runIndex, name: "failures/storage"))
        return ServerFailures(settings: spec.settings(pools: names, checkpointBandwidthBytesPerS: bandwidth), devices: demand.layouts.map(\.devicesPerServer),
                              nicsPerServer: demand.pools.map(\.server.nicCount),
                              seeds: names.map { RandomStreams.seed(master: streams.masterSeed, run: streams.runIndex, name: "failures/\($0)") },
                              sink: sink, parts: parts)
    }
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

/// A job source whose jobs are also shown to an observer (a sampled run's offered load).
final class ObservedSource: JobSource {
    let inner: any JobSource
    let observe: (JobSpec) -> Void

    init(_ inner: any JobSource, _ observe: @escaping (JobSpec) -> Void) {
        self.inner = inner
        self.observe = observe
    }

    func next() -> JobSpec? {
        guard let j = inner.next() else { return nil }
        observe(j)
        return j
    }
}
