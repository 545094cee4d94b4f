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
    /// Preempts running jobs chosen by `victims` (already in preemption order) until `needed`
    /// accelerators would be free, but only if that many can be freed; returns whether it did.
    /// Preempted jobs are removed from `running` and listed in `preempted`.
    mutating func preempt(toFree needed: Int, from victims: [RunningJob], running: inout RunningSet) -> Bool {
        var free = pool.free
        var chosen: [RunningJob] = []
        for v in victims where free < needed {
            chosen.append(v)
            free += Int(v.job.accelerators)
        }
        guard free >= needed, !chosen.isEmpty else { return false }
        for v in chosen {
            running.remove(slot: v.job.slot)
            preempted.append(v.job.slot)
        }
        return true
    }
}
