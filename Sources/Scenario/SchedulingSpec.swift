import Scheduling
import Workloads

/// How jobs are ordered, started and preempted (`scheduling`).
public struct SchedulingSpec: Codable, Sendable, Equatable {
    /// Policy name; see ``SchedulingPolicies``.
    public var policy: String
    /// Whether policies see true run times (`true`) or estimates from each tenant's history
    /// (`estimated`).
    public var durations: DurationKnowledge
    /// `priority`: whether higher-priority jobs preempt lower ones.
    public var preempt: Bool
    /// LAS: attained-service thresholds between queues, as accelerator-time (`1h` = one
    /// accelerator-hour), ascending.
    public var lasThresholds: [TimeQuantity]
    /// Backfilling: how many queued jobs behind the head are considered per pass.
    public var backfillDepth: Int
    /// Fair share: weight per tenant name (others weigh 1).
    public var weights: [TenantWeight]
    /// Checkpoint costs of a preemption.
    public var preemption: PreemptionSpec
    /// Where jobs' accelerators go: `pack`, `spread` or `topology`.
    public var placement: PlacementPolicy
    /// Sharing of devices by jobs asking for fractions.
    public var sharing: SharingSpec
    /// `quota`: guaranteed shares per tenant or tenant type.
    public var quotas: [QuotaSpec]
    /// `quota`: whether idle guaranteed capacity is lent to other tenants.
    public var borrowing: Bool
    /// The largest share of a pool's accelerators in service an application's job is sent to
    /// that pool for; a larger job goes to a pool of its role it takes at most this share of
    /// (the largest when none is that large). 1: any pool it fits.
    public var maxPoolShare: Double

    public enum DurationKnowledge: String, Sendable, CaseIterable, ScenarioEnum {
        case `true`, estimated
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case policy, durations, preempt, lasThresholds, backfillDepth, weights, preemption, placement, sharing, quotas, borrowing, maxPoolShare
    }

    public init(policy: String = "fifo") {
        self.policy = policy
        durations = .true
        preempt = false
        lasThresholds = PolicyOptions.defaultLASThresholdsNs.map { TimeQuantity(baseUnits: Int64($0)) }
        backfillDepth = 1_000
        weights = []
        preemption = PreemptionSpec()
        placement = .pack
        sharing = SharingSpec()
        quotas = []
        borrowing = true
        maxPoolShare = 0.25
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SchedulingSpec()
        policy = try c.decode(String.self, forKey: .policy, default: d.policy)
        if SchedulingPolicies.make(policy) == nil {
            let names = SchedulingPolicies.names
            throw try c.superDecoder(forKey: .policy).scenarioError(
                "unknown scheduling policy '\(policy)'\(didYouMean(policy, among: names)); expected one of \(names.joined(separator: ", "))")
        }
        durations = try c.decode(DurationKnowledge.self, forKey: .durations, default: d.durations)
        preempt = try c.decode(Bool.self, forKey: .preempt, default: d.preempt)
        lasThresholds = try c.decode([TimeQuantity].self, forKey: .lasThresholds, default: d.lasThresholds) { t in
            t.isEmpty ? "must not be empty" : zip(t, t.dropFirst()).contains { $0 >= $1 } || t.contains { $0.baseUnits <= 0 } ? "must be positive and ascending" : nil
        }
        backfillDepth = try c.decode(Int.self, forKey: .backfillDepth, default: d.backfillDepth) { $0 < 1 ? "must be at least 1" : nil }
        weights = try c.decode([TenantWeight].self, forKey: .weights, default: [])
        preemption = try c.decode(PreemptionSpec.self, forKey: .preemption, default: d.preemption)
        placement = try c.decode(PlacementPolicy.self, forKey: .placement, default: d.placement)
        sharing = try c.decode(SharingSpec.self, forKey: .sharing, default: d.sharing)
        quotas = try c.decode([QuotaSpec].self, forKey: .quotas, default: [])
        borrowing = try c.decode(Bool.self, forKey: .borrowing, default: true)
        maxPoolShare = try c.decode(Double.self, forKey: .maxPoolShare, default: d.maxPoolShare) {
            $0 > 0 && $0 <= 1 ? nil : "must be above 0 and at most 1 (the share of a pool's accelerators)"
        }
        let total = quotas.reduce(0) { $0 + $1.share }
        if total > 1 + 1e-9 { throw try c.superDecoder(forKey: .quotas).scenarioError("quota shares add up to \(total); they must not exceed 1") }
    }

    /// The policy options for a run whose tenants are `tenants` (by index), of types `types`.
    public func options(tenants: [String], types: [TenantType]) -> PolicyOptions {
        var o = PolicyOptions(lasThresholdsNs: lasThresholds.map { Double($0.baseUnits) }, backfillDepth: backfillDepth,
                              tenantWeights: tenants.map { t in weights.first { $0.tenant == t }?.weight ?? 1 }, preemptLowerPriority: preempt)
        o.tenantQuotaShares = tenants.map { t in quotas.first { $0.tenant == t }?.share ?? 0 }
        o.groupQuotaShares = TenantType.allCases.map { type in quotas.first { $0.type == type }?.share ?? 0 }
        o.tenantGroups = tenants.indices.map { i in i < types.count ? TenantType.allCases.firstIndex(of: types[i])! : -1 }
        o.borrowing = borrowing
        return o
    }
}

/// A tenant's weight under fair share.
public struct TenantWeight: Codable, Sendable, Equatable {
    public var tenant: String
    public var weight: Double

    enum CodingKeys: String, CodingKey, CaseIterable { case tenant, weight }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tenant = try c.decode(String.self, forKey: .tenant)
        weight = try c.decode(Double.self, forKey: .weight) { $0 <= 0 ? "must be positive" : nil }
    }
}

/// What a preemption costs: the job keeps its accelerators while it saves a checkpoint, and
/// needs the restore time again when it restarts.
public struct PreemptionSpec: Codable, Sendable, Equatable {
    public var saveTime: TimeQuantity
    public var restoreTime: TimeQuantity

    enum CodingKeys: String, CodingKey, CaseIterable { case saveTime, restoreTime }

    public init() {
        saveTime = TimeQuantity(baseUnits: 0)
        restoreTime = TimeQuantity(baseUnits: 0)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        saveTime = try c.decode(TimeQuantity.self, forKey: .saveTime, default: TimeQuantity(baseUnits: 0))
        restoreTime = try c.decode(TimeQuantity.self, forKey: .restoreTime, default: TimeQuantity(baseUnits: 0))
    }
}

extension PlacementPolicy: ScenarioEnum {}

/// Kinds of jobs for interference between co-located jobs.
public enum InterferenceClass: String, Sendable, CaseIterable, ScenarioEnum {
    case generic, training, data_processing, inference

    var index: Int { InterferenceClass.allCases.firstIndex(of: self)! }
}

/// How devices are shared by jobs asking for fractions of one (`scheduling.sharing`).
public struct SharingSpec: Codable, Sendable, Equatable {
    /// Sharable capacity of a device (1.5: fractional jobs may book 150% of it).
    public var oversubscription: Double
    /// Slowdown per co-located job when no pair rule applies.
    public var slowdown: Double
    /// Slowdowns for particular pairs of job classes (symmetric).
    public var interference: [InterferenceRule]
    /// Oversubscription of particular pools (others use `oversubscription`).
    public var pools: [PoolOversubscription]

    enum CodingKeys: String, CodingKey, CaseIterable { case oversubscription, slowdown, interference, pools }

    public init() {
        oversubscription = 1
        slowdown = 0
        interference = []
        pools = []
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        oversubscription = try c.decode(Double.self, forKey: .oversubscription, default: 1) { $0 < 1 || $0 > 16 ? "must be between 1 and 16" : nil }
        slowdown = try c.decode(Double.self, forKey: .slowdown, default: 0) { $0 < 0 ? "must not be negative" : nil }
        interference = try c.decode([InterferenceRule].self, forKey: .interference, default: [])
        pools = try c.decode([PoolOversubscription].self, forKey: .pools, default: [])
    }

    /// The scheduler's sharing options for pool `pool`.
    public func options(pool: String) -> SharingOptions {
        var o = options
        if let p = pools.first(where: { $0.pool == pool }) { o.oversubscription = p.oversubscription }
        return o
    }

    /// The scheduler's sharing options (before per-pool ratios).
    public var options: SharingOptions {
        let n = InterferenceClass.allCases.count
        var table = Array(repeating: Array(repeating: slowdown, count: n), count: n)
        for r in interference {
            table[r.between[0].index][r.between[1].index] = r.slowdown
            table[r.between[1].index][r.between[0].index] = r.slowdown
        }
        return SharingOptions(oversubscription: oversubscription, interference: table)
    }
}

/// The slowdown two classes of co-located jobs inflict on each other.
public struct InterferenceRule: Codable, Sendable, Equatable {
    public var between: [InterferenceClass]
    public var slowdown: Double

    enum CodingKeys: String, CodingKey, CaseIterable { case between, slowdown }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        between = try c.decode([InterferenceClass].self, forKey: .between) { $0.count != 2 ? "must name two job classes" : nil }
        slowdown = try c.decode(Double.self, forKey: .slowdown) { $0 < 0 ? "must not be negative" : nil }
    }
}

/// A guaranteed share of every pool, for one tenant or for all tenants of one type together.
public struct QuotaSpec: Codable, Sendable, Equatable {
    public var tenant: String?
    public var type: TenantType?
    /// Fraction of each pool's accelerators, in (0, 1].
    public var share: Double

    enum CodingKeys: String, CodingKey, CaseIterable { case tenant, type, share }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tenant = try c.decodeIfPresent(String.self, forKey: .tenant)
        type = try c.decodeIfPresent(TenantType.self, forKey: .type)
        if (tenant == nil) == (type == nil) { throw decoder.scenarioError("a quota names exactly one of 'tenant' or 'type'") }
        share = try c.decode(Double.self, forKey: .share) { $0 <= 0 || $0 > 1 ? "must be in (0, 1]" : nil }
    }
}

/// One pool's oversubscription ratio (`scheduling.sharing.pools`).
public struct PoolOversubscription: Codable, Sendable, Equatable {
    public var pool: String
    public var oversubscription: Double

    enum CodingKeys: String, CodingKey, CaseIterable { case pool, oversubscription }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pool = try c.decode(String.self, forKey: .pool)
        oversubscription = try c.decode(Double.self, forKey: .oversubscription) { $0 < 1 || $0 > 16 ? "must be between 1 and 16" : nil }
    }
}
