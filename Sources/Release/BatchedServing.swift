import SimKernel

/// Continuous (iteration-level) batching, as vLLM and Orca serve LLMs: each replica runs
/// iterations; at every iteration boundary it admits waiting requests (up to `maxBatch`
/// running), and an iteration is either the prefill of the requests just admitted (each gets
/// its first token at its end) or one decode step of every running request, taking the latency
/// table's per-token time at the running batch size. Steps between two changes of the batch
/// are taken together (fast-forward), so a request costs a few operations, not one per token.
///
/// Requests must arrive in time order; each replica is advanced lazily to an arrival's time
/// before the balancer looks at it. With `maxBatch` 1 it serves exactly as ``RequestServing``.
public struct BatchedServing {
    /// Prefill seconds of a prompt of n tokens; seconds per decode step at batch size b.
    public typealias PrefillS = (Double) -> Double
    public typealias StepS = (Int) -> Double

    struct Request {
        var index: Int
        var arrivalNs: SimTimeNs
        var promptTokens: Double
        var remaining: Int
        var startNs: SimTimeNs = -1
        var firstTokenNs: SimTimeNs = -1
    }

    struct Replica {
        var clockNs: SimTimeNs = 0
        var waiting: [Request] = []
        var waitingHead = 0
        var running: [Request] = []
        /// Completion times of finished requests that may lie after the time last asked about
        /// (an iteration that starts before an arrival may end after it).
        var doneEnds: [SimTimeNs] = []
        var doneHead = 0

        /// Requests waiting or in service at `t` (`t` never decreases between calls).
        mutating func outstanding(at t: SimTimeNs) -> Int {
            while doneHead < doneEnds.count && doneEnds[doneHead] <= t { doneHead += 1 }
            if doneHead > 1024 && doneHead * 2 > doneEnds.count { doneEnds.removeFirst(doneHead); doneHead = 0 }
            return waiting.count - waitingHead + running.count + doneEnds.count - doneHead
        }
    }

    public let maxBatch: Int
    public let balancer: LoadBalancer
    let prefillS: PrefillS
    let stepS: StepS
    var replicas: [Replica]
    /// Completions recorded while a replica's state is checked out in `advance`.
    var doneEndsPending: [(Int, SimTimeNs)] = []
    var nextRoundRobin = 0
    var random: SplitMix64
    /// Finished requests (index, record), in completion order.
    public private(set) var finished: [(Int, ServedRequest)] = []
    var count = 0

    public init(replicas n: Int, maxBatch: Int, balancer: LoadBalancer, seed: UInt64 = 1, prefillS: @escaping PrefillS, stepS: @escaping StepS) {
        precondition(n >= 1 && maxBatch >= 1)
        replicas = Array(repeating: Replica(), count: n)
        self.maxBatch = maxBatch
        self.balancer = balancer == .central ? .leastOutstanding : balancer
        self.prefillS = prefillS
        self.stepS = stepS
        random = SplitMix64(seed: seed)
    }

    static func ns(_ s: Double) -> SimTimeNs { SimTimeNs((s * 1e9).rounded(.up)) }

    /// Runs replica `r`'s iterations that start before `t` (all of them when `t` is nil).
    mutating func advance(_ r: Int, to t: SimTimeNs?) {
        var rep = replicas[r]
        defer {
            for (_, end) in doneEndsPending { rep.doneEnds.append(end) }
            doneEndsPending.removeAll(keepingCapacity: true)
            replicas[r] = rep
        }
        while true {
            if let t, rep.clockNs >= t { return }
            let free = maxBatch - rep.running.count
            let headArrival = rep.waitingHead < rep.waiting.count ? rep.waiting[rep.waitingHead].arrivalNs : SimTime.never
            if rep.running.isEmpty {
                guard headArrival != SimTime.never else { if let t { rep.clockNs = max(rep.clockNs, t) }; return }
                if headArrival > rep.clockNs { rep.clockNs = headArrival; continue }
            }
            if free > 0 && headArrival <= rep.clockNs {
                // A prefill iteration for every waiting request that has arrived, up to the batch.
                var admitted: [Request] = []
                while admitted.count < free, rep.waitingHead < rep.waiting.count, rep.waiting[rep.waitingHead].arrivalNs <= rep.clockNs {
                    admitted.append(rep.waiting[rep.waitingHead])
                    rep.waitingHead += 1
                }
                if rep.waitingHead > 1024 && rep.waitingHead * 2 > rep.waiting.count { rep.waiting.removeFirst(rep.waitingHead); rep.waitingHead = 0 }
                let end = rep.clockNs + Self.ns(admitted.reduce(0) { $0 + prefillS($1.promptTokens) })
                for var q in admitted {
                    q.startNs = rep.clockNs
                    q.firstTokenNs = end
                    q.remaining -= 1
                    if q.remaining <= 0 { complete(q, at: end, replica: r) } else { rep.running.append(q) }
                }
                rep.clockNs = end
                continue
            }
            // Decode steps at this batch size until a request finishes, a waiting request can
            // be admitted, or the steps pass `t`.
            let d = Self.ns(stepS(rep.running.count))
            var k = rep.running.map(\.remaining).min()!
            if free > 0 && headArrival != SimTime.never { k = min(k, max(1, Int((headArrival - rep.clockNs + d - 1) / d))) }
            if let t { k = min(k, max(1, Int((t - rep.clockNs + d - 1) / d))) }
            rep.clockNs += SimTimeNs(k) * d
            var still: [Request] = []
            for var q in rep.running {
                q.remaining -= k
                if q.remaining <= 0 { complete(q, at: rep.clockNs, replica: r) } else { still.append(q) }
            }
            rep.running = still
        }
    }

    mutating func complete(_ q: Request, at endNs: SimTimeNs, replica: Int) {
        doneEndsPending.append((replica, endNs))
        finished.append((q.index, ServedRequest(arrivalNs: q.arrivalNs, startNs: q.startNs, firstTokenNs: q.firstTokenNs, endNs: endNs, replica: Int32(replica))))
    }

    /// Submits a request arriving at `arrivalNs` with `promptTokens` and `outputTokens` (≥ 1).
    public mutating func submit(arrivalNs: SimTimeNs, promptTokens: Double, outputTokens: Int) {
        let n = replicas.count
        let r: Int
        switch balancer {
        case .roundRobin:
            r = nextRoundRobin
            nextRoundRobin = (nextRoundRobin + 1) % n
        case .powerOfTwo:
            let a = Int(random.next() % UInt64(n))
            var b = Int(random.next() % UInt64(max(1, n - 1)))
            if n > 1 && b >= a { b += 1 }
            advance(a, to: arrivalNs)
            if n > 1 { advance(b, to: arrivalNs) }
            r = n > 1 && replicas[b].outstanding(at: arrivalNs) < replicas[a].outstanding(at: arrivalNs) ? b : a
        default:
            var best = 0, bestKey = (Int.max, Int.max)
            for i in 0..<n {
                advance(i, to: arrivalNs)
                let out = replicas[i].outstanding(at: arrivalNs)
                let key = balancer == .joinShortestQueue ? (max(0, out - 1), out) : (out, 0)
                if key < bestKey { best = i; bestKey = key }
            }
            r = best
        }
        advance(r, to: arrivalNs)
        replicas[r].waiting.append(Request(index: count, arrivalNs: arrivalNs, promptTokens: promptTokens, remaining: max(1, outputTokens)))
        count += 1
    }

    /// Serves everything submitted to the end; returns the records in submission order.
    public mutating func drain() -> [ServedRequest] {
        for r in replicas.indices { advance(r, to: nil) }
        var out = [ServedRequest?](repeating: nil, count: count)
        for (i, rec) in finished { out[i] = rec }
        return out.map { $0! }
    }
}
