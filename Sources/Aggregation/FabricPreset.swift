import Production

/// A server-and-fabric design for the collective model: accelerators per server and their
/// effective intra-server bandwidth, NICs and their effective bandwidth, leaf-spine shape, and
/// per-message latencies. Effective bandwidths are what a ring actually reaches (the SimAI
/// calibration), not the link's nominal speed.
public struct FabricPreset: Sendable, Equatable {
    public var name: String
    public var acceleratorsPerServer: Int
    /// Ring bandwidth per accelerator inside a server (bytes/s).
    public var intraBandwidthBytesPerS: Double
    public var intraLatencyS: Double
    public var nicsPerServer: Int
    /// Effective bandwidth of one NIC (bytes/s, one direction).
    public var nicBandwidthBytesPerS: Double
    public var interLatencyS: Double
    public var serversPerLeaf: Int
    /// Leaf downlink capacity over leaf uplink capacity (1: non-blocking).
    public var oversubscription: Double
    /// Spine switches each leaf connects to (1: the spine layer as one aggregate switch).
    public var spines: Int = 1
    /// Nominal one-way NVLink bandwidth of an accelerator into an NVSwitch with in-switch
    /// reduction (NVLS, Hopper and later); 0 without (``NVLinkSHARP``).
    public var nvlinkOneWayBytesPerS: Double = 0
    /// Bandwidth between NVLink-bridge partners (0: no bridges; ``IntraServerCalibration``).
    public var pairBandwidthBytesPerS: Double = 0
    /// What a step between two accelerators of a server crosses.
    public var intraHop: CollectiveHop = .nvlink
    /// NCCL's tuning class of the accelerators (Hopper unless set).
    public var generation: NCCLGeneration = .hopper
    public var source: String

    public init(name: String, acceleratorsPerServer: Int, intraBandwidthBytesPerS: Double, intraLatencyS: Double, nicsPerServer: Int,
                nicBandwidthBytesPerS: Double, interLatencyS: Double, serversPerLeaf: Int, oversubscription: Double,
                nvlinkOneWayBytesPerS: Double = 0, source: String) {
        self.nvlinkOneWayBytesPerS = nvlinkOneWayBytesPerS
        self.name = name
        self.acceleratorsPerServer = acceleratorsPerServer
        self.intraBandwidthBytesPerS = intraBandwidthBytesPerS
        self.intraLatencyS = intraLatencyS
        self.nicsPerServer = nicsPerServer
        self.nicBandwidthBytesPerS = nicBandwidthBytesPerS
        self.interLatencyS = interLatencyS
        self.serversPerLeaf = serversPerLeaf
        self.oversubscription = oversubscription
        self.source = source
    }

    /// The built-in designs.
    public static let builtIn: [FabricPreset] = [
        FabricPreset(name: "hgx-h100-400g-rail", acceleratorsPerServer: 8, intraBandwidthBytesPerS: 370.8e9, intraLatencyS: 5e-6,
                     nicsPerServer: 8, nicBandwidthBytesPerS: 48.5e9, interLatencyS: 10e-6, serversPerLeaf: 32, oversubscription: 1,
                     nvlinkOneWayBytesPerS: 450e9,
                     source: "8x H100 SXM on NVSwitch, NVLink 20.6 GB/s x 18 = 370.8 GB/s effective ring bandwidth; 8x 400G ConnectX-7, 48.5 GB/s effective each (SimAI calbusbw.h, NSDI'25); rail-optimised two-tier Clos, 32 servers per leaf, non-blocking"),
        FabricPreset(name: "hgx-h200-400g-rail", acceleratorsPerServer: 8, intraBandwidthBytesPerS: 370.8e9, intraLatencyS: 5e-6,
                     nicsPerServer: 8, nicBandwidthBytesPerS: 48.5e9, interLatencyS: 10e-6, serversPerLeaf: 32, oversubscription: 1,
                     nvlinkOneWayBytesPerS: 450e9,
                     source: "8x H200 on NVSwitch (NVLink 4: 18 links, 900 GB/s bidirectional, as H100; NVIDIA H200 datasheet), 8x 400G NICs as hgx-h100-400g-rail"),
        FabricPreset(name: "hgx-a100-200g-rail", acceleratorsPerServer: 8, intraBandwidthBytesPerS: 240e9, intraLatencyS: 5e-6,
                     nicsPerServer: 8, nicBandwidthBytesPerS: 23.5e9, interLatencyS: 10e-6, serversPerLeaf: 32, oversubscription: 1,
                     source: "8x A100 on NVSwitch, NVLink 20.0 GB/s x 12 = 240 GB/s effective; 8x 200G ConnectX-6, 23.5 GB/s effective each (SimAI calbusbw.h); rail-optimised two-tier Clos").with(.ampere),
        FabricPreset(name: "hgx-h800-400g-rail", acceleratorsPerServer: 8, intraBandwidthBytesPerS: 164.8e9, intraLatencyS: 5e-6,
                     nicsPerServer: 8, nicBandwidthBytesPerS: 48.5e9, interLatencyS: 10e-6, serversPerLeaf: 32, oversubscription: 1,
                     nvlinkOneWayBytesPerS: 200e9,
                     source: "8x H800 (8 NVLinks: 20.6 GB/s x 8 = 164.8 GB/s effective; SimAI calbusbw.h), 8x 400G NICs as hgx-h100-400g-rail"),
        FabricPreset(name: "hgx-h100-100g-2to1", acceleratorsPerServer: 8, intraBandwidthBytesPerS: 370.8e9, intraLatencyS: 5e-6,
                     nicsPerServer: 8, nicBandwidthBytesPerS: 11.75e9, interLatencyS: 10e-6, serversPerLeaf: 16, oversubscription: 2,
                     source: "hgx-h100-400g-rail's servers on 100G NICs (SimAI's 23.5 GB/s per 200G, halved) and a 2:1 oversubscribed leaf-spine of 16 servers per leaf: a what-if design"),
        .server("hgx-h20-400g-rail", kind: .nvswitch, listedBytesPerS: 900e9, nics: 8, nicBytesPerS: 48.5e9, nvlinkOneWayBytesPerS: 450e9,
                source: "8x H20 on NVSwitch (NVLink 4, 900 GB/s bidirectional per GPU, as H100; NVIDIA H20 product brief), 8x 400G NICs as hgx-h100-400g-rail"),
        .server("dgx-v100-100g", kind: .nvlink, listedBytesPerS: 300e9, nics: 4, nicBytesPerS: 12.125e9,
                source: "NVIDIA DGX-1: 8x V100 in an NVLink 2 hybrid cube mesh (300 GB/s bidirectional per GPU), 4x 100 Gb/s EDR InfiniBand at 97% (12.1 GB/s: 'as good as you can get' for a 100G card, NVIDIA/nccl-tests issue 29)").with(.volta),
        .server("pcie-a100-bridged", kind: .nvlinkBridge, listedBytesPerS: 600e9, nics: 2, nicBytesPerS: 23.5e9,
                source: "8x A100 PCIe, NVLink bridges joining pairs (NV12: 600 GB/s bidirectional per pair), the rest over PCIe Gen4 x16 and the CPUs; 2x 200G NICs at SimAI's 23.5 GB/s").with(.ampere),
        .server("oam-mi300x-400g-rail", kind: .oam, listedBytesPerS: 448e9, nics: 8, nicBytesPerS: 48.5e9,
                source: "8x AMD MI300X OAM, fully connected xGMI (7 links x 64 GB/s one way, ~48 usable: AMD ROCm blog 'Understanding RCCL Bandwidth and xGMI Performance on MI300X', 2025); 8x 400G RoCE NICs at 48.5 GB/s as ConnectX-7"),
    ]

    /// A design of 8-accelerator servers whose intra-server ring comes from the fabric kind's
    /// calibration (``IntraServerCalibration``), 5 µs per step inside a server and 10 µs between
    /// servers, 32 servers to a non-blocking leaf.
    static func server(_ name: String, kind: IntraServerFabric, listedBytesPerS: Double, nics: Int, nicBytesPerS: Double,
                       nvlinkOneWayBytesPerS: Double = 0, source: String) -> FabricPreset {
        let ring = IntraServerCalibration.ring(kind, listedBytesPerS: listedBytesPerS)
        var p = FabricPreset(name: name, acceleratorsPerServer: 8, intraBandwidthBytesPerS: ring.ringBytesPerS, intraLatencyS: 5e-6,
                             nicsPerServer: nics, nicBandwidthBytesPerS: nicBytesPerS, interLatencyS: 10e-6, serversPerLeaf: 32,
                             oversubscription: 1, nvlinkOneWayBytesPerS: nvlinkOneWayBytesPerS, source: source)
        p.pairBandwidthBytesPerS = ring.pairBytesPerS
        p.intraHop = IntraServerCalibration.hop(kind)
        return p
    }

    /// This design with accelerators of NCCL's tuning class `generation`.
    func with(_ generation: NCCLGeneration) -> FabricPreset {
        var p = self
        p.generation = generation
        return p
    }

    public static func named(_ name: String) -> FabricPreset? { builtIn.first { $0.name == name } }
}
