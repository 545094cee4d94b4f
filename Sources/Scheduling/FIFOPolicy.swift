import DequeModule
import SimKernel

/// First-come, first-served with gang allocation: the job at the head of the queue starts when
/// all the accelerators it asks for are free; nothing overtakes it (no backfilling).
public struct FIFOPolicy: SchedulingPolicy {
    public static let name = "fifo"
    public static let summary = "first come, first served; the head of the queue blocks the rest until it fits"
    private var queue = Deque<QueuedJob>()

    public init() {}

    public var waiting: Int { queue.count }
    /// With no job waiting, its dispatch does nothing.
    public var idleWhenEmpty: Bool { true }

    public mutating func enqueue(_ job: QueuedJob, nowNs: SimTimeNs) { queue.append(job) }

    public mutating func dispatch(_ context: inout SchedulingContext) {
        while let head = queue.first, context.start(head) { queue.removeFirst() }
    }

    public func waitingJobs() -> [QueuedJob] { Array(queue) }
}
