import SimKernel

/// Request-level serving with dynamic batching, as Triton's dynamic batcher and TF Serving
/// batch non-generative models: requests wait in one queue (the service's gateway); when a
/// replica is free it takes up to `maxBatch` waiting requests, but holds an unfilled batch open
/// until `maxWaitNs` after its oldest request arrived. A batch of b requests takes `batchNs[b-1]`.
///
/// Like ``RequestServing`` it needs no event calendar: requests arrive in time order, and
/// before each arrival every batch that would have left earlier is dispatched (the oldest
/// request's deadline or a full batch, and the earliest free replica: a heap). The replica
/// count can change at any time (``resize(to:atNs:)``); with no replica, requests wait.
/// With `maxBatch` 1 and `maxWaitNs` 0 it serves exactly as `RequestServing`'s central queue.
public struct DynamicBatching: Sendable {
    public let maxBatch: Int
    public let maxWaitNs: SimTimeNs
    /// Time of a batch of b requests at index b − 1.
    public let batchNs: [SimTimeNs]
    /// Share of a batch's time until its requests' first output (1 for one-pass models).
    public let firstOutputFraction: Double
    /// Arrival times of waiting requests (from `head`).
    var waiting: [SimTimeNs] = []
    var head = 0
    /// Free time of each replica, a min-heap (time, replica).
    var free: [(SimTimeNs, Int32)] = []
    var nextReplica: Int32 = 0
    /// Requests served, in dispatch order, until the caller takes them.
    public var served: [ServedRequest] = []

    public init(replicas: Int, maxBatch: Int, maxWaitNs: SimTimeNs, batchNs: [SimTimeNs], firstOutputFraction: Double = 1) {
        precondition(maxBatch >= 1 && batchNs.count >= maxBatch && maxWaitNs >= 0)
        self.maxBatch = maxBatch
        self.maxWaitNs = maxWaitNs
        self.batchNs = batchNs
        self.firstOutputFraction = firstOutputFraction
        resize(to: replicas, atNs: 0)
    }

    /// Replicas serving now.
    public var replicas: Int { free.count }
    /// Requests waiting for a batch.
    public var queued: Int { waiting.count - head }

    /// When the next batch would leave if nothing else arrived (`.max`: none can).
    var nextDispatchNs: SimTimeNs {
        let n = waiting.count - head
        guard n > 0, let f = free.first?.0 else { return .max }
        let ready = n >= maxBatch ? waiting[head + maxBatch - 1] : waiting[head] + maxWaitNs
        return max(f, ready)
    }

    /// Dispatches every batch that leaves before `tNs`.
    public mutating func advance(to tNs: SimTimeNs) {
        while true {
            let d = nextDispatchNs
            guard d < tNs else { return }
            let b = min(maxBatch, waiting.count - head)
            let (_, replica) = free[0]
            let took = batchNs[b - 1]
            let firstNs = d + SimTimeNs((Double(took) * firstOutputFraction).rounded())
            for i in head..<(head + b) {
                served.append(ServedRequest(arrivalNs: waiting[i], startNs: d, firstTokenNs: firstNs, endNs: d + took, replica: replica))
            }
            head += b
            if head > 4096 && head * 2 > waiting.count {
                waiting.removeFirst(head)
                head = 0
            }
            free[0] = (d + took, replica)
            siftDown(0)
        }
    }

    /// A request arrives at `arrivalNs` (not before the previous one).
    public mutating func submit(arrivalNs: SimTimeNs) {
        advance(to: arrivalNs)
        waiting.append(arrivalNs)
    }

    /// From `tNs` on, `n` replicas serve: new ones are free at `tNs`; retired ones are those
    /// free last (they finish the batch they hold). Batches that left before `tNs` go first.
    public mutating func resize(to n: Int, atNs tNs: SimTimeNs) {
        precondition(n >= 0)
        advance(to: tNs)
        if n > free.count {
            for _ in free.count..<n { free.append((tNs, nextReplica)); nextReplica += 1 }
        } else if n < free.count {
            free.sort { $0 < $1 }
            free.removeLast(free.count - n)
        }
        for i in stride(from: free.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }

    /// Dispatches everything still waiting (when replicas remain) and returns the requests
    /// never served (no replica left to serve them).
    public mutating func drain() -> Int {
        advance(to: .max)
        return waiting.count - head
    }

    mutating func siftDown(_ i: Int) { siftDownFreeTimes(&free, from: i) }
}
