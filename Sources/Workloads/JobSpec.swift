import SimKernel

/// One job's demand, as a workload emits it: when it is submitted, how many accelerators it
/// needs at once (gang), and how long it runs on them.
public struct JobSpec: Sendable, Equatable {
    /// Submission time.
    public var submitNs: SimTimeNs
    /// Accelerators needed at once.
    public var accelerators: Int32
    /// Run time once started.
    public var durationNs: SimTimeNs
    /// Which source emitted it: a job class's index, or ``JobSpec/listSource`` for listed jobs.
    public var source: Int32
    /// Position within its source, so simultaneous submissions have a fixed order.
    public var sequence: Int64

    /// The source index used for explicitly listed jobs (after every class).
    public static let listSource: Int32 = .max

    public init(submitNs: SimTimeNs, accelerators: Int32, durationNs: SimTimeNs, source: Int32, sequence: Int64) {
        self.submitNs = submitNs
        self.accelerators = accelerators
        self.durationNs = durationNs
        self.source = source
        self.sequence = sequence
    }

    /// The documented tie rule for jobs submitted at the same instant: by source (classes in
    /// scenario order, then the listed jobs), then by position within the source.
    @inlinable
    public static func submissionOrder(_ a: JobSpec, _ b: JobSpec) -> Bool {
        (a.submitNs, a.source, a.sequence) < (b.submitNs, b.source, b.sequence)
    }
}
