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
/// Replicas can join and retire (``resize(to:atNs:)``): a retiring replica takes no new
/// requests and finishes those it holds; with no replica, requests wait at the gateway.
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
    /// Replicas taking new requests (indices into `replicas`), oldest first.
    var active: [Int]
    /// Requests that arrived when no replica served (index, arrival, prompt, output).
    var gateway: [(Int, SimTimeNs, Double, Int)] = []
    /// Completions recorded while a replica's state is checked out in `advance`.
    var doneEndsPending: [(Int, SimTimeNs)] = []
    var nextRoundRobin = 0
    var random: SplitMix64
    /// Finished requests (index, record), in completion order.
    public private(set) var finished: [(Int, ServedRequest)] = []
    var count = 0

    public init(replicas n: Int, maxBatch: Int, balancer: LoadBalancer, seed: UInt64 = 1, prefillS: @escaping PrefillS, stepS: @escaping StepS) {
        precondition(n >= 0 && maxBatch >= 1)
        replicas = Array(repeating: Replica(), count: n)
        active = Array(0..<n)
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
        guard !active.isEmpty else {
            gateway.append((count, arrivalNs, promptTokens, outputTokens))
            count += 1
            return
        }
        place(index: count, arrivalNs: arrivalNs, promptTokens: promptTokens, outputTokens: outputTokens, at: arrivalNs)
        count += 1
    }

    /// Sends a request to the replica the balancer picks at `nowNs`.
    mutating func place(index: Int, arrivalNs: SimTimeNs, promptTokens: Double, outputTokens: Int, at nowNs: SimTimeNs) {
        let n = active.count
        let r: Int
        switch balancer {
        case .roundRobin:
            r = active[nextRoundRobin % n]
            nextRoundRobin = (nextRoundRobin + 1) % n
        case .powerOfTwo:
            let a = Int(random.next() % UInt64(n))
            var b = Int(random.next() % UInt64(max(1, n - 1)))
            if n > 1 && b >= a { b += 1 }
            let ra = active[a], rb = active[n > 1 ? b : a]
            advance(ra, to: nowNs)
            if n > 1 { advance(rb, to: nowNs) }
            r = n > 1 && replicas[rb].outstanding(at: nowNs) < replicas[ra].outstanding(at: nowNs) ? rb : ra
        default:
            var best = active[0], bestKey = (Int.max, Int.max)
            for i in active {
                advance(i, to: nowNs)
                let out = replicas[i].outstanding(at: nowNs)
                let key = balancer == .joinShortestQueue ? (max(0, out - 1), out) : (out, 0)
                if key < bestKey { best = i; bestKey = key }
            }
            r = best
        }
        advance(r, to: nowNs)
        replicas[r].waiting.append(Request(index: index, arrivalNs: arrivalNs, promptTokens: promptTokens, remaining: max(1, outputTokens)))
    }

    /// Replicas taking requests now.
    public var activeReplicas: Int { active.count }

    /// From `tNs` on, `n` replicas take requests: new ones start idle at `tNs`; the newest
    /// retire first and finish what they hold. Requests waiting at the gateway go to the
    /// replicas as soon as there are some.
    public mutating func resize(to n: Int, atNs tNs: SimTimeNs) {
        precondition(n >= 0)
        while active.count > n { active.removeLast() }
        while active.count < n {
            var rep = Replica()
            rep.clockNs = tNs
            replicas.append(rep)
            active.append(replicas.count - 1)
        }
        if !active.isEmpty && !gateway.isEmpty {
            let waiting = gateway
            gateway.removeAll()
            for (i, a, p, o) in waiting { place(index: i, arrivalNs: a, promptTokens: p, outputTokens: o, at: tNs) }
        }
    }

    /// Runs every replica's iterations that start before `tNs` and hands over the requests
    /// finished so far (in completion order per replica).
    public mutating func takeFinished(upTo tNs: SimTimeNs?) -> [ServedRequest] {
        for r in replicas.indices { advance(r, to: tNs) }
        let out = finished.map(\.1)
        finished.removeAll(keepingCapacity: true)
        return out
    }

    /// Requests still waiting at the gateway (no replica ever took them).
    public var atGateway: Int { gateway.count }

    /// Serves everything submitted to the end; returns the records in submission order.
    public mutating func drain() -> [ServedRequest] {
        for r in replicas.indices { advance(r, to: nil) }
        var out = [ServedRequest?](repeating: nil, count: count)
        for (i, rec) in finished { out[i] = rec }
        return out.map { $0! }
    }
}
