/// The classic hold model (Vaucher and Duval 1975; as ns-3 and SimPy benchmarks use it):
/// keep `pending` events queued; each event popped schedules one more at now + Exp(mean 1 s).
///
/// It measures the whole kernel path — pop, dispatch, one GSL draw, schedule — and is what
/// `iccsim bench kernel` and the `Benchmarks/` package time.
public struct HoldModel: EventHandler {
    public let stream: RandomStream
    public let meanNs: Double
    public var remaining: Int64

    public init(stream: RandomStream, meanNs: Double = 1e9, events: Int64) {
        self.stream = stream
        self.meanNs = meanNs
        self.remaining = events
    }

    @inlinable
    public mutating func handle(_ event: Event, kernel: Kernel) {
        remaining -= 1
        if remaining <= 0 { kernel.requestStop(); return }
        let delay = SimTimeNs(stream.exponential(mean: meanNs))
        kernel.schedule(event, afterNs: delay)
    }

    /// A kernel primed with `pending` events at Exp(1 s) times, and a model that will process `events`.
    public static func prime(pending: Int, events: Int64, seed: UInt64 = 1) -> (Kernel, HoldModel) {
        let streams = RandomStreams(masterSeed: seed)
        let stream = streams.stream("bench/hold")
        let kernel = Kernel(initialCapacity: pending + 16)
        for i in 0..<pending {
            kernel.schedule(Event(kind: 0, subject: Int32(truncatingIfNeeded: i)),
                            atNs: SimTimeNs(stream.exponential(mean: 1e9)))
        }
        return (kernel, HoldModel(stream: stream, events: events))
    }

    /// A kernel at the hold model's steady state: primed with `pending` events, then run for
    /// `pending` events so the pending times have the stationary distribution.
    public static func steadyState(pending: Int, seed: UInt64 = 1) -> (Kernel, HoldModel) {
        var (kernel, model) = prime(pending: pending, events: Int64(pending), seed: seed)
        _ = kernel.run(&model)
        return (kernel, model)
    }

    /// Handles the next `events` events (the last one schedules no successor).
    public mutating func run(events: Int64, on kernel: Kernel) {
        remaining = events
        _ = kernel.run(&self)
    }
}
