import Production
import SimKernel

/// One job's demand, as a workload emits it: when it is submitted, how many accelerators it
/// needs at once (gang), how long it runs on them, and what it is (application, tenant, kind,
/// model, pool, FLOPs).
public struct JobSpec: Sendable, Equatable {
    /// Submission time.
    public var submitNs: SimTimeNs
    /// Accelerators needed at once.
    public var accelerators: Int32
    /// Run time once started.
    public var durationNs: SimTimeNs
    /// Which source emitted it (see ``JobSource``), or ``JobSpec/listSource`` for listed jobs.
    public var source: Int32
    /// Position within its source, so simultaneous submissions have a fixed order.
    public var sequence: Int64
    /// Index of its application scenario in the run's ``DemandNames``, or -1.
    public var application: Int16
    /// Index of its tenant in the run's ``DemandNames``, or -1.
    public var tenant: Int16
    /// Index of its model in the run's ``DemandNames``, or -1.
    public var model: Int16
    /// Index of the pool (group of servers) it runs in.
    public var pool: Int16
    public var kind: JobKind
    /// Strict priority (higher first under the `priority` policy).
    public var priority: Int8 = 0
    /// Share of each accelerator in thousandths: 1000 for whole devices, less for a slice of a
    /// shared device (the Alibaba trace's `gpu_milli`).
    public var milli: Int32 = 1000
    /// Host CPU (thousandths of a core) and memory (MiB) it needs; 0 when not given (counted
    /// in proportion to its accelerators by dominant-resource fairness).
    public var cpuMilli: Int64 = 0
    public var memoryMiB: Int64 = 0
    /// Elastic training: the job may run on anything from `minAccelerators` to
    /// `maxAccelerators` (0: not elastic), its speed proportional to what it holds
    /// (`durationNs` is its run time on `accelerators`).
    public var minAccelerators: Int32 = 0
    public var maxAccelerators: Int32 = 0
    /// Index of the set of accelerator kinds it accepts, with speed factors (see
    /// ``DemandNames/acceptance``); -1: it runs in `pool` only.
    public var acceptance: Int16 = -1
    /// Useful FLOPs the job delivers if it runs to completion (0 when unknown).
    public var flops: Double
    /// Per-iteration gradient all-reduce left for the run to price on the fabric (`io.model:
    /// fabric`); nil when the duration already includes communication or there is none.
    public var communication: CommunicationDemand?
    /// Reads and writes priced on the shared storage system (`io.storage`); nil: none, or
    /// already in the duration.
    public var storage: StorageDemand?
    /// Bytes of one checkpoint of its model (weights and optimizer state; 0 when unknown), for
    /// the write time of the checkpoints a run with failures plans.
    public var checkpointBytes: Double = 0

    /// The source index used for explicitly listed jobs (after every other source).
    public static let listSource: Int32 = .max
    /// An AutoML search's winning trial (the one successive halving keeps to the full budget
    /// first): it registers the model version the search produced.
    public var isSearchWinner = false
    /// The source of online services' replicas (created by the center's release model).
    public static let serviceSource: Int32 = .max - 1

    public init(submitNs: SimTimeNs, accelerators: Int32, durationNs: SimTimeNs, source: Int32, sequence: Int64,
                application: Int16 = -1, tenant: Int16 = -1, model: Int16 = -1, pool: Int16 = 0,
                kind: JobKind = .generic, flops: Double = 0) {
        self.submitNs = submitNs
        self.accelerators = accelerators
        self.durationNs = durationNs
        self.source = source
        self.sequence = sequence
        self.application = application
        self.tenant = tenant
        self.model = model
        self.pool = pool
        self.kind = kind
        self.flops = flops
    }

    /// Whether it can grow and shrink while it runs.
    /// This job with the given storage traffic.
    public func withStorage(_ demand: StorageDemand?) -> JobSpec {
        var j = self
        j.storage = demand
        if let bytes = demand?.checkpointBytes, bytes > 0 { j.checkpointBytes = bytes }
        return j
    }

    /// This job with the given all-reduce.
    public func withCommunication(_ demand: CommunicationDemand?) -> JobSpec {
        var j = self
        j.communication = demand
        return j
    }

    public var isElastic: Bool { maxAccelerators > minAccelerators && minAccelerators > 0 }

    /// Accelerators it holds, in thousandths (2 at 500 milli: 1000).
    public var milliHeld: Int64 { Int64(accelerators) * Int64(milli) }

    /// Accelerators it holds, counting shared devices by their share (2 at 500 milli: 1.0).
    public var acceleratorShare: Double { Double(accelerators) * Double(milli) / 1000 }

    /// The same job asking for `milli` thousandths of each accelerator.
    public func withMilli(_ milli: Int32) -> JobSpec {
        var j = self
        j.milli = milli
        return j
    }

    /// The same job needing `cpuMilli` thousandths of a core and `memoryMiB` of host memory.
    public func withHost(cpuMilli: Int64, memoryMiB: Int64) -> JobSpec {
        var j = self
        j.cpuMilli = cpuMilli
        j.memoryMiB = memoryMiB
        return j
    }

    /// The same job, elastic between `min` and `max` accelerators (0, 0: not elastic).
    public func withElastic(min: Int, max: Int) -> JobSpec {
        var j = self
        j.minAccelerators = Int32(min)
        j.maxAccelerators = Int32(max)
        return j
    }

    /// The same job accepting the pools of acceptance set `index` (-1: its own pool only).
    public func withAcceptance(_ index: Int16) -> JobSpec {
        var j = self
        j.acceptance = index
        return j
    }

    /// The documented tie rule for jobs submitted at the same instant: by source (classes in
    /// scenario order, then application job mixes, then services, then the listed jobs), then
    /// by position within the source.
    @inlinable
    public static func submissionOrder(_ a: JobSpec, _ b: JobSpec) -> Bool {
        (a.submitNs, a.source, a.sequence) < (b.submitNs, b.source, b.sequence)
    }
}

/// Anything that emits a stream of jobs in non-decreasing submission time, lazily.
public protocol JobSource: AnyObject {
    /// The next job, or nil when the source is exhausted.
    func next() -> JobSpec?
}

/// Names behind the indices a ``JobSpec`` carries, for traces and summaries.
public struct DemandNames: Sendable, Equatable {
    public var applications: [String] = []
    public var tenants: [String] = []
    /// Each tenant's type, parallel to `tenants`.
    public var tenantTypes: [TenantType] = []
    /// Each tenant's strict priority, parallel to `tenants`.
    public var tenantPriorities: [Int8] = []
    /// Sets of pools a job may run in, with speed factors, referenced by ``JobSpec/acceptance``.
    public var acceptance: [[AcceptedPool]] = []
    public var models: [String] = []
    public var pools: [String] = []
    /// Each pool's accelerator (catalog name), parallel to `pools`.
    public var poolAccelerators: [String] = []
    /// Online services, in application order then each application's order.
    public var services: [String] = []

    public init() {}

    /// The index of `name` in `list`, appending it when new.
    public static func intern(_ name: String, in list: inout [String]) -> Int16 {
        if let i = list.firstIndex(of: name) { return Int16(i) }
        list.append(name)
        return Int16(list.count - 1)
    }
}

/// A source of jobs given in advance (a replayed trace), in submission order.
public final class ListedJobs: JobSource {
    private var jobs: [JobSpec]
    private var position = 0

    public init(_ jobs: [JobSpec]) { self.jobs = jobs }

    public func next() -> JobSpec? {
        guard position < jobs.count else { return nil }
        defer { position += 1 }
        return jobs[position]
    }
}

/// A pool a job accepts and how fast it runs there relative to its stated run time.
public struct AcceptedPool: Sendable, Equatable {
    public var pool: Int16
    /// Run time there = stated run time / speed.
    public var speed: Double

    public init(pool: Int16, speed: Double) {
        self.pool = pool
        self.speed = speed
    }
}
