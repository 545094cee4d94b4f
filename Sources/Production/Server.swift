/// What a server is for (the guide's training servers, inference servers, and general ones).
public enum ServerRole: String, Sendable, CaseIterable {
    case training, inference, general
}

/// How the accelerators inside one server reach each other.
public enum IntraServerFabric: String, Sendable, CaseIterable {
    /// NVLink through NVSwitch chips: every GPU reaches every other at full NVLink bandwidth.
    case nvswitch
    /// A direct NVLink mesh without switches (the DGX-1 hybrid cube mesh).
    case nvlink
    /// PCIe cards joined in pairs by NVLink bridges (accelerators 0–1, 2–3, ...); the rest of
    /// the server is reached over PCIe.
    case nvlinkBridge = "nvlink-bridge"
    /// OCP Accelerator Modules on a universal baseboard, fully connected (AMD Infinity Fabric / xGMI).
    case oam
    /// HCCS (Huawei Cache Coherence System) joining Ascend NPUs (Atlas 800T A2).
    case hccs
    /// Through the PCIe switch and host.
    case pcie
}

/// A server model: its accelerators, host, network interfaces and role.
public struct ServerModel: Sendable, Equatable {
    /// Preset name (`hgx-h100-8`) or the scenario's group name.
    public var name: String
    /// Catalog name of its accelerator.
    public var accelerator: String
    public var acceleratorsPerServer: Int
    public var cpuCores: Int
    public var memoryBytes: Double
    /// RDMA/RoCE network interfaces and the speed of each.
    public var nicCount: Int
    public var nicBandwidthBitsPerS: Double
    public var fabric: IntraServerFabric
    /// Per-accelerator bandwidth of the intra-server fabric (one direction).
    public var fabricBandwidthBytesPerS: Double
    public var role: ServerRole
    /// Where the figures come from.
    public var source: String

    public init(name: String, accelerator: String, acceleratorsPerServer: Int, cpuCores: Int, memoryBytes: Double,
                nicCount: Int, nicBandwidthBitsPerS: Double, fabric: IntraServerFabric, fabricBandwidthBytesPerS: Double,
                role: ServerRole, source: String) {
        self.name = name
        self.accelerator = accelerator
        self.acceleratorsPerServer = acceleratorsPerServer
        self.cpuCores = cpuCores
        self.memoryBytes = memoryBytes
        self.nicCount = nicCount
        self.nicBandwidthBitsPerS = nicBandwidthBitsPerS
        self.fabric = fabric
        self.fabricBandwidthBytesPerS = fabricBandwidthBytesPerS
        self.role = role
        self.source = source
    }

    /// Network bandwidth out of the server, all NICs together, in bytes per second.
    public var networkBandwidthBytesPerS: Double { Double(nicCount) * nicBandwidthBitsPerS / 8 }
}

private let giga = 1e9, tib = 1_099_511_627_776.0, gib = 1_073_741_824.0

/// Built-in server designs, so a scenario can say `preset: hgx-h100-8` and override what differs.
public enum ServerCatalog {
    public static let builtIn: [ServerModel] = [
        ServerModel(name: "hgx-h100-8", accelerator: "H100-SXM", acceleratorsPerServer: 8, cpuCores: 112, memoryBytes: 2 * tib,
                    nicCount: 8, nicBandwidthBitsPerS: 400 * giga, fabric: .nvswitch, fabricBandwidthBytesPerS: 900 * giga,
                    role: .training,
                    source: "NVIDIA DGX H100 user guide: 8x H100 SXM5 on NVSwitch (900 GB/s per GPU), 2x Xeon 8480C (112 cores), 2 TB, 8x ConnectX-7 400 Gb/s compute NICs"),
        ServerModel(name: "hgx-h200-8", accelerator: "H200", acceleratorsPerServer: 8, cpuCores: 112, memoryBytes: 2 * tib,
                    nicCount: 8, nicBandwidthBitsPerS: 400 * giga, fabric: .nvswitch, fabricBandwidthBytesPerS: 900 * giga,
                    role: .training,
                    source: "NVIDIA HGX H200 (DGX H200 user guide): as hgx-h100-8 with H200"),
        ServerModel(name: "hgx-b200-8", accelerator: "B200", acceleratorsPerServer: 8, cpuCores: 112, memoryBytes: 4 * tib,
                    nicCount: 8, nicBandwidthBitsPerS: 400 * giga, fabric: .nvswitch, fabricBandwidthBytesPerS: 1_800 * giga,
                    role: .training,
                    source: "NVIDIA DGX B200 datasheet: 8x B200, NVLink5 1.8 TB/s per GPU, 2x Xeon 8570 (112 cores), 4 TB, 8x ConnectX-7 400 Gb/s"),
        ServerModel(name: "hgx-a100-8", accelerator: "A100-80GB", acceleratorsPerServer: 8, cpuCores: 128, memoryBytes: 2 * tib,
                    nicCount: 8, nicBandwidthBitsPerS: 200 * giga, fabric: .nvswitch, fabricBandwidthBytesPerS: 600 * giga,
                    role: .training,
                    source: "NVIDIA DGX A100 user guide: 8x A100 80GB on NVSwitch (600 GB/s per GPU), 2x EPYC 7742 (128 cores), 2 TB, 8x ConnectX-6 200 Gb/s"),
        ServerModel(name: "dgx-v100-8", accelerator: "V100", acceleratorsPerServer: 8, cpuCores: 40, memoryBytes: 512 * gib,
                    nicCount: 4, nicBandwidthBitsPerS: 100 * giga, fabric: .nvlink, fabricBandwidthBytesPerS: 300 * giga,
                    role: .training,
                    source: "NVIDIA DGX-1 (V100) datasheet: 8x V100 in an NVLink hybrid cube mesh, 2x Xeon E5-2698 v4 (40 cores), 512 GB, 4x 100 Gb/s InfiniBand"),
        ServerModel(name: "oam-mi300x-8", accelerator: "MI300X", acceleratorsPerServer: 8, cpuCores: 192, memoryBytes: 2 * tib,
                    nicCount: 8, nicBandwidthBitsPerS: 400 * giga, fabric: .oam, fabricBandwidthBytesPerS: 448 * giga,
                    role: .training,
                    source: "AMD Instinct MI300X platform (UBB, 8 OAM modules, fully connected Infinity Fabric 448 GB/s per GPU); 2x EPYC 9654 (192 cores); 8x 400 Gb/s NICs as in typical OEM designs"),
        ServerModel(name: "atlas-800t-a2", accelerator: "Ascend-910B", acceleratorsPerServer: 8, cpuCores: 192, memoryBytes: 1 * tib,
                    nicCount: 8, nicBandwidthBitsPerS: 200 * giga, fabric: .hccs, fabricBandwidthBytesPerS: 392 * giga,
                    role: .training,
                    source: "Huawei Atlas 800T A2 training server: 8x Ascend 910B on HCCS, 4x Kunpeng 920 (192 cores), 8x 200GE RoCE ports"),
        ServerModel(name: "pcie-l4-8", accelerator: "L4", acceleratorsPerServer: 8, cpuCores: 64, memoryBytes: 512 * gib,
                    nicCount: 2, nicBandwidthBitsPerS: 100 * giga, fabric: .pcie, fabricBandwidthBytesPerS: 32 * giga,
                    role: .inference,
                    source: "typical 2U inference server (8x L4 PCIe Gen4, 2x 32-core CPUs, 512 GB, 2x 100 GbE), as OEMs list it"),
        ServerModel(name: "pcie-a10-4", accelerator: "A10", acceleratorsPerServer: 4, cpuCores: 64, memoryBytes: 512 * gib,
                    nicCount: 2, nicBandwidthBitsPerS: 25 * giga, fabric: .pcie, fabricBandwidthBytesPerS: 32 * giga,
                    role: .inference,
                    source: "typical 2U inference server (4x A10, 2x 32-core CPUs, 512 GB, 2x 25 GbE)"),
        ServerModel(name: "pcie-t4-8", accelerator: "T4", acceleratorsPerServer: 8, cpuCores: 48, memoryBytes: 384 * gib,
                    nicCount: 2, nicBandwidthBitsPerS: 25 * giga, fabric: .pcie, fabricBandwidthBytesPerS: 16 * giga,
                    role: .inference,
                    source: "typical inference server (8x T4, 2x 24-core CPUs, 384 GB, 2x 25 GbE)"),
        ServerModel(name: "atlas-300i-8", accelerator: "Atlas-300I-Pro", acceleratorsPerServer: 8, cpuCores: 96, memoryBytes: 512 * gib,
                    nicCount: 2, nicBandwidthBitsPerS: 25 * giga, fabric: .pcie, fabricBandwidthBytesPerS: 32 * giga,
                    role: .inference,
                    source: "Huawei Atlas 800 inference server (model 3000) with 8x Atlas 300I Pro, 2x Kunpeng 920 (96 cores)"),
        ServerModel(name: "fpga-u250-4", accelerator: "Alveo-U250", acceleratorsPerServer: 4, cpuCores: 40, memoryBytes: 384 * gib,
                    nicCount: 2, nicBandwidthBitsPerS: 25 * giga, fabric: .pcie, fabricBandwidthBytesPerS: 16 * giga,
                    role: .inference,
                    source: "typical FPGA inference server (4x Alveo U250 PCIe Gen3, 2x 20-core CPUs, 384 GB, 2x 25 GbE)"),
        ServerModel(name: "mlu370-x8-8", accelerator: "MLU370-X8", acceleratorsPerServer: 8, cpuCores: 64, memoryBytes: 1 * tib,
                    nicCount: 4, nicBandwidthBitsPerS: 100 * giga, fabric: .pcie, fabricBandwidthBytesPerS: 32 * giga,
                    role: .training,
                    source: "typical 8-card Cambricon MLU370-X8 training server (MLU-Link bridges between card pairs, PCIe Gen4 otherwise), 2x 32-core CPUs, 1 TB, 4x 100 GbE RoCE"),
        ServerModel(name: "kunlun-r200-8", accelerator: "Kunlunxin-R200", acceleratorsPerServer: 8, cpuCores: 64, memoryBytes: 512 * gib,
                    nicCount: 2, nicBandwidthBitsPerS: 25 * giga, fabric: .pcie, fabricBandwidthBytesPerS: 32 * giga,
                    role: .inference,
                    source: "typical 2U inference server with 8x Kunlunxin R200 (PCIe Gen4), 2x 32-core CPUs, 512 GB, 2x 25 GbE"),
        ServerModel(name: "cpu-2s-xeon-8280", accelerator: "Xeon-8280", acceleratorsPerServer: 2, cpuCores: 56, memoryBytes: 768 * gib,
                    nicCount: 2, nicBandwidthBitsPerS: 25 * giga, fabric: .pcie, fabricBandwidthBytesPerS: 62.4 * giga,
                    role: .general,
                    source: "a general-purpose 2-socket server: 2x Xeon Platinum 8280 (56 cores; its sockets are its devices), 768 GB, 2x 25 GbE; UPI 3 links x 10.4 GT/s between sockets"),
        ServerModel(name: "cpu-2s-kunpeng-920", accelerator: "Kunpeng-920", acceleratorsPerServer: 2, cpuCores: 128, memoryBytes: 512 * gib,
                    nicCount: 2, nicBandwidthBitsPerS: 25 * giga, fabric: .pcie, fabricBandwidthBytesPerS: 30 * giga,
                    role: .general,
                    source: "a general-purpose 2-socket server: 2x Kunpeng 920-6426 (128 cores; its sockets are its devices), 512 GB, 2x 25 GbE (Huawei TaiShan 200 2280 class)"),
        ServerModel(name: "generic-8", accelerator: "A100-80GB", acceleratorsPerServer: 8, cpuCores: 64, memoryBytes: 1 * tib,
                    nicCount: 2, nicBandwidthBitsPerS: 100 * giga, fabric: .pcie, fabricBandwidthBytesPerS: 32 * giga,
                    role: .general,
                    source: "ICCSim default: 8 accelerators per server on PCIe, 2x 100 GbE (used when a scenario names no preset)"),
    ]

    /// The built-in server preset called `name`, or nil.
    public static func builtIn(named name: String) -> ServerModel? { builtIn.first { $0.name == name } }
}
