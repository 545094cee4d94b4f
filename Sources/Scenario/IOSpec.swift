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

    enum CodingKeys: String, CodingKey, CaseIterable { case model, allreduceOverlap, storageBandwidthPerJob, fabric }

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
    }

    /// The production model's I/O pricing: with `fabric`, per-iteration communication is left
    /// to the run (``FabricIO``).
    public var ioModel: any JobIOModel {
        let storage = Double(storageBandwidthPerJob.baseUnits) / 8
        switch model {
        case .ideal: return IdealIO()
        case .noContention: return NoContentionIO(overlap: allreduceOverlap, storageBandwidthBytesPerS: storage)
        case .fabric: return FabricIO(overlap: allreduceOverlap, storageBandwidthBytesPerS: storage)
        }
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
    /// Achieved fraction of a NIC's line rate (SimAI: 48.5 of 50 GB/s on 400G).
    public var nicEfficiency: Double
    /// Achieved fraction of the intra-server fabric's one-way bandwidth (half the catalog's
    /// bidirectional figure; SimAI: 370.8 of 450 GB/s on H100 NVSwitch).
    public var intraEfficiency: Double
    /// Per-message latency of a hop inside a server and between servers.
    public var intraLatency: TimeQuantity
    public var interLatency: TimeQuantity
    /// Width of one point of the `/links` utilisation series.
    public var linkSampleInterval: TimeQuantity
    /// How many of the busiest leaf-spine links `/links` keeps.
    public var busiestLinks: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case oversubscription, spines, nicEfficiency, intraEfficiency, intraLatency, interLatency, linkSampleInterval, busiestLinks
    }

    public init() {
        oversubscription = 1
        spines = 1
        nicEfficiency = 0.97
        intraEfficiency = 0.824
        intraLatency = TimeQuantity(baseUnits: 5_000)
        interLatency = TimeQuantity(baseUnits: 10_000)
        linkSampleInterval = TimeQuantity(baseUnits: 3_600_000_000_000)
        busiestLinks = 32
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = FabricSpec()
        oversubscription = try c.decode(Double.self, forKey: .oversubscription, default: d.oversubscription) { $0 < 1 ? "must be at least 1 (1: non-blocking)" : nil }
        spines = try c.decode(Int.self, forKey: .spines, default: d.spines) { $0 < 1 ? "must be at least 1" : nil }
        nicEfficiency = try c.decode(Double.self, forKey: .nicEfficiency, default: d.nicEfficiency) { $0 <= 0 || $0 > 1 ? "must be in (0, 1]" : nil }
        intraEfficiency = try c.decode(Double.self, forKey: .intraEfficiency, default: d.intraEfficiency) { $0 <= 0 || $0 > 1 ? "must be in (0, 1]" : nil }
        intraLatency = try c.decode(TimeQuantity.self, forKey: .intraLatency, default: d.intraLatency)
        interLatency = try c.decode(TimeQuantity.self, forKey: .interLatency, default: d.interLatency)
        linkSampleInterval = try c.decode(TimeQuantity.self, forKey: .linkSampleInterval, default: d.linkSampleInterval) {
            $0.baseUnits <= 0 ? "must be positive" : nil
        }
        busiestLinks = try c.decode(Int.self, forKey: .busiestLinks, default: d.busiestLinks) { $0 < 0 ? "must not be negative" : nil }
    }
}
