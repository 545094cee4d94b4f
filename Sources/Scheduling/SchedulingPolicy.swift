/// A job waiting in the scheduler's queue.
public struct QueuedJob: Sendable, Equatable {
    /// The center's handle for the job (its slot).
    public var slot: Int32
    /// Job id, unique in the run, assigned in submission order.
    public var id: Int64
    public var accelerators: Int32
    public var submitNs: Int64

    public init(slot: Int32, id: Int64, accelerators: Int32, submitNs: Int64) {
        self.slot = slot
        self.id = id
        self.accelerators = accelerators
        self.submitNs = submitNs
    }
}

/// A scheduling policy: it holds the waiting jobs and decides which start when capacity frees.
///
/// Jobs are enqueued in submission order (time, then the workload's documented tie rule), so a
/// policy never sees an order that depends on event ties.
public protocol SchedulingPolicy {
    /// The name used in scenarios (`scheduling.policy`).
    static var name: String { get }
    /// Jobs waiting.
    var waiting: Int { get }
    /// Adds a submitted job.
    mutating func enqueue(_ job: QueuedJob)
    /// Chooses jobs to start now: allocates each one's accelerators from `pool`, removes it from
    /// the queue and appends it to `started`.
    mutating func dispatch(pool: inout AcceleratorPool, started: inout [QueuedJob])
    /// Every waiting job, in queue order (for end-of-run accounting).
    func waitingJobs() -> [QueuedJob]
}

/// The policies selectable by name. Adding a policy is adding its file and one line here.
public enum SchedulingPolicies {
    /// Constructors by name, in documentation order.
    public static let all: [(name: String, make: @Sendable () -> any SchedulingPolicy)] = [
        (FIFOPolicy.name, { FIFOPolicy() }),
    ]

    /// The known policy names.
    public static var names: [String] { all.map(\.name) }

    /// A fresh policy called `name`, or nil.
    public static func make(_ name: String) -> (any SchedulingPolicy)? {
        all.first { $0.name == name }?.make()
    }
}
