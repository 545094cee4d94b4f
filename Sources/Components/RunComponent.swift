import Metrics
import Production
import Records
import SimKernel

/// A model that lives through a run beside the engine: the shared fabric and the storage system
/// today, failures and energy next. The engine keeps the kernel loop, the job table and the
/// scheduling pass; a component owns its state, its records and its part of the summary, and
/// the engine calls it at these hooks (each has a default that does nothing, so a component
/// implements what it needs):
///
/// - ``jobStarted(_:nowNs:)`` when a job starts on its accelerators (or restarts after a
///   preemption, or a service replica is placed): the component may hold the job before it
///   computes (a gate, such as reading its data set) or price its speed at the instant's settle;
/// - ``jobStopped(_:reason:nowNs:)`` when it completes, is preempted or (a replica) retires;
/// - ``jobResized(_:heldMilli:nowNs:)`` when an elastic job grows or shrinks;
/// - ``settle(nowNs:changed:timers:)`` once at the end of each scheduling pass, to price the
///   instant's changes: jobs whose speed changed, and the component's own timed events;
/// - ``fired(_:nowNs:)`` when one of those events comes due: the component may ask the engine
///   to let a job it held go on (``openGate(_:nowNs:)`` is called in job-id order in the next
///   pass), or to take a server out of service or put it back (``ComponentRequest``);
/// - ``serverWentDown(_:nowNs:)`` when a server was taken out of service (with the jobs it hit);
/// - ``partChanged(_:nowNs:)`` when a spine switch or a storage server failed or came back, or a
///   build-out phase added storage servers or retired them;
/// - ``serverInstalled(pool:server:accelerators:installed:nowNs:)`` when a server of a center
///   built in phases enters the center or leaves it (retired and drained);
/// - ``checkpointPlan(for:)`` at a batch job's first start (the first component with a plan
///   decides how it checkpoints), and ``jobWorked(_:split:nowNs:)`` when a job with a plan stops
///   running, with what its run's work was;
/// - ``speed(of:)`` on every rate change (the job runs at the slowest component's speed);
/// - ``observe(_:nowNs:)`` at the end of each scheduling pass (and at the start of the run),
///   with what the center holds then;
/// - ``annotate(_:of:)`` when a job's `/jobs` row is written, ``finish(atNs:)`` at the end of
///   the run, and ``summary(endNs:)`` for its sections of `summary.json`.
///
/// Results must not depend on the order of same-time events: a component only marks what
/// changed when called, and prices it in ``settle(nowNs:changed:timers:)``.
public protocol RunComponent {
    mutating func jobStarted(_ job: StartingJob, nowNs: SimTimeNs) -> StartEffect
    mutating func jobStopped(_ job: JobHandle, reason: JobStop, nowNs: SimTimeNs)
    /// An elastic job now holds `heldMilli` thousandths of accelerators.
    mutating func jobResized(_ job: JobHandle, heldMilli: Int64, nowNs: SimTimeNs)
    mutating func settle(nowNs: SimTimeNs, changed: inout [JobHandle], timers: inout [ComponentTimer])
    mutating func fired(_ timer: ComponentTimer, nowNs: SimTimeNs) -> ComponentRequest?
    mutating func openGate(_ job: JobHandle, nowNs: SimTimeNs)
    mutating func serverWentDown(_ outage: ServerOutage, nowNs: SimTimeNs)
    /// A ``ComponentRequest/serverDownIfBusy(pool:server:)`` found no job on the server (or the
    /// server out of service already): it stays as it was.
    mutating func serverSpared(pool: Int, server: Int, nowNs: SimTimeNs)
    /// A part outside the servers failed or came back (the instant's settle re-prices what it changed).
    mutating func partChanged(_ change: PartChange, nowNs: SimTimeNs)
    /// Server `server` of pool `pool`, with `accelerators`, entered the center (`installed`) or
    /// left it; at time 0 for the servers that arrive later.
    mutating func serverInstalled(pool: Int, server: Int, accelerators: Int, installed: Bool, nowNs: SimTimeNs)
    mutating func checkpointPlan(for job: StartingJob) -> CheckpointPlan?
    /// Whether ``checkpointPlan(for:)`` gives plans (the engine asks only then).
    var plansCheckpoints: Bool { get }
    mutating func jobWorked(_ job: JobHandle, split: WorkSplit, nowNs: SimTimeNs)
    func speed(of job: JobHandle) -> Double
    mutating func observe(_ occupancy: Occupancy, nowNs: SimTimeNs)
    func annotate(_ record: inout JobRecord, of job: JobHandle)
    mutating func finish(atNs endNs: SimTimeNs)
    func summary(endNs: SimTimeNs) -> [(section: String, figures: [(String, SummaryValue)])]
}

extension RunComponent {
    public mutating func jobStarted(_ job: StartingJob, nowNs: SimTimeNs) -> StartEffect { .unaffected }
    public mutating func jobStopped(_ job: JobHandle, reason: JobStop, nowNs: SimTimeNs) {}
    public mutating func jobResized(_ job: JobHandle, heldMilli: Int64, nowNs: SimTimeNs) {}
    public mutating func settle(nowNs: SimTimeNs, changed: inout [JobHandle], timers: inout [ComponentTimer]) {}
    public mutating func fired(_ timer: ComponentTimer, nowNs: SimTimeNs) -> ComponentRequest? { nil }
    public mutating func openGate(_ job: JobHandle, nowNs: SimTimeNs) {}
    public mutating func serverWentDown(_ outage: ServerOutage, nowNs: SimTimeNs) {}
    public mutating func serverSpared(pool: Int, server: Int, nowNs: SimTimeNs) {}
    public mutating func partChanged(_ change: PartChange, nowNs: SimTimeNs) {}
    public mutating func serverInstalled(pool: Int, server: Int, accelerators: Int, installed: Bool, nowNs: SimTimeNs) {}
    public mutating func checkpointPlan(for job: StartingJob) -> CheckpointPlan? { nil }
    public var plansCheckpoints: Bool { false }
    public mutating func jobWorked(_ job: JobHandle, split: WorkSplit, nowNs: SimTimeNs) {}
    public func speed(of job: JobHandle) -> Double { 1 }
    public mutating func observe(_ occupancy: Occupancy, nowNs: SimTimeNs) {}
    public func annotate(_ record: inout JobRecord, of job: JobHandle) {}
    public mutating func finish(atNs endNs: SimTimeNs) {}
    public func summary(endNs: SimTimeNs) -> [(section: String, figures: [(String, SummaryValue)])] { [] }
}

/// Why a job stopped running.
public enum JobStop: Sendable, Equatable {
    /// It did all its work.
    case completed
    /// Its policy (or a service borrowing its accelerators) paused it; it will start again.
    case preempted
    /// A service replica retired.
    case retired
    /// A failure on one of its servers stopped it; it will start again (a replica is lost).
    case interrupted
}

/// What a component asks of the engine when one of its timers comes due.
public enum ComponentRequest: Sendable, Equatable {
    /// Let this job, which the component held, go on.
    case openGate(JobHandle)
    /// Take server `server` of pool `pool` out of service: every job on it is interrupted.
    case serverDown(pool: Int, server: Int)
    /// Put it back in service.
    case serverUp(pool: Int, server: Int)
    /// Take server `server` of pool `pool` out of service only if a job runs there (a software
    /// failure strikes where a job runs); otherwise the components hear ``RunComponent/serverSpared(pool:server:nowNs:)``.
    case serverDownIfBusy(pool: Int, server: Int)
    /// Take these servers of pool `pool` out of service (their leaf switch failed), or put them back.
    case serversDown(pool: Int, servers: [Int32])
    case serversUp(pool: Int, servers: [Int32])
    /// Tell every component that a spine switch or a storage server failed or came back, or
    /// that a phase changed a storage tier's servers.
    case partChanged(PartChange)
    /// Run a scheduling pass at this instant (the component changed something the pass settles:
    /// jobs' speeds, room for jobs it holds, or timers of its own it hands over at the settle).
    case pass
}

/// A part of the center outside its servers that failed (`up` false) or came back.
public struct PartChange: Sendable, Equatable {
    /// Which part.
    public enum Part: Sendable, Equatable {
        /// Spine switch `spine` of pool `pool`'s leaf-spine fabric.
        case spine(pool: Int, spine: Int)
        /// Storage server `server` of storage tier `tier`, one of `of` sharing the tier.
        case storageServer(tier: Int, server: Int, of: Int)
        /// Storage tier `tier` now has `servers` storage servers in the center (a build-out
        /// phase added its servers or retired them; `up` is true).
        case storageServersInCenter(tier: Int, servers: Int)
    }

    public var part: Part
    public var up: Bool

    public init(part: Part, up: Bool) {
        self.part = part
        self.up = up
    }
}

/// A server taken out of service, and what it hit.
public struct ServerOutage: Sendable, Equatable {
    /// One job the outage stopped.
    public struct Hit: Sendable, Equatable {
        public var job: JobHandle
        /// Accelerators it held (a share of a device counts that share).
        public var accelerators: Double
        /// Work thrown away: compute (and a write cut short) since its last durable
        /// checkpoint, ns at full speed (0 for a replica).
        public var lostNs: SimTimeNs
        /// Whether it was a service replica (lost; its service replaces it).
        public var isReplica: Bool

        public init(job: JobHandle, accelerators: Double, lostNs: SimTimeNs, isReplica: Bool) {
            self.job = job
            self.accelerators = accelerators
            self.lostNs = lostNs
            self.isReplica = isReplica
        }
    }

    public var pool: Int
    public var server: Int
    /// The jobs it stopped, in slot order.
    public var hits: [Hit]

    public init(pool: Int, server: Int, hits: [Hit]) {
        self.pool = pool
        self.server = server
        self.hits = hits
    }
}

/// What a component does with a job that starts.
public enum StartEffect: Sendable, Equatable {
    /// Nothing now: the job computes at once (the component may still change its speed at a settle).
    case unaffected
    /// The job waits (speed 0) for the instant's settle to price it.
    case pricedAtSettle
    /// The job waits for the component (its gate) before it computes; components after this one
    /// see the job only when the gate opens.
    case gated
}

/// A component's timed event: when it comes due the engine hands it back to the component
/// that asked for it (`subject` and `tag` are the component's to use).
public struct ComponentTimer: Sendable, Equatable, BitwiseCopyable {
    public var atNs: SimTimeNs
    public var subject: Int32
    public var tag: Int64

    public init(atNs: SimTimeNs, subject: Int32, tag: Int64) {
        self.atNs = atNs
        self.subject = subject
        self.tag = tag
    }
}
