import SimKernel
import Workloads

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
    /// How the models of every application that does not give its own grow (nil: they do not).
    public var modelGrowth: ModelGrowthSpec?

    enum CodingKeys: String, CodingKey, CaseIterable { case applications, classes, jobs, traces, growth, seasonality, city, modelGrowth }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        applications = try c.decode([ApplicationSpec].self, forKey: .applications, default: [])
        classes = try c.decode([JobClassSpec].self, forKey: .classes, default: [])
        jobs = try c.decode([ListedJobSpec].self, forKey: .jobs, default: [])
        traces = try c.decode([TraceSpec].self, forKey: .traces, default: [])
        growth = try c.decodeIfPresent(GrowthSpec.self, forKey: .growth)
        seasonality = try c.decodeIfPresent(SeasonalitySpec.self, forKey: .seasonality)
        city = try c.decodeIfPresent(CityFiguresSpec.self, forKey: .city)
        modelGrowth = try c.decodeIfPresent(ModelGrowthSpec.self, forKey: .modelGrowth)
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

extension WorkloadSpec {
    /// How `app`'s models grow: its own trend, else the workload's (nil: they do not).
    public func modelGrowth(of app: ApplicationSpec) -> ModelGrowthSpec? { app.modelGrowth ?? modelGrowth }

    /// The growth of `app`'s demand: its own, else the workload's.
    public func growthPath(of app: ApplicationSpec) -> GrowthPath { (app.growth ?? growth)?.path ?? .none }

    /// The season of `app`'s demand: its own, else the workload's.
    public func season(of app: ApplicationSpec) -> Seasonality? { (app.seasonality ?? seasonality)?.season }

    /// `app`'s growth and season day by day over `days` days from `start` (nil: its demand has
    /// neither). A season needs the start date (validation asks for it).
    public func trend(of app: ApplicationSpec, start: CivilDate?, days: Int) -> DemandTrend? {
        let growth = growthPath(of: app), season = season(of: app)
        guard growth != .none || season != nil else { return nil }
        return DemandTrend(growth: growth, season: season, start: start, days: days)
    }

    /// Days of the run a trend covers: the horizon's, at most a century (validation's limit).
    public static func trendDays(horizonNs: SimTimeNs) -> Int {
        Int(min(horizonNs, 36_500 * SimTime.nsPerDay) / SimTime.nsPerDay) + 1
    }

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
