import Dispatch

/// Draws a source's jobs ahead, a batch at a time, on a background thread, so generating the
/// demand (arrival times, sizes, datasets, durations: a tenth of a large run's time) overlaps
/// the simulation instead of stopping it.
///
/// Only for a source whose jobs depend on nothing but its own random streams and settings (a
/// ``JobMixGenerator``): drawing them early gives the same jobs in the same order, so runs are
/// unchanged to the bit. The wrapped source is touched by one batch at a time and by nothing
/// else; at most two batches exist (the one being read and the next being drawn).
public final class PrefetchedSource: JobSource {
    /// A batch being drawn: its jobs are read only after `drawn` is signalled.
    private final class Batch: @unchecked Sendable {
        var jobs: [JobSpec] = []
        let drawn = DispatchSemaphore(value: 0)
    }

    /// The wrapped source, handed to one batch at a time.
    private final class Base: @unchecked Sendable {
        let source: any JobSource
        init(_ source: any JobSource) { self.source = source }
    }

    private let base: Base
    private let batchSize: Int
    private var current: [JobSpec] = []
    private var position = 0
    private var pending: Batch?

    /// Wraps `source`, drawing `batchSize` jobs at a time; the first batch starts at once.
    public init(_ source: any JobSource, batchSize: Int = 256) {
        base = Base(source)
        self.batchSize = max(1, batchSize)
        pending = draw()
    }

    private func draw() -> Batch {
        let batch = Batch(), base = base, n = batchSize
        DispatchQueue.global().async {
            var jobs: [JobSpec] = []
            jobs.reserveCapacity(n)
            while jobs.count < n, let j = base.source.next() { jobs.append(j) }
            batch.jobs = jobs
            batch.drawn.signal()
        }
        return batch
    }

    public func next() -> JobSpec? {
        if position == current.count {
            guard let batch = pending else { return nil }
            batch.drawn.wait()
            current = batch.jobs
            position = 0
            // A short batch means the source ran out: draw no more.
            pending = current.count == batchSize ? draw() : nil
            guard !current.isEmpty else { return nil }
        }
        defer { position += 1 }
        return current[position]
    }

    deinit {
        // Never leave a batch drawing from the source after its owner is gone.
        pending?.drawn.wait()
    }
}
