import Production
import SimKernel
import Workloads

/// The center's hardware: groups of identical servers. Groups with the same `pool` form one
/// pool of accelerators that the scheduler shares out.
public struct ClusterSpec: Codable, Sendable, Equatable {
    public var servers: [ServerGroupSpec]
    /// Servers under one leaf (top-of-rack) switch, in the order the groups list them.
    public var serversPerLeaf: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case servers, nodeLists, serversPerLeaf }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        servers = try c.decode([ServerGroupSpec].self, forKey: .servers, default: [])
        for list in try c.decode([NodeListSpec].self, forKey: .nodeLists, default: []) { servers += list.groups }
        if servers.isEmpty { throw decoder.scenarioError("the cluster has no servers: give cluster.servers or cluster.nodeLists") }
        serversPerLeaf = try c.decode(Int.self, forKey: .serversPerLeaf, default: 32) { $0 < 1 || $0 > 100_000 ? "must be between 1 and 100000" : nil }
        // Each group is bounded; so is the center (accelerator numbers are 32-bit, and every
        // accelerator costs memory in a run).
        var total = 0
        for (i, g) in servers.enumerated() {
            total += g.count * g.acceleratorsPerServer
            if total > InputLimits.maxAccelerators {
                let listed = c.contains(.servers) ? (try c.nestedUnkeyedContainer(forKey: .servers).count ?? 0) : 0
                let at = i < listed ? try c.superDecoder(forKey: .servers, item: i).container(keyedBy: ServerGroupSpec.CodingKeys.self).superDecoder(forKey: .count)
                                    : try c.superDecoder(forKey: .nodeLists)
                throw at.scenarioError("the cluster has \(total) accelerators up to server group '\(g.name)'; at most \(InputLimits.maxAccelerators) are supported")
            }
        }
    }

    /// Node lists are stored expanded into `servers`, so the resolved scenario is self-contained.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(servers, forKey: .servers)
        try c.encode(serversPerLeaf, forKey: .serversPerLeaf)
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

    /// A group of `count` generic servers of `accelerators` each (from a node list).
    init(name: String, count: Int, accelerators: Int, accelerator: String, role: ServerRole, pool: String) {
        let base = ServerCatalog.builtIn(named: "generic-8")!
        self.name = name
        preset = nil
        self.count = count
        self.accelerator = accelerator
        acceleratorsPerServer = accelerators
        self.role = role
        self.pool = pool
        cpuCores = base.cpuCores
        memory = ByteQuantity(baseUnits: Int64(base.memoryBytes))
        nics = NICSpec(count: base.nicCount, speed: BandwidthQuantity(baseUnits: Int64(base.nicBandwidthBitsPerS)))
        fabric = base.fabric
        fabricBandwidth = BandwidthQuantity(baseUnits: Int64(base.fabricBandwidthBytesPerS * 8))
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
        count = try c.decode(Int.self, forKey: .count) { $0 < 1 ? "must be at least 1" : ($0 > InputLimits.maxServers ? "must be at most \(InputLimits.maxServers)" : nil) }
        accelerator = try c.decode(String.self, forKey: .accelerator, default: base.accelerator)
        if preset == nil && !c.contains(.acceleratorsPerServer) {
            throw decoder.scenarioError("server group '\(name)' needs 'acceleratorsPerServer' (or a 'preset' that gives it)")
        }
        acceleratorsPerServer = try c.decode(Int.self, forKey: .acceleratorsPerServer, default: base.acceleratorsPerServer) {
            $0 < 1 ? "must be at least 1" : ($0 > InputLimits.maxAcceleratorsPerServer ? "must be at most \(InputLimits.maxAcceleratorsPerServer)" : nil)
        }
        role = try c.decode(ServerRole.self, forKey: .role, default: preset == nil ? .general : base.role)
        pool = try c.decode(String.self, forKey: .pool, default: role.rawValue) { isPlainName($0) ? nil : "must be a plain name" }
        cpuCores = try c.decode(Int.self, forKey: .cpuCores, default: base.cpuCores) { $0 < 0 || $0 > 100_000 ? "must be between 0 and 100000" : nil }
        memory = try c.decode(ByteQuantity.self, forKey: .memory, default: ByteQuantity(baseUnits: Int64(base.memoryBytes))) {
            $0.baseUnits > 1 << 50 ? "must be at most 1PiB" : nil
        }
        // Either NIC key alone overrides the preset's (`--set cluster.servers.0.nics.speed=100Gbps`).
        let presetNICs = NICSpec(count: base.nicCount, speed: BandwidthQuantity(baseUnits: Int64(base.nicBandwidthBitsPerS)))
        if c.contains(.nics) {
            let n = try c.nestedContainer(keyedBy: NICSpec.CodingKeys.self, forKey: .nics)
            nics = NICSpec(count: try n.decode(Int.self, forKey: .count, default: presetNICs.count) { $0 < 0 || $0 > 64 ? "must be between 0 and 64" : nil },
                           speed: try n.decode(BandwidthQuantity.self, forKey: .speed, default: presetNICs.speed))
        } else {
            nics = presetNICs
        }
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

/// Servers read from a trace's node list (`cluster.nodeLists`): one server group per (GPUs per
/// node, model), in order of first appearance; nodes without GPUs are left out.
public struct NodeListSpec: Codable, Sendable, Equatable {
    /// The node list (Alibaba cluster-trace-gpu-v2023 `sn, cpu_milli, memory_mib, gpu, model`).
    public var file: String
    /// The catalog accelerator every node's GPUs stand for.
    public var accelerator: String
    public var role: ServerRole
    public var pool: String
    /// The groups read from the file.
    public var groups: [ServerGroupSpec]

    enum CodingKeys: String, CodingKey, CaseIterable { case file, accelerator, role, pool }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let fileDecoder = try c.superDecoder(forKey: .file)
        file = resolvePath(try c.decode(String.self, forKey: .file), relativeTo: (fileDecoder as? NodeDecoder)?.file)
        accelerator = try c.decode(String.self, forKey: .accelerator, default: "A100-80GB")
        role = try c.decode(ServerRole.self, forKey: .role, default: .general)
        pool = try c.decode(String.self, forKey: .pool, default: role.rawValue) { isPlainName($0) ? nil : "must be a plain name" }
        let text = try readFileNow(file, at: fileDecoder)
        let nodes: [(gpus: Int, model: String)]
        do { nodes = try TraceImport.nodeList(text) } catch {
            throw ScenarioError(error.message, at: SourceLocation(file: file, line: error.line, column: 1))
        }
        var order: [String] = []
        var counts: [String: (gpus: Int, count: Int)] = [:]
        for n in nodes where n.gpus > 0 {
            let key = "\(n.model.lowercased())-\(n.gpus)"
            if counts[key] == nil { order.append(key); counts[key] = (n.gpus, 0) }
            counts[key]!.count += 1
        }
        let (accel, r, p) = (accelerator, role, pool)
        groups = order.map { key in
            ServerGroupSpec(name: String(key.map { isPlainName(String($0)) ? $0 : "_" }),
                            count: counts[key]!.count, accelerators: counts[key]!.gpus, accelerator: accel, role: r, pool: p)
        }
        if groups.isEmpty { throw fileDecoder.scenarioError("node list '\(file)' has no node with GPUs") }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file); try c.encode(accelerator, forKey: .accelerator)
        try c.encode(role, forKey: .role); try c.encode(pool, forKey: .pool)
    }
}
