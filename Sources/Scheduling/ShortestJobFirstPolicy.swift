import SimKernel

/// Shortest job first: the queue is ordered by the scheduler's estimate of each job's run time
/// (the truth, or a history estimate: `scheduling.durations`); the shortest waiting job starts
/// when its accelerators are free and blocks the rest until then. Never preempts.
public struct ShortestJobFirstPolicy: SchedulingPolicy {
    public static let name = "sjf"
    public static let summary = "shortest (estimated) job first, non-preemptive; the shortest waiting job blocks the rest until it fits"
    private var queue = KeyedQueue()

    public init() {}

    public var waiting: Int { queue.count }
    /// With no job waiting, its dispatch does nothing.
    public var idleWhenEmpty: Bool { true }

    public mutating func enqueue(_ job: QueuedJob, nowNs: SimTimeNs) { queue.insert(job, key: Double(job.estimatedRemainingNs)) }

    public mutating func dispatch(_ context: inout SchedulingContext) {
        while let head = queue.first, context.start(head) { queue.removeFirst() }
    }

    public func waitingJobs() -> [QueuedJob] { queue.ordered() }
}

/// Shortest remaining time first: like SJF by remaining run time, but a waiting job preempts
/// running jobs with longer remaining time when that frees enough accelerators for it.
public struct ShortestRemainingTimeFirstPolicy: SchedulingPolicy {
    public static let name = "srtf"
    public static let summary = "shortest (estimated) remaining time first; preempts running jobs with longer remaining time"
    private var queue = KeyedQueue()
    /// Running jobs by estimated end (then id): the longest remaining time is at the back.
    private var running = RunningByEnd()

    public init() {}

    public var waiting: Int { queue.count }
    /// With no job waiting, its dispatch does nothing.
    public var idleWhenEmpty: Bool { true }

    public mutating func enqueue(_ job: QueuedJob, nowNs: SimTimeNs) { queue.insert(job, key: Double(job.estimatedRemainingNs)) }

    public mutating func finished(_ job: JobHandle, nowNs: SimTimeNs) { running.remove(job) }

    public mutating func dispatch(_ context: inout SchedulingContext) {
        let now = context.nowNs
        while let head = queue.first {
            if context.start(head) {
                queue.removeFirst()
                running.insert(head, at: now)
                continue
            }
            // Preempt the running jobs with the longest remaining time, if they are longer than the
            // head and freeing them makes room for it.
            let longer = running.entries.reversed().lazy.prefix { $0.endNs - now > head.estimatedRemainingNs }
                .map { (handle: $0.handle, accelerators: $0.accelerators) }
            for job in context.preemptEnough(for: Int(head.accelerators), from: longer) ?? [] { running.remove(job) }
            return
        }
    }

    public func waitingJobs() -> [QueuedJob] { queue.ordered() }
}
