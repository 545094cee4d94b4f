import Release
import SimKernel
import Testing

/// Dynamic batching (the request-level engine of services inside a run).
@Suite struct DynamicBatchingTests {
    /// An exact trace: a batch leaves when it is full or its oldest request has waited
    /// `maxWait`, on the earliest free replica; batch b takes batchNs[b − 1].
    @Test func batchesLeaveWhenFullOrAtTheirDeadline() {
        let ms: SimTimeNs = 1_000_000
        var e = DynamicBatching(replicas: 1, maxBatch: 4, maxWaitNs: 10 * ms, batchNs: [5 * ms, 6 * ms, 7 * ms, 8 * ms])
        for t in [0, 1, 2, 20, 21, 22, 23, 25] { e.submit(arrivalNs: SimTimeNs(t) * ms) }
        #expect(e.drain() == 0)
        let starts = e.served.map { $0.startNs / ms }, ends = e.served.map { $0.endNs / ms }
        // 0,1,2 wait for the deadline (10) and take 7; 20–23 fill a batch at 23 and take 8;
        // 25 waits for the replica (free at 31) and then for its own deadline (35).
        #expect(starts == [10, 10, 10, 23, 23, 23, 23, 35])
        #expect(ends == [17, 17, 17, 31, 31, 31, 31, 40])
    }

    /// With no replica requests wait; a replica that joins serves them at once (or at the
    /// oldest's deadline); requests left with no replica are counted, not served.
    @Test func replicasJoinAndLeave() {
        var e = DynamicBatching(replicas: 0, maxBatch: 8, maxWaitNs: 5, batchNs: Array(repeating: 100, count: 8))
        e.submit(arrivalNs: 0)
        e.submit(arrivalNs: 50)
        e.resize(to: 1, atNs: 200)
        e.submit(arrivalNs: 210)
        #expect(e.served.map(\.startNs) == [200, 200])
        e.resize(to: 0, atNs: 250)
        #expect(e.drain() == 1)
    }

    /// With batches of one and no wait it is the one-at-a-time central queue: the same starts
    /// and ends as `RequestServing` for 20,000 Poisson requests on 4 replicas.
    @Test func batchOfOneIsTheCentralQueue() {
        var a = DynamicBatching(replicas: 4, maxBatch: 1, maxWaitNs: 0, batchNs: [1_000_000])
        var b = RequestServing(replicas: 4, balancer: .central)
        var rng = SplitMix64(seed: 9)
        var t: SimTimeNs = 0
        var reference: [ServedRequest] = []
        for _ in 0..<20_000 {
            t += SimTimeNs(rng.exponential(rate: 3.5e-6))
            a.submit(arrivalNs: t)
            reference.append(b.serve(arrivalNs: t, serviceNs: 1_000_000, firstTokenNs: 1_000_000))
        }
        #expect(a.drain() == 0)
        #expect(a.served.map(\.startNs) == reference.map(\.startNs))
        #expect(a.served.map(\.endNs) == reference.map(\.endNs))
    }

    /// Reference: Pollaczek–Khinchine for M/D/1, mean wait ρ / (2μ(1 − ρ)). At ρ = 0.7 with
    /// 400,000 requests the simulated mean wait is within 3%.
    @Test func oneReplicaWithoutBatchingIsMD1() {
        let serviceNs: SimTimeNs = 1_000_000, rho = 0.7
        var e = DynamicBatching(replicas: 1, maxBatch: 1, maxWaitNs: 0, batchNs: [serviceNs])
        var rng = SplitMix64(seed: 3)
        var t: SimTimeNs = 0, waitSum = 0.0, n = 0.0
        for _ in 0..<400_000 {
            t += SimTimeNs(rng.exponential(rate: rho / Double(serviceNs)))
            e.submit(arrivalNs: t)
            for r in e.served { waitSum += Double(r.waitNs); n += 1 }
            e.served.removeAll(keepingCapacity: true)
        }
        _ = e.drain()
        for r in e.served { waitSum += Double(r.waitNs); n += 1 }
        let expected = rho / (2 * (1 / Double(serviceNs)) * (1 - rho))
        #expect(abs(waitSum / n / expected - 1) < 0.03, "\(waitSum / n) vs \(expected)")
    }
}
