import Dispatch
import Foundation

/// `body` over `items`, at most `workers` at a time on other threads, the results in the items'
/// order (so they never depend on how many ran at once); the first error (in the items' order)
/// is thrown once all have finished. `done` hears how many have finished, from any thread.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], workers: Int, done: (@Sendable (Int) -> Void)? = nil,
                                           _ body: @escaping @Sendable (T) throws -> R) throws -> [R] {
    let results = Locked<[Result<R, any Error>?]>(Array(repeating: nil, count: items.count))
    let finished = Locked(0)
    let slots = DispatchSemaphore(value: max(1, workers))
    let group = DispatchGroup()
    let queue = DispatchQueue(label: "iccsim.parallel", attributes: .concurrent)
    for (i, item) in items.enumerated() {
        slots.wait()
        queue.async(group: group) {
            defer { slots.signal() }
            let r = Result { try body(item) }
            results.mutate { $0[i] = r }
            var n = 0
            finished.mutate { $0 += 1; n = $0 }
            done?(n)
        }
    }
    group.wait()
    return try results.value.map { try $0!.get() }
}

/// A value behind a lock, for results filled from several threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ v: Value) { stored = v }
    func mutate(_ f: (inout Value) -> Void) { lock.lock(); defer { lock.unlock() }; f(&stored) }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
}
