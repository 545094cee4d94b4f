import Metrics
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
/// - ``settle(nowNs:changed:timers:)`` once at the end of each scheduling pass, to price the
///   instant's changes: jobs whose speed changed, and the component's own timed events;
/// - ``fired(_:nowNs:)`` when one of those events comes due, and ``openGate(_:nowNs:)`` when the
///   engine lets a job it held go on (in job-id order in the next pass);
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
    mutating func settle(nowNs: SimTimeNs, changed: inout [JobHandle], timers: inout [ComponentTimer])
    mutating func fired(_ timer: ComponentTimer, nowNs: SimTimeNs) -> JobHandle?
    mutating func openGate(_ job: JobHandle, nowNs: SimTimeNs)
    func speed(of job: JobHandle) -> Double
    mutating func observe(_ occupancy: Occupancy, nowNs: SimTimeNs)
    func annotate(_ record: inout JobRecord, of job: JobHandle)
    mutating func finish(atNs endNs: SimTimeNs)
    func summary(endNs: SimTimeNs) -> [(section: String, figures: [(String, SummaryValue)])]
}

extension RunComponent {
    public mutating func jobStarted(_ job: StartingJob, nowNs: SimTimeNs) -> StartEffect { .unaffected }
    public mutating func jobStopped(_ job: JobHandle, reason: JobStop, nowNs: SimTimeNs) {}
    public mutating func settle(nowNs: SimTimeNs, changed: inout [JobHandle], timers: inout [ComponentTimer]) {}
    public mutating func fired(_ timer: ComponentTimer, nowNs: SimTimeNs) -> JobHandle? { nil }
    public mutating func openGate(_ job: JobHandle, nowNs: SimTimeNs) {}
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
public struct ComponentTimer: Sendable, Equatable {
    public var atNs: SimTimeNs
    public var subject: Int32
    public var tag: Int64

    public init(atNs: SimTimeNs, subject: Int32, tag: Int64) {
        self.atNs = atNs
        self.subject = subject
        self.tag = tag
    }
}
