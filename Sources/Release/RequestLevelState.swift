import Histogram
import SimKernel
import Workloads

/// Request-level serving of one service inside a run: its arrivals (Poisson at the service's
/// rate × its application's cycle × its bursts, by thinning; or a replayed request trace), its
/// engine on the ready replicas (``DynamicBatching`` over roofline batch times, or
/// ``BatchedServing``'s continuous batching over a measured latency table), latency
/// statistics, the autoscaler's observations per interval, and the sampling of `/requests`.
public struct RequestLevelState {
    var dynamic: DynamicBatching?
    var continuous: BatchedServing?
    var random: SplitMix64
    /// Poisson: the thinning envelope (peak rate, per ns), and tokens per request.
    let peakRatePerNs: Double
    let promptTokens: Double
    let outputTokens: Int
    /// Replay: the trace, whether it repeats, its span, and where the replay is.
    var trace: LLMRequestTrace?
    var traceRepeats = true
    var traceSpanNs: SimTimeNs = 0
    var traceIndex = 0
    var traceBaseNs: SimTimeNs = 0
    /// The next arrival not yet submitted (time, prompt, output); nil before traffic starts or
    /// when no more come.
    var next: (SimTimeNs, Double, Int)?
    var latencies = Histogram<UInt64>(highestTrackableValue: 1 << 62, numberOfSignificantValueDigits: .three)
    var firstOutputs = Histogram<UInt64>(highestTrackableValue: 1 << 62, numberOfSignificantValueDigits: .three)
    var count = 0.0, met = 0.0, latencySumS = 0.0, firstOutputSumS = 0.0
    /// Requests left waiting with no replica at the end of the run.
    var unserved = 0.0
    /// With figures kept period by period: requests served and met, by the period of their
    /// arrival (the ledger's periods).
    var periodServed: [Double] = [], periodMet: [Double] = []
    /// Requests arrived and served (and met) since the autoscaler last looked.
    var intervalArrivals = 0.0, intervalServed = 0.0, intervalMet = 0.0
    let sampleEvery: Int64
    var sequence: Int64 = 0

    public init(dynamic: DynamicBatching?, continuous: BatchedServing?, seed: UInt64, peakRatePerNs: Double, promptTokens: Double, outputTokens: Int,
         trace: LLMRequestTrace?, traceRepeats: Bool, sampleEvery: Int64) {
        self.dynamic = dynamic
        self.continuous = continuous
        random = SplitMix64(seed: seed)
        self.peakRatePerNs = peakRatePerNs
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        self.trace = trace
        self.traceRepeats = traceRepeats
        self.sampleEvery = sampleEvery
        if let t = trace, let last = t.arrivalS.last {
            // The next repeat starts one mean gap after the last request.
            let spanS = last + max(last / Double(t.arrivalS.count), 1e-3)
            traceSpanNs = SimTimeNs((spanS * 1e9).rounded(.up))
        }
    }

    /// Traffic starts at `tNs` (the first replica is ready): draws the first arrival.
    mutating func start(atNs tNs: SimTimeNs, ledger: ServingLedger) {
        traceBaseNs = tNs
        traceIndex = 0
        next = nil
        draw(after: tNs, ledger: ledger)
    }

    /// Draws the arrival after `tNs` into `next`.
    mutating func draw(after tNs: SimTimeNs, ledger: ServingLedger) {
        if let t = trace {
            if traceIndex == t.arrivalS.count {
                guard traceRepeats else { next = nil; return }
                traceIndex = 0
                traceBaseNs += traceSpanNs
            }
            let a = traceBaseNs + SimTimeNs((t.arrivalS[traceIndex] * 1e9).rounded())
            next = (max(a, tNs), t.promptTokens[traceIndex], max(1, Int(t.outputTokens[traceIndex].rounded())))
            traceIndex += 1
            return
        }
        guard peakRatePerNs > 0 else { next = nil; return }
        let envelope = ledger.cycle.peak * ledger.peakBurstFactor
        var a = tNs
        while true {
            a += max(1, SimTimeNs(random.exponential(rate: peakRatePerNs).rounded(.up)))
            if random.nextUnit() * envelope < ledger.cycle.multiplier(atNs: a) * ledger.burstFactor(atNs: a) { break }
        }
        next = (a, promptTokens, outputTokens)
    }

    /// Submits every arrival before `tNs` to the engine.
    mutating func submit(before tNs: SimTimeNs, ledger: ServingLedger) {
        while let (a, p, o) = next, a < tNs {
            if dynamic != nil { dynamic!.submit(arrivalNs: a) } else { continuous!.submit(arrivalNs: a, promptTokens: p, outputTokens: o) }
            intervalArrivals += 1
            draw(after: a, ledger: ledger)
        }
    }

    /// From `tNs` on, `n` replicas serve.
    mutating func resize(to n: Int, atNs tNs: SimTimeNs) {
        dynamic?.resize(to: n, atNs: tNs)
        continuous?.resize(to: n, atNs: tNs)
    }

    /// The requests served up to `tNs` (nil: everything, at the end of the run), handed over once.
    mutating func takeServed(upTo tNs: SimTimeNs?) -> [ServedRequest] {
        if dynamic != nil {
            if let t = tNs { dynamic!.advance(to: t) } else { unserved = Double(dynamic!.drain()) }
            let out = dynamic!.served
            dynamic!.served.removeAll(keepingCapacity: true)
            return out
        }
        let out = continuous!.takeFinished(upTo: tNs)
        if tNs == nil { unserved = Double(continuous!.atGateway) }
        return out
    }
}
