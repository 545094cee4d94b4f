/// A model driven by the kernel: it receives events in `(time, priority, sequence)` order.
public protocol EventHandler {
    /// Handles one event at `kernel.nowNs`. The handler may schedule further events.
    mutating func handle(_ event: Event, kernel: Kernel)
    /// Whether the model still has work it is waiting to do (for the no-progress watchdog).
    /// When the event queue runs dry while this is true, the run stops with ``StopReason/noProgress(_:)``.
    var hasPendingWork: Bool { get }
}

extension EventHandler {
    public var hasPendingWork: Bool { false }
}

/// Why a run loop returned.
public enum StopReason: Sendable, Equatable, CustomStringConvertible {
    /// The next event lies beyond the `until` time; the clock was advanced to it.
    case horizonReached
    /// No events remain and the model has no pending work.
    case queueEmpty
    /// The model asked to stop (``Kernel/requestStop()``).
    case stopped
    /// The watchdog fired: work is pending but nothing can make progress.
    case noProgress(String)
    /// The run passed its memory budget (``KernelOptions/memoryBudget``).
    case overBudget(String)

    public var description: String {
        switch self {
        case .horizonReached: return "horizon reached"
        case .queueEmpty: return "event queue empty"
        case .stopped: return "stopped by the model"
        case .noProgress(let why): return "no progress: \(why)"
        case .overBudget(let why): return "over budget: \(why)"
        }
    }
}

/// Kernel options.
public struct KernelOptions: Sendable {
    /// Test mode: same-time, same-priority events are popped in a pseudo-random (seeded) order
    /// instead of scheduling order, to expose models whose results depend on tie order.
    public var permuteTies: Bool = false
    /// Seed of the tie permutation.
    public var permutationSeed: UInt64 = 0
    /// The livelock watchdog: this many events at one instant without the clock advancing stops the run.
    public var maxEventsPerInstant: Int64 = 50_000_000
    /// The memory the run may use, checked every ``Kernel/resourceCheckInterval`` events (nil: unchecked).
    public var memoryBudget: MemoryBudget?
    /// Called every ``Kernel/resourceCheckInterval`` events with the simulated time and the
    /// events processed, for a progress display (it must not touch the model: results never
    /// depend on it).
    public var progress: (@Sendable (SimTimeNs, Int64) -> Void)?

    public init(permuteTies: Bool = false, permutationSeed: UInt64 = 0, maxEventsPerInstant: Int64 = 50_000_000,
                memoryBudget: MemoryBudget? = nil) {
        self.permuteTies = permuteTies
        self.permutationSeed = permutationSeed
        self.maxEventsPerInstant = maxEventsPerInstant
        self.memoryBudget = memoryBudget
    }
}

/// The discrete-event kernel: a clock, the pending-event set and the run loop.
///
/// Events are totally ordered by `(time, priority, sequence)`, where `sequence` is a kernel-wide
/// counter, so runs are deterministic. The kernel knows nothing about the domain.
public final class Kernel {
    /// Current simulated time.
    @inlinable public var nowNs: SimTimeNs { now }
    /// Events handled so far.
    @inlinable public var eventsProcessed: Int64 { processed }
    @usableFromInline var now: SimTimeNs = 0
    @usableFromInline var processed: Int64 = 0
    @usableFromInline let queue: EventQueue
    @usableFromInline var sequence: UInt64 = 0
    @usableFromInline var stopRequested = false
    @usableFromInline let options: KernelOptions
    @usableFromInline var tieState: UInt64

    /// Events between two checks of the memory budget (a power of two).
    public static let resourceCheckInterval: Int64 = 1 << 16

    /// Largest sequence value (56 bits); the top 8 bits of the order key hold the priority.
    @usableFromInline static let sequenceMask: UInt64 = (1 << 56) - 1

    public init(options: KernelOptions = KernelOptions(), initialCapacity: Int = 1024) {
        self.options = options
        self.queue = EventQueue(initialCapacity: initialCapacity)
        self.tieState = options.permutationSeed
    }

    /// Pending events.
    public var pendingEvents: Int { queue.count }

    /// Time of the earliest pending event, if any.
    public var nextEventTimeNs: SimTimeNs? { queue.first?.timeNs }

    /// Schedules `event` at absolute time `timeNs` (not before now). Lower `priority` runs first
    /// among events at the same time; equal priorities run in scheduling order (or permuted in
    /// the tie-permutation test mode).
    @inlinable
    public func schedule(_ event: Event, atNs timeNs: SimTimeNs, priority: UInt8 = 128) {
        precondition(timeNs >= nowNs, "cannot schedule an event in the past")
        var tie: UInt64
        if options.permuteTies {
            tieState = tieState &+ 0x9E37_79B9_7F4A_7C15
            tie = SplitMix64.mix(tieState) & Kernel.sequenceMask
        } else {
            tie = sequence
        }
        sequence &+= 1
        tie |= UInt64(priority) << 56
        queue.push(ScheduledEvent(timeNs: timeNs, order: tie, event: event))
    }

    /// Schedules `event` `delayNs` after now.
    @inlinable
    public func schedule(_ event: Event, afterNs delayNs: SimTimeNs, priority: UInt8 = 128) {
        schedule(event, atNs: nowNs + delayNs, priority: priority)
    }

    /// Asks the run loop to return after the current event.
    public func requestStop() { stopRequested = true }

    /// Runs events in order until the queue is empty, the next event lies beyond `untilNs`,
    /// the model asks to stop, or the watchdog fires.
    @inlinable
    public func run<H: EventHandler>(_ handler: inout H, untilNs: SimTimeNs = SimTime.never) -> StopReason {
        stopRequested = false
        var sameInstant: Int64 = 0
        while let next = queue.first {
            if next.timeNs > untilNs {
                now = untilNs
                return .horizonReached
            }
            _ = queue.popFirst()
            if next.timeNs == nowNs {
                sameInstant += 1
                if sameInstant > options.maxEventsPerInstant {
                    return .noProgress("more than \(options.maxEventsPerInstant) events at t=\(nowNs) ns without the clock advancing")
                }
            } else {
                sameInstant = 0
                now = next.timeNs
            }
            processed += 1
            if processed & (Kernel.resourceCheckInterval - 1) == 0 {
                if let budget = options.memoryBudget, let why = budget.exceeded() { return .overBudget(why) }
                options.progress?(nowNs, processed)
            }
            handler.handle(next.event, kernel: self)
            if stopRequested { return .stopped }
        }
        if handler.hasPendingWork {
            return .noProgress("the event queue is empty at t=\(nowNs) ns but the model has pending work that nothing can start")
        }
        return .queueEmpty
    }
}
