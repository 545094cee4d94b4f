/// A typed handle to a fluid activity.
public struct FluidActivityID: Sendable, Hashable {
    public let raw: Int32
    public init(raw: Int32) { self.raw = raw }
}

/// Fluid activities (SimGrid's model): long work held as a remaining amount and a rate.
///
/// The kernel only ever needs an activity's next completion time. When its rate changes (a new
/// job shares a link, a co-located job ends), ``setRate(_:ratePerNs:nowNs:)`` advances the
/// remaining work to now and returns the new completion time; the owner schedules a completion
/// event carrying ``generation(_:)`` and ignores events whose generation is stale. There is
/// never one event per iteration or per packet.
public struct FluidActivities: Sendable {
    private var remaining: [Double] = []
    private var rate: [Double] = []
    private var updatedAtNs: [SimTimeNs] = []
    private var generations: [UInt32] = []
    private var live: [Bool] = []
    private var freeSlots: [Int32] = []

    public init() {}

    /// Activities currently live.
    public private(set) var liveCount: Int = 0

    /// Starts `work` units at `ratePerNs` units per nanosecond. Returns the handle and its
    /// completion time (``SimTime/never`` while the rate is zero). Handles are dense small
    /// integers (freed ones are reused first), so owners can index their own arrays by them.
    public mutating func start(work: Double, ratePerNs: Double, nowNs: SimTimeNs) -> (FluidActivityID, completionNs: SimTimeNs) {
        precondition(work >= 0 && ratePerNs >= 0, "fluid activity needs non-negative work and rate")
        let slot: Int
        if let s = freeSlots.popLast() {
            slot = Int(s)
        } else {
            slot = remaining.count
            remaining.append(0); rate.append(0); updatedAtNs.append(0); generations.append(0); live.append(false)
        }
        remaining[slot] = work
        rate[slot] = ratePerNs
        updatedAtNs[slot] = nowNs
        generations[slot] &+= 1
        live[slot] = true
        liveCount += 1
        let id = FluidActivityID(raw: Int32(slot))
        return (id, completionNs(id))
    }

    /// Work left at the last update.
    public func remainingWork(_ id: FluidActivityID, nowNs: SimTimeNs) -> Double {
        let i = Int(id.raw)
        return max(0, remaining[i] - rate[i] * Double(nowNs - updatedAtNs[i]))
    }

    /// Current rate.
    public func rate(_ id: FluidActivityID) -> Double { rate[Int(id.raw)] }

    /// The generation stamped on the activity's current completion event.
    public func generation(_ id: FluidActivityID) -> UInt32 { generations[Int(id.raw)] }

    /// Whether the activity has started and not yet finished.
    public func isLive(_ id: FluidActivityID) -> Bool {
        let i = Int(id.raw)
        return i >= 0 && i < live.count && live[i]
    }

    /// Whether a completion event carrying `generation` is still the activity's current one.
    public func isCurrent(_ id: FluidActivityID, generation: UInt32) -> Bool {
        isLive(id) && generations[Int(id.raw)] == generation
    }

    /// When the activity completes at its current rate.
    public func completionNs(_ id: FluidActivityID) -> SimTimeNs {
        let i = Int(id.raw)
        guard rate[i] > 0 else { return SimTime.never }
        let d = SimTime.durationNs(work: remaining[i], ratePerNs: rate[i])
        return d == SimTime.never ? d : updatedAtNs[i] + d
    }

    /// Changes the rate from now on: advances the remaining work, bumps the generation (so the
    /// old completion event becomes stale) and returns the new completion time.
    public mutating func setRate(_ id: FluidActivityID, ratePerNs: Double, nowNs: SimTimeNs) -> SimTimeNs {
        precondition(ratePerNs >= 0, "fluid activity rate must be non-negative")
        let i = Int(id.raw)
        remaining[i] = remainingWork(id, nowNs: nowNs)
        updatedAtNs[i] = nowNs
        rate[i] = ratePerNs
        generations[i] &+= 1
        return completionNs(id)
    }

    /// Adds `work` to the activity's remaining work (a restore after preemption); returns the new
    /// completion time and bumps the generation like ``setRate(_:ratePerNs:nowNs:)``.
    public mutating func addWork(_ id: FluidActivityID, work: Double, nowNs: SimTimeNs) -> SimTimeNs {
        precondition(work >= 0, "added work must be non-negative")
        let i = Int(id.raw)
        remaining[i] = remainingWork(id, nowNs: nowNs) + work
        updatedAtNs[i] = nowNs
        generations[i] &+= 1
        return completionNs(id)
    }

    /// Sets the activity's remaining work (a job whose checkpoints decide what is left);
    /// returns the new completion time and bumps the generation like ``setRate(_:ratePerNs:nowNs:)``.
    public mutating func setRemaining(_ id: FluidActivityID, work: Double, nowNs: SimTimeNs) -> SimTimeNs {
        precondition(work >= 0, "remaining work must be non-negative")
        let i = Int(id.raw)
        remaining[i] = work
        updatedAtNs[i] = nowNs
        generations[i] &+= 1
        return completionNs(id)
    }

    /// Ends the activity and frees its slot.
    public mutating func finish(_ id: FluidActivityID) {
        let i = Int(id.raw)
        precondition(live[i], "finishing an activity that is not live")
        live[i] = false
        generations[i] &+= 1
        liveCount -= 1
        freeSlots.append(id.raw)
    }
}
