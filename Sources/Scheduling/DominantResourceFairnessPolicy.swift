import DequeModule
import SimKernel

/// Dominant resource fairness (Ghodsi et al., NSDI'11) across tenants: a tenant's dominant
/// share is the largest of its shares of the pool's accelerators, host CPU and host memory; the
/// next job comes from the waiting tenant with the smallest dominant share per unit of weight
/// (FIFO within a tenant; its head blocks the others until it fits). Host CPU and memory are
/// capacities too: a job starts only if they have room. A job that gives no CPU or memory need
/// counts in proportion to its accelerators.
public struct DominantResourceFairnessPolicy: SchedulingPolicy {
    public static let name = "drf"
    public static let summary = "dominant resource fairness across tenants over accelerators, host CPU and memory"
    public let weights: [Double]
    private var queues: [Deque<QueuedJob>] = []
    /// Use by tenant index + 1: accelerators, CPU milli, memory MiB.
    private var accelerators: [Double] = [], cpu: [Double] = [], memory: [Double] = []
    private var usedCPU: Double = 0, usedMemory: Double = 0
    private var running = RunningSet()
    private var waitingCount = 0

    public init(weights: [Double] = []) { self.weights = weights }

    public var waiting: Int { waitingCount }
    /// With no job waiting, its dispatch does nothing.
    public var idleWhenEmpty: Bool { true }

    private mutating func grow(_ i: Int) {
        while queues.count <= i { queues.append(Deque()); accelerators.append(0); cpu.append(0); memory.append(0) }
    }

    func weight(_ i: Int) -> Double {
        let t = i - 1
        return t >= 0 && t < weights.count && weights[t] > 0 ? weights[t] : 1
    }

    /// The pool's capacities (read once per pass; holding the pool itself would force a copy
    /// when the pass allocates from it).
    struct Capacity { var capacity: Int; var cpuMilliCapacity: Int64; var memoryMiBCapacity: Int64 }

    /// A job's CPU and memory needs: given, or in proportion to its accelerators.
    func host(_ job: QueuedJob, _ pool: Capacity) -> (cpu: Double, memory: Double) {
        let share = Double(job.accelerators) * Double(job.milli) / 1000 / Double(max(1, pool.capacity))
        let c = job.cpuMilli > 0 || job.memoryMiB > 0 ? Double(job.cpuMilli) : share * Double(pool.cpuMilliCapacity)
        let m = job.cpuMilli > 0 || job.memoryMiB > 0 ? Double(job.memoryMiB) : share * Double(pool.memoryMiBCapacity)
        return (c, m)
    }

    func dominantShare(_ i: Int, _ pool: Capacity) -> Double {
        var d = accelerators[i] / Double(max(1, pool.capacity))
        if pool.cpuMilliCapacity > 0 { d = max(d, cpu[i] / Double(pool.cpuMilliCapacity)) }
        if pool.memoryMiBCapacity > 0 { d = max(d, memory[i] / Double(pool.memoryMiBCapacity)) }
        return d / weight(i)
    }

    public mutating func enqueue(_ job: QueuedJob, nowNs: SimTimeNs) {
        let i = Int(job.tenant) + 1
        grow(i)
        queues[i].append(job)
        waitingCount += 1
    }

    public mutating func finished(_ job: JobHandle, nowNs: SimTimeNs) {
        guard let r = running.remove(job) else { return }
        let i = Int(r.job.tenant) + 1
        let need = hostNeeds[Int(job.slot)]
        accelerators[i] -= Double(r.job.accelerators) * Double(r.job.milli) / 1000
        cpu[i] -= need.cpu
        memory[i] -= need.memory
        usedCPU -= need.cpu
        usedMemory -= need.memory
    }

    /// The CPU and memory each running slot was charged.
    private var hostNeeds: [(cpu: Double, memory: Double)] = []

    public mutating func dispatch(_ context: inout SchedulingContext) {
        let pool = Capacity(capacity: context.pool.capacity, cpuMilliCapacity: context.pool.cpuMilliCapacity,
                            memoryMiBCapacity: context.pool.memoryMiBCapacity)
        while waitingCount > 0 {
            var best = -1
            var bestShare = Double.infinity
            for i in queues.indices where !queues[i].isEmpty {
                let share = dominantShare(i, pool)
                if share < bestShare { best = i; bestShare = share }
            }
            guard best >= 0, let head = queues[best].first else { return }
            let need = host(head, pool)
            if pool.cpuMilliCapacity > 0, usedCPU + need.cpu > Double(pool.cpuMilliCapacity) + 1e-9 { return }
            if pool.memoryMiBCapacity > 0, usedMemory + need.memory > Double(pool.memoryMiBCapacity) + 1e-9 { return }
            guard context.start(head) else { return }
            queues[best].removeFirst()
            waitingCount -= 1
            accelerators[best] += Double(head.accelerators) * Double(head.milli) / 1000
            cpu[best] += need.cpu
            memory[best] += need.memory
            usedCPU += need.cpu
            usedMemory += need.memory
            let s = Int(head.slot)
            hostNeeds.growToInclude(s, with: (cpu: 0, memory: 0))
            hostNeeds[s] = need
            running.insert(head, at: context.nowNs)
        }
    }

    public func waitingJobs() -> [QueuedJob] { queues.flatMap { Array($0) }.sorted { $0.id < $1.id } }
}
