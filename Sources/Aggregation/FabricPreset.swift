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
                     source: "8x A100 on NVSwitch, NVLink 20.0 GB/s x 12 = 240 GB/s effective; 8x 200G ConnectX-6, 23.5 GB/s effective each (SimAI calbusbw.h); rail-optimised two-tier Clos"),
        FabricPreset(name: "hgx-h800-400g-rail", acceleratorsPerServer: 8, intraBandwidthBytesPerS: 164.8e9, intraLatencyS: 5e-6,
                     nicsPerServer: 8, nicBandwidthBytesPerS: 48.5e9, interLatencyS: 10e-6, serversPerLeaf: 32, oversubscription: 1,
                     nvlinkOneWayBytesPerS: 200e9,
                     source: "8x H800 (8 NVLinks: 20.6 GB/s x 8 = 164.8 GB/s effective; SimAI calbusbw.h), 8x 400G NICs as hgx-h100-400g-rail"),
        FabricPreset(name: "hgx-h100-100g-2to1", acceleratorsPerServer: 8, intraBandwidthBytesPerS: 370.8e9, intraLatencyS: 5e-6,
                     nicsPerServer: 8, nicBandwidthBytesPerS: 11.75e9, interLatencyS: 10e-6, serversPerLeaf: 16, oversubscription: 2,
                     source: "hgx-h100-400g-rail's servers on 100G NICs (SimAI's 23.5 GB/s per 200G, halved) and a 2:1 oversubscribed leaf-spine of 16 servers per leaf: a what-if design"),
    ]

    public static func named(_ name: String) -> FabricPreset? { builtIn.first { $0.name == name } }
}
