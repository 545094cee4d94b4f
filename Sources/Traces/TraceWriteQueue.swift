import Dispatch
import Foundation

/// Runs a trace file's chunk writes on a background thread, so compressing them (deflate is a
/// fifth of a large run's time) overlaps the simulation instead of stopping it.
///
/// The HDF5 library is serial: every call into it for the file is made in program order, one at
/// a time. Chunk writes are queued here in the order the columns filled; any other call (a
/// dictionary, closing) first waits for the queue to empty (``drain()``). The file therefore
/// receives the same calls in the same order as when written inline: the same bytes.
///
/// Memory stays bounded: at most `maxPending` chunks wait; a column that fills while they do
/// waits for the oldest to be written. After a write fails, the queue never calls into the
/// file again and reports the error at the next submit or drain.
final class TraceWriteQueue: @unchecked Sendable {
    private let queue = DispatchQueue(label: "iccsim.trace-writes")
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    private var failure: (any Error)?

    init(maxPending: Int = 64) {
        slots = DispatchSemaphore(value: max(1, maxPending))
    }

    private var firstFailure: (any Error)? { lock.withLock { failure } }

    /// Queues `write` after every write queued before it; throws an earlier write's error.
    func submit(_ write: @escaping @Sendable () throws -> Void) throws {
        if let e = firstFailure { throw e }
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard firstFailure == nil else { return }
            do { try write() } catch { lock.withLock { if failure == nil { failure = error } } }
        }
    }

    /// Waits until every queued write is done; throws the first write's error.
    func drain() throws {
        wait()
        if let e = firstFailure { throw e }
    }

    /// Waits until every queued write is done.
    func wait() { queue.sync {} }
}
