/// The release pipeline of a scenario (`release:`): what a new model version becomes, how
/// serving replicas move to it, how replicas start (pulling and loading the model file), and
/// which pools lend accelerators to services at peaks. Keys are listed in
/// `docs/scenario-reference.md`.
public struct ReleaseSpec: Codable, Sendable, Equatable {
    /// What a new version of a model that a service serves becomes.
    public enum Policy: String, Sendable, CaseIterable, ScenarioEnum {
        /// Rolled out to the services that serve the model (other versions: model files).
        case deploy
        /// Exposed as a development API; services keep the version they serve.
        case api
        /// Published as a model file only.
        case file
    }

    /// How a service's replicas move to a new version.
    public enum Update: String, Sendable, CaseIterable, ScenarioEnum {
        /// `surge` new replicas at a time; an old one stops as each new one is ready.
        case rolling
        /// First `canaryShare` of the replicas; the rest roll once the canary has served `canarySoak`.
        case canary
        /// Every old replica stops at once and new ones start (downtime during the cold start).
        case recreate
    }

    /// Where a service's first replicas come from.
    public enum FirstVersion: String, Sendable, CaseIterable, ScenarioEnum {
        /// The served model exists before the run: services go live at their `start`.
        case preloaded
        /// A service goes live only when a job of the run has trained its model (or at its
        /// `start`, if later).
        case trained
    }

    public var policy: Policy
    public var update: Update
    public var firstVersion: FirstVersion
    /// Rolling: new replicas started at a time.
    public var surge: Int
    /// Canary: the share of replicas moved first.
    public var canaryShare: Double
    /// Canary: how long the canary serves before the rest roll.
    public var canarySoak: TimeQuantity
    /// A service rolls out at most one new version per `cadence` (newer ones wait; the newest wins).
    public var cadence: TimeQuantity
    /// Bandwidth a replica pulls its model file at when `io.storage` is not described.
    public var pullBandwidth: BandwidthQuantity
    /// Host-to-device bandwidth a replica loads its weights at (PCIe Gen5 x16 ≈ 50 GB/s).
    public var loadBandwidth: BandwidthQuantity
    /// Container and serving runtime start before the model pull (part of every cold start).
    public var startupTime: TimeQuantity
    /// Pools whose accelerators services may borrow when their own pool is full (training
    /// jobs there are preempted, newest first); empty: no lending.
    public var lendingPools: [String]
    /// At most this many accelerators lent at once, over all lending pools (0: no limit).
    public var lendingMaxAccelerators: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case policy, update, firstVersion, surge, canaryShare, canarySoak, cadence, pullBandwidth, loadBandwidth, startupTime, lendingPools, lendingMaxAccelerators
    }

    public init() {
        policy = .deploy
        update = .rolling
        firstVersion = .preloaded
        surge = 1
        canaryShare = 0.1
        canarySoak = TimeQuantity(baseUnits: 3_600_000_000_000)
        cadence = TimeQuantity(baseUnits: 86_400_000_000_000)
        pullBandwidth = BandwidthQuantity(baseUnits: 80_000_000_000)
        loadBandwidth = BandwidthQuantity(baseUnits: 400_000_000_000)
        startupTime = TimeQuantity(baseUnits: 30_000_000_000)
        lendingPools = []
        lendingMaxAccelerators = 0
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ReleaseSpec()
        policy = try c.decode(Policy.self, forKey: .policy, default: d.policy)
        update = try c.decode(Update.self, forKey: .update, default: d.update)
        firstVersion = try c.decode(FirstVersion.self, forKey: .firstVersion, default: d.firstVersion)
        surge = try c.decode(Int.self, forKey: .surge, default: d.surge) { $0 < 1 || $0 > 10_000 ? "must be between 1 and 10000" : nil }
        canaryShare = try c.decode(Double.self, forKey: .canaryShare, default: d.canaryShare) { $0 > 0 && $0 <= 1 ? nil : "must be in (0, 1]" }
        canarySoak = try c.decode(TimeQuantity.self, forKey: .canarySoak, default: d.canarySoak) { $0.baseUnits < 0 ? "must not be negative" : nil }
        cadence = try c.decode(TimeQuantity.self, forKey: .cadence, default: d.cadence) { $0.baseUnits < 0 ? "must not be negative" : nil }
        pullBandwidth = try c.decode(BandwidthQuantity.self, forKey: .pullBandwidth, default: d.pullBandwidth) { $0.baseUnits <= 0 ? "must be positive" : nil }
        loadBandwidth = try c.decode(BandwidthQuantity.self, forKey: .loadBandwidth, default: d.loadBandwidth) { $0.baseUnits <= 0 ? "must be positive" : nil }
        startupTime = try c.decode(TimeQuantity.self, forKey: .startupTime, default: d.startupTime) { $0.baseUnits < 0 ? "must not be negative" : nil }
        lendingPools = try c.decode([String].self, forKey: .lendingPools, default: [])
        lendingMaxAccelerators = try c.decode(Int.self, forKey: .lendingMaxAccelerators, default: 0) { $0 < 0 ? "must not be negative" : nil }
    }
}

/// How a service's replicas follow its load (弹性伸缩), per service (`autoscale:`). Every
/// `interval` the autoscaler sizes the service for the rate it observed in the last one (plus
/// `headroom`) so that its metric meets `target`, between `min` and `max` replicas; it scales
/// down only after `cooldown` of lower demand. Scaling up takes effect when the new replicas
/// are placed and have pulled and loaded the model (their cold start).
public struct AutoscaleSpec: Codable, Sendable, Equatable {
    public enum Metric: String, Sendable, CaseIterable, ScenarioEnum {
        /// Share of requests answered within the service's latency target ≥ `target`.
        case latency
        /// Replicas' busy share ≤ `target`.
        case utilization
        /// Requests waiting per replica ≤ `target`.
        case queue
    }

    public var metric: Metric
    public var target: Double
    public var min: Int
    public var max: Int
    public var interval: TimeQuantity
    public var headroom: Double
    public var cooldown: TimeQuantity

    enum CodingKeys: String, CodingKey, CaseIterable { case metric, target, min, max, interval, headroom, cooldown }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metric = try c.decode(Metric.self, forKey: .metric, default: .latency)
        let defaultTarget: Double = metric == .latency ? 0.95 : metric == .utilization ? 0.7 : 1
        target = try c.decode(Double.self, forKey: .target, default: defaultTarget) { [metric] t in
            switch metric {
            case .latency, .utilization: return t > 0 && t < 1 ? nil : "must be in (0, 1) for metric '\(metric.rawValue)'"
            case .queue: return t > 0 ? nil : "must be positive (requests waiting per replica)"
            }
        }
        min = try c.decode(Int.self, forKey: .min, default: 1) { $0 < 0 || $0 > 100_000 ? "must be between 0 and 100000" : nil }
        max = try c.decode(Int.self, forKey: .max) { $0 < 1 || $0 > 100_000 ? "must be between 1 and 100000" : nil }
        if max < min { throw try c.superDecoder(forKey: .max).scenarioError("max (\(max)) must be at least min (\(min))") }
        interval = try c.decode(TimeQuantity.self, forKey: .interval, default: TimeQuantity(baseUnits: 300_000_000_000)) {
            $0.baseUnits < 1_000_000_000 ? "must be at least 1s" : nil
        }
        headroom = try c.decode(Double.self, forKey: .headroom, default: 0.2) { $0 < 0 || $0 > 10 ? "must be between 0 and 10" : nil }
        cooldown = try c.decode(TimeQuantity.self, forKey: .cooldown, default: TimeQuantity(baseUnits: 900_000_000_000)) {
            $0.baseUnits < 0 ? "must not be negative" : nil
        }
    }
}

/// How finely a service is simulated in a center run.
public enum ServingFidelity: String, Sendable, CaseIterable, ScenarioEnum {
    /// Per interval, by queueing formulas (Erlang C with Allen–Cunneen): month-long horizons.
    case rate
    /// Every request an arrival and a completion, with dynamic batching: detailed latency studies.
    case request
}

/// A burst of a service's demand (`bursts:`): from `start` for `duration` the request rate is
/// multiplied by `factor` (on top of the cycle); with `every`, it repeats with that period.
public struct BurstSpec: Codable, Sendable, Equatable {
    public var start: TimeQuantity
    public var duration: TimeQuantity
    public var factor: Double
    public var every: TimeQuantity?

    enum CodingKeys: String, CodingKey, CaseIterable { case start, duration, factor, every }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        start = try c.decode(TimeQuantity.self, forKey: .start) { $0.baseUnits < 0 ? "must not be negative" : nil }
        duration = try c.decode(TimeQuantity.self, forKey: .duration) { $0.baseUnits <= 0 ? "must be positive" : nil }
        factor = try c.decode(Double.self, forKey: .factor) { $0 >= 0 && $0 <= 1000 ? nil : "must be between 0 and 1000" }
        every = try c.decodeIfPresent(TimeQuantity.self, forKey: .every)
        if let e = every, e.baseUnits <= duration.baseUnits {
            throw try c.superDecoder(forKey: .every).scenarioError("every (\(e)) must be longer than the burst's duration (\(duration))")
        }
    }

    /// The burst's occurrences before `horizonNs` (start, duration) in time order.
    public func occurrences(horizonNs: Int64) -> [(startNs: Int64, durationNs: Int64)] {
        var out: [(Int64, Int64)] = []
        var t = start.baseUnits
        while t < horizonNs {
            out.append((t, duration.baseUnits))
            guard let e = every?.baseUnits else { break }
            t += e
        }
        return out
    }
}
