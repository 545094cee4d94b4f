/// Where a pool puts a job's accelerators.
public enum PlacementPolicy: String, Sendable, CaseIterable {
    /// Fill servers (and shared devices) as tightly as possible: the fitting server with the
    /// fewest free accelerators, the partly used device with the least room left.
    case pack
    /// Balance load: the server with the most free accelerators, an unused device before a
    /// shared one.
    case spread
    /// Keep a job under one leaf switch when one has room (the fullest that fits), then pack
    /// within it, so its ring crosses no spine.
    case topology
}

/// The shape of a pool: servers of some accelerators each, grouped under leaf switches.
public struct PoolLayout: Sendable, Equatable {
    /// Accelerators in each server, in order.
    public var devicesPerServer: [Int32]
    /// Leaf switch of each server.
    public var leafOfServer: [Int32]
    /// Host CPU (thousandths of a core) and memory (MiB) of all the pool's servers (0: unknown).
    public var cpuMilli: Int64 = 0
    public var memoryMiB: Int64 = 0

    public init(devicesPerServer: [Int32], leafOfServer: [Int32]) {
        precondition(devicesPerServer.count == leafOfServer.count && !devicesPerServer.isEmpty && devicesPerServer.allSatisfy { $0 > 0 })
        self.devicesPerServer = devicesPerServer
        self.leafOfServer = leafOfServer
    }

    /// `servers` servers of `devices` accelerators each, `serversPerLeaf` to a leaf.
    public static func uniform(servers: Int, devices: Int, serversPerLeaf: Int = 32) -> PoolLayout {
        PoolLayout(devicesPerServer: Array(repeating: Int32(devices), count: servers),
                   leafOfServer: (0..<servers).map { Int32($0 / max(1, serversPerLeaf)) })
    }
}

/// How a pool shares accelerators between jobs.
public struct SharingOptions: Sendable, Equatable {
    /// Sharable capacity of one accelerator relative to one whole job (1.5: jobs asking for
    /// fractions may together book 150% of a device).
    public var oversubscription: Double
    /// Slowdown a job suffers per co-located job on the same device, by the two jobs' classes
    /// (`interference[a][b]`); classes are small integers the center assigns.
    public var interference: [[Double]]

    public init(oversubscription: Double = 1, interference: [[Double]] = []) {
        self.oversubscription = oversubscription
        self.interference = interference
    }

    /// The slowdown class `a` suffers from one co-located job of class `b`.
    public func slowdown(_ a: Int, _ b: Int) -> Double {
        a < interference.count && b < interference[a].count ? interference[a][b] : 0
    }

    /// Milli-units one device can hold.
    public var deviceCapacityMilli: Int32 { Int32((1000 * oversubscription).rounded()) }
}
