import Production
import SimKernel

/// A synthetic job class: jobs arrive with random inter-arrival times and draw their size and
/// duration from distributions. Values are in base units (ns for times, a count for accelerators).
public struct JobClass: Sendable, Equatable {
    public var name: String
    /// At most this many jobs (nil: until the horizon).
    public var maxJobs: Int?
    /// Time before which no job of this class arrives (the first arrives one inter-arrival later).
    public var startNs: SimTimeNs
    public var interarrivalNs: Distribution
    public var accelerators: Distribution
    public var durationNs: Distribution
    /// Strict priority of its jobs.
    public var priority: Int8 = 0
    /// Host CPU (thousandths of a core) and memory (MiB) each job needs (0: not given).
    public var cpuMilli: Int64 = 0
    public var memoryMiB: Int64 = 0
    /// Elastic range of its jobs (0, 0: not elastic); each job's drawn size is clamped into it.
    public var minAccelerators: Int32 = 0
    public var maxAccelerators: Int32 = 0
    /// Acceptance set of its jobs (``JobSpec/acceptance``; -1: none).
    public var acceptance: Int16 = -1
    /// Each job's gradient all-reduce, priced on the fabric (nil: none).
    public var allReduce: AllReduceTemplate?
    /// Each job's storage traffic (nil: none).
    public var storage: StorageDemand?

    public init(name: String, maxJobs: Int?, startNs: SimTimeNs, interarrivalNs: Distribution,
                accelerators: Distribution, durationNs: Distribution) {
        self.name = name
        self.maxJobs = maxJobs
        self.startNs = startNs
        self.interarrivalNs = interarrivalNs
        self.accelerators = accelerators
        self.durationNs = durationNs
    }
}

/// Emits a job class's jobs one at a time, lazily, so memory does not grow with the run.
///
/// Draws come from three named streams per class — `arrivals/NAME`, `accelerators/NAME`,
/// `durations/NAME` — so changing one distribution leaves the other draws unchanged (common
/// random numbers across what-if runs). Accelerator draws are rounded to the nearest integer,
/// at least 1; duration draws below zero become zero.
public final class JobClassGenerator: JobSource {
    public let jobClass: JobClass
    public let source: Int32
    private let horizonNs: SimTimeNs
    private let arrivalStream, sizeStream, durationStream: RandomStream
    private let interarrival, size, duration: DistributionSampler
    private var lastSubmitNs: SimTimeNs
    private var emitted: Int64 = 0

    public init(_ jobClass: JobClass, source: Int32, streams: RandomStreams, horizonNs: SimTimeNs) {
        self.jobClass = jobClass
        self.source = source
        self.horizonNs = horizonNs
        arrivalStream = streams.stream("arrivals/\(jobClass.name)")
        sizeStream = streams.stream("accelerators/\(jobClass.name)")
        durationStream = streams.stream("durations/\(jobClass.name)")
        interarrival = DistributionSampler(jobClass.interarrivalNs)
        size = DistributionSampler(jobClass.accelerators)
        duration = DistributionSampler(jobClass.durationNs)
        lastSubmitNs = jobClass.startNs
    }

    /// The next job, or nil when the class is exhausted (its job count or the horizon).
    public func next() -> JobSpec? {
        if let cap = jobClass.maxJobs, emitted >= cap { return nil }
        let gap = SimTime.durationNs(work: max(0, interarrival.sample(arrivalStream)), ratePerNs: 1)
        let submit = lastSubmitNs &+ gap
        guard submit <= horizonNs, submit >= lastSubmitNs else { return nil }
        lastSubmitNs = submit
        let n = max(1, size.sample(sizeStream).rounded())
        let accelerators = Int32(min(n, Double(Int32.max)))
        let d = min(InputLimits.maxTimeNs, SimTime.durationNs(work: max(0, duration.sample(durationStream)), ratePerNs: 1))
        defer { emitted += 1 }
        var job = JobSpec(submitNs: submit, accelerators: accelerators, durationNs: d, source: source, sequence: emitted)
        job.priority = jobClass.priority
        job.acceptance = jobClass.acceptance
        job.cpuMilli = jobClass.cpuMilli
        job.memoryMiB = jobClass.memoryMiB
        job.communication = jobClass.allReduce?.demand(accelerators: Int(accelerators))
        job.storage = jobClass.storage
        job.checkpointBytes = jobClass.storage?.checkpointBytes ?? 0
        if jobClass.maxAccelerators > 0 {
            job.minAccelerators = jobClass.minAccelerators
            job.maxAccelerators = jobClass.maxAccelerators
            job.accelerators = Swift.min(Swift.max(job.accelerators, job.minAccelerators), job.maxAccelerators)
        }
        return job
    }
}
