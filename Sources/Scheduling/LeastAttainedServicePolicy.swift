import DequeModule
import HeapModule
import SimKernel

/// Discretised two-dimensional least attained service (Tiresias, Gu et al., NSDI'19): a job's
/// attained service is accelerators × time it has run; thresholds split jobs into queues, the
/// least-served queue first, FIFO within a queue. A running job that crosses a threshold is
/// demoted, and a waiting job of a higher queue preempts running jobs of lower queues when that
/// frees enough accelerators for it. Needs no run-time knowledge.
public struct LeastAttainedServicePolicy: SchedulingPolicy {
    public static let name = "las"
    public static let summary = "Tiresias' discretised 2-D least attained service; preemptive, needs no run-time estimates"
    /// Attained-service thresholds (accelerator·ns) between queues, ascending.
    public let thresholdsNs: [Double]
    private var queues: [Deque<QueuedJob>]
    private var running = RunningSet()
    /// Running jobs by their current queue (the preemption candidates of each level).
    private var runningByLevel: [RunningSet]
    /// Running jobs by the time they cross their next threshold (lazily invalidated).
    private var crossings = Heap<Crossing>()
    private var waitingCount = 0

    struct Crossing: Comparable {
        var timeNs: SimTimeNs
        var handle: JobHandle
        var id: Int64
        var startNs: SimTimeNs
        static func < (a: Crossing, b: Crossing) -> Bool { (a.timeNs, a.id) < (b.timeNs, b.id) }
    }

    public init(thresholdsNs: [Double] = PolicyOptions.defaultLASThresholdsNs) {
        self.thresholdsNs = thresholdsNs.sorted()
        queues = Array(repeating: Deque<QueuedJob>(), count: thresholdsNs.count + 1)
        runningByLevel = Array(repeating: RunningSet(), count: thresholdsNs.count + 1)
    }

    public var waiting: Int { waitingCount }

    /// The queue of a job with `attained` accelerator·ns of service.
    func level(_ attained: Double) -> Int {
        var l = 0
        while l < thresholdsNs.count, attained >= thresholdsNs[l] { l += 1 }
        return l
    }

    public mutating func enqueue(_ job: QueuedJob, nowNs: SimTimeNs) {
        queues[level(job.attainedServiceNs)].append(job)
        waitingCount += 1
    }

    public mutating func finished(_ job: JobHandle, nowNs: SimTimeNs) { stop(job) }

    /// Takes a job out of the running sets.
    private mutating func stop(_ job: JobHandle) {
        guard running.remove(job) != nil else { return }
        for l in runningByLevel.indices where runningByLevel[l].contains(job) {
            runningByLevel[l].remove(job)
            break
        }
    }

    public mutating func dispatch(_ context: inout SchedulingContext) {
        let now = context.nowNs
        // Demote running jobs whose attained service crossed a threshold; drop stale entries.
        while let c = crossings.min {
            guard let r = running.job(c.handle), r.job.id == c.id, r.startNs == c.startNs else {
                crossings.removeMin()
                continue
            }
            if c.timeNs > now { break }
            crossings.removeMin()
            let attained = r.attainedServiceNs(at: now)
            for l in runningByLevel.indices where runningByLevel[l].contains(c.handle) {
                runningByLevel[l].remove(c.handle)
                break
            }
            runningByLevel[level(attained)].insert(r.job, at: r.startNs)
            scheduleCrossing(for: r.job, startNs: r.startNs, attainedNow: attained, nowNs: now)
        }
        outer: for l in queues.indices {
            while let head = queues[l].first {
                if context.start(head) {
                    queues[l].removeFirst()
                    waitingCount -= 1
                    running.insert(head, at: now)
                    runningByLevel[level(head.attainedServiceNs)].insert(head, at: now)
                    scheduleCrossing(for: head, startNs: now)
                    continue
                }
                // Preempt running jobs of lower-priority queues, the most served queue first
                // (and the latest started within it), if that frees enough for the head.
                // Within a queue, the latest started first (ties: higher id); a queue is sorted only when reached.
                let chosen: [JobHandle]?
                do {   // the view of the queues ends before `stop` changes them (no copy on write)
                    let levels = runningByLevel
                    let victims = stride(from: levels.count - 1, to: l, by: -1).lazy.flatMap { v in
                        levels[v].jobs.sorted { ($0.startNs, $0.job.id) > ($1.startNs, $1.job.id) }
                    }.map { (handle: $0.job.handle, accelerators: $0.job.accelerators) }
                    chosen = context.preemptEnough(for: Int(head.accelerators), from: victims)
                }
                for job in chosen ?? [] { stop(job) }
                break outer
            }
        }
        if let c = crossings.min { context.wakeUpNs = c.timeNs }
    }

    /// Records when a job that started at `startNs` will cross its next threshold.
    private mutating func scheduleCrossing(for job: QueuedJob, startNs: SimTimeNs, attainedNow: Double? = nil, nowNs: SimTimeNs? = nil) {
        let attained = attainedNow ?? job.attainedServiceNs
        let l = level(attained)
        guard l < thresholdsNs.count else { return }
        let from = nowNs ?? startNs
        let dt = (thresholdsNs[l] - attained) / Double(job.accelerators)
        let t = from &+ SimTime.durationNs(work: max(1, dt), ratePerNs: 1)
        crossings.insert(Crossing(timeNs: t, handle: job.handle, id: job.id, startNs: startNs))
    }

    public func waitingJobs() -> [QueuedJob] { queues.flatMap { Array($0) } }
}
