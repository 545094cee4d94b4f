import SimKernel

/// Strict priorities: the highest-priority waiting job first (FIFO within a priority); it
/// blocks lower ones until it fits. Preemptive when configured (`scheduling.preempt: true`): a
/// waiting job preempts running jobs of lower priority, the lowest and most recently started
/// first, when that frees enough accelerators.
public struct PriorityPolicy: SchedulingPolicy {
    public static let name = "priority"
    public static let summary = "strict priorities (tenant or class `priority`), FIFO within one; optionally preemptive"
    public let preemptive: Bool
    private var queue = KeyedQueue()
    private var running = RunningSet()

    public init(preemptive: Bool = false) { self.preemptive = preemptive }

    public var waiting: Int { queue.count }
    /// With no job waiting, its dispatch does nothing.
    public var idleWhenEmpty: Bool { true }

    public mutating func enqueue(_ job: QueuedJob, nowNs: SimTimeNs) { queue.insert(job, key: -Double(job.priority)) }

    public mutating func finished(_ job: JobHandle, nowNs: SimTimeNs) { running.remove(job) }

    public mutating func dispatch(_ context: inout SchedulingContext) {
        while let head = queue.first {
            if context.start(head) {
                queue.removeFirst()
                running.insert(head, at: context.nowNs)
                continue
            }
            if preemptive {
                let victims = running.jobs.filter { $0.job.priority < head.priority }
                    .sorted { ($0.job.priority, -$0.startNs, -$0.job.id) < ($1.job.priority, -$1.startNs, -$1.job.id) }
                    .map { (handle: $0.job.handle, accelerators: $0.job.accelerators) }
                for job in context.preemptEnough(for: Int(head.accelerators), from: victims) ?? [] { running.remove(job) }
            }
            return
        }
    }

    public func waitingJobs() -> [QueuedJob] { queue.ordered() }
}
