import Dispatch
import Foundation

/// What happens on SIGINT, SIGTERM and SIGHUP: the clean-up actions registered by the work in
/// progress run (newest first: a run's temporary directory is removed, a sweep forwards the
/// signal to its runs and waits for them), then the process exits with 128 + the signal.
///
/// Actions run on a signal-handling thread while the main thread is stopped at nothing in
/// particular; ``critical(_:)`` keeps a signal out of a step that must not be cut in half (the
/// renames that put a finished run in place). A signal ignored when the process started (as
/// `nohup` does) stays ignored.
public enum Interruption {
    /// The signals handled.
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handlers; call once, first thing.
    public static func install() {
        state.lock.lock()
        defer { state.lock.unlock() }
        guard state.sources.isEmpty else { return }
        for s in signals {
            let previous = signal(s, SIG_IGN)
            if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
            let source = DispatchSource.makeSignalSource(signal: s, queue: state.queue)
            source.setEventHandler { handle(s) }
            source.resume()
            state.sources.append(source)
        }
    }

    /// Registers `action`, run with the signal's number if one arrives; returns a token for
    /// ``unregister(_:)``. Actions must not call back into `Interruption`.
    public static func register(_ action: @escaping @Sendable (Int32) -> Void) -> Int {
        state.lock.lock()
        defer { state.lock.unlock() }
        state.next += 1
        state.actions.append((state.next, action))
        return state.next
    }

    /// Removes an action registered with ``register(_:)``.
    public static func unregister(_ token: Int) {
        state.lock.lock()
        defer { state.lock.unlock() }
        state.actions.removeAll { $0.token == token }
    }

    /// Runs `body` with signals held off: one arriving meanwhile is handled after it.
    public static func critical<T>(_ body: () throws -> T) rethrows -> T {
        state.lock.lock()
        defer { state.lock.unlock() }
        return try body()
    }

    private static func handle(_ s: Int32) {
        // Held to the end: the main thread cannot enter a critical step (or register more work)
        // while the clean-up runs or after it.
        state.lock.lock()
        for (_, action) in state.actions.reversed() { action(s) }
        _exit(128 + s)
    }

    private final class State: @unchecked Sendable {
        let lock = NSLock()
        let queue = DispatchQueue(label: "iccsim.interruption")
        var sources: [any DispatchSourceSignal] = []
        var actions: [(token: Int, action: @Sendable (Int32) -> Void)] = []
        var next = 0
    }

    private static let state = State()
}
