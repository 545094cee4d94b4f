import Scheduling

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

    public enum DurationKnowledge: String, Sendable, CaseIterable, ScenarioEnum {
        case `true`, estimated
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case policy, durations, preempt, lasThresholds, backfillDepth, weights, preemption }

    public init(policy: String = "fifo") {
        self.policy = policy
        durations = .true
        preempt = false
        lasThresholds = PolicyOptions.defaultLASThresholdsNs.map { TimeQuantity(baseUnits: Int64($0)) }
        backfillDepth = 1_000
        weights = []
        preemption = PreemptionSpec()
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
    }

    /// The policy options for a run whose tenants are `tenants` (by index).
    public func options(tenants: [String]) -> PolicyOptions {
        PolicyOptions(lasThresholdsNs: lasThresholds.map { Double($0.baseUnits) }, backfillDepth: backfillDepth,
                      tenantWeights: tenants.map { t in weights.first { $0.tenant == t }?.weight ?? 1 }, preemptLowerPriority: preempt)
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
