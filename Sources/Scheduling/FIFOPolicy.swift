import DequeModule

/// First-come, first-served with gang allocation: the job at the head of the queue starts when
/// all the accelerators it asks for are free; nothing overtakes it (no backfilling).
public struct FIFOPolicy: SchedulingPolicy {
    public static let name = "fifo"
    private var queue = Deque<QueuedJob>()

    public init() {}

    public var waiting: Int { queue.count }

    public mutating func enqueue(_ job: QueuedJob) { queue.append(job) }

    public mutating func dispatch(pool: inout AcceleratorPool, started: inout [QueuedJob]) {
        while let head = queue.first, pool.allocate(Int(head.accelerators)) {
            started.append(queue.removeFirst())
        }
    }

    public func waitingJobs() -> [QueuedJob] { Array(queue) }
}
