import Production
import Scenario
import Scheduling
import SimKernel
import Workloads

/// A scenario's demand and pools, ready for a run: the pools (groups of servers sharing an
/// accelerator model), the job sources in tie-rule order (job classes, then each application's
/// job-mix lines), the listed jobs, the applications' services (replicas come from the run's
/// release model), and the names behind
/// the indices jobs carry.
public struct DemandPlan {
    public var pools: [PoolView]
    /// Servers and leaves of each pool, in server-group order (``ClusterSpec/leafOfServer(pool:)``).
    public var layouts: [PoolLayout]
    public var sources: [any JobSource]
    public var listed: [JobSpec]
    public var names: DemandNames
    /// The applications as the workload model sees them.
    public var applicationProfiles: [ApplicationProfile]

    /// Roles a job kind prefers, most preferred first.
    static func rolePreference(_ kind: JobKind) -> [ServerRole] {
        switch kind {
        case .inference, .batchInference: return [.inference, .general, .training]
        case .dataProcessing: return [.general, .training, .inference]
        default: return [.training, .general, .inference]
        }
    }

    /// `app`'s growth and season day by day over the run (nil: its demand has neither). A
    /// sampled run's sample follows them through its warm-up, the days before its window (so it
    /// starts the window from the load of the days before it), and holds them at their mean over
    /// its period (or stratum) through the window. The sample's `start` is its own day 0, its
    /// window's offset after the scenario's: the calendar they follow is the scenario's.
    static func trend(of app: ApplicationSpec, in scenario: Scenario, horizonNs: SimTimeNs) -> DemandTrend? {
        let start = calendarOrigin(scenario)
        guard let w = scenario.sample else {
            return scenario.workload.trend(of: app, start: start, days: WorkloadSpec.trendDays(horizonNs: horizonNs))
        }
        return scenario.workload.trend(of: app, start: start, days: max(w.periodToDay, w.offsetDays + w.warmupDays) + 1).map { t in
            DemandTrend(dayFactors: (0..<w.warmupDays).map { t.factor(day: w.offsetDays + $0) } + [t.mean(fromDay: w.periodFromDay, toDay: w.periodToDay)])
        }
    }

    /// A sampled run's carried queue (``SampleWindow/backlogNs``): for each job-mix line that
    /// routes to a pool with a backlog, its arrivals over the longest backlog among its pools,
    /// thinned to each pool's own and submitted at time 0 (``BacklogSource``). They draw from
    /// streams of their own (the run's seed with another run index), after every other source
    /// in the tie rule's order, so the sample's own jobs are the same with or without them.
    static func backlogSources(_ backlog: [SimTimeNs], profiles: [ApplicationProfile], pools: [PoolView], io: any JobIOModel,
                               streams: RandomStreams, firstSource: Int) -> [any JobSource] {
        let own = RandomStreams(masterSeed: streams.masterSeed, runIndex: SplitMix64.mix(streams.runIndex ^ 0x6261_636B_6C6F_6721))
        var out: [any JobSource] = []
        for profile in profiles {
            for (line, entry) in profile.jobMix.enumerated() {
                let stretchNs = entry.pools.map { Int($0) < backlog.count ? backlog[Int($0)] : 0 }.max() ?? 0
                guard stretchNs > 0 else { continue }
                let generator = JobMixGenerator(entry, application: profile, line: line, source: Int32(firstSource + out.count), pools: pools,
                                                io: io, streams: own, horizonNs: stretchNs)
                out.append(BacklogSource(generator, keep: pools.indices.map { p in p < backlog.count ? Double(backlog[p]) / Double(stretchNs) : 0 },
                                         stream: own.stream("backlog/\(profile.name)/\(line)")))
            }
        }
        return out
    }

    /// The date of the scenario's day 0: a sample's start moved back by its offset.
    static func calendarOrigin(_ scenario: Scenario) -> CivilDate? {
        scenario.start?.date.adding(days: -(scenario.sample?.offsetDays ?? 0))
    }

    /// What each trace import found, in scenario order (for the user).
    public var traceReports: [(name: String, report: TraceImportReport)] = []

    public init(_ scenario: Scenario, streams: RandomStreams, horizonNs: SimTimeNs) throws {
        let catalog = scenario.catalog.resolved
        var names = DemandNames()
        pools = scenario.cluster.poolNames.map { name in
            let group = scenario.cluster.servers.first { $0.pool == name }!
            let device = catalog.first { $0.name == group.accelerator }!
            return PoolView(name: name, role: group.role, accelerator: device, server: group.serverModel,
                            capacity: scenario.cluster.capacity(ofPool: name))
        }
        layouts = scenario.cluster.poolNames.map { name in
            let groups = scenario.cluster.servers.filter { $0.pool == name }
            let devices = groups.flatMap { repeatElement(Int32($0.acceleratorsPerServer), count: $0.count) }
            var layout = PoolLayout(devicesPerServer: devices, leafOfServer: scenario.cluster.leafOfServer(pool: name))
            layout.cpuMilli = groups.reduce(0) { $0 + Int64($1.count) * Int64($1.cpuCores) * 1000 }
            // count × bytes can pass Int64 (a million servers of 2^62 bytes); the MiB cannot.
            layout.memoryMiB = groups.reduce(0) { $0 + Int64(1_048_576).dividingFullWidth(Int64($1.count).multipliedFullWidth(by: $1.memory.baseUnits)).quotient }
            return layout
        }
        names.pools = pools.map(\.name)
        names.poolAccelerators = pools.map(\.accelerator.name)
        let pools = self.pools

        /// Pools a job of `kind` may go to (the pinned one, or all of the most preferred role
        /// present), weighted by their compute: capacity × peak at the model's precision × the device
        /// kind's efficiency (capacity
        /// alone for data processing), so faster pools take proportionally more work.
        /// In a center built in phases, the weights follow the capacity in service: from time 0
        /// and from each change (a pool with none in service then takes no job unless all have none).
        func candidates(_ kind: JobKind, pinned: String?, precision: Precision?, capacity: (Int) -> Int = { pools[$0].capacity }) -> ([Int16], [Double]) {
            if let p = pinned, let i = pools.firstIndex(where: { $0.name == p }) { return ([Int16(i)], [1]) }
            for role in Self.rolePreference(kind) {
                let idx = pools.indices.filter { pools[$0].role == role }
                if !idx.isEmpty {
                    let weights = idx.map { i in
                        let a = pools[i].accelerator
                        let speed = precision.map { a.peakFlopsPerS(a.effectivePrecision($0)) / 1e12 * a.kind.efficiencyFactor } ?? 1
                        return Double(capacity(i)) * speed
                    }
                    guard weights.contains(where: { $0 > 0 }) else { return candidates(kind, pinned: pinned, precision: precision) }
                    return (idx.map { Int16($0) }, weights)
                }
            }
            return ([0], [1])
        }
        let schedule = scenario.cluster.capacitySchedule(start: scenario.start?.date)
        /// The weights of a line's pools from each capacity change on (phases only).
        func weightChanges(_ kind: JobKind, pinned: String?, precision: Precision?) -> [(fromNs: SimTimeNs, weights: [Double], capacities: [Int])] {
            guard let schedule else { return [] }
            let cluster = scenario.cluster
            func inService(at t: SimTimeNs) -> (Int) -> Int { { schedule.accelerators(of: cluster, pool: pools[$0].name, atNs: t) } }
            return ([0] + schedule.changeTimesNs).map { t in
                let (slots, weights) = candidates(kind, pinned: pinned, precision: precision, capacity: inService(at: t))
                return (t, weights, slots.map { inService(at: t)(Int($0)) })
            }
        }

        /// The acceptance set of `accepts`: every pool of each named accelerator, at its speed.
        /// Data sets named by job classes and listed jobs (bit 29 set, apart from the
        /// applications' data sets and model files), numbered in order of first mention.
        var datasetNames: [String] = []
        func datasetID(_ name: String) -> Int32 { Int32(1 << 29) | Int32(DemandNames.intern(name, in: &datasetNames)) }

        func acceptance(_ accepts: [AcceptedAcceleratorSpec]?) -> Int16 {
            guard let accepts else { return -1 }
            let set = accepts.flatMap { a in pools.indices.filter { pools[$0].accelerator.name == a.accelerator }.map { AcceptedPool(pool: Int16($0), speed: a.speed) } }
            names.acceptance.append(set)
            return Int16(names.acceptance.count - 1)
        }
        var sources: [any JobSource] = scenario.workload.classes.enumerated().map { i, c in
            var jobClass = c.jobClass
            jobClass.acceptance = acceptance(c.accepts)
            jobClass.allReduce = c.allreduce?.template(defaultOverlap: scenario.io.allreduceOverlap)
            jobClass.storage = c.storage.map { $0.demand(dataset: datasetID($0.dataset)) }
            return JobClassGenerator(jobClass, source: Int32(i), streams: streams, horizonNs: horizonNs)
        }
        var profiles: [ApplicationProfile] = []
        // Accelerators the services placed so far hold at their peaks, by pool.
        var reservedByPool = [Double](repeating: 0, count: pools.count)
        for app in scenario.workload.applications {
            let appIndex = DemandNames.intern(app.name, in: &names.applications)
            var tenantIndex: [String: Int16] = [:]
            for t in app.tenants {
                let before = names.tenants.count
                let i = DemandNames.intern(t.name, in: &names.tenants)
                if names.tenants.count > before {
                    names.tenantTypes.append(t.type)
                    names.tenantPriorities.append(t.priority)
                }
                tenantIndex[t.name] = i
            }
            var modelIndex: [String: Int16] = [:]
            for m in app.models { modelIndex[m.name] = DemandNames.intern(m.name, in: &names.models) }
            let dayNs = 86_400e9
            let mix: [JobMixEntry] = app.jobs.map { j in
                let kind = j.kind.jobKind
                let chosen = j.tenants ?? app.tenants.map(\.name)
                let precision = j.model.flatMap { app.model(named: $0)?.precision }
                let (p, pw) = candidates(kind, pinned: j.pool, precision: precision)
                var trials: SuccessiveHalving? = nil
                if kind == .automl { trials = SuccessiveHalving(trials: j.trials ?? 27, eta: j.eta ?? 3, rungs: j.rungs ?? 3) }
                var entry = JobMixEntry(
                    kind: kind, modelIndex: j.model.flatMap { modelIndex[$0] } ?? -1, model: j.model.flatMap { app.model(named: $0)?.profile },
                    ratePerNs: j.perDay * app.rateScale(of: j.kind) / dayNs,
                    tenants: chosen.map { tenantIndex[$0]! },
                    tenantWeights: chosen.map { n in app.tenants.first { $0.name == n }!.share },
                    pools: p, poolWeights: pw, accelerators: j.accelerators.distribution,
                    samples: j.samples?.distribution ?? .constant(1), epochs: j.epochs?.distribution ?? .constant(1),
                    search: trials, compression: j.method, studentFraction: j.studentFraction ?? 0.25,
                    bytes: j.bytes?.distribution ?? .constant(0),
                    bytesPerSecondPerAccelerator: j.throughputPerAccelerator.map { Double($0.baseUnits) / 8 } ?? 2e9)
                entry.poolWeightChanges = weightChanges(kind, pinned: j.pool, precision: precision)
                entry.maxPoolShare = scenario.scheduling.maxPoolShare
                entry.generations = scenario.workload.modelGrowth(of: app).map {
                    ModelGenerations(parametersPerYear: $0.parametersPerYear, dataPerYear: $0.dataPerYear,
                                     offsetNs: SimTimeNs(scenario.sample?.offsetDays ?? 0) * SimTime.nsPerDay)
                }
                return entry
            }
            let cycle = app.cycle.arrivalCycle.with(trend: Self.trend(of: app, in: scenario, horizonNs: horizonNs),
                                                    weekdayOfDay0: scenario.start?.date.weekday ?? 0)
            let services: [ServiceProfile] = app.services.map { s in
                let model = app.model(named: s.model)!
                var profile = ServiceProfile(name: s.name, modelIndex: modelIndex[s.model]!, tenant: tenantIndex[s.tenant ?? app.tenants[0].name]!,
                                             pool: 0, startNs: s.start.baseUnits, requestsPerSecond: s.requestsPerSecond * app.serviceRateScale,
                                             work: s.work(for: model), maxBatch: s.maxBatch, latencyTargetS: Double(s.latencyTarget.baseUnits) / 1e9,
                                             acceleratorsPerReplica: s.acceleratorsPerReplica)
                profile.cycle = s.cycle.map { $0.arrivalCycle.with(trend: cycle.trend, weekdayOfDay0: cycle.weekdayOfDay0) }
                // Deploy where the service's peak load costs the least power (first pool on ties),
                // among the pools that still have room for its peak replicas beside the services
                // placed before it (in application and service order); all of them when none has.
                let (p, _) = candidates(.inference, pinned: s.pool, precision: nil)
                let peak = (profile.cycle ?? cycle).peak
                let needed = p.map { i in profile.acceleratorsNeeded(on: pools[Int(i)], peakMultiplier: peak) }
                let powerW = p.indices.map { k in needed[k] * pools[Int(p[k])].accelerator.maxPowerW }
                let roomy = p.indices.filter { k in reservedByPool[Int(p[k])] + needed[k] <= Double(pools[Int(p[k])].capacity) }
                let chosen = (roomy.isEmpty ? Array(p.indices) : roomy).min { powerW[$0] < powerW[$1] }!
                profile.pool = p[chosen]
                reservedByPool[Int(p[chosen])] += needed[chosen]
                return profile
            }
            profiles.append(ApplicationProfile(name: app.name, index: appIndex, cycle: cycle, jobMix: mix,
                                               services: app.services.isEmpty || app.serviceRateScale == 0 ? [] : services))
        }
        // With failures, each job's checkpoints are the run's (planned for its failure rate).
        let io: any JobIOModel = scenario.failures == nil ? scenario.io.ioModel : RunCheckpointsIO(scenario.io.ioModel)
        for profile in profiles {
            for (line, entry) in profile.jobMix.enumerated() {
                sources.append(JobMixGenerator(entry, application: profile, line: line, source: Int32(sources.count), pools: pools,
                                               io: io, streams: streams, horizonNs: horizonNs))
            }
        }
        names.services = profiles.flatMap { $0.services.map(\.name) }
        for trace in scenario.workload.traces {
            let poolIndex = trace.pool.flatMap { p in pools.firstIndex { $0.name == p } } ?? 0
            let (imported, report) = try trace.jobs(pool: pools[poolIndex], io: io)
            traceReports.append((trace.name, report))
            var jobs = imported.enumerated().map { i, j in
                JobSpec(submitNs: j.submitNs, accelerators: j.accelerators, durationNs: j.durationNs, source: Int32(sources.count),
                        sequence: Int64(i), tenant: j.tenant.map { DemandNames.intern($0, in: &names.tenants) } ?? -1,
                        model: j.model.map { DemandNames.intern($0, in: &names.models) } ?? -1, pool: Int16(poolIndex), kind: j.kind, flops: j.flops)
                    .withMilli(j.milli).withHost(cpuMilli: j.cpuMilli, memoryMiB: j.memoryMiB)
            }.filter { $0.submitNs <= horizonNs }
            jobs.sort(by: JobSpec.submissionOrder)
            sources.append(ListedJobs(jobs))
        }
        if let backlog = scenario.sample?.backlogNs, backlog.contains(where: { $0 > 0 }) {
            sources += Self.backlogSources(backlog, profiles: profiles, pools: pools, io: io, streams: streams, firstSource: sources.count)
        }
        self.sources = sources
        self.applicationProfiles = profiles
        listed = scenario.workload.jobs.enumerated().map { i, j in
            JobSpec(submitNs: j.submit.baseUnits, accelerators: Int32(clamping: j.accelerators), durationNs: j.duration.baseUnits,
                    source: JobSpec.listSource, sequence: Int64(i), tenant: j.tenant.map { DemandNames.intern($0, in: &names.tenants) } ?? -1)
                .withHost(cpuMilli: j.cpuMilli, memoryMiB: j.memoryMiB)
                .withElastic(min: j.elastic?.min ?? 0, max: j.elastic?.max ?? 0)
                .withAcceptance(acceptance(j.accepts))
                .withCommunication(j.allreduce?.template(defaultOverlap: scenario.io.allreduceOverlap).demand(accelerators: j.accelerators))
                .withStorage(j.storage.map { $0.demand(dataset: datasetID($0.dataset)) })
        }.filter { $0.submitNs <= horizonNs }.sorted(by: JobSpec.submissionOrder)
        // Tenants named only by traces or listed jobs have no type; they count as enterprises.
        while names.tenantTypes.count < names.tenants.count {
            names.tenantTypes.append(.enterprise)
            names.tenantPriorities.append(0)
        }
        self.names = names
    }
}
