import Production
import SimKernel
import Workloads

/// The center's hardware: groups of identical servers. Groups with the same `pool` form one
/// pool of accelerators that the scheduler shares out.
public struct ClusterSpec: Codable, Sendable, Equatable {
    public var servers: [ServerGroupSpec]
    /// Servers under one leaf (top-of-rack) switch, in the order the groups list them.
    public var serversPerLeaf: Int
    /// The center's build-out: phases whose server groups arrive and retire on dates.
    public var phases: [PhaseSpec]

    enum CodingKeys: String, CodingKey, CaseIterable { case servers, nodeLists, serversPerLeaf, phases }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        servers = try c.decode([ServerGroupSpec].self, forKey: .servers, default: [])
        for list in try c.decode([NodeListSpec].self, forKey: .nodeLists, default: []) { servers += list.groups }
        if servers.isEmpty { throw decoder.scenarioError("the cluster has no servers: give cluster.servers or cluster.nodeLists") }
        serversPerLeaf = try c.decode(Int.self, forKey: .serversPerLeaf, default: 32) { $0 < 1 || $0 > 100_000 ? "must be between 1 and 100000" : nil }
        phases = try c.decode([PhaseSpec].self, forKey: .phases, default: [])
        try requireUnique(phases.map(\.name), c, .phases, what: "phase")
        let listed = c.contains(.servers) ? (try c.nestedUnkeyedContainer(forKey: .servers).count ?? 0) : 0
        for (i, g) in servers.enumerated() where i < listed {
            guard let ph = g.phase, !phases.contains(where: { $0.name == ph }) else { continue }
            let names = phases.map(\.name)
            throw try c.superDecoder(forKey: .servers, item: i).container(keyedBy: ServerGroupSpec.CodingKeys.self).superDecoder(forKey: .phase)
                .scenarioError("server group '\(g.name)' names phase '\(ph)'\(didYouMean(ph, among: names)); cluster.phases has \(names.isEmpty ? "none" : names.joined(separator: ", "))")
        }
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
        if !phases.isEmpty { try c.encode(phases, forKey: .phases) }
    }

    /// The phase of server group `g` (nil: in service for the whole run).
    public func phase(of g: ServerGroupSpec) -> PhaseSpec? { g.phase.flatMap { n in phases.first { $0.name == n } } }

    /// Whether any server is in service on `date` (a group without a phase, or one whose phase
    /// has arrived, been commissioned and not yet retired).
    public func hasServers(inServiceOn date: CivilDate) -> Bool {
        servers.contains { g in phase(of: g)?.isInService(on: date) ?? true }
    }

    /// The leaf switch of each server of pool `name`, in server-group order: `serversPerLeaf`
    /// to a leaf, and a phase's servers on leaves of their own (a phase brings its racks and
    /// their leaf switches, so it never shares a leaf with servers that arrive or retire on
    /// other dates). Without phases: server i on leaf i / `serversPerLeaf`.
    public func leafOfServer(pool name: String) -> [Int32] {
        let perLeaf = max(1, serversPerLeaf)
        let groups = servers.filter { $0.pool == name }
        var leaves: [Int32] = [], leaf: Int32 = -1, onLeaf = perLeaf
        for (k, g) in groups.enumerated() {
            if k > 0 && g.phase != groups[k - 1].phase { onLeaf = perLeaf }  // a new phase: a new leaf
            for _ in 0..<g.count {
                if onLeaf == perLeaf { leaf += 1; onLeaf = 0 }
                leaves.append(leaf)
                onLeaf += 1
            }
        }
        return leaves
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
    /// The build-out phase the group arrives (and retires) with (nil: in service throughout).
    public var phase: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, preset, count, accelerator, acceleratorsPerServer, role, pool, cpuCores, memory, nics, fabric, fabricBandwidth, phase
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
        phase = nil
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
        phase = try c.decodeIfPresent(String.self, forKey: .phase)
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

/// A phase of the center's build-out (`cluster.phases` item): its server groups (those naming it
/// in `phase`) arrive on `arrive`, enter service after `commissioning`, and retire on `retire`
/// (nil: never), draining their jobs first.
public struct PhaseSpec: Codable, Sendable, Equatable {
    public var name: String
    public var arrive: DateSpec
    public var commissioning: TimeQuantity
    public var retire: DateSpec?
    /// From `retire`, how long the servers drain: they take no new job, and jobs still running
    /// at the end are stopped (as by a failure: they lose work since their last checkpoint)
    /// and wait again elsewhere.
    public var drain: TimeQuantity
    /// Storage servers the phase adds to tiers of `io.storage` (each tier must declare its
    /// `servers`): each brings its tier's bandwidth and IOPS per server, from the phase's first
    /// day of service until its retire date.
    public var storage: [PhaseStorageSpec]

    enum CodingKeys: String, CodingKey, CaseIterable { case name, arrive, commissioning, retire, drain, storage }

    /// A phase arriving on `arrive`, in service `commissioning` later, retired on `retire` (nil: never).
    public init(name: String, arrive: CivilDate, commissioning: TimeQuantity, retire: CivilDate? = nil) {
        self.name = name
        self.arrive = DateSpec(arrive)
        self.commissioning = commissioning
        self.retire = retire.map(DateSpec.init)
        drain = TimeQuantity(baseUnits: 7 * SimTime.nsPerDay)
        storage = []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(arrive, forKey: .arrive)
        try c.encode(commissioning, forKey: .commissioning)
        try c.encodeIfPresent(retire, forKey: .retire)
        try c.encode(drain, forKey: .drain)
        if !storage.isEmpty { try c.encode(storage, forKey: .storage) }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name) { isPlainName($0) ? nil : "must be a plain name" }
        arrive = try c.decode(DateSpec.self, forKey: .arrive)
        commissioning = try c.decode(TimeQuantity.self, forKey: .commissioning, default: TimeQuantity(baseUnits: 0)) {
            $0.baseUnits <= 3650 * SimTime.nsPerDay ? nil : "must be at most 3650d"
        }
        retire = try c.decodeIfPresent(DateSpec.self, forKey: .retire)
        drain = try c.decode(TimeQuantity.self, forKey: .drain, default: TimeQuantity(baseUnits: 7 * SimTime.nsPerDay)) {
            $0.baseUnits >= 0 && $0.baseUnits <= 365 * SimTime.nsPerDay ? nil : "must be from 0 to 365d"
        }
        storage = try c.decode([PhaseStorageSpec].self, forKey: .storage, default: [])
        if let r = retire, r.date <= inServiceFrom {
            throw try c.superDecoder(forKey: .retire).scenarioError(
                "phase '\(name)' retires on \(r.date), before it enters service on \(inServiceFrom) (arrival \(arrive.date) + commissioning \(commissioning))")
        }
    }

    /// The first day its servers are in service: arrival plus commissioning (whole days, rounded up).
    public var inServiceFrom: CivilDate {
        let day = SimTime.nsPerDay
        return arrive.date.adding(days: Int((commissioning.baseUnits + day - 1) / day))
    }

    /// Whether its servers are in service on `date`.
    public func isInService(on date: CivilDate) -> Bool { inServiceFrom <= date && retire.map { date < $0.date } ?? true }
}

/// Storage servers a phase adds to a tier (`cluster.phases[].storage` item).
public struct PhaseStorageSpec: Codable, Sendable, Equatable {
    /// The tier's name in `io.storage.tiers`.
    public var tier: String
    public var servers: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case tier, servers }

    public init(tier: String, servers: Int) {
        self.tier = tier
        self.servers = servers
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tier = try c.decode(String.self, forKey: .tier) { isPlainName($0) ? nil : "must be a tier's name" }
        servers = try c.decode(Int.self, forKey: .servers) { (1...100_000).contains($0) ? nil : "must be between 1 and 100000" }
    }
}
