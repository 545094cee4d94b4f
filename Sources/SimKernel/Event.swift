/// A kernel event: a small value, dispatched by `kind` to the model's handler.
///
/// Events carry no closures or boxed payloads so the hot loop allocates nothing per event:
/// `kind` says what happened, `subject` names the thing it happened to (a job slot, a stream
/// index, an activity), and `tag` carries one extra integer (a generation counter, an id).
public struct Event: Sendable, Equatable {
    public var kind: UInt16
    public var subject: Int32
    public var tag: Int64

    @inlinable
    public init(kind: UInt16, subject: Int32 = 0, tag: Int64 = 0) {
        self.kind = kind
        self.subject = subject
        self.tag = tag
    }
}

/// An event with its place in the total order `(time, priority, sequence)`.
public struct ScheduledEvent: Sendable {
    /// When it happens.
    public var timeNs: SimTimeNs
    /// `priority` in the top 8 bits and the kernel-wide sequence number below: one integer compare
    /// after the time. Lower values happen first.
    public var order: UInt64
    public var event: Event

    @inlinable
    public init(timeNs: SimTimeNs, order: UInt64, event: Event) {
        self.timeNs = timeNs
        self.order = order
        self.event = event
    }

    /// The event's priority (0 first, 255 last) among events at the same time.
    @inlinable public var priority: UInt8 { UInt8(truncatingIfNeeded: order >> 56) }

    @inlinable
    static func precedes(_ a: ScheduledEvent, _ b: ScheduledEvent) -> Bool {
        a.timeNs < b.timeNs || (a.timeNs == b.timeNs && a.order < b.order)
    }
}
