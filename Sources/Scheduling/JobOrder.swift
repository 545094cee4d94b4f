import HeapModule
import SimKernel

/// A waiting job keyed for a priority queue: smaller `key` first, then earlier submission, then
/// lower id (a total order, so ties never depend on insertion order).
struct KeyedJob: Comparable {
    var key: Double
    var job: QueuedJob

    static func < (a: KeyedJob, b: KeyedJob) -> Bool {
        (a.key, a.job.submitNs, a.job.id) < (b.key, b.job.submitNs, b.job.id)
    }

    static func == (a: KeyedJob, b: KeyedJob) -> Bool { a.job.id == b.job.id && a.key == b.key }
}

/// Waiting jobs ordered by a key (a binary heap: O(log n) insert and pop).
struct KeyedQueue {
    private var heap = Heap<KeyedJob>()

    var count: Int { heap.count }
    var first: QueuedJob? { heap.min?.job }

    mutating func insert(_ job: QueuedJob, key: Double) { heap.insert(KeyedJob(key: key, job: job)) }

    @discardableResult
    mutating func removeFirst() -> QueuedJob { heap.removeMin().job }

    /// Every job, in queue order.
    func ordered() -> [QueuedJob] { heap.unordered.sorted().map(\.job) }
}

extension SchedulingContext {
    /// Preemption for a job that needs `needed` accelerators: takes running jobs from
    /// `candidates` (handle and accelerators, already in preemption order) until their release
    /// would leave enough free, lists them in `preempted` and returns them — or, when even all
    /// candidates would not be enough, preempts nothing and returns nil. Reads candidates only as
    /// far as it needs (lazy sequences stay cheap).
    mutating func preemptEnough<S: Sequence>(for needed: Int, from candidates: S) -> [JobHandle]?
        where S.Element == (handle: JobHandle, accelerators: Int32) {
        var free = pool.free
        var chosen: [JobHandle] = []
        for c in candidates {
            if free >= needed { break }
            chosen.append(c.handle)
            free += Int(c.accelerators)
        }
        guard free >= needed, !chosen.isEmpty else { return nil }
        preempted.append(contentsOf: chosen)
        return chosen
    }
}
