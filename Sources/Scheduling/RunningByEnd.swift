import SimKernel

/// Running jobs kept sorted by estimated end time, then id (binary-search insert and remove):
/// the order EASY backfilling reserves by and SRTF preempts by (longest remaining last).
public struct RunningByEnd: Sendable {
    public struct Entry: Sendable, Equatable {
        public var endNs: SimTimeNs
        public var id: Int64
        public var accelerators: Int32
        public var handle: JobHandle
    }

    public private(set) var entries: [Entry] = []
    /// The (end, id) each running slot was filed under; id -1 when not running.
    private var keyBySlot: [(endNs: SimTimeNs, id: Int64)] = []

    public init() {}

    public var count: Int { entries.count }

    /// Where (end, id) is, or would be inserted.
    private func position(_ endNs: SimTimeNs, _ id: Int64) -> Int {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if (entries[mid].endNs, entries[mid].id) < (endNs, id) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Files `job`, started at `nowNs`, under its estimated end.
    public mutating func insert(_ job: QueuedJob, at nowNs: SimTimeNs) {
        let end = nowNs &+ job.estimatedRemainingNs
        let s = Int(job.slot)
        keyBySlot.growToInclude(s, with: (endNs: 0, id: -1))
        keyBySlot[s] = (end, job.id)
        entries.insert(Entry(endNs: end, id: job.id, accelerators: job.accelerators, handle: job.handle), at: position(end, job.id))
    }

    /// Removes the job `handle` names if it is filed (a stale handle removes nothing).
    public mutating func remove(_ handle: JobHandle) {
        let s = Int(handle.slot)
        guard s >= 0, s < keyBySlot.count, keyBySlot[s].id >= 0 else { return }
        let i = position(keyBySlot[s].endNs, keyBySlot[s].id)
        guard i < entries.count, entries[i].handle == handle else { return }
        entries.remove(at: i)
        keyBySlot[s].id = -1
    }

    /// Removes and returns the job with the latest estimated end.
    public mutating func removeLast() -> Entry {
        let e = entries.removeLast()
        keyBySlot[Int(e.handle.slot)].id = -1
        return e
    }
}
