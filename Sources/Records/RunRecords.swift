import SimKernel
import Workloads

/// What became of a job by the end of the run. Codes are stored in traces; their names are
/// in the trace's dictionary tables.
public enum JobState: Int8, Sendable, CaseIterable {
    /// Ran to completion.
    case completed = 0
    /// Refused at submission (see ``RejectReason``).
    case rejected = 1
    /// Still running when the horizon was reached.
    case running = 2
    /// Still waiting when the horizon was reached (or when nothing could ever start it).
    case queued = 3

    public var name: String {
        switch self {
        case .completed: return "completed"
        case .rejected: return "rejected"
        case .running: return "running"
        case .queued: return "queued"
        }
    }
}

/// Why a job was rejected at submission.
public enum RejectReason: Int8, Sendable, CaseIterable {
    case none = 0
    /// It asks for more accelerators than its pool has.
    case largerThanPool = 1

    public var name: String {
        switch self {
        case .none: return "none"
        case .largerThanPool: return "larger_than_pool"
        }
    }
}

/// One row of `/jobs`: a job's life. Times not reached are -1.
public struct JobRecord: Sendable, Equatable {
    public var id: Int64
    /// The job class index in the scenario, or -1 for jobs not from a class.
    public var jobClass: Int32
    public var submitNs: SimTimeNs
    public var startNs: SimTimeNs
    public var endNs: SimTimeNs
    public var accelerators: Int32
    public var state: JobState
    public var rejectReason: RejectReason
    /// Application, tenant, model and pool indices into the run's ``DemandNames`` (-1: none).
    public var application: Int16 = -1
    public var tenant: Int16 = -1
    public var model: Int16 = -1
    public var pool: Int16 = 0
    public var kind: JobKind = .generic
    /// Times it was preempted.
    public var preemptions: Int32 = 0
    /// Servers and leaf switches its accelerators spanned (at its latest start; 0 if it never started).
    public var serversSpanned: Int32 = 0
    public var leavesSpanned: Int32 = 0
    /// Share of each accelerator, in thousandths (1000: whole devices).
    public var milli: Int32 = 1000
    /// FLOPs the job delivered: all of its work if it completed, the part done if it was still
    /// running at the end, 0 otherwise.
    public var flops: Double = 0
    /// Share of its run time spent in gradient communication not hidden behind compute (with
    /// `io.model: fabric`; 0 otherwise or when it does not communicate).
    public var communicationShare: Double = 0
    /// Time it spent reading its dataset or model file before computing (`io.storage`).
    public var ingestNs: SimTimeNs = 0
    /// Times a failure interrupted it, and the work those interruptions threw away (ns at full
    /// speed: compute since its last durable checkpoint); with `failures` only.
    public var interruptions: Int32 = 0
    public var workLostNs: SimTimeNs = 0
    /// Facility energy charged to it (its accelerators at rest while it held them, what they
    /// added while it computed, its hosts' share, times the hours' PUE), kWh; with `power` only.
    public var energyKWh: Double = 0
    /// Its IT energy (before the PUE), kWh, and its emissions, kg CO2; with `power` only.
    public var itEnergyKWh: Double = 0
    public var co2Kg: Double = 0

    /// Time from submission to start, or -1 if it never started.
    public var waitNs: SimTimeNs { startNs >= 0 ? startNs - submitNs : -1 }

    public init(id: Int64, jobClass: Int32, submitNs: SimTimeNs, startNs: SimTimeNs, endNs: SimTimeNs,
                accelerators: Int32, state: JobState, rejectReason: RejectReason = .none) {
        self.id = id
        self.jobClass = jobClass
        self.submitNs = submitNs
        self.startNs = startNs
        self.endNs = endNs
        self.accelerators = accelerators
        self.state = state
        self.rejectReason = rejectReason
    }

    /// Copies the demand labels (application, tenant, model, pool, kind) of `spec`.
    public mutating func label(with spec: JobSpec) {
        milli = spec.milli
        application = spec.application
        tenant = spec.tenant
        model = spec.model
        pool = spec.pool
        kind = spec.kind
    }
}

/// One row of `/utilization`, written at the end of every instant at which a value changed.
public struct UtilizationSample: Sendable, Equatable {
    public var timeNs: SimTimeNs
    /// Accelerators allocated to running jobs.
    public var busyAccelerators: Int32
    /// Jobs waiting in the scheduler's queue.
    public var queuedJobs: Int32
    /// Jobs running.
    public var runningJobs: Int32

    public init(timeNs: SimTimeNs, busyAccelerators: Int32, queuedJobs: Int32, runningJobs: Int32) {
        self.timeNs = timeNs
        self.busyAccelerators = busyAccelerators
        self.queuedJobs = queuedJobs
        self.runningJobs = runningJobs
    }
}

/// One row of `/utilization_pools` or `/utilization_tenants`: one pool's or tenant's state,
/// written at the end of every instant at which it changed.
public struct GroupSample: Sendable, Equatable {
    public var timeNs: SimTimeNs
    /// Pool or tenant index (tenant -1: jobs without a tenant).
    public var group: Int16
    /// Accelerators held by its running jobs (a share of a device counts as that share).
    public var busyAccelerators: Double
    public var queuedJobs: Int32
    public var runningJobs: Int32

    public init(timeNs: SimTimeNs, group: Int16, busyAccelerators: Double, queuedJobs: Int32, runningJobs: Int32) {
        self.timeNs = timeNs
        self.group = group
        self.busyAccelerators = busyAccelerators
        self.queuedJobs = queuedJobs
        self.runningJobs = runningJobs
    }
}

/// Where a run's records go (the HDF5 trace writer, a test's collector). Records arrive in a
/// deterministic order: jobs at their end (in id order within an instant), samples in time order
/// (pools and tenants in index order within an instant). There are no default (dropping)
/// implementations: a sink that forgets a record type does not compile.
public protocol RecordSink: AnyObject {
    func record(job: JobRecord)
    func record(utilization: UtilizationSample)
    func record(pool: GroupSample)
    func record(tenant: GroupSample)
    func record(collective: CollectiveRecord)
    func record(model: ModelVersion)
    func record(deployment: DeploymentEvent)
    /// A sampled request of a request-level service.
    func record(request: RequestRecord)
    /// The `/links` series, once at the end of the run: link names and their samples.
    func record(links names: [String], samples: [LinkSample])
    /// A server taken out of service by a failure (`failures`).
    func record(failure: FailureRecord)
    /// The facility's power over an interval (`power`).
    func record(power: PowerSample)
}

/// One row of `/power`: the facility's power over an interval (`power.interval` long; the last
/// row ends with the run): mean IT, accelerator and facility power, the highest facility draw
/// in it, the accelerators' lowest power limit, and the cap's doings.
public struct PowerSample: Sendable, Equatable {
    /// Start of the interval.
    public var timeNs: SimTimeNs
    public var itW: Double
    public var acceleratorW: Double
    public var facilityW: Double
    public var facilityPeakW: Double
    /// The lowest limit set on busy accelerators in the interval, as a share of their uncapped draw (1: none).
    public var powerLimitShare: Double
    /// Jobs waiting for power at the end of the interval.
    public var jobsWaiting: Int32
    /// Times the limit was lowered or a job had to wait for power in the interval.
    public var capEvents: Int32

    public init(timeNs: SimTimeNs, itW: Double, acceleratorW: Double, facilityW: Double, facilityPeakW: Double, powerLimitShare: Double,
                jobsWaiting: Int32, capEvents: Int32) {
        self.timeNs = timeNs
        self.itW = itW
        self.acceleratorW = acceleratorW
        self.facilityW = facilityW
        self.facilityPeakW = facilityPeakW
        self.powerLimitShare = powerLimitShare
        self.jobsWaiting = jobsWaiting
        self.capEvents = capEvents
    }
}

/// One row of `/failures`: a failure that took a server out of service, what it hit and how
/// long the server stayed out.
public struct FailureRecord: Sendable, Equatable {
    /// How the server came back.
    public enum Kind: Int8, Sendable, CaseIterable {
        /// A reboot cleared it.
        case transient = 0
        /// The part was repaired or replaced in place.
        case repair = 1
        /// A hot spare took the server's place (the part is repaired meanwhile).
        case spare = 2

        public var name: String {
            switch self {
            case .transient: return "transient"
            case .repair: return "repair"
            case .spare: return "spare"
            }
        }
    }

    public var timeNs: SimTimeNs
    public var pool: Int16
    /// The server, numbered in its pool's layout order.
    public var server: Int32
    /// The class of part that failed (``FailureComponent`` order).
    public var component: Int8
    public var kind: Kind
    /// Jobs it interrupted, and service replicas it stopped.
    public var jobsHit: Int32
    public var replicasHit: Int32
    /// Accelerator-hours of work thrown away (each job's lost work × its accelerators).
    public var workLostAcceleratorHours: Double
    /// Time until the server was back in service (detection, then reboot, repair or swap).
    public var downNs: SimTimeNs

    public init(timeNs: SimTimeNs, pool: Int16, server: Int32, component: Int8, kind: Kind, jobsHit: Int32, replicasHit: Int32,
                workLostAcceleratorHours: Double, downNs: SimTimeNs) {
        self.timeNs = timeNs; self.pool = pool; self.server = server; self.component = component; self.kind = kind
        self.jobsHit = jobsHit; self.replicasHit = replicasHit; self.workLostAcceleratorHours = workLostAcceleratorHours; self.downNs = downNs
    }
}

/// One row of `/collectives`: a stretch of a job's run over which its gradient all-reduce
/// went at one speed (steady state between two changes of contention on its links).
public struct CollectiveRecord: Sendable, Equatable {
    public var job: Int64
    public var pool: Int16
    /// The algorithm, as an index into `CollectiveAlgorithm.allCases` (runs use the ring: 0).
    public var algorithm: Int8 = 0
    /// Ranks in each data-parallel ring, and the parallel rings (one per tensor/pipeline rank).
    public var ranks: Int32
    public var rings: Int32
    /// Bytes each rank all-reduces per iteration.
    public var bytes: Double
    public var startNs: SimTimeNs
    public var endNs: SimTimeNs
    /// Iterations run over the stretch (fractional at its ends).
    public var iterations: Double
    /// nccl-tests' algorithm and bus bandwidth of one all-reduce (GB/s, 1e9 bytes/s).
    public var algbwGBps: Double
    public var busbwGBps: Double
    /// Share of each iteration spent in communication not hidden behind compute.
    public var exposedShare: Double

    public init(job: Int64, pool: Int16, ranks: Int32, rings: Int32, bytes: Double, startNs: SimTimeNs, endNs: SimTimeNs,
                iterations: Double, algbwGBps: Double, busbwGBps: Double, exposedShare: Double) {
        self.job = job; self.pool = pool; self.ranks = ranks; self.rings = rings; self.bytes = bytes
        self.startNs = startNs; self.endNs = endNs; self.iterations = iterations
        self.algbwGBps = algbwGBps; self.busbwGBps = busbwGBps; self.exposedShare = exposedShare
    }
}

/// One row of `/deployments`: a service replica placed (its cold start begins), ready (it
/// serves from now on) or stopped, with the service's ready replicas after it.
public struct DeploymentEvent: Sendable, Equatable {
    /// What happened to the replica.
    public enum Kind: Int8, Sendable {
        case placed = 0, stopped = 1, ready = 2
    }

    public var timeNs: SimTimeNs
    public var application: Int16
    public var model: Int16
    public var pool: Int16
    public var job: Int64
    /// A ``Kind`` raw value: 0 placed, 1 stopped, 2 ready.
    public var event: Int8
    /// Ready replicas of the service after the event.
    public var replicas: Int32
    /// The service (``DemandNames/services``).
    public var service: Int16 = -1
    /// The model version the replica serves (0: the one present before the run).
    public var version: Int32 = 0
    /// Whether the replica runs on accelerators lent by another pool.
    public var borrowed = false
    /// On ready rows: the cold start (pulling and loading the model), else 0.
    public var coldStartNs: SimTimeNs = 0

    public init(timeNs: SimTimeNs, application: Int16, model: Int16, pool: Int16, job: Int64, event: Int8, replicas: Int32) {
        self.timeNs = timeNs; self.application = application; self.model = model; self.pool = pool
        self.job = job; self.event = event; self.replicas = replicas
    }
}

/// One row of `/requests`: a request of a request-level service (sampled).
public struct RequestRecord: Sendable, Equatable {
    public var service: Int16
    public var replica: Int32
    public var arrivalNs: SimTimeNs
    public var startNs: SimTimeNs
    /// When its first output (token) was ready.
    public var firstOutputNs: SimTimeNs
    public var endNs: SimTimeNs

    public init(service: Int16, replica: Int32, arrivalNs: SimTimeNs, startNs: SimTimeNs, firstOutputNs: SimTimeNs, endNs: SimTimeNs) {
        self.service = service; self.replica = replica; self.arrivalNs = arrivalNs; self.startNs = startNs
        self.firstOutputNs = firstOutputNs; self.endNs = endNs
    }
}

/// One point of `/links`: a leaf-spine link's mean utilisation over one sample interval.
public struct LinkSample: Sendable, Equatable {
    public var timeNs: SimTimeNs
    /// Index into the link names.
    public var link: Int32
    public var utilization: Double

    public init(timeNs: SimTimeNs, link: Int32, utilization: Double) {
        self.timeNs = timeNs
        self.link = link
        self.utilization = utilization
    }
}

/// A sink that drops everything (for benchmarks and validation sweeps), on purpose and record
/// type by record type: a sink handles every record type or does not compile.
public final class NullSink: RecordSink {
    public init() {}
    public func record(job: JobRecord) {}
    public func record(utilization: UtilizationSample) {}
    public func record(pool: GroupSample) {}
    public func record(tenant: GroupSample) {}
    public func record(collective: CollectiveRecord) {}
    public func record(model: ModelVersion) {}
    public func record(deployment: DeploymentEvent) {}
    public func record(request: RequestRecord) {}
    public func record(links names: [String], samples: [LinkSample]) {}
    public func record(failure: FailureRecord) {}
    public func record(power: PowerSample) {}
}

/// A sink that keeps every record in memory (for tests).
public final class CollectingSink: RecordSink {
    public private(set) var jobs: [JobRecord] = []
    public private(set) var samples: [UtilizationSample] = []
    public private(set) var poolSamples: [GroupSample] = []
    public private(set) var tenantSamples: [GroupSample] = []
    public private(set) var collectives: [CollectiveRecord] = []
    public private(set) var models: [ModelVersion] = []
    public private(set) var deployments: [DeploymentEvent] = []
    public private(set) var requests: [RequestRecord] = []
    public private(set) var linkNames: [String] = []
    public private(set) var linkSamples: [LinkSample] = []
    public private(set) var failures: [FailureRecord] = []
    public private(set) var power: [PowerSample] = []
    public init() {}
    public func record(failure: FailureRecord) { failures.append(failure) }
    public func record(power sample: PowerSample) { power.append(sample) }
    public func record(collective: CollectiveRecord) { collectives.append(collective) }
    public func record(model: ModelVersion) { models.append(model) }
    public func record(deployment: DeploymentEvent) { deployments.append(deployment) }
    public func record(request: RequestRecord) { requests.append(request) }
    public func record(links names: [String], samples: [LinkSample]) { linkNames = names; linkSamples = samples }
    public func record(job: JobRecord) { jobs.append(job) }
    public func record(utilization: UtilizationSample) { samples.append(utilization) }
    public func record(pool: GroupSample) { poolSamples.append(pool) }
    public func record(tenant: GroupSample) { tenantSamples.append(tenant) }
}
