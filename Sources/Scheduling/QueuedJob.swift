import SimKernel

/// A job as the scheduler sees it, waiting or (re)queued after a preemption.
public struct QueuedJob: Sendable, Equatable {
    /// The center's handle for the job (its slot in the job table and that slot's generation).
    public var handle: JobHandle
    /// The job's slot (for indexing; ``handle`` identifies it).
    public var slot: Int32 { handle.slot }
    /// Job id, unique in the run, assigned in submission order.
    public var id: Int64
    public var accelerators: Int32
    /// Share of each accelerator in thousandths (1000: whole devices; less: shared devices).
    public var milli: Int32 = 1000
    public var submitNs: SimTimeNs
    /// Tenant index (-1: none).
    public var tenant: Int16
    /// Strict priority; higher runs first under the `priority` policy.
    public var priority: Int8
    /// Run time still needed (the truth; only oracle policies may look at it).
    public var remainingNs: SimTimeNs
    /// What the scheduler believes the remaining run time to be: the truth, or an estimate from
    /// the tenant's history (`scheduling.durations`).
    public var estimatedRemainingNs: SimTimeNs
    /// Accelerator·ns of service received so far (2-D attained service, for LAS).
    public var attainedServiceNs: Double
    /// How many times it has been preempted.
    public var preemptions: Int32
    /// Set by quota policies on a job started on capacity lent beyond its tenant's guarantee.
    public var borrowed: Bool = false
    /// Host CPU (thousandths of a core) and memory (MiB) it needs (0: not given).
    public var cpuMilli: Int64 = 0
    public var memoryMiB: Int64 = 0

    public init(handle: JobHandle, id: Int64, accelerators: Int32, submitNs: SimTimeNs, tenant: Int16 = -1, priority: Int8 = 0,
                remainingNs: SimTimeNs = 0, estimatedRemainingNs: SimTimeNs = 0, attainedServiceNs: Double = 0, preemptions: Int32 = 0) {
        self.handle = handle
        self.id = id
        self.accelerators = accelerators
        self.submitNs = submitNs
        self.tenant = tenant
        self.priority = priority
        self.remainingNs = remainingNs
        self.estimatedRemainingNs = estimatedRemainingNs
        self.attainedServiceNs = attainedServiceNs
        self.preemptions = preemptions
    }
}

/// A job the policy has started and that is still running, with what the policy knew at start.
public struct RunningJob: Sendable, Equatable {
    public var job: QueuedJob
    public var startNs: SimTimeNs

    /// When it will end if nothing interrupts it, by the scheduler's estimate.
    public var estimatedEndNs: SimTimeNs { startNs &+ job.estimatedRemainingNs }
    /// When it will really end if nothing interrupts it.
    public var endNs: SimTimeNs { startNs &+ job.remainingNs }
    /// Attained service at `nowNs`.
    public func attainedServiceNs(at nowNs: SimTimeNs) -> Double {
        job.attainedServiceNs + Double(nowNs - startNs) * Double(job.accelerators)
    }
}

/// The running jobs of one pool, by handle, for policies that reason about them (preemption,
/// backfilling, fair shares). O(1) insert and remove; iteration order is insertion order with
/// swap-removal, which is deterministic. A stale handle (its slot since reused) finds nothing.
public struct RunningSet: Sendable {
    public private(set) var jobs: [RunningJob] = []
    private var indexBySlot: [Int32] = []

    public init() {}

    public var count: Int { jobs.count }

    public mutating func insert(_ job: QueuedJob, at nowNs: SimTimeNs) {
        let s = Int(job.slot)
        indexBySlot.growToInclude(s, with: -1)
        indexBySlot[s] = Int32(jobs.count)
        jobs.append(RunningJob(job: job, startNs: nowNs))
    }

    /// Removes and returns the running job `handle` names.
    @discardableResult
    public mutating func remove(_ handle: JobHandle) -> RunningJob? {
        guard contains(handle) else { return nil }
        let s = Int(handle.slot)
        let i = Int(indexBySlot[s])
        let removed = jobs[i]
        let last = jobs.removeLast()
        if i < jobs.count {
            jobs[i] = last
            indexBySlot[Int(last.job.slot)] = Int32(i)
        }
        indexBySlot[s] = -1
        return removed
    }

    /// Whether the job `handle` names is running here.
    public func contains(_ handle: JobHandle) -> Bool {
        let s = Int(handle.slot)
        return s >= 0 && s < indexBySlot.count && indexBySlot[s] >= 0 && jobs[Int(indexBySlot[s])].job.handle == handle
    }

    /// The running job `handle` names, if any.
    public func job(_ handle: JobHandle) -> RunningJob? { contains(handle) ? jobs[Int(indexBySlot[Int(handle.slot)])] : nil }
}
