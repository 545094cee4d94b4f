import DequeModule
import SimKernel

/// Quotas (the guide's 配额) with borrowing and reclaim: each tenant, or each tenant group, is
/// guaranteed a share of the pool. Jobs that fit within their tenant's (or group's) guarantee go
/// first; when one cannot start for lack of free accelerators, jobs running on borrowed capacity
/// are preempted to give it back (the latest borrowers first). Capacity nobody's guarantee
/// claims is lent to the tenants with the lowest use relative to their guarantee. FIFO within a
/// tenant.
public struct QuotaPolicy: SchedulingPolicy {
    public static let name = "quota"
    public static let summary = "guaranteed shares per tenant or tenant group; idle quota is lent and reclaimed by preemption"
    let options: PolicyOptions
    /// Queues by tenant index + 1 (index 0: jobs without a tenant, who have no guarantee).
    private var queues: [Deque<QueuedJob>] = []
    private var usage: [Int] = []          // accelerators running, by tenant index + 1
    private var groupUsage: [Int] = []     // by group index
    private var running = RunningSet()
    /// Slots running on borrowed capacity.
    private var borrowed: [Bool] = []
    private var waitingCount = 0

    public init(options: PolicyOptions) { self.options = options }

    public var waiting: Int { waitingCount }

    private mutating func grow(_ i: Int) {
        while queues.count <= i { queues.append(Deque()); usage.append(0) }
        while groupUsage.count < options.groupQuotaShares.count { groupUsage.append(0) }
    }

    func group(_ queueIndex: Int) -> Int? {
        let t = queueIndex - 1
        guard t >= 0, t < options.tenantGroups.count else { return nil }
        let g = options.tenantGroups[t]
        return g >= 0 && g < options.groupQuotaShares.count && options.groupQuotaShares[g] > 0 ? g : nil
    }

    func tenantShare(_ queueIndex: Int) -> Double {
        let t = queueIndex - 1
        return t >= 0 && t < options.tenantQuotaShares.count ? options.tenantQuotaShares[t] : 0
    }

    /// Whether a job of `n` accelerators from queue `i` fits within its tenant's or group's guarantee.
    func withinGuarantee(_ i: Int, _ n: Int, capacity: Int) -> Bool {
        let own = Int((tenantShare(i) * Double(capacity)).rounded(.down))
        if own > 0, usage[i] + n <= own { return true }
        if let g = group(i) {
            let shared = Int((options.groupQuotaShares[g] * Double(capacity)).rounded(.down))
            return groupUsage[g] + n <= shared
        }
        return false
    }

    /// Use relative to guarantee, for lending order (tenants without one come last).
    func relativeUse(_ i: Int, capacity: Int) -> Double {
        var g = tenantShare(i) * Double(capacity)
        if let grp = group(i) { g = max(g, options.groupQuotaShares[grp] * Double(capacity)) }
        return g > 0 ? Double(usage[i]) / g : Double(usage[i]) + 1e9
    }

    public mutating func enqueue(_ job: QueuedJob, nowNs: SimTimeNs) {
        let i = Int(job.tenant) + 1
        grow(i)
        queues[i].append(job)
        waitingCount += 1
    }

    public mutating func finished(_ job: JobHandle, nowNs: SimTimeNs) { stop(job) }

    private mutating func stop(_ job: JobHandle) {
        guard let r = running.remove(job) else { return }
        let i = Int(r.job.tenant) + 1
        usage[i] -= Int(r.job.accelerators)
        if let g = group(i) { groupUsage[g] -= Int(r.job.accelerators) }
        borrowed[Int(job.slot)] = false
    }

    private mutating func begin(_ job: QueuedJob, lent: Bool, context: inout SchedulingContext) {
        var j = job
        j.borrowed = lent
        context.started.append(j)
        let i = Int(job.tenant) + 1
        usage[i] += Int(job.accelerators)
        if let g = group(i) { groupUsage[g] += Int(job.accelerators) }
        running.insert(j, at: context.nowNs)
        let s = Int(job.slot)
        borrowed.growToInclude(s, with: false)
        borrowed[s] = lent
        queues[i].removeFirst()
        waitingCount -= 1
    }

    public mutating func dispatch(_ context: inout SchedulingContext) {
        let capacity = context.pool.capacity
        grow(0)
        // 1. Guaranteed jobs, the least-served tenant first; reclaim borrowed capacity for them.
        var progress = true
        while progress {
            progress = false
            let order = queues.indices.filter { !queues[$0].isEmpty }.sorted { (relativeUse($0, capacity: capacity), $0) < (relativeUse($1, capacity: capacity), $1) }
            for i in order {
                guard let head = queues[i].first, withinGuarantee(i, Int(head.accelerators), capacity: capacity) else { continue }
                if context.pool.allocate(head.handle, count: Int(head.accelerators), milli: head.milli) {
                    begin(head, lent: false, context: &context)
                    progress = true
                    break
                }
                // Reclaim: preempt borrowers, the latest started first, if that frees enough.
                let victims = running.jobs.filter { borrowed[Int($0.job.slot)] }.sorted { ($0.startNs, $0.job.id) > ($1.startNs, $1.job.id) }
                    .map { (handle: $0.job.handle, accelerators: $0.job.accelerators) }
                if let chosen = context.preemptEnough(for: Int(head.accelerators), from: victims) {
                    for victim in chosen { stop(victim) }
                    return   // the center releases them and calls again
                }
            }
        }
        guard options.borrowing else { return }
        // 2. Lend what is idle: heads that fit, the tenant using least of its guarantee first.
        progress = true
        while progress, context.pool.free > 0 {
            progress = false
            let order = queues.indices.filter { !queues[$0].isEmpty }.sorted { (relativeUse($0, capacity: capacity), $0) < (relativeUse($1, capacity: capacity), $1) }
            for i in order {
                guard let head = queues[i].first else { continue }
                let within = withinGuarantee(i, Int(head.accelerators), capacity: capacity)
                if context.pool.allocate(head.handle, count: Int(head.accelerators), milli: head.milli) {
                    begin(head, lent: !within, context: &context)
                    progress = true
                    break
                }
            }
        }
    }

    public func waitingJobs() -> [QueuedJob] { queues.flatMap { Array($0) }.sorted { $0.id < $1.id } }
}
