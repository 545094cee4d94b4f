import Production
import Scheduling
import SimKernel
import Workloads

/// A whole scenario file: the center, its demand, how it is scheduled, and for how long.
/// Every key is documented in `docs/scenario-reference.md`.
public struct Scenario: Codable, Sendable, Equatable {
    /// Run name, used for the default output directory. Defaults to the file's name.
    public var name: String
    /// Master seed of every random stream (`--seed` overrides it).
    public var seed: UInt64
    /// Simulated time at which the run stops; nil runs until every job has finished.
    public var horizon: TimeQuantity?
    /// The warm-up: the summary's job statistics cover jobs submitted after it, and its time
    /// averages the time after it (nil: the whole run).
    public var warmup: TimeQuantity?
    /// Additions and overrides to the built-in accelerator catalog.
    public var catalog: CatalogSpec
    public var cluster: ClusterSpec
    /// How jobs' network and storage time is priced.
    public var io: IOSpec
    public var workload: WorkloadSpec
    public var scheduling: SchedulingSpec
    /// The release pipeline: what new model versions become and how services move to them.
    public var release: ReleaseSpec
    /// Failures and recovery (nil: nothing fails).
    public var failures: FailureSpec?
    /// The facility's power, energy, cost and carbon (nil: not modelled).
    public var power: PowerSpec?
    /// The calendar date of time 0 (nil: an undated run whose day 0 is a Monday). Demand's
    /// seasons and weekdays, and the power model's climate, follow it.
    public var start: DateSpec?
    /// Set by a sampled run (never read from a file): this run is one period's sample.
    public var sample: SampleWindow?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, seed, start, horizon, warmup, catalog, cluster, io, workload, scheduling, release, failures, power
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name, default: "") { n in
            n.isEmpty || isPlainName(n) ? nil : "must use only letters, digits, '.', '_' and '-'"
        }
        seed = try c.decode(UInt64.self, forKey: .seed, default: 1)
        start = try c.decodeIfPresent(DateSpec.self, forKey: .start)
        horizon = try c.decodeIfPresent(TimeQuantity.self, forKey: .horizon)
        if let h = horizon, h.baseUnits <= 0 {
            throw try c.superDecoder(forKey: .horizon).scenarioError("horizon must be positive, got '\(h)'")
        }
        warmup = try c.decodeIfPresent(TimeQuantity.self, forKey: .warmup)
        if let w = warmup {
            if w.baseUnits < 0 { throw try c.superDecoder(forKey: .warmup).scenarioError("warmup must not be negative, got '\(w)'") }
            if let h = horizon, w.baseUnits >= h.baseUnits {
                throw try c.superDecoder(forKey: .warmup).scenarioError("warmup (\(w)) must be shorter than the horizon (\(h)): nothing would be measured")
            }
        }
        catalog = try c.decode(CatalogSpec.self, forKey: .catalog, default: CatalogSpec())
        cluster = try c.decode(ClusterSpec.self, forKey: .cluster)
        io = try c.decode(IOSpec.self, forKey: .io, default: IOSpec())
        workload = try c.decode(WorkloadSpec.self, forKey: .workload)
        scheduling = try c.decode(SchedulingSpec.self, forKey: .scheduling, default: SchedulingSpec())
        release = try c.decode(ReleaseSpec.self, forKey: .release, default: ReleaseSpec())
        failures = try c.decodeIfPresent(FailureSpec.self, forKey: .failures)
        power = try c.decodeIfPresent(PowerSpec.self, forKey: .power)
        if let s = start, power != nil, !(try c.nestedContainer(keyedBy: PowerSpec.CodingKeys.self, forKey: .power).contains(.start)) {
            power!.start = s.date.description
        }
        try checkCluster(c)
        try checkFailures(c)
        try checkPower(c)
        try checkFabricSize(c)
        try checkRelease(c)
        if io.model != .fabric {
            let classes = workload.classes.enumerated().filter { $0.element.allreduce != nil }.map { "workload.classes[\($0.offset)].allreduce" }
            let jobs = workload.jobs.enumerated().filter { $0.element.allreduce != nil }.map { "workload.jobs[\($0.offset)].allreduce" }
            if let first = (classes + jobs).first {
                throw try c.superDecoder(forKey: .workload).scenarioError("\(first) is priced on the shared fabric: set io.model: fabric (it is '\(io.model.rawValue)')")
            }
        }
        if io.storage == nil {
            let classes = workload.classes.enumerated().filter { $0.element.storage != nil }.map { "workload.classes[\($0.offset)].storage" }
            let jobs = workload.jobs.enumerated().filter { $0.element.storage != nil }.map { "workload.jobs[\($0.offset)].storage" }
            if let first = (classes + jobs).first {
                throw try c.superDecoder(forKey: .workload).scenarioError("\(first) is priced on the shared storage system: describe it in io.storage")
            }
        }
        try checkApplications(c)
        try checkAccepts(c)
        try Scenario.checkJobsFit(cluster.capacity(ofPool: cluster.poolNames[0]), workload, c)
        if horizon == nil, let open = workload.classes.first(where: { $0.jobs == nil }) {
            throw try c.superDecoder(forKey: .workload).scenarioError(
                "job class '\(open.name)' would generate jobs forever: give it 'jobs' (a count) or give the scenario a 'horizon'")
        }
        try checkCalendar(c)
        if horizon == nil, let app = workload.applications.first {
            throw try c.superDecoder(forKey: .workload).scenarioError(
                "application '\(app.name)' generates jobs and services until the horizon: give the scenario a 'horizon'")
        }
    }

    /// Seasons follow the calendar, so they need a start date; a trend (growth or season) is
    /// laid out day by day up to the horizon, which may be at most a century.
    func checkCalendar(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        guard workload.hasTrend else { return }
        let wc = try c.nestedContainer(keyedBy: WorkloadSpec.CodingKeys.self, forKey: .workload)
        if start == nil, let i = workload.applications.firstIndex(where: { workload.season(of: $0) != nil }) {
            let app = workload.applications[i]
            let at = app.seasonality == nil ? try wc.superDecoder(forKey: .seasonality)
                : try wc.superDecoder(forKey: .applications, item: i).container(keyedBy: ApplicationSpec.CodingKeys.self).superDecoder(forKey: .seasonality)
            throw at.scenarioError("application '\(app.name)' has a seasonality, which follows the calendar: give the scenario a 'start' date (YYYY-MM-DD)")
        }
        if let h = horizon, h.baseUnits > 36_500 * SimTime.nsPerDay {
            throw try c.superDecoder(forKey: .horizon).scenarioError("a run whose demand grows or follows seasons may last at most 100 years, got \(h)")
        }
    }

    /// Failures need a horizon (servers fail for ever), and hot spares name pools and are no
    /// more than the pool's servers.
    func checkFailures(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        guard let f = failures else { return }
        if horizon == nil {
            throw try c.superDecoder(forKey: .failures).scenarioError("failures go on for ever: give the scenario a 'horizon'")
        }
        let pools = cluster.poolNames
        let fc = try c.nestedContainer(keyedBy: FailureSpec.CodingKeys.self, forKey: .failures)
        for (i, spare) in f.hotSpares.enumerated() {
            let item = try fc.superDecoder(forKey: .hotSpares, item: i).container(keyedBy: HotSpareSpec.CodingKeys.self)
            guard pools.contains(spare.pool) else {
                throw try item.superDecoder(forKey: .pool).scenarioError(
                    "unknown pool '\(spare.pool)'\(didYouMean(spare.pool, among: pools)); the cluster's pools are \(pools.joined(separator: ", "))")
            }
            let servers = cluster.servers.filter { $0.pool == spare.pool }.reduce(0) { $0 + $1.count }
            if spare.servers > servers {
                throw try item.superDecoder(forKey: .servers).scenarioError(
                    "\(spare.servers) hot spares for pool '\(spare.pool)' is more than its \(servers) servers")
            }
        }
    }

    /// The storage a phase adds goes to tiers of `io.storage` that declare their servers.
    func checkPhaseStorage(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        let tiers = io.storage?.tiers ?? []
        for (i, phase) in cluster.phases.enumerated() {
            for (j, added) in phase.storage.enumerated() {
                let tier = tiers.first { $0.name == added.tier }
                guard tier?.servers == nil else { continue }
                let at = try c.nestedContainer(keyedBy: ClusterSpec.CodingKeys.self, forKey: .cluster).superDecoder(forKey: .phases, item: i)
                    .container(keyedBy: PhaseSpec.CodingKeys.self).superDecoder(forKey: .storage, item: j)
                    .container(keyedBy: PhaseStorageSpec.CodingKeys.self).superDecoder(forKey: .tier)
                let names = tiers.map(\.name)
                throw at.scenarioError(tier == nil
                    ? "phase '\(phase.name)' adds storage servers to tier '\(added.tier)'\(didYouMean(added.tier, among: names)); io.storage has \(names.isEmpty ? "no tiers" : "tiers " + names.joined(separator: ", "))"
                    : "phase '\(phase.name)' adds storage servers to tier '\(added.tier)', which does not declare its servers: give it 'servers' (how many share its bandwidth and IOPS now)")
            }
        }
    }

    /// Every server group's accelerator is in the catalog, and each pool has one accelerator model.
    func checkCluster(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        if !cluster.phases.isEmpty && start == nil {
            throw try c.nestedContainer(keyedBy: ClusterSpec.CodingKeys.self, forKey: .cluster).superDecoder(forKey: .phases)
                .scenarioError("cluster.phases arrive and retire on dates: give the scenario a 'start' date (YYYY-MM-DD)")
        }
        try checkPhaseStorage(c)
        let names = catalog.resolved.map(\.name)
        let cl = try c.nestedContainer(keyedBy: ClusterSpec.CodingKeys.self, forKey: .cluster)
        let listed = cl.contains(.servers) ? (try cl.nestedUnkeyedContainer(forKey: .servers).count ?? 0) : 0
        for (i, g) in cluster.servers.enumerated() {
            // Groups listed in the file are reported at their keys; groups from node lists at `nodeLists`.
            func at(_ key: ServerGroupSpec.CodingKeys) throws -> any Decoder {
                guard i < listed else { return try cl.superDecoder(forKey: .nodeLists) }
                return try cl.superDecoder(forKey: .servers, item: i).container(keyedBy: ServerGroupSpec.CodingKeys.self).superDecoder(forKey: key)
            }
            if !names.contains(g.accelerator) {
                let hint = didYouMean(g.accelerator, among: names)
                throw try at(.accelerator).scenarioError(
                    "unknown accelerator '\(g.accelerator)'\(hint); the catalog has \(names.joined(separator: ", ")) (add others under catalog.accelerators)")
            }
            if let first = cluster.servers.first(where: { $0.pool == g.pool }), first.accelerator != g.accelerator {
                throw try at(.pool).scenarioError(
                    "pool '\(g.pool)' mixes \(first.accelerator) (group '\(first.name)') and \(g.accelerator) (group '\(g.name)'); give the groups different 'pool' names")
            }
        }
    }

    /// Every accelerator a job class or listed job accepts is in some pool, and pools named by
    /// the scheduling section exist.
    func checkAccepts(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        let poolNames = cluster.poolNames
        if let bad = scheduling.sharing.pools.firstIndex(where: { !poolNames.contains($0.pool) }) {
            let name = scheduling.sharing.pools[bad].pool
            let sharing = try c.nestedContainer(keyedBy: SchedulingSpec.CodingKeys.self, forKey: .scheduling)
                .nestedContainer(keyedBy: SharingSpec.CodingKeys.self, forKey: .sharing)
            throw try sharing.superDecoder(forKey: .pools, item: bad).scenarioError(
                "unknown pool '\(name)'\(didYouMean(name, among: poolNames)); the cluster's pools are \(poolNames.joined(separator: ", "))")
        }
        let present = cluster.servers.map(\.accelerator)
        let w = try c.nestedContainer(keyedBy: WorkloadSpec.CodingKeys.self, forKey: .workload)
        func check(_ accepts: [AcceptedAcceleratorSpec]?, _ item: () throws -> any Decoder) throws {
            for a in accepts ?? [] where !present.contains(a.accelerator) {
                throw try item().scenarioError("accepts '\(a.accelerator)'\(didYouMean(a.accelerator, among: present)) but no pool has it; the cluster has \(Array(Set(present)).sorted().joined(separator: ", "))")
            }
        }
        for (i, k) in workload.classes.enumerated() {
            try check(k.accepts) { try w.superDecoder(forKey: .classes, item: i).container(keyedBy: JobClassSpec.CodingKeys.self).superDecoder(forKey: .accepts) }
        }
        for (i, j) in workload.jobs.enumerated() {
            try check(j.accepts) { try w.superDecoder(forKey: .jobs, item: i).container(keyedBy: ListedJobSpec.CodingKeys.self).superDecoder(forKey: .accepts) }
        }
    }

    /// The shared fabric holds a few links per NIC port: at most 2^22 ports (a hundred times a
    /// national hub's), so it fits in memory.
    func checkFabricSize(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        guard io.model == .fabric else { return }
        var ports = 0
        for (i, g) in cluster.servers.enumerated() {
            ports += g.count * max(1, g.nics.count)
            guard ports > 1 << 22 else { continue }
            let cl = try c.nestedContainer(keyedBy: ClusterSpec.CodingKeys.self, forKey: .cluster)
            let listed = cl.contains(.servers) ? (try cl.nestedUnkeyedContainer(forKey: .servers).count ?? 0) : 0
            let at = i < listed ? try cl.superDecoder(forKey: .servers, item: i) : try cl.superDecoder(forKey: .nodeLists)
            throw at.scenarioError("the fabric would have \(ports) NIC ports up to server group '\(g.name)'; at most \(1 << 22) fit a run (io.model: fabric)")
        }
    }

    /// Pools named by `release.lendingPools` exist.
    func checkRelease(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        let pools = cluster.poolNames
        guard let bad = release.lendingPools.firstIndex(where: { !pools.contains($0) }) else { return }
        let name = release.lendingPools[bad]
        let r = try c.nestedContainer(keyedBy: ReleaseSpec.CodingKeys.self, forKey: .release)
        let d = try r.superDecoder(forKey: .lendingPools, item: bad)
        throw d.scenarioError("unknown pool '\(name)' in \(d.scenarioPath)\(didYouMean(name, among: pools)); the cluster's pools are \(pools.joined(separator: ", "))")
    }

    /// Applications have unique names, pinned pools exist, and services run until a horizon.
    func checkApplications(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        let w = try c.nestedContainer(keyedBy: WorkloadSpec.CodingKeys.self, forKey: .workload)
        try requireUnique(workload.applications.map(\.name), w, .applications, what: "application")
        let pools = cluster.poolNames
        func checkPool(_ p: String?, _ d: @autoclosure () throws -> any Decoder) throws {
            guard let p, !pools.contains(p) else { return }
            let hint = didYouMean(p, among: pools)
            throw try d().scenarioError("unknown pool '\(p)'\(hint); the cluster's pools are \(pools.joined(separator: ", "))")
        }
        for (i, t) in workload.traces.enumerated() {
            try checkPool(t.pool, try w.superDecoder(forKey: .traces, item: i).container(keyedBy: TraceSpec.CodingKeys.self).superDecoder(forKey: .pool))
        }
        for (a, app) in workload.applications.enumerated() {
            let item = try w.superDecoder(forKey: .applications, item: a).container(keyedBy: ApplicationSpec.CodingKeys.self)
            for (i, j) in app.jobs.enumerated() {
                try checkPool(j.pool, try item.superDecoder(forKey: .jobs, item: i).container(keyedBy: JobMixSpec.CodingKeys.self).superDecoder(forKey: .pool))
            }
            for (i, s) in app.services.enumerated() {
                try checkPool(s.pool, try item.superDecoder(forKey: .services, item: i).container(keyedBy: ServiceSpec.CodingKeys.self).superDecoder(forKey: .pool))
            }
        }
    }
}

extension Scenario {
    /// Jobs that can never fit are bad input when the scenario itself says so: a listed job larger
    /// than the cluster (here), or a job class whose every possible size is (once its sizes are
    /// known, after the files are read: ``checkSizes(_:)``). A class that only sometimes draws too
    /// large a job is valid; those jobs are rejected at submission with a reason.
    static func checkJobsFit(_ capacity: Int, _ workload: WorkloadSpec, _ c: KeyedDecodingContainer<CodingKeys>) throws {
        let w = try c.nestedContainer(keyedBy: WorkloadSpec.CodingKeys.self, forKey: .workload)
        if let i = workload.jobs.firstIndex(where: { $0.accelerators > capacity && $0.accepts == nil }) {
            let job = try w.superDecoder(forKey: .jobs, item: i).container(keyedBy: ListedJobSpec.CodingKeys.self)
            throw try job.superDecoder(forKey: .accelerators).scenarioError(
                "listed job \(i) asks for \(workload.jobs[i].accelerators) accelerators but the cluster has \(capacity); it could never run")
        }
    }
}

/// Whether `name` is usable in file names and stream names: non-empty letters, digits, `.`, `_`, `-`.
func isPlainName(_ name: String) -> Bool {
    !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) }
}
