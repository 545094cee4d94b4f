import SimKernel

/// EASY backfilling (Lifka 1995; Mu'alem and Feitelson 2001): FIFO order, but when the head of
/// the queue cannot start, it gets a reservation at the earliest time enough running jobs will
/// have ended (by the scheduler's run-time estimates), and later jobs may start now if they fit
/// and either end before that time or use only accelerators the head will not need.
public struct BackfillPolicy: SchedulingPolicy {
    public static let name = "backfill"
    public static let summary = "FIFO with EASY backfilling: later jobs start early if they do not delay the head's reservation"
    private var queue: [QueuedJob] = []
    private var headIndex = 0
    /// Running jobs by estimated end (then id), for the head's reservation.
    private var byEnd: [(endNs: SimTimeNs, id: Int64, accelerators: Int32, slot: Int32)] = []
    /// How many queued jobs after the head are considered for backfilling in one pass.
    public let depth: Int

    public init(depth: Int = 1_000) { self.depth = max(1, depth) }

    public var waiting: Int { queue.count - headIndex }

    public mutating func enqueue(_ job: QueuedJob, nowNs: SimTimeNs) { queue.append(job) }

    /// The (estimated end, id) each running slot was filed under.
    private var keyBySlot: [(endNs: SimTimeNs, id: Int64)] = []

    public mutating func finished(slot: Int32, nowNs: SimTimeNs) {
        let key = keyBySlot[Int(slot)]
        let i = position(key)
        if i < byEnd.count, byEnd[i].slot == slot { byEnd.remove(at: i) }
    }

    /// Where `key` is, or would be inserted, in `byEnd` (binary search).
    private func position(_ key: (endNs: SimTimeNs, id: Int64)) -> Int {
        var lo = 0, hi = byEnd.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if (byEnd[mid].endNs, byEnd[mid].id) < (key.endNs, key.id) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private mutating func started(_ job: QueuedJob, at nowNs: SimTimeNs) {
        let key = (endNs: nowNs &+ job.estimatedRemainingNs, id: job.id)
        let s = Int(job.slot)
        if s >= keyBySlot.count { keyBySlot.append(contentsOf: repeatElement((endNs: SimTimeNs(0), id: Int64(-1)), count: s - keyBySlot.count + 1)) }
        keyBySlot[s] = key
        byEnd.insert((endNs: key.endNs, id: key.id, accelerators: job.accelerators, slot: job.slot), at: position(key))
    }

    public mutating func dispatch(_ context: inout SchedulingContext) {
        let now = context.nowNs
        while headIndex < queue.count, context.start(queue[headIndex]) {
            started(queue[headIndex], at: now)
            headIndex += 1
        }
        compact()
        guard headIndex < queue.count else { return }
        let head = queue[headIndex]
        // The head's reservation: when enough running jobs have ended (estimates; overdue ones end "now").
        var free = context.pool.free
        var shadowNs = SimTime.never
        for r in byEnd {
            free += Int(r.accelerators)
            if free >= Int(head.accelerators) {
                shadowNs = max(now, r.endNs)
                break
            }
        }
        var extra = shadowNs == SimTime.never ? 0 : free - Int(head.accelerators)
        var startedAny = false
        let last = min(queue.count, headIndex + 1 + depth)
        var i = headIndex + 1
        while i < last, context.pool.free > 0 {
            let job = queue[i]
            let n = Int(job.accelerators)
            let endsInTime = now &+ job.estimatedRemainingNs <= shadowNs
            if n <= context.pool.free, endsInTime || n <= extra, context.start(job) {
                if !endsInTime { extra -= n }
                started(job, at: now)
                queue[i].slot = -1   // started: removed below
                startedAny = true
            }
            i += 1
        }
        if startedAny { queue.removeAll { $0.slot < 0 } }
    }

    /// Drops the started prefix now and then, so the array does not grow without bound.
    private mutating func compact() {
        if headIndex > 4_096 && headIndex * 2 > queue.count {
            queue.removeFirst(headIndex)
            headIndex = 0
        }
    }

    public func waitingJobs() -> [QueuedJob] { Array(queue[headIndex...]) }
}
