import SimKernel

/// EASY backfilling (Lifka 1995; Mu'alem and Feitelson 2001): FIFO order, but when the head of
/// the queue cannot start, it gets a reservation at the earliest time enough running jobs will
/// have ended (by the scheduler's run-time estimates), and later jobs may start now if they fit
/// and either end before that time or use only accelerators the head will not need.
public struct BackfillPolicy: SchedulingPolicy {
    public static let name = "backfill"
    public static let summary = "FIFO with EASY backfilling: later jobs start early if they do not delay the head's reservation"
    /// Waiting jobs in FIFO order; started ones become tombstones (handle `.none`) until compaction.
    private var queue: [QueuedJob] = []
    private var headIndex = 0
    private var waitingCount = 0
    /// Running jobs by estimated end, for the head's reservation.
    private var byEnd = RunningByEnd()
    /// How many queued jobs after the head are considered for backfilling in one pass.
    public let depth: Int

    public init(depth: Int = 1_000) { self.depth = max(1, depth) }

    public var waiting: Int { waitingCount }

    public mutating func enqueue(_ job: QueuedJob, nowNs: SimTimeNs) {
        queue.append(job)
        waitingCount += 1
    }

    public mutating func finished(_ job: JobHandle, nowNs: SimTimeNs) { byEnd.remove(job) }

    private mutating func started(_ job: QueuedJob, at nowNs: SimTimeNs) { byEnd.insert(job, at: nowNs) }

    public mutating func dispatch(_ context: inout SchedulingContext) {
        let now = context.nowNs
        while true {
            while headIndex < queue.count, queue[headIndex].slot < 0 { headIndex += 1 }
            guard headIndex < queue.count, context.start(queue[headIndex]) else { break }
            started(queue[headIndex], at: now)
            queue[headIndex].handle = .none
            waitingCount -= 1
            headIndex += 1
        }
        compact()
        guard headIndex < queue.count else { return }
        let head = queue[headIndex]
        // The head's reservation: when enough running jobs have ended (estimates; overdue ones end "now").
        var free = context.pool.free
        var shadowNs = SimTime.never
        for r in byEnd.entries {
            free += Int(r.accelerators)
            if free >= Int(head.accelerators) {
                shadowNs = max(now, r.endNs)
                break
            }
        }
        var extra = shadowNs == SimTime.never ? 0 : free - Int(head.accelerators)
        var looked = 0
        var i = headIndex + 1
        while i < queue.count, looked < depth, context.pool.free > 0 {
            let job = queue[i]
            i += 1
            guard job.slot >= 0 else { continue }
            looked += 1
            let n = Int(job.accelerators)
            let endsInTime = now &+ job.estimatedRemainingNs <= shadowNs
            if n <= context.pool.free, endsInTime || n <= extra, context.start(job) {
                if !endsInTime { extra -= n }
                started(job, at: now)
                queue[i - 1].handle = .none   // started: a tombstone until compaction
                waitingCount -= 1
            }
        }
    }

    /// Drops the started prefix and tombstones now and then, so the array stays proportional to
    /// the waiting jobs.
    private mutating func compact() {
        if queue.count > 4_096 && queue.count > 2 * waitingCount {
            queue.removeAll { $0.slot < 0 }
            headIndex = 0
        }
    }

    public func waitingJobs() -> [QueuedJob] { queue[headIndex...].filter { $0.slot >= 0 } }
}
