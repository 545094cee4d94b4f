import DequeModule
import SimKernel

/// Weighted fair share across tenants: each tenant has a FIFO queue, and the next accelerators
/// go to the waiting tenant with the least running accelerators per unit of weight (ties: lower
/// tenant index). That tenant's head blocks the others until it fits, so large jobs are not
/// starved. Jobs without a tenant share one queue of weight 1.
public struct FairSharePolicy: SchedulingPolicy {
    public static let name = "fairshare"
    public static let summary = "weighted fair share across tenants: the tenant with the least running accelerators per weight goes next"
    /// Weight per tenant index; missing entries are 1.
    public let weights: [Double]
    /// Queues by tenant index + 1 (index 0: jobs without a tenant).
    private var queues: [Deque<QueuedJob>] = []
    private var usage: [Int] = []
    private var running = RunningSet()
    private var waitingCount = 0

    public init(weights: [Double] = []) { self.weights = weights }

    public var waiting: Int { waitingCount }
    /// With no job waiting, its dispatch does nothing.
    public var idleWhenEmpty: Bool { true }

    private mutating func grow(_ i: Int) {
        while queues.count <= i { queues.append(Deque()); usage.append(0) }
    }

    func weight(_ queueIndex: Int) -> Double {
        let t = queueIndex - 1
        return t >= 0 && t < weights.count && weights[t] > 0 ? weights[t] : 1
    }

    public mutating func enqueue(_ job: QueuedJob, nowNs: SimTimeNs) {
        let i = Int(job.tenant) + 1
        grow(i)
        queues[i].append(job)
        waitingCount += 1
    }

    public mutating func finished(_ job: JobHandle, nowNs: SimTimeNs) {
        if let r = running.remove(job) { usage[Int(r.job.tenant) + 1] -= Int(r.job.accelerators) }
    }

    public mutating func dispatch(_ context: inout SchedulingContext) {
        while waitingCount > 0 {
            var best = -1
            var bestShare = Double.infinity
            for i in queues.indices where !queues[i].isEmpty {
                let share = Double(usage[i]) / weight(i)
                if share < bestShare { best = i; bestShare = share }
            }
            guard best >= 0, let head = queues[best].first, context.start(head) else { return }
            queues[best].removeFirst()
            waitingCount -= 1
            usage[best] += Int(head.accelerators)
            running.insert(head, at: context.nowNs)
        }
    }

    public func waitingJobs() -> [QueuedJob] { queues.flatMap { Array($0) }.sorted { $0.id < $1.id } }
}
