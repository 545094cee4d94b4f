import Release
import Production
import SimKernel
import Workloads

/// One of the guide's application scenarios as a scenario writes it: tenants, models, a job mix,
/// online services and the demand cycle. Keys are listed in `docs/scenario-reference.md`; the
/// eleven shipped ones are described in `docs/scenarios.md`.
public struct ApplicationSpec: Codable, Sendable, Equatable {
    /// Unique name; it names the random streams of the application.
    public var name: String
    /// Where the figures come from.
    public var note: String
    /// Demand multiplier: job rates and request rates are multiplied by it.
    public var scale: Double
    /// A further multiplier of its inference demand alone: its services' request rates and its
    /// batch-inference jobs' rates (1: as written).
    public var inferenceScale: Double
    public var cycle: CycleSpec
    public var tenants: [TenantSpec]
    public var models: [ModelSpec]
    public var jobs: [JobMixSpec]
    public var services: [ServiceSpec]
    /// Growth of its demand over the years (nil: the workload's `growth`, else none).
    public var growth: GrowthSpec?
    /// Its demand over the year (nil: the workload's `seasonality`, else none).
    public var seasonality: SeasonalitySpec?
    /// What drives its demand in a city, with the factor (nil: its rates are as written).
    public var driver: DriverSpec?
    /// How the models it trains grow over the years (nil: the workload's `modelGrowth`, else none).
    public var modelGrowth: ModelGrowthSpec?
    /// The city's count of the driver's unit over the driver's reference (1 without a driver
    /// or a city figure for it); set by the workload, which holds the city's figures.
    public internal(set) var driverFactor: Double = 1

    /// The multiplier of its written rates: `scale` times the driver's factor.
    public var rateScale: Double { scale * driverFactor }

    /// The multiplier of its services' written request rates: ``rateScale`` × `inferenceScale`.
    public var serviceRateScale: Double { rateScale * inferenceScale }

    /// The multiplier of a job-mix line's written rate: batch inference also takes `inferenceScale`.
    public func rateScale(of kind: JobMixKind) -> Double { kind == .batch_inference ? serviceRateScale : rateScale }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, note, scale, inferenceScale, cycle, tenants, models, jobs, services, growth, seasonality, driver, modelGrowth }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name) { isPlainName($0) ? nil : "must be a plain name (letters, digits, '.', '_', '-')" }
        note = try c.decode(String.self, forKey: .note, default: "")
        scale = try c.decode(Double.self, forKey: .scale, default: 1) { $0 < 0 || $0 > 1e6 ? "must be between 0 and 1000000" : nil }
        inferenceScale = try c.decode(Double.self, forKey: .inferenceScale, default: 1) { $0 < 0 || $0 > 1e6 ? "must be between 0 and 1000000" : nil }
        cycle = try c.decode(CycleSpec.self, forKey: .cycle, default: CycleSpec())
        tenants = try c.decode([TenantSpec].self, forKey: .tenants) { $0.isEmpty ? "must list at least one tenant" : nil }
        models = try c.decode([ModelSpec].self, forKey: .models, default: [])
        jobs = try c.decode([JobMixSpec].self, forKey: .jobs, default: [])
        services = try c.decode([ServiceSpec].self, forKey: .services, default: [])
        growth = try c.decodeIfPresent(GrowthSpec.self, forKey: .growth)
        seasonality = try c.decodeIfPresent(SeasonalitySpec.self, forKey: .seasonality)
        driver = try c.decodeIfPresent(DriverSpec.self, forKey: .driver)
        modelGrowth = try c.decodeIfPresent(ModelGrowthSpec.self, forKey: .modelGrowth)
        if jobs.isEmpty && services.isEmpty {
            throw decoder.scenarioError("application '\(name)' has neither jobs nor services")
        }
        try requireUnique(tenants.map(\.name), c, .tenants, what: "tenant")
        try requireUnique(models.map(\.name), c, .models, what: "model")
        try requireUnique(services.map(\.name), c, .services, what: "service")
        let modelNames = models.map(\.name), tenantNames = tenants.map(\.name)
        func unknown(_ value: String, _ names: [String], _ what: String, _ d: any Decoder) -> any Error {
            let hint = didYouMean(value, among: names)
            return d.scenarioError("unknown \(what) '\(value)' in application '\(name)'\(hint); it defines \(names.isEmpty ? "none" : names.joined(separator: ", "))")
        }
        for (i, j) in jobs.enumerated() {
            let item = try c.superDecoder(forKey: .jobs, item: i).container(keyedBy: JobMixSpec.CodingKeys.self)
            if let m = j.model, !modelNames.contains(m) { throw unknown(m, modelNames, "model", try item.superDecoder(forKey: .model)) }
            for t in j.tenants ?? [] where !tenantNames.contains(t) { throw unknown(t, tenantNames, "tenant", try item.superDecoder(forKey: .tenants)) }
        }
        for (i, s) in services.enumerated() {
            let item = try c.superDecoder(forKey: .services, item: i).container(keyedBy: ServiceSpec.CodingKeys.self)
            if !modelNames.contains(s.model) { throw unknown(s.model, modelNames, "model", try item.superDecoder(forKey: .model)) }
            if let t = s.tenant, !tenantNames.contains(t) { throw unknown(t, tenantNames, "tenant", try item.superDecoder(forKey: .tenant)) }
        }
    }

    /// The model called `name`.
    public func model(named name: String) -> ModelSpec? { models.first { $0.name == name } }
}

func requireUnique<K: CodingKey>(_ names: [String], _ c: KeyedDecodingContainer<K>, _ key: K, what: String) throws {
    var seen: Set<String> = []
    for (i, n) in names.enumerated() where !seen.insert(n).inserted {
        throw try c.superDecoder(forKey: key, item: i).scenarioError("duplicate \(what) name '\(n)'")
    }
}

/// Demand over the day and the week: 24 hourly and 7 daily (Monday first) multipliers, or a
/// preset name. Each list is normalised to mean 1, so it shapes demand without changing its mean.
public struct CycleSpec: Codable, Sendable, Equatable {
    public var diurnal: [Double]
    public var weekly: [Double]

    enum CodingKeys: String, CodingKey, CaseIterable { case diurnal, weekly }

    /// Named diurnal shapes.
    public static let diurnalPresets: [(name: String, values: [Double])] = [
        ("flat", Array(repeating: 1, count: 24)),
        // Working hours: low at night, peaks mid-morning and mid-afternoon.
        ("office", [0.3, 0.25, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1.2, 1.6, 1.7, 1.6, 1.2, 1.4, 1.7, 1.7, 1.6, 1.4, 1.1, 0.9, 0.8, 0.7, 0.5, 0.4]),
        // Consumer services: low before dawn, high through the day, peak in the evening.
        ("evening", [0.5, 0.35, 0.25, 0.2, 0.2, 0.3, 0.5, 0.8, 1.0, 1.1, 1.15, 1.2, 1.25, 1.2, 1.15, 1.15, 1.2, 1.3, 1.5, 1.7, 1.8, 1.7, 1.3, 0.8]),
        // Industrial three-shift operation: nearly flat with shift-change dips.
        ("shifts", [1.0, 1.0, 1.0, 0.95, 0.95, 0.9, 0.8, 1.0, 1.05, 1.05, 1.05, 1.0, 0.95, 1.05, 1.05, 1.05, 1.0, 0.95, 0.9, 1.0, 1.05, 1.05, 1.0, 1.0]),
    ]

    /// Named weekly shapes (Monday first).
    public static let weeklyPresets: [(name: String, values: [Double])] = [
        ("flat", Array(repeating: 1, count: 7)),
        ("weekdays", [1.15, 1.2, 1.2, 1.2, 1.1, 0.6, 0.55]),
        ("weekends", [0.9, 0.9, 0.9, 0.95, 1.05, 1.2, 1.2]),
    ]

    public init() {
        diurnal = Self.diurnalPresets[0].values
        weekly = Self.weeklyPresets[0].values
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        diurnal = try Self.profile(c, .diurnal, count: 24, presets: Self.diurnalPresets)
        weekly = try Self.profile(c, .weekly, count: 7, presets: Self.weeklyPresets)
    }

    static func profile(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, count: Int,
                        presets: [(name: String, values: [Double])]) throws -> [Double] {
        guard c.contains(key) else { return presets[0].values }
        let d = try c.superDecoder(forKey: key)
        if let nd = d as? NodeDecoder, let text = nd.scalarText {
            guard let p = presets.first(where: { $0.name == text }) else {
                let names = presets.map(\.name)
                let hint = didYouMean(text, among: names)
                throw d.scenarioError("unknown \(key.stringValue) preset '\(text)'\(hint); expected one of \(names.joined(separator: ", ")) or a list of \(count) numbers")
            }
            return p.values
        }
        let v = try [Double].init(from: d)
        guard v.count == count else { throw d.scenarioError("\(d.scenarioPath) needs \(count) numbers, found \(v.count)") }
        guard v.allSatisfy({ $0 >= 0 }), v.contains(where: { $0 > 0 }) else {
            throw d.scenarioError("\(d.scenarioPath) values must be non-negative and not all zero")
        }
        return v
    }

    public var arrivalCycle: ArrivalCycle { ArrivalCycle(diurnal: diurnal, weekly: weekly) }
}

extension TenantType: ScenarioEnum {}
extension CompressionMethod: ScenarioEnum {}
extension EfficiencyScope: ScenarioEnum {}

/// A tenant of an application (the guide's government, enterprises, research institutes, start-ups).
public struct TenantSpec: Codable, Sendable, Equatable {
    public var name: String
    public var type: TenantType
    /// Relative share of the application's jobs.
    public var share: Double
    /// Strict priority of its jobs under the `priority` policy (higher first).
    public var priority: Int8

    enum CodingKeys: String, CodingKey, CaseIterable { case name, type, share, priority }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name) { isPlainName($0) ? nil : "must be a plain name" }
        type = try c.decode(TenantType.self, forKey: .type)
        share = try c.decode(Double.self, forKey: .share, default: 1) { $0 <= 0 ? "must be positive" : nil }
        priority = try c.decode(Int8.self, forKey: .priority, default: 0)
    }
}

/// A model an application trains or serves.
public struct ModelSpec: Codable, Sendable, Equatable {
    public var name: String
    public var family: ModelFamily
    public var parameters: CountQuantity
    /// Training FLOPs (forward and backward) per sample; for `family: llm` per token, 6·N by default.
    public var trainFlopsPerSample: FlopQuantity
    /// Bytes of one training sample on storage.
    public var sampleBytes: ByteQuantity
    public var precision: Precision
    /// Model FLOPs utilisation; absent for the family's default on the device.
    public var mfu: Double?
    /// What the MFU covers: `end_to_end` (communication included, as published MFUs are; the
    /// default when absent) or `compute` (the I/O model adds the exposed all-reduce).
    public var mfuScope: EfficiencyScope?
    /// Samples (tokens for language models) per optimizer step.
    public var batch: CountQuantity

    enum CodingKeys: String, CodingKey, CaseIterable { case name, family, parameters, trainFlopsPerSample, sampleBytes, precision, mfu, mfuScope, batch }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name) { isPlainName($0) ? nil : "must be a plain name" }
        family = try c.decode(ModelFamily.self, forKey: .family)
        parameters = try c.decode(CountQuantity.self, forKey: .parameters) { $0.baseUnits < 1 ? "must be at least 1" : nil }
        if family == .llm {
            trainFlopsPerSample = try c.decode(FlopQuantity.self, forKey: .trainFlopsPerSample,
                                               default: FlopQuantity(baseUnits: 6 * parameters.baseUnits))
        } else {
            guard c.contains(.trainFlopsPerSample) else {
                throw decoder.scenarioError("model '\(name)' (family \(family.rawValue)) needs 'trainFlopsPerSample' (only llm models default to 6 x parameters per token)")
            }
            trainFlopsPerSample = try c.decode(FlopQuantity.self, forKey: .trainFlopsPerSample)
        }
        if trainFlopsPerSample.baseUnits <= 0 { throw try c.superDecoder(forKey: .trainFlopsPerSample).scenarioError("trainFlopsPerSample must be positive") }
        sampleBytes = try c.decode(ByteQuantity.self, forKey: .sampleBytes, default: ByteQuantity(baseUnits: 0))
        precision = try c.decode(Precision.self, forKey: .precision, default: .bf16)
        mfu = try c.decodeIfPresent(Double.self, forKey: .mfu)
        if let u = mfu, !(u > 0 && u <= 1) { throw try c.superDecoder(forKey: .mfu).scenarioError("mfu must be in (0, 1], got \(u)") }
        mfuScope = try c.decodeIfPresent(EfficiencyScope.self, forKey: .mfuScope)
        batch = try c.decode(CountQuantity.self, forKey: .batch, default: CountQuantity(baseUnits: family == .llm ? 4_000_000 : 256)) {
            $0.baseUnits < 1 ? "must be at least 1" : nil
        }
    }

    /// The workload model's view.
    public var profile: ModelProfile {
        ModelProfile(name: name, family: family, parameters: Double(parameters.baseUnits), trainFlopsPerSample: Double(trainFlopsPerSample.baseUnits),
                     sampleBytes: Double(sampleBytes.baseUnits), precision: precision, mfu: mfu, efficiencyScope: mfuScope ?? .endToEnd,
                     globalBatch: Double(batch.baseUnits))
    }
}

/// Job kinds an application's job mix can name.
public enum JobMixKind: String, Sendable, CaseIterable, ScenarioEnum {
    case training, fine_tuning, automl, compression, data_processing, batch_inference

    public var jobKind: JobKind {
        switch self {
        case .training: return .training
        case .fine_tuning: return .fineTuning
        case .automl: return .automl
        case .compression: return .compression
        case .data_processing: return .dataProcessing
        case .batch_inference: return .batchInference
        }
    }
}

/// One line of an application's job mix.
public struct JobMixSpec: Codable, Sendable, Equatable {
    public var kind: JobMixKind
    /// The model trained, tuned, searched or compressed (not for data processing).
    public var model: String?
    /// Mean submissions per day (before `scale`); the cycle shapes them over the day and week.
    public var perDay: Double
    /// Tenants that submit this line (default: all of the application's, by share).
    public var tenants: [String]?
    /// Pin the line to one pool (default: pools of the kind's role, by capacity).
    public var pool: String?
    public var accelerators: DistributionSpec<CountUnit>
    /// Dataset samples (tokens for language models) per epoch.
    public var samples: DistributionSpec<ScaleUnit>?
    public var epochs: DistributionSpec<CountUnit>?
    /// AutoML: trials per search, the halving factor and the number of rungs.
    public var trials: Int?
    public var eta: Int?
    public var rungs: Int?
    /// Compression method.
    public var method: CompressionMethod?
    /// Distillation: student parameters as a fraction of the teacher's.
    public var studentFraction: Double?
    /// Data processing: bytes per job and throughput per accelerator.
    public var bytes: DistributionSpec<ByteUnit>?
    public var throughputPerAccelerator: BandwidthQuantity?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, model, perDay, tenants, pool, accelerators, samples, epochs, trials, eta, rungs, method, studentFraction, bytes,
             throughputPerAccelerator
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(JobMixKind.self, forKey: .kind)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        perDay = try c.decode(Double.self, forKey: .perDay) { $0 < 0 || $0 > 1e9 ? "must be between 0 and 1000000000" : nil }
        tenants = try c.decodeIfPresent([String].self, forKey: .tenants)
        if tenants?.isEmpty == true { throw try c.superDecoder(forKey: .tenants).scenarioError("tenants must not be empty (leave it out for all)") }
        pool = try c.decodeIfPresent(String.self, forKey: .pool)
        accelerators = try c.decodeAcceleratorCounts(forKey: .accelerators)
        samples = try c.decodeIfPresent(DistributionSpec<ScaleUnit>.self, forKey: .samples)
        epochs = try c.decodeIfPresent(DistributionSpec<CountUnit>.self, forKey: .epochs)
        trials = try c.decodeIfPresent(Int.self, forKey: .trials)
        eta = try c.decodeIfPresent(Int.self, forKey: .eta)
        rungs = try c.decodeIfPresent(Int.self, forKey: .rungs)
        method = try c.decodeIfPresent(CompressionMethod.self, forKey: .method)
        studentFraction = try c.decodeIfPresent(Double.self, forKey: .studentFraction)
        bytes = try c.decodeIfPresent(DistributionSpec<ByteUnit>.self, forKey: .bytes)
        throughputPerAccelerator = try c.decodeIfPresent(BandwidthQuantity.self, forKey: .throughputPerAccelerator)

        func need(_ key: CodingKeys, _ present: Bool) throws {
            if !present { throw decoder.scenarioError("a '\(kind.rawValue)' job needs '\(key.stringValue)'") }
        }
        if kind == .data_processing {
            try need(.bytes, bytes != nil)
        } else {
            try need(.model, model != nil)
            try need(.samples, samples != nil)
        }
        if kind == .compression { try need(.method, method != nil) }
        if let t = trials, t < 1 || t > 100_000 { throw try c.superDecoder(forKey: .trials).scenarioError("trials must be between 1 and 100000") }
        if let e = eta, e < 2 { throw try c.superDecoder(forKey: .eta).scenarioError("eta must be at least 2") }
        if let r = rungs, r < 1 || r > 20 { throw try c.superDecoder(forKey: .rungs).scenarioError("rungs must be between 1 and 20") }
        if let f = studentFraction, !(f > 0 && f <= 1) { throw try c.superDecoder(forKey: .studentFraction).scenarioError("studentFraction must be in (0, 1]") }
    }
}

/// An online inference service an application runs.
public struct ServiceSpec: Codable, Sendable, Equatable {
    public var name: String
    public var model: String
    /// The tenant that owns it (default: the application's first).
    public var tenant: String?
    public var pool: String?
    /// When the service goes live.
    public var start: TimeQuantity
    /// Mean requests per second (before `scale`); its cycle shapes it.
    public var requestsPerSecond: Double
    /// Its own daily and weekly cycle (nil: its application's): city cameras run around the
    /// clock, customer service follows office hours, stores their opening hours.
    public var cycle: CycleSpec?
    /// Output tokens (forward passes) per request; 1 for non-generative models.
    public var tokensPerRequest: Int
    /// FLOPs per forward pass (default 2 × parameters).
    public var flopsPerPass: FlopQuantity?
    /// Activation and cache bytes per request per pass.
    public var bytesPerRequest: ByteQuantity
    public var maxBatch: Int
    public var latencyTarget: TimeQuantity
    public var acceleratorsPerReplica: Int
    public var precision: Precision
    /// Replicas follow the load when present; otherwise sized for the cycle's peak.
    public var autoscale: AutoscaleSpec?
    /// Rate level (formulas per interval) or request level (every request simulated).
    public var fidelity: ServingFidelity
    /// Request level: how long an unfilled batch waits for more requests.
    public var maxWait: TimeQuantity
    /// Request level: share of requests written to `/requests` (every k-th).
    public var requestSample: Double
    /// Bursts of demand on top of the cycle.
    public var bursts: [BurstSpec]
    /// A replica on a slice of one accelerator (its share, in thousandths), instead of whole ones.
    public var slice: Double?
    /// Request level: per-request work from a measured latency table, served with continuous
    /// batching (instead of the roofline with dynamic batching).
    public var latency: ServiceLatencySpec?
    /// Request level: arrivals (and tokens) replayed from a trace instead of Poisson.
    public var requestTrace: RequestTraceSpec?
    /// Request level with a latency table and Poisson arrivals: prompt tokens per request.
    public var promptTokens: Int
    /// Request level with a latency table: how requests are spread over replicas.
    public var balancer: LoadBalancer

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, model, tenant, pool, start, requestsPerSecond, tokensPerRequest, flopsPerPass, bytesPerRequest, maxBatch, latencyTarget,
             acceleratorsPerReplica, precision, autoscale, fidelity, maxWait, requestSample, bursts, slice, latency, requestTrace, promptTokens, balancer, cycle
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name) { isPlainName($0) ? nil : "must be a plain name" }
        model = try c.decode(String.self, forKey: .model)
        tenant = try c.decodeIfPresent(String.self, forKey: .tenant)
        pool = try c.decodeIfPresent(String.self, forKey: .pool)
        start = try c.decode(TimeQuantity.self, forKey: .start, default: TimeQuantity(baseUnits: 0))
        requestsPerSecond = try c.decode(Double.self, forKey: .requestsPerSecond) { $0 <= 0 || $0 > 1e9 ? "must be in (0, 1000000000]" : nil }
        cycle = try c.decodeIfPresent(CycleSpec.self, forKey: .cycle)
        tokensPerRequest = try c.decode(Int.self, forKey: .tokensPerRequest, default: 1) { $0 < 1 || Double($0) > InputLimits.maxTokens ? "must be between 1 and 1000000000" : nil }
        flopsPerPass = try c.decodeIfPresent(FlopQuantity.self, forKey: .flopsPerPass)
        bytesPerRequest = try c.decode(ByteQuantity.self, forKey: .bytesPerRequest, default: ByteQuantity(baseUnits: 1_000_000))
        maxBatch = try c.decode(Int.self, forKey: .maxBatch, default: 16) { $0 < 1 || $0 > 65_536 ? "must be between 1 and 65536" : nil }
        latencyTarget = try c.decode(TimeQuantity.self, forKey: .latencyTarget) { $0.baseUnits <= 0 ? "must be positive" : nil }
        acceleratorsPerReplica = try c.decode(Int.self, forKey: .acceleratorsPerReplica, default: 1) { $0 < 1 || $0 > 1024 ? "must be between 1 and 1024" : nil }
        precision = try c.decode(Precision.self, forKey: .precision, default: .fp16)
        autoscale = try c.decodeIfPresent(AutoscaleSpec.self, forKey: .autoscale)
        fidelity = try c.decode(ServingFidelity.self, forKey: .fidelity, default: .rate)
        maxWait = try c.decode(TimeQuantity.self, forKey: .maxWait, default: TimeQuantity(baseUnits: 5_000_000)) { $0.baseUnits < 0 ? "must not be negative" : nil }
        requestSample = try c.decode(Double.self, forKey: .requestSample, default: 0.01) { $0 >= 0 && $0 <= 1 ? nil : "must be between 0 and 1" }
        bursts = try c.decode([BurstSpec].self, forKey: .bursts, default: [])
        slice = try c.decodeIfPresent(Double.self, forKey: .slice)
        latency = try c.decodeIfPresent(ServiceLatencySpec.self, forKey: .latency)
        requestTrace = try c.decodeIfPresent(RequestTraceSpec.self, forKey: .requestTrace)
        promptTokens = try c.decode(Int.self, forKey: .promptTokens, default: 1024) { $0 < 1 || Double($0) > InputLimits.maxTokens ? "must be between 1 and 1000000000" : nil }
        balancer = try c.decode(LoadBalancer.self, forKey: .balancer, default: .leastOutstanding)
        for (key, present) in [(CodingKeys.latency, latency != nil), (.requestTrace, requestTrace != nil)] where present && fidelity != .request {
            throw try c.superDecoder(forKey: key).scenarioError("\(key.stringValue) is simulated request by request: set fidelity: request")
        }
        if requestTrace != nil && latency == nil {
            throw try c.superDecoder(forKey: .requestTrace).scenarioError("a replayed request trace needs a latency table (latency:) to price its prompts and tokens")
        }
        if let f = slice {
            guard f >= 0.001 && f < 1, (f * 1000).rounded() == f * 1000 else {
                throw try c.superDecoder(forKey: .slice).scenarioError("slice must be a share of one accelerator in [0.001, 1) in thousandths, got \(f)")
            }
            if acceleratorsPerReplica != 1 {
                throw try c.superDecoder(forKey: .slice).scenarioError("a sliced replica runs on one accelerator: drop acceleratorsPerReplica (\(acceleratorsPerReplica)) or slice")
            }
        }
        // Occurrences must not overlap (checked up to a year of repeats).
        let spans = bursts.flatMap { $0.occurrences(horizonNs: 366 * 86_400_000_000_000) }.sorted { $0.startNs < $1.startNs }
        if let i = spans.indices.dropFirst().first(where: { spans[$0].startNs < spans[$0 - 1].startNs + spans[$0 - 1].durationNs }) {
            throw try c.superDecoder(forKey: .bursts).scenarioError("bursts overlap at \(TimeQuantity(baseUnits: spans[i].startNs)); give them separate times")
        }
    }

    /// Bytes of the model file a replica pulls and loads (its weights at the serving precision).
    public func modelFileBytes(for model: ModelSpec) -> Double { Double(model.parameters.baseUnits) * precision.bytesPerElement }

    /// The per-request work on the roofline, given the served model.
    public func work(for model: ModelSpec) -> InferenceWork {
        let n = Double(model.parameters.baseUnits), tokens = Double(tokensPerRequest)
        let perPass = flopsPerPass.map { Double($0.baseUnits) } ?? 2 * n
        var work = InferenceWork(flopsPerRequest: perPass * tokens, weightBytes: n * precision.bytesPerElement * tokens,
                                 bytesPerRequest: Double(bytesPerRequest.baseUnits) * tokens, precision: precision)
        work.deviceShare = slice ?? 1
        return work
    }
}
