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
    /// Running jobs by the time they cross their next threshold (lazily invalidated).
    private var crossings = Heap<Crossing>()
    private var waitingCount = 0

    struct Crossing: Comparable {
        var timeNs: SimTimeNs
        var slot: Int32
        var id: Int64
        var startNs: SimTimeNs
        static func < (a: Crossing, b: Crossing) -> Bool { (a.timeNs, a.id) < (b.timeNs, b.id) }
    }

    public init(thresholdsNs: [Double] = PolicyOptions.defaultLASThresholdsNs) {
        self.thresholdsNs = thresholdsNs.sorted()
        queues = Array(repeating: Deque<QueuedJob>(), count: thresholdsNs.count + 1)
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

    public mutating func finished(slot: Int32, nowNs: SimTimeNs) { running.remove(slot: slot) }

    public mutating func dispatch(_ context: inout SchedulingContext) {
        let now = context.nowNs
        outer: for l in queues.indices {
            while let head = queues[l].first {
                if context.start(head) {
                    queues[l].removeFirst()
                    waitingCount -= 1
                    running.insert(head, at: now)
                    scheduleCrossing(for: head, startNs: now)
                    continue
                }
                // Preempt running jobs of lower-priority queues, the least-priority (most served) first.
                let victims = running.jobs.map { ($0, level($0.attainedServiceNs(at: now))) }.filter { $0.1 > l }
                    .sorted { ($0.1, $0.0.startNs, $0.0.job.id) > ($1.1, $1.0.startNs, $1.0.job.id) }.map(\.0)
                _ = context.preempt(toFree: Int(head.accelerators), from: victims, running: &running)
                break outer
            }
        }
        // Wake up at the next threshold crossing of a running job; drop entries of jobs that
        // ended or were preempted, and move passed ones on to the job's next threshold.
        while let c = crossings.min {
            guard let r = running.job(slot: c.slot), r.job.id == c.id, r.startNs == c.startNs else {
                crossings.removeMin()
                continue
            }
            if c.timeNs > now { break }
            crossings.removeMin()
            scheduleCrossing(for: r.job, startNs: r.startNs, attainedNow: r.attainedServiceNs(at: now), nowNs: now)
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
        crossings.insert(Crossing(timeNs: t, slot: job.slot, id: job.id, startNs: startNs))
    }

    public func waitingJobs() -> [QueuedJob] { queues.flatMap { Array($0) } }
}
