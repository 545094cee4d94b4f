import Testing
@testable import Workloads

/// A source that counts the jobs it gave (to check the prefetching reads it once, in order).
final class CountingSource: JobSource, @unchecked Sendable {
    let total: Int
    private(set) var given = 0
    init(total: Int) { self.total = total }
    func next() -> JobSpec? {
        guard given < total else { return nil }
        defer { given += 1 }
        return JobSpec(submitNs: Int64(given) * 1_000, accelerators: 1, durationNs: 5, source: 0, sequence: Int64(given))
    }
}

/// Reference: the wrapped source read directly. Drawing ahead in batches on another thread gives
/// the same jobs in the same order, ends when the source ends (also on a batch boundary), and
/// reads the source at most one batch beyond what was taken.
@Suite struct PrefetchedSourceTests {
    @Test(arguments: [0, 1, 7, 64, 1_000])
    func sameJobsInOrder(total: Int) {
        let direct = CountingSource(total: total), inner = CountingSource(total: total)
        let ahead = PrefetchedSource(inner, batchSize: 8)
        var a: [JobSpec] = [], b: [JobSpec] = []
        while let j = direct.next() { a.append(j) }
        while let j = ahead.next() { b.append(j) }
        #expect(a == b)
        #expect(ahead.next() == nil)
    }

    @Test func drawsAtMostABatchAhead() {
        let inner = CountingSource(total: 1_000)
        do {
            let ahead = PrefetchedSource(inner, batchSize: 16)
            for _ in 0..<20 { _ = ahead.next() }
        }  // its deinit waits for the batch being drawn
        // 20 taken: the first batch of 16 read, the second being read, the third drawn ahead.
        #expect(inner.given == 48)
    }
}
