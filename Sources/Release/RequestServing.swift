import Foundation
import SimKernel

/// How a service spreads requests over its replicas (the guide's 负载均衡).
public enum LoadBalancer: String, Sendable, CaseIterable {
    /// One queue for all replicas: the next request goes to the first replica free (M/M/c).
    case central
    /// Replicas in turn.
    case roundRobin = "round-robin"
    /// The replica with the fewest requests waiting or in service.
    case leastOutstanding = "least-outstanding"
    /// The replica with the fewest requests waiting (those in service not counted).
    case joinShortestQueue = "join-shortest-queue"
    /// Two replicas drawn at random; the one with fewer outstanding requests.
    case powerOfTwo = "power-of-two"
}

/// One request's passage through a service (times in ns).
public struct ServedRequest: Sendable, Equatable {
    public var arrivalNs: SimTimeNs
    public var startNs: SimTimeNs
    public var firstTokenNs: SimTimeNs
    public var endNs: SimTimeNs
    public var replica: Int32

    public var waitNs: SimTimeNs { startNs - arrivalNs }
    public var timeToFirstTokenNs: SimTimeNs { firstTokenNs - arrivalNs }
}

/// Request-level serving of one service on `replicas` replicas, one request at a time per
/// replica, first come first served at each. Requests must arrive in time order. Each
/// replica's future is fixed by what was assigned to it, so no event calendar is needed: a
/// replica keeps the completion times of its assigned requests (a queue that drains as time
/// passes), the central queue a heap of the replicas' free times (the Kiefer–Wolfowitz
/// recursion). A request costs O(log replicas) (central), O(1) (round-robin, power of two)
/// or O(replicas) (least outstanding, shortest queue).
public struct RequestServing: Sendable {
    public let replicas: Int
    public let balancer: LoadBalancer
    /// Per replica: completion times of assigned requests not yet known to be done (ring).
    var ends: [[SimTimeNs]]
    var head: [Int]
    /// Per replica: when its last assigned request ends (and for the central queue, a heap of
    /// (free time, replica)).
    var lastEnd: [SimTimeNs]
    var freeHeap: [(SimTimeNs, Int32)]
    var nextRoundRobin = 0
    var random: SplitMix64

    public init(replicas: Int, balancer: LoadBalancer, seed: UInt64 = 1) {
        precondition(replicas >= 1)
        self.replicas = replicas
        self.balancer = balancer
        ends = Array(repeating: [], count: replicas)
        head = Array(repeating: 0, count: replicas)
        lastEnd = Array(repeating: 0, count: replicas)
        freeHeap = (0..<replicas).map { (0, Int32($0)) }
        random = SplitMix64(seed: seed)
    }

    /// Requests replica `r` still holds at `nowNs` (waiting or in service).
    mutating func outstanding(_ r: Int, at nowNs: SimTimeNs) -> Int {
        while head[r] < ends[r].count && ends[r][head[r]] <= nowNs { head[r] += 1 }
        if head[r] > 1024 && head[r] * 2 > ends[r].count {
            ends[r].removeFirst(head[r])
            head[r] = 0
        }
        return ends[r].count - head[r]
    }

    /// Serves a request arriving at `arrivalNs` that needs `serviceNs`, of which the first
    /// `firstTokenNs` until its first output (prefill).
    public mutating func serve(arrivalNs: SimTimeNs, serviceNs: SimTimeNs, firstTokenNs: SimTimeNs) -> ServedRequest {
        let r: Int
        let start: SimTimeNs
        switch balancer {
        case .central:
            let (free, replica) = freeHeap[0]
            r = Int(replica)
            start = max(arrivalNs, free)
            freeHeap[0] = (start + serviceNs, replica)
            siftDown(0)
            return ServedRequest(arrivalNs: arrivalNs, startNs: start, firstTokenNs: start + firstTokenNs, endNs: start + serviceNs, replica: replica)
        case .roundRobin:
            r = nextRoundRobin
            nextRoundRobin = (nextRoundRobin + 1) % replicas
        case .leastOutstanding:
            var best = 0, fewest = Int.max
            for i in 0..<replicas {
                let n = outstanding(i, at: arrivalNs)
                if n < fewest { best = i; fewest = n }
            }
            r = best
        case .joinShortestQueue:
            var best = 0, fewest = Int.max
            for i in 0..<replicas {
                let n = outstanding(i, at: arrivalNs)
                let waiting = n == 0 ? 0 : n - 1
                if waiting < fewest || (waiting == fewest && n < outstanding(best, at: arrivalNs)) { best = i; fewest = waiting }
            }
            r = best
        case .powerOfTwo:
            let a = Int(random.next() % UInt64(replicas))
            var b = Int(random.next() % UInt64(max(1, replicas - 1)))
            if replicas > 1 && b >= a { b += 1 }
            r = replicas > 1 && outstanding(b, at: arrivalNs) < outstanding(a, at: arrivalNs) ? b : a
        }
        start = max(arrivalNs, lastEnd[r])
        let end = start + serviceNs
        lastEnd[r] = end
        if balancer != .roundRobin { ends[r].append(end) }
        return ServedRequest(arrivalNs: arrivalNs, startNs: start, firstTokenNs: start + firstTokenNs, endNs: end, replica: Int32(r))
    }

    /// Central queue only: from `atNs` on, `n` replicas serve. New replicas start taking
    /// requests after `coldStartNs` (pulling and loading the model); retired ones finish the
    /// request they hold and take no more (the busiest retire first).
    public mutating func resize(to n: Int, atNs t: SimTimeNs, coldStartNs: SimTimeNs = 0) {
        precondition(balancer == .central && n >= 1, "resizing is for the central queue")
        var next = Int32(freeHeap.map(\.1).max() ?? -1) + 1
        if n > freeHeap.count {
            for _ in freeHeap.count..<n { freeHeap.append((t + coldStartNs, next)); next += 1 }
        } else if n < freeHeap.count {
            freeHeap.sort { $0 < $1 }
            freeHeap.removeLast(freeHeap.count - n)
        }
        // Rebuild the heap.
        for i in stride(from: freeHeap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }

    /// Replicas serving now (central queue).
    public var activeReplicas: Int { balancer == .central ? freeHeap.count : replicas }

    mutating func siftDown(_ i: Int) { siftDownFreeTimes(&freeHeap, from: i) }
}

/// Restores the min-heap order of replicas' (free time, replica) pairs below `i0` (the
/// one-queue engines keep the earliest free replica at the root).
func siftDownFreeTimes(_ heap: inout [(SimTimeNs, Int32)], from i0: Int) {
    var i = i0
    let n = heap.count
    while true {
        let l = 2 * i + 1, r = l + 1
        var m = i
        if l < n, heap[l] < heap[m] { m = l }
        if r < n, heap[r] < heap[m] { m = r }
        guard m != i else { return }
        heap.swapAt(i, m)
        i = m
    }
}

extension SplitMix64 {
    /// An exponential draw of mean 1 / `rate` (inversion of a 53-bit uniform), for arrivals and
    /// service times in serving studies.
    public mutating func exponential(rate: Double) -> Double {
        -log(1 - nextUnit()) / rate
    }
}
