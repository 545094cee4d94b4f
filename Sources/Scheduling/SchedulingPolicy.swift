import SimKernel

/// What a policy works with in one scheduling pass, and what it decides.
public struct SchedulingContext {
    public let nowNs: SimTimeNs
    /// The pool's accelerators; allocating from it is how a policy starts a job.
    public var pool: AcceleratorPool
    /// Jobs to start now (their accelerators already allocated from `pool`).
    public var started: [QueuedJob] = []
    /// Running jobs to preempt. Their accelerators come back after the checkpoint is saved (at
    /// once when saving is free); the center then re-queues them with their remaining work and
    /// runs another pass.
    public var preempted: [JobHandle] = []
    /// The earliest time the policy wants another pass even if nothing arrives or ends
    /// (LAS demotions); `.max` for none.
    public var wakeUpNs: SimTimeNs = .max

    public init(nowNs: SimTimeNs, pool: AcceleratorPool) {
        self.nowNs = nowNs
        self.pool = pool
    }

    /// Runs one dispatch of `policy` on `pool`. The pool is moved into the context and back, so
    /// its state has one owner throughout (allocations never copy it) and again afterwards
    /// (releases by the caller never copy it either).
    public static func dispatch(_ policy: inout any SchedulingPolicy, pool: inout AcceleratorPool, nowNs: SimTimeNs) -> SchedulingContext {
        var context = SchedulingContext(nowNs: nowNs, pool: pool)
        pool = .placeholder
        policy.dispatch(&context)
        pool = context.pool
        context.pool = .placeholder
        return context
    }

    /// Starts `job` if its accelerators can be placed now; returns whether it did.
    public mutating func start(_ job: QueuedJob) -> Bool {
        guard pool.allocate(job.handle, count: Int(job.accelerators), milli: job.milli) else { return false }
        started.append(job)
        return true
    }
}

/// A scheduling policy: it holds the waiting jobs and decides which start (and which running
/// ones are preempted) whenever the pool's state changes.
///
/// Jobs are enqueued in submission order (time, then the workload's documented tie rule), so a
/// policy never sees an order that depends on event ties. A preempted job is enqueued again.
public protocol SchedulingPolicy {
    /// The name used in scenarios (`scheduling.policy`) and on the command line (`--policy`).
    static var name: String { get }
    /// One line for `docs/policies.md` and `--help`.
    static var summary: String { get }
    /// Jobs waiting.
    var waiting: Int { get }
    /// Adds a submitted or preempted job.
    mutating func enqueue(_ job: QueuedJob, nowNs: SimTimeNs)
    /// A job the policy started has finished.
    mutating func finished(_ job: JobHandle, nowNs: SimTimeNs)
    /// Chooses jobs to start (allocating their accelerators from `context.pool`) and jobs to preempt.
    mutating func dispatch(_ context: inout SchedulingContext)
    /// Every waiting job, in queue order (for end-of-run accounting).
    func waitingJobs() -> [QueuedJob]
    /// Whether a dispatch with no job waiting does nothing at all (starts, preempts, wakes and
    /// changes nothing), so the engine may skip it. False unless the policy says so.
    var idleWhenEmpty: Bool { get }
}

extension SchedulingPolicy {
    public mutating func finished(_ job: JobHandle, nowNs: SimTimeNs) {}
    public var idleWhenEmpty: Bool { false }
}

/// How a policy is configured from the scenario (`scheduling`).
public struct PolicyOptions: Sendable, Equatable {
    /// LAS: attained-service thresholds (accelerator·ns) between queues, ascending.
    public var lasThresholdsNs: [Double]
    /// Backfilling: how deep into the queue to look for jobs to backfill.
    public var backfillDepth: Int
    /// Fair share: weight per tenant index (missing: 1).
    public var tenantWeights: [Double]
    /// Priority: whether a higher-priority job may preempt lower-priority running ones.
    public var preemptLowerPriority: Bool
    /// Quota: guaranteed share of the pool per tenant index (0: none).
    public var tenantQuotaShares: [Double] = []
    /// Quota: the group of each tenant index (-1: none), and each group's guaranteed share.
    public var tenantGroups: [Int] = []
    public var groupQuotaShares: [Double] = []
    /// Quota: whether idle guaranteed capacity is lent to others.
    public var borrowing: Bool = true

    public init(lasThresholdsNs: [Double] = PolicyOptions.defaultLASThresholdsNs, backfillDepth: Int = 1_000,
                tenantWeights: [Double] = [], preemptLowerPriority: Bool = false) {
        self.lasThresholdsNs = lasThresholdsNs
        self.backfillDepth = backfillDepth
        self.tenantWeights = tenantWeights
        self.preemptLowerPriority = preemptLowerPriority
    }

    /// Tiresias-style geometric thresholds: 1 accelerator-hour, then ×4 per queue (4 levels).
    public static let defaultLASThresholdsNs: [Double] = [3_600e9, 14_400e9, 57_600e9]
}

/// The policies selectable by name. Adding a policy is adding its file and one line here.
public enum SchedulingPolicies {
    /// Constructors by name, in documentation order.
    public static let all: [(name: String, summary: String, make: @Sendable (PolicyOptions) -> any SchedulingPolicy)] = [
        (FIFOPolicy.name, FIFOPolicy.summary, { _ in FIFOPolicy() }),
        (ShortestJobFirstPolicy.name, ShortestJobFirstPolicy.summary, { _ in ShortestJobFirstPolicy() }),
        (ShortestRemainingTimeFirstPolicy.name, ShortestRemainingTimeFirstPolicy.summary, { _ in ShortestRemainingTimeFirstPolicy() }),
        (BackfillPolicy.name, BackfillPolicy.summary, { o in BackfillPolicy(depth: o.backfillDepth) }),
        (LeastAttainedServicePolicy.name, LeastAttainedServicePolicy.summary, { o in LeastAttainedServicePolicy(thresholdsNs: o.lasThresholdsNs) }),
        (FairSharePolicy.name, FairSharePolicy.summary, { o in FairSharePolicy(weights: o.tenantWeights) }),
        (DominantResourceFairnessPolicy.name, DominantResourceFairnessPolicy.summary, { o in DominantResourceFairnessPolicy(weights: o.tenantWeights) }),
        (PriorityPolicy.name, PriorityPolicy.summary, { o in PriorityPolicy(preemptive: o.preemptLowerPriority) }),
        (QuotaPolicy.name, QuotaPolicy.summary, { o in QuotaPolicy(options: o) }),
    ]

    /// The known policy names.
    public static var names: [String] { all.map(\.name) }

    /// A fresh policy called `name`, or nil.
    public static func make(_ name: String, options: PolicyOptions = PolicyOptions()) -> (any SchedulingPolicy)? {
        all.first { $0.name == name }?.make(options)
    }
}
