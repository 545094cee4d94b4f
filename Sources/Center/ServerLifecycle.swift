import SimKernel

/// When servers enter the center, retire and leave it: a center built in phases. A server not
/// yet installed (or already removed) holds nothing and is neither free nor busy; from its
/// retire time it drains (takes no new job while its jobs run on) and leaves once empty, or at
/// its remove time, when jobs still on it are stopped as by a failure and wait again.
public struct ServerLifecycle: Sendable {
    /// What happens to a server.
    public enum Change: UInt8, Sendable {
        case install = 0, retire = 1, remove = 2
    }

    /// One change of one server.
    public struct Step: Sendable, Equatable {
        public var atNs: SimTimeNs
        public var pool: Int32
        public var server: Int32
        public var change: Change

        public init(atNs: SimTimeNs, pool: Int32, server: Int32, change: Change) {
            self.atNs = atNs
            self.pool = pool
            self.server = server
            self.change = change
        }
    }

    /// Servers out of the center at time 0 (pool, server), installed later or never.
    public var absentAtStart: [(pool: Int32, server: Int32)]
    /// The changes after time 0, in time order (then pool, server, change).
    public var steps: [Step]

    public init(absentAtStart: [(pool: Int32, server: Int32)], steps: [Step]) {
        self.absentAtStart = absentAtStart.sorted { ($0.pool, $0.server) < ($1.pool, $1.server) }
        self.steps = steps.sorted { ($0.atNs, $0.pool, $0.server, $0.change.rawValue) < ($1.atNs, $1.pool, $1.server, $1.change.rawValue) }
    }
}
