import Production

/// The center's hardware: groups of identical servers. Groups with the same `pool` form one
/// pool of accelerators that the scheduler shares out.
public struct ClusterSpec: Codable, Sendable, Equatable {
    public var servers: [ServerGroupSpec]
    /// Servers under one leaf (top-of-rack) switch, in the order the groups list them.
    public var serversPerLeaf: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case servers, serversPerLeaf }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        servers = try c.decode([ServerGroupSpec].self, forKey: .servers) { $0.isEmpty ? "must list at least one server group" : nil }
        serversPerLeaf = try c.decode(Int.self, forKey: .serversPerLeaf, default: 32) { $0 < 1 || $0 > 100_000 ? "must be between 1 and 100000" : nil }
    }

    /// Accelerators in the whole cluster.
    public var totalAccelerators: Int { servers.reduce(0) { $0 + $1.count * $1.acceleratorsPerServer } }

    /// Pool names in order of first appearance.
    public var poolNames: [String] {
        var names: [String] = []
        for g in servers where !names.contains(g.pool) { names.append(g.pool) }
        return names
    }

    /// Accelerators in pool `name`.
    public func capacity(ofPool name: String) -> Int {
        servers.filter { $0.pool == name }.reduce(0) { $0 + $1.count * $1.acceleratorsPerServer }
    }
}

/// A group of identical servers: a preset from the server catalog (`preset: hgx-h100-8`) with
/// any field overridden, or every field given.
public struct ServerGroupSpec: Codable, Sendable, Equatable {
    public var name: String
    /// Server catalog preset the defaults come from, if any.
    public var preset: String?
    /// Number of servers in the group.
    public var count: Int
    /// Catalog name of the accelerator.
    public var accelerator: String
    /// Accelerators in each server.
    public var acceleratorsPerServer: Int
    public var role: ServerRole
    /// The pool the group's accelerators join (default: the role's name).
    public var pool: String
    public var cpuCores: Int
    public var memory: ByteQuantity
    public var nics: NICSpec
    public var fabric: IntraServerFabric
    /// Per-accelerator bandwidth of the intra-server fabric.
    public var fabricBandwidth: BandwidthQuantity

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, preset, count, accelerator, acceleratorsPerServer, role, pool, cpuCores, memory, nics, fabric, fabricBandwidth
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        preset = try c.decodeIfPresent(String.self, forKey: .preset)
        var base = ServerCatalog.builtIn(named: "generic-8")!
        if let p = preset {
            guard let s = ServerCatalog.builtIn(named: p) else {
                let names = ServerCatalog.builtIn.map(\.name)
                let hint = didYouMean(p, among: names)
                throw try c.superDecoder(forKey: .preset).scenarioError(
                    "unknown server preset '\(p)'\(hint); expected one of \(names.joined(separator: ", "))")
            }
            base = s
        }
        name = try c.decode(String.self, forKey: .name, default: preset ?? "servers") { isPlainName($0) ? nil : "must be a plain name" }
        count = try c.decode(Int.self, forKey: .count) { $0 < 1 ? "must be at least 1" : ($0 > 10_000_000 ? "must be at most 10000000" : nil) }
        accelerator = try c.decode(String.self, forKey: .accelerator, default: base.accelerator)
        if preset == nil && !c.contains(.acceleratorsPerServer) {
            throw decoder.scenarioError("server group '\(name)' needs 'acceleratorsPerServer' (or a 'preset' that gives it)")
        }
        acceleratorsPerServer = try c.decode(Int.self, forKey: .acceleratorsPerServer, default: base.acceleratorsPerServer) {
            $0 < 1 ? "must be at least 1" : ($0 > 1024 ? "must be at most 1024" : nil)
        }
        role = try c.decode(ServerRole.self, forKey: .role, default: preset == nil ? .general : base.role)
        pool = try c.decode(String.self, forKey: .pool, default: role.rawValue) { isPlainName($0) ? nil : "must be a plain name" }
        cpuCores = try c.decode(Int.self, forKey: .cpuCores, default: base.cpuCores) { $0 < 0 ? "must not be negative" : nil }
        memory = try c.decode(ByteQuantity.self, forKey: .memory, default: ByteQuantity(baseUnits: Int64(base.memoryBytes)))
        nics = try c.decode(NICSpec.self, forKey: .nics,
                            default: NICSpec(count: base.nicCount, speed: BandwidthQuantity(baseUnits: Int64(base.nicBandwidthBitsPerS))))
        fabric = try c.decode(IntraServerFabric.self, forKey: .fabric, default: base.fabric)
        fabricBandwidth = try c.decode(BandwidthQuantity.self, forKey: .fabricBandwidth,
                                       default: BandwidthQuantity(baseUnits: Int64(base.fabricBandwidthBytesPerS * 8)))
    }

    /// The production model's view of one server of this group.
    public var serverModel: ServerModel {
        ServerModel(name: name, accelerator: accelerator, acceleratorsPerServer: acceleratorsPerServer, cpuCores: cpuCores,
                    memoryBytes: Double(memory.baseUnits), nicCount: nics.count, nicBandwidthBitsPerS: Double(nics.speed.baseUnits),
                    fabric: fabric, fabricBandwidthBytesPerS: Double(fabricBandwidth.baseUnits) / 8, role: role,
                    source: preset.map { "preset \($0)" } ?? "scenario")
    }
}

/// A server's RDMA/RoCE network interfaces.
public struct NICSpec: Codable, Sendable, Equatable {
    public var count: Int
    /// Speed of each NIC (25Gbps to 400Gbps).
    public var speed: BandwidthQuantity

    enum CodingKeys: String, CodingKey, CaseIterable { case count, speed }

    public init(count: Int, speed: BandwidthQuantity) {
        self.count = count
        self.speed = speed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        count = try c.decode(Int.self, forKey: .count) { $0 < 0 ? "must not be negative" : nil }
        speed = try c.decode(BandwidthQuantity.self, forKey: .speed)
    }
}

/// Enumerations decode from their raw names with a located error listing the choices.
extension ServerRole: ScenarioEnum {}
extension IntraServerFabric: ScenarioEnum {}
extension AcceleratorKind: ScenarioEnum {}
extension Precision: ScenarioEnum {}
extension ModelFamily: ScenarioEnum {}
