import Aggregation
import Production

/// How a job's network and storage time is priced (`io:` in a scenario).
public struct IOSpec: Codable, Sendable, Equatable {
    public enum Model: String, Sendable, CaseIterable, ScenarioEnum {
        /// Nominal link and storage speeds, no contention (``NoContentionIO``).
        case noContention = "no_contention"
        /// No I/O time (efficiency figures already include it).
        case ideal
        /// Gradient all-reduces run as rings on the shared leaf-spine fabric, where the job's
        /// accelerators actually are, max-min sharing links with every other job's rings.
        case fabric
    }

    public var model: Model
    /// Fraction of the gradient all-reduce hidden behind backward compute.
    public var allreduceOverlap: Double
    /// Storage bandwidth one job gets for dataset ingest and checkpoints.
    public var storageBandwidthPerJob: BandwidthQuantity
    /// The fabric's shape and efficiencies (used by `model: fabric`).
    public var fabric: FabricSpec
    /// The shared storage system; absent: storage at `storageBandwidthPerJob`, no contention.
    public var storage: StorageSpec?

    enum CodingKeys: String, CodingKey, CaseIterable { case model, allreduceOverlap, storageBandwidthPerJob, fabric, storage }

    public init() {
        model = .noContention
        allreduceOverlap = 0.8
        storageBandwidthPerJob = BandwidthQuantity(baseUnits: 80_000_000_000)
        fabric = FabricSpec()
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = IOSpec()
        model = try c.decode(Model.self, forKey: .model, default: d.model)
        allreduceOverlap = try c.decode(Double.self, forKey: .allreduceOverlap, default: d.allreduceOverlap) {
            $0 < 0 || $0 > 1 ? "must be between 0 and 1" : nil
        }
        storageBandwidthPerJob = try c.decode(BandwidthQuantity.self, forKey: .storageBandwidthPerJob, default: d.storageBandwidthPerJob) {
            $0.baseUnits <= 0 ? "must be positive" : nil
        }
        fabric = try c.decode(FabricSpec.self, forKey: .fabric, default: d.fabric)
        storage = try c.decodeIfPresent(StorageSpec.self, forKey: .storage)
    }

    /// The production model's I/O pricing: with `fabric`, per-iteration communication is left
    /// to the run (``FabricIO``); with `storage`, storage traffic is (``SharedStorageIO``).
    public var ioModel: any JobIOModel {
        let perJob = Double(storageBandwidthPerJob.baseUnits) / 8
        let base: any JobIOModel
        switch model {
        case .ideal: base = IdealIO()
        case .noContention: base = NoContentionIO(overlap: allreduceOverlap, storageBandwidthBytesPerS: perJob)
        case .fabric: base = FabricIO(overlap: allreduceOverlap, storageBandwidthBytesPerS: perJob)
        }
        return storage == nil ? base : SharedStorageIO(base)
    }
}

/// The RoCE fabric between servers (`io.fabric:`): leaf-spine shape and the fraction of
/// nominal link speed a ring achieves. Servers' NICs and intra-server fabric come from their
/// server models; `cluster.serversPerLeaf` puts servers under leaves.
public struct FabricSpec: Codable, Sendable, Equatable {
    /// Leaf downlink capacity over uplink capacity (1: non-blocking; 2: 2:1).
    public var oversubscription: Double
    /// Spine switches per leaf (ECMP picks one per hop by a fixed hash); 1 treats the spine
    /// layer as one switch.
    public var spines: Int
    /// Leaves per pod of a three-tier fabric (leaf-spine-core): each pod's spines connect to a
    /// core; 0 (the default): one pod, a two-tier leaf-spine fabric.
    public var leavesPerPod: Int
    /// The pods' spine downlink capacity over their core uplink capacity (1: non-blocking).
    public var coreOversubscription: Double
    /// Achieved fraction of a NIC's line rate (SimAI: 48.5 of 50 GB/s on 400G).
    public var nicEfficiency: Double
    /// Achieved fraction of the intra-server fabric's one-way bandwidth, for every kind of
    /// fabric; nil (the default): each kind's own calibration (NVSwitch 0.824 = SimAI's 370.8
    /// of 450 GB/s on H100; NVLink bridge, PCIe and xGMI/HCCS meshes their own).
    public var intraEfficiency: Double?
    /// Per-message latency of a hop inside a server and between servers, to a fraction of a
    /// nanosecond (a collective's sum of steps is rounded once).
    public var intraLatency: FineTimeQuantity
    public var interLatency: FineTimeQuantity
    /// Width of one point of the `/links` utilisation series.
    public var linkSampleInterval: TimeQuantity
    /// How many of the busiest leaf-spine links `/links` keeps.
    public var busiestLinks: Int
    /// How data-parallel all-reduces go: rings (nil, the default), or NVLink SHARP or in-switch
    /// reduction where a job's placement allows (``RunAllReduceAlgorithm``).
    public var allreduce: RunAllReduceAlgorithm?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case oversubscription, spines, leavesPerPod, coreOversubscription, nicEfficiency, intraEfficiency, intraLatency, interLatency, linkSampleInterval, busiestLinks, allreduce
    }

    public init() {
        oversubscription = 1
        spines = 1
        leavesPerPod = 0
        coreOversubscription = 1
        nicEfficiency = 0.97
        intraEfficiency = nil
        intraLatency = FineTimeQuantity(nanoseconds: 5_000)
        interLatency = FineTimeQuantity(nanoseconds: 10_000)
        linkSampleInterval = TimeQuantity(baseUnits: 3_600_000_000_000)
        busiestLinks = 32
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = FabricSpec()
        oversubscription = try c.decode(Double.self, forKey: .oversubscription, default: d.oversubscription) { $0 < 1 ? "must be at least 1 (1: non-blocking)" : nil }
        spines = try c.decode(Int.self, forKey: .spines, default: d.spines) { $0 < 1 ? "must be at least 1" : nil }
        leavesPerPod = try c.decode(Int.self, forKey: .leavesPerPod, default: d.leavesPerPod) {
            $0 < 0 || $0 > 100_000 ? "must be between 0 (two tiers) and 100000" : nil
        }
        coreOversubscription = try c.decode(Double.self, forKey: .coreOversubscription, default: d.coreOversubscription) {
            !($0 >= 1 && $0 <= 1_000) ? "must be between 1 (non-blocking) and 1000" : nil
        }
        nicEfficiency = try c.decode(Double.self, forKey: .nicEfficiency, default: d.nicEfficiency) { $0 <= 0 || $0 > 1 ? "must be in (0, 1]" : nil }
        intraEfficiency = c.contains(.intraEfficiency)
            ? try c.decode(Double.self, forKey: .intraEfficiency) { $0 <= 0 || $0 > 1 ? "must be in (0, 1]" : nil } : d.intraEfficiency
        intraLatency = try c.decode(FineTimeQuantity.self, forKey: .intraLatency, default: d.intraLatency)
        interLatency = try c.decode(FineTimeQuantity.self, forKey: .interLatency, default: d.interLatency)
        linkSampleInterval = try c.decode(TimeQuantity.self, forKey: .linkSampleInterval, default: d.linkSampleInterval) {
            $0.baseUnits <= 0 ? "must be positive" : nil
        }
        busiestLinks = try c.decode(Int.self, forKey: .busiestLinks, default: d.busiestLinks) { $0 < 0 ? "must not be negative" : nil }
        allreduce = try c.decodeIfPresent(RunAllReduceAlgorithm.self, forKey: .allreduce)
    }
}

/// The storage cluster (`io.storage:`): tiers from hot to cold, each with shared bandwidth and
/// IOPS and a keep time after which unaccessed data migrates to the next tier; small-file
/// aggregation; where data starts and where checkpoints go.
public struct StorageSpec: Codable, Sendable, Equatable {
    public var tiers: [StorageTierSpec]
    /// Files smaller than this are small files.
    public var smallFileBytes: ByteQuantity
    /// Small files read per I/O once aggregated into shards (1: none).
    public var smallFileAggregation: Double
    /// Tier data sets and model files are in before their first access (default: the last).
    public var initialTier: String?
    /// Tier checkpoints are written to (default: the first).
    public var checkpointTier: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case tiers, smallFileBytes, smallFileAggregation, initialTier, checkpointTier }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tiers = try c.decode([StorageTierSpec].self, forKey: .tiers) { $0.isEmpty ? "must list at least one tier" : nil }
        var seen: [String] = []
        for t in tiers {
            if seen.contains(t.name) { throw try c.superDecoder(forKey: .tiers).scenarioError("tier name '\(t.name)' is used twice") }
            seen.append(t.name)
        }
        smallFileBytes = try c.decode(ByteQuantity.self, forKey: .smallFileBytes, default: ByteQuantity(baseUnits: 1_000_000))
        smallFileAggregation = try c.decode(Double.self, forKey: .smallFileAggregation, default: 1) { $0 < 1 ? "must be at least 1 (1: no aggregation)" : nil }
        initialTier = try c.decodeIfPresent(String.self, forKey: .initialTier)
        checkpointTier = try c.decodeIfPresent(String.self, forKey: .checkpointTier)
        for (key, name) in [(CodingKeys.initialTier, initialTier), (.checkpointTier, checkpointTier)] {
            if let n = name, !seen.contains(n) {
                throw try c.superDecoder(forKey: key).scenarioError("unknown tier '\(n)'; expected one of \(seen.joined(separator: ", "))")
            }
        }
    }

    /// The aggregation model's storage system.
    public var system: StorageSystem {
        let names = tiers.map(\.name)
        return StorageSystem(tiers: tiers.map { StorageTier(name: $0.name, bandwidthBytesPerS: Double($0.bandwidth.baseUnits) / 8, iops: $0.iops,
                                                         keepForNs: $0.keepFor?.baseUnits) },
                             smallFileBytes: Double(smallFileBytes.baseUnits), smallFileAggregation: smallFileAggregation,
                             initialTier: initialTier.flatMap { names.firstIndex(of: $0) } ?? tiers.count - 1,
                             checkpointTier: checkpointTier.flatMap { names.firstIndex(of: $0) } ?? 0)
    }
}

/// One storage tier (`io.storage.tiers[]`).
public struct StorageTierSpec: Codable, Sendable, Equatable {
    public var name: String
    public var bandwidth: BandwidthQuantity
    public var iops: Double
    /// How long data stays after its last access before it migrates to the next tier (absent: it stays).
    public var keepFor: TimeQuantity?
    /// Storage servers that share the tier's bandwidth and IOPS equally (absent: the tier is not
    /// modelled as servers, and `failures.classes.storage` does not touch it).
    public var servers: Int?

    enum CodingKeys: String, CodingKey, CaseIterable { case name, bandwidth, iops, keepFor, servers }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name) { isPlainName($0) ? nil : "must be a non-empty name of letters, digits, '.', '_' and '-'" }
        bandwidth = try c.decode(BandwidthQuantity.self, forKey: .bandwidth) { $0.baseUnits <= 0 ? "must be positive" : nil }
        iops = try c.decode(Double.self, forKey: .iops) { $0 <= 0 ? "must be positive" : nil }
        keepFor = try c.decodeIfPresent(TimeQuantity.self, forKey: .keepFor)
        servers = c.contains(.servers) ? try c.decode(Int.self, forKey: .servers) { (1...100_000).contains($0) ? nil : "must be between 1 and 100000" } : nil
    }
}

extension RunAllReduceAlgorithm: ScenarioEnum {}
