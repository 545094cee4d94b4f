import DequeModule
import Foundation
import SimKernel

/// The scheduler's decision cost at a fixed queue length: a pool kept full, `queued` jobs
/// waiting; each step one running job ends, the policy dispatches, and as many new jobs arrive
/// as started (so the queue length stays put). One step is one decision. Used by
/// `iccsim bench scheduler` and the `Benchmarks/` package.
public struct SchedulerBenchmark {
    public private(set) var policy: any SchedulingPolicy
    private var pool: AcceleratorPool
    private var running = Deque<QueuedJob>()
    private var random: SplitMix64
    private var nowNs: SimTimeNs = 0
    private var nextID: Int64 = 0
    private var freeSlots: [Int32] = []
    private var nextSlot: Int32 = 0
    /// Each slot's generation: bumped whenever a slot takes a new job.
    private var generations: [UInt32] = []
    private let targetQueued: Int

    /// A pool of `accelerators` filled by the policy, with `queued` jobs left waiting.
    public init(policy name: String, queued: Int, accelerators: Int = 4_096, tenants: Int = 16, seed: UInt64 = 1) {
        policy = SchedulingPolicies.make(name, options: PolicyOptions(tenantWeights: Array(repeating: 1, count: tenants)))!
        pool = AcceleratorPool(capacity: accelerators)
        random = SplitMix64(seed: seed)
        targetQueued = queued
        dispatch()   // fills the pool, then tops the queue up to `queued`
    }

    private mutating func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }

    private mutating func enqueueNew() {
        let sizes: [Int32] = [1, 1, 1, 1, 2, 2, 4, 8]
        let n = sizes[Int(random.next() % UInt64(sizes.count))]
        // Lognormal run times, median 10 min, sigma 1.5 (heavy-tailed), by Box-Muller.
        let z = (-2 * log(1 - uniform())).squareRoot() * cos(2 * Double.pi * uniform())
        let durationNs = SimTimeNs(600e9 * exp(1.5 * z))
        let slot: Int32
        if let s = freeSlots.popLast() { slot = s } else { slot = nextSlot; nextSlot += 1; generations.append(0) }
        generations[Int(slot)] &+= 1   // a reused slot is a new job
        let tenant = Int16(random.next() % 16)
        policy.enqueue(QueuedJob(handle: JobHandle(slot: slot, generation: generations[Int(slot)]), id: nextID, accelerators: n, submitNs: nowNs, tenant: tenant, priority: Int8(random.next() % 3),
                                 remainingNs: durationNs, estimatedRemainingNs: durationNs), nowNs: nowNs)
        nextID += 1
    }

    private mutating func dispatch() {
        let context = SchedulingContext.dispatch(&policy, pool: &pool, nowNs: nowNs)
        running.append(contentsOf: context.started)
        for handle in context.preempted {
            if let i = running.firstIndex(where: { $0.handle == handle }) {
                let job = running.remove(at: i)
                pool.release(job.handle)
                policy.enqueue(job, nowNs: nowNs)
            }
        }
        while policy.waiting < targetQueued { enqueueNew() }
    }

    /// Runs `decisions` steps.
    public mutating func run(decisions: Int) {
        for _ in 0..<decisions {
            nowNs += 1_000_000_000
            if let done = running.popFirst() {
                pool.release(done.handle)
                policy.finished(done.handle, nowNs: nowNs)
                freeSlots.append(done.slot)
            }
            dispatch()
        }
    }

    /// Jobs waiting now.
    public var waiting: Int { policy.waiting }
}
