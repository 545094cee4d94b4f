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
        if let h = horizon, h.baseUnits > 100 * 365 * 86_400_000_000_000 {
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

    /// Every server group's accelerator is in the catalog, and each pool has one accelerator model.
    func checkCluster(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        if !cluster.phases.isEmpty && start == nil {
            throw try c.nestedContainer(keyedBy: ClusterSpec.CodingKeys.self, forKey: .cluster).superDecoder(forKey: .phases)
                .scenarioError("cluster.phases arrive and retire on dates: give the scenario a 'start' date (YYYY-MM-DD)")
        }
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

/// The demand: application scenarios, synthetic job classes and/or explicitly listed jobs.
public struct WorkloadSpec: Codable, Sendable, Equatable {
    /// The guide's application scenarios (inline, or `include:`d from other scenario files).
    public var applications: [ApplicationSpec]
    public var classes: [JobClassSpec]
    public var jobs: [ListedJobSpec]
    /// Real job traces replayed as demand.
    public var traces: [TraceSpec]
    /// Growth of every application's demand that does not give its own (nil: none).
    public var growth: GrowthSpec?
    /// Demand over the year of every application that does not give its own (nil: none).
    public var seasonality: SeasonalitySpec?
    /// The city's figures that drive its applications' demand (cameras, imaging studies, ...).
    public var city: CityFiguresSpec?

    enum CodingKeys: String, CodingKey, CaseIterable { case applications, classes, jobs, traces, growth, seasonality, city }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        applications = try c.decode([ApplicationSpec].self, forKey: .applications, default: [])
        classes = try c.decode([JobClassSpec].self, forKey: .classes, default: [])
        jobs = try c.decode([ListedJobSpec].self, forKey: .jobs, default: [])
        traces = try c.decode([TraceSpec].self, forKey: .traces, default: [])
        growth = try c.decodeIfPresent(GrowthSpec.self, forKey: .growth)
        seasonality = try c.decodeIfPresent(SeasonalitySpec.self, forKey: .seasonality)
        city = try c.decodeIfPresent(CityFiguresSpec.self, forKey: .city)
        try applyCity(c)
        if applications.isEmpty && classes.isEmpty && jobs.isEmpty && traces.isEmpty {
            throw decoder.scenarioError("the workload has no jobs: give workload.applications, workload.classes, workload.jobs or workload.traces")
        }
        try requireUnique(traces.map(\.name), c, .traces, what: "trace")
        var seen: Set<String> = []
        for (i, k) in classes.enumerated() where !seen.insert(k.name).inserted {
            throw try c.superDecoder(forKey: .classes, item: i).scenarioError("duplicate job class name '\(k.name)' (names seed the random streams and must be unique)")
        }
    }
}

/// Where a sampled run's sample sits in the scenario's calendar: its time 0 is `offsetDays`
/// after the scenario's, and its demand is the period `[periodFromDay, periodToDay)`'s mean
/// (growth and season held at their mean over the period; the daily and weekly cycles go on).
public struct SampleWindow: Sendable, Equatable {
    public var offsetDays: Int
    public var periodFromDay: Int
    public var periodToDay: Int

    public init(offsetDays: Int, periodFromDay: Int, periodToDay: Int) {
        self.offsetDays = offsetDays
        self.periodFromDay = periodFromDay
        self.periodToDay = periodToDay
    }
}

/// A calendar date written `YYYY-MM-DD`.
public struct DateSpec: Codable, Sendable, Equatable {
    public var date: CivilDate

    public init(_ date: CivilDate) { self.date = date }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = CivilDate(text) else {
            throw decoder.scenarioError("\(decoder.scenarioPath) must be a date YYYY-MM-DD, got '\(text)'")
        }
        date = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(date.description)
    }
}

extension WorkloadSpec {
    /// The growth of `app`'s demand: its own, else the workload's.
    public func growthPath(of app: ApplicationSpec) -> GrowthPath { (app.growth ?? growth)?.path ?? .none }

    /// The season of `app`'s demand: its own, else the workload's.
    public func season(of app: ApplicationSpec) -> Seasonality? { (app.seasonality ?? seasonality)?.season }

    /// Whether any application's demand changes over the calendar (growth or season).
    public var hasTrend: Bool {
        applications.contains { growthPath(of: $0) != .none || season(of: $0) != nil }
    }

    /// Sets each application's driver factor from the city's figures; every city figure must
    /// drive some application.
    mutating func applyCity(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        guard let city else { return }
        let units = applications.compactMap { $0.driver?.unit }
        for (name, _) in city.figures where !units.contains(name) {
            throw try c.superDecoder(forKey: .city).scenarioError(
                "workload.city.\(name) drives no application\(didYouMean(name, among: units)); the applications' drivers are \(units.isEmpty ? "none" : units.joined(separator: ", "))")
        }
        for i in applications.indices {
            guard let d = applications[i].driver, let count = city.figures.first(where: { $0.name == d.unit })?.count else { continue }
            applications[i].driverFactor = count / d.reference
        }
    }
}

/// The city's figures (`workload.city`): counts of the units that drive demand, by name
/// (`cameras: 200000`), kept in name order.
public struct CityFiguresSpec: Codable, Sendable, Equatable {
    public var figures: [(name: String, count: Double)]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        figures = try c.allKeys.sorted { $0.stringValue < $1.stringValue }.map { k in
            (k.stringValue, try c.decode(Double.self, forKey: k) { $0 >= 0 && $0 <= 1e15 ? nil : "must be a count between 0 and 1e15" })
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for f in figures { try c.encode(f.count, forKey: Key(stringValue: f.name)) }
    }

    public static func == (a: CityFiguresSpec, b: CityFiguresSpec) -> Bool {
        a.figures.map(\.name) == b.figures.map(\.name) && a.figures.map(\.count) == b.figures.map(\.count)
    }
}

/// A synthetic job class: arrivals and job shapes drawn from distributions.
public struct JobClassSpec: Codable, Sendable, Equatable {
    /// Unique name; it names the class's random streams (`arrivals/NAME`, ...).
    public var name: String
    /// How many jobs the class submits (nil: until the horizon).
    public var jobs: Int?
    /// No job of the class arrives before this time.
    public var start: TimeQuantity
    /// Time between consecutive submissions.
    public var interarrival: DistributionSpec<TimeUnit>
    /// Accelerators per job (rounded to an integer, at least 1).
    public var accelerators: DistributionSpec<CountUnit>
    /// Run time of each job.
    public var duration: DistributionSpec<TimeUnit>
    /// Strict priority of its jobs under the `priority` policy (higher first).
    public var priority: Int8
    /// Host CPU cores and memory each job needs (for `drf`; absent: in proportion to its accelerators).
    public var cpu: Double?
    public var memory: ByteQuantity?
    /// Elastic jobs: they may run on `min` to `max` accelerators (their run time is for `accelerators`).
    public var elastic: ElasticSpec?
    /// Accelerator kinds its jobs accept, with speed factors (absent: the first pool only).
    public var accepts: [AcceptedAcceleratorSpec]?
    /// Each job's gradient all-reduce on the fabric (`io.model: fabric`); `duration` is then compute alone.
    public var allreduce: AllReduceSpec?
    /// Each job's reads and writes on the shared storage system (`io.storage`).
    public var storage: StorageNeedsSpec?

    enum CodingKeys: String, CodingKey, CaseIterable, JobNeedsKeys {
        case name, jobs, start, interarrival, accelerators, duration, priority, cpu, memory, elastic, accepts, allreduce, storage
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name) { n in
            isPlainName(n) ? nil : "must be a non-empty name of letters, digits, '.', '_' and '-'"
        }
        jobs = try c.decodeIfPresent(Int.self, forKey: .jobs)
        if let j = jobs, j < 1 { throw try c.superDecoder(forKey: .jobs).scenarioError("\(decoder.scenarioPath).jobs must be at least 1, got \(j)") }
        start = try c.decode(TimeQuantity.self, forKey: .start, default: TimeQuantity(baseUnits: 0))
        interarrival = try c.decode(DistributionSpec<TimeUnit>.self, forKey: .interarrival)
        accelerators = try c.decodeAcceleratorCounts(forKey: .accelerators)
        duration = try c.decode(DistributionSpec<TimeUnit>.self, forKey: .duration)
        priority = try c.decode(Int8.self, forKey: .priority, default: 0)
        (cpu, memory, elastic, accepts, allreduce) = try decodeJobNeeds(c)
        storage = try c.decodeIfPresent(StorageNeedsSpec.self, forKey: .storage)
    }
}

/// One explicitly listed job.
public struct ListedJobSpec: Codable, Sendable, Equatable {
    public var submit: TimeQuantity
    public var accelerators: Int
    public var duration: TimeQuantity
    /// Tenant name (for fair-share, DRF and quota policies); absent: none.
    public var tenant: String?
    /// Host CPU cores and memory it needs (for `drf`).
    public var cpu: Double?
    public var memory: ByteQuantity?
    /// Elastic: it may run on `min` to `max` accelerators (its duration is for `accelerators`).
    public var elastic: ElasticSpec?
    /// Accelerator kinds it accepts, with speed factors (absent: the first pool only).
    public var accepts: [AcceptedAcceleratorSpec]?
    /// Its gradient all-reduce on the fabric (`io.model: fabric`); `duration` is then compute alone.
    public var allreduce: AllReduceSpec?
    /// Its reads and writes on the shared storage system (`io.storage`).
    public var storage: StorageNeedsSpec?

    enum CodingKeys: String, CodingKey, CaseIterable, JobNeedsKeys { case submit, accelerators, duration, tenant, cpu, memory, elastic, accepts, allreduce, storage }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        submit = try c.decode(TimeQuantity.self, forKey: .submit)
        accelerators = try c.decode(Int.self, forKey: .accelerators) { $0 < 0 ? "must not be negative" : ($0 > InputLimits.maxAccelerators ? "must be at most \(InputLimits.maxAccelerators)" : nil) }
        duration = try c.decode(TimeQuantity.self, forKey: .duration)
        tenant = try c.decodeIfPresent(String.self, forKey: .tenant)
        (cpu, memory, elastic, accepts, allreduce) = try decodeJobNeeds(c)
        storage = try c.decodeIfPresent(StorageNeedsSpec.self, forKey: .storage)
        if let e = elastic, !(e.min <= accelerators && accelerators <= e.max) {
            throw try c.superDecoder(forKey: .elastic).scenarioError("elastic range \(e.min)...\(e.max) must contain the job's \(accelerators) accelerators")
        }
    }
}

/// Coding keys of a spec with host needs, elasticity and accepted accelerators (job classes
/// and listed jobs share these keys and their decoding).
protocol JobNeedsKeys: CodingKey {
    static var cpu: Self { get }
    static var memory: Self { get }
    static var elastic: Self { get }
    static var accepts: Self { get }
    static var allreduce: Self { get }
}

/// Decodes `cpu`, `memory`, `elastic`, `accepts` and `allreduce`, with their checks.
func decodeJobNeeds<K: JobNeedsKeys>(_ c: KeyedDecodingContainer<K>) throws
    -> (cpu: Double?, memory: ByteQuantity?, elastic: ElasticSpec?, accepts: [AcceptedAcceleratorSpec]?, allreduce: AllReduceSpec?) {
    let cpu = try c.decodeIfPresent(Double.self, forKey: .cpu)
    if let v = cpu, v < 0 { throw try c.superDecoder(forKey: .cpu).scenarioError("cpu must not be negative, got \(v)") }
    let accepts = try c.decodeIfPresent([AcceptedAcceleratorSpec].self, forKey: .accepts)
    if accepts?.isEmpty == true { throw try c.superDecoder(forKey: .accepts).scenarioError("accepts must not be empty (leave it out for the first pool)") }
    let allreduce = try c.decodeIfPresent(AllReduceSpec.self, forKey: .allreduce)
    if allreduce != nil, try c.decodeIfPresent(ElasticSpec.self, forKey: .elastic) != nil {
        throw try c.superDecoder(forKey: .allreduce).scenarioError("allreduce is not supported for elastic jobs (their rings change size)")
    }
    return (cpu, try c.decodeIfPresent(ByteQuantity.self, forKey: .memory), try c.decodeIfPresent(ElasticSpec.self, forKey: .elastic), accepts, allreduce)
}

/// A job's gradient all-reduce (`allreduce:` of a job class or listed job): every iteration
/// each data-parallel rank all-reduces `bytes` after `iteration` of compute, `overlap` of it
/// hidden (default `io.allreduceOverlap`); `tensorParallel` ranks form one replica (one ring
/// per replica rank), so the data-parallel degree is accelerators / tensorParallel.
public struct AllReduceSpec: Codable, Sendable, Equatable {
    public var bytes: ByteQuantity
    public var iteration: TimeQuantity
    public var overlap: Double?
    public var tensorParallel: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case bytes, iteration, overlap, tensorParallel }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bytes = try c.decode(ByteQuantity.self, forKey: .bytes) { $0.baseUnits <= 0 ? "must be positive" : nil }
        iteration = try c.decode(TimeQuantity.self, forKey: .iteration) { $0.baseUnits <= 0 ? "must be positive" : nil }
        overlap = try c.decodeIfPresent(Double.self, forKey: .overlap)
        if let o = overlap, !(0...1).contains(o) { throw try c.superDecoder(forKey: .overlap).scenarioError("overlap must be between 0 and 1, got \(o)") }
        tensorParallel = try c.decode(Int.self, forKey: .tensorParallel, default: 1) { $0 < 1 ? "must be at least 1" : nil }
    }

    /// The workload model's template, with the scenario's default overlap.
    public func template(defaultOverlap: Double) -> AllReduceTemplate {
        AllReduceTemplate(bytesPerIteration: Double(bytes.baseUnits), computeSPerIteration: Double(iteration.baseUnits) / 1e9,
                          overlap: overlap ?? defaultOverlap, ranksPerReplica: tensorParallel)
    }
}

/// Host needs in the units jobs carry.
public protocol HostNeedsSpec {
    var cpu: Double? { get }
    var memory: ByteQuantity? { get }
}

extension HostNeedsSpec {
    /// Thousandths of a core (0: not given).
    public var cpuMilli: Int64 { cpu.map { Int64(($0 * 1000).rounded()) } ?? 0 }
    /// MiB (0: not given).
    public var memoryMiB: Int64 { memory.map { $0.baseUnits / 1_048_576 } ?? 0 }
}

extension JobClassSpec: HostNeedsSpec {}
extension ListedJobSpec: HostNeedsSpec {}

/// The accelerators an elastic training job may run on.
public struct ElasticSpec: Codable, Sendable, Equatable {
    public var min: Int
    public var max: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case min, max }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        min = try c.decode(Int.self, forKey: .min) { $0 < 1 ? "must be at least 1" : nil }
        max = try c.decode(Int.self, forKey: .max) { [min] in $0 < min ? "must be at least min (\(min))" : nil }
    }
}

/// An accelerator kind a job accepts: every pool of that accelerator, at `speed` times the
/// speed its `duration` is stated for.
public struct AcceptedAcceleratorSpec: Codable, Sendable, Equatable {
    public var accelerator: String
    public var speed: Double

    enum CodingKeys: String, CodingKey, CaseIterable { case accelerator, speed }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        accelerator = try c.decode(String.self, forKey: .accelerator)
        speed = try c.decode(Double.self, forKey: .speed, default: 1) { $0 <= 0 || $0 > 1000 ? "must be in (0, 1000]" : nil }
    }
}

/// A job's traffic on the shared storage system (`storage:` of a job class or listed job):
/// `ingest` bytes of data set `dataset` read before it computes, `read` bytes of it while it
/// computes and `write` bytes (checkpoints) written while it computes, in files of `fileSize`.
public struct StorageNeedsSpec: Codable, Sendable, Equatable {
    public var dataset: String
    public var ingest: ByteQuantity
    public var read: ByteQuantity
    public var write: ByteQuantity
    public var fileSize: ByteQuantity

    enum CodingKeys: String, CodingKey, CaseIterable { case dataset, ingest, read, write, fileSize }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dataset = try c.decode(String.self, forKey: .dataset) { isPlainName($0) ? nil : "must be a non-empty name of letters, digits, '.', '_' and '-'" }
        let zero = ByteQuantity(baseUnits: 0)
        ingest = try c.decode(ByteQuantity.self, forKey: .ingest, default: zero)
        read = try c.decode(ByteQuantity.self, forKey: .read, default: zero)
        write = try c.decode(ByteQuantity.self, forKey: .write, default: zero)
        fileSize = try c.decode(ByteQuantity.self, forKey: .fileSize, default: ByteQuantity(baseUnits: 1_000_000_000)) { $0.baseUnits <= 0 ? "must be positive" : nil }
    }

    /// The workload model's demand, for data set number `dataset`.
    public func demand(dataset id: Int32) -> StorageDemand {
        StorageDemand(dataset: id, ingestBytes: Double(ingest.baseUnits), streamReadBytes: Double(read.baseUnits),
                      writeBytes: Double(write.baseUnits), fileBytes: Double(fileSize.baseUnits))
    }
}
