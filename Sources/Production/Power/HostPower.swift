/// A server's power beside its accelerators (CPUs, memory, NICs, NVSwitches or PCIe switches,
/// fans and its power supplies' losses): `idleW` at rest, rising linearly to `maxW` as its
/// accelerators get busy. The accelerators' own power is the catalog's (``Accelerator``).
public struct HostPower: Sendable, Equatable {
    public var idleW: Double
    public var maxW: Double
    public var source: String

    public init(idleW: Double, maxW: Double, source: String) {
        self.idleW = idleW
        self.maxW = maxW
        self.source = source
    }
}

/// Host power of the built-in server presets: the system maximum the vendor specifies less its
/// accelerators' maximum; idle at 40% of that (an estimate: CPUs, memory and fans idle, power
/// supplies at low load).
public enum HostPowerCatalog {
    static func fromSystem(_ systemW: Double, accelerators: Int, eachW: Double, _ source: String) -> HostPower {
        let host = systemW - Double(accelerators) * eachW
        return HostPower(idleW: 0.4 * host, maxW: host, source: source + "; host = system maximum less \(accelerators) × \(Int(eachW)) W; idle 40% of it (estimate)")
    }

    public static let byPreset: [(preset: String, host: HostPower)] = [
        ("hgx-h100-8", fromSystem(10_200, accelerators: 8, eachW: 700, "NVIDIA DGX H100 datasheet: system power about 10.2 kW maximum")),
        ("hgx-h200-8", fromSystem(10_200, accelerators: 8, eachW: 700, "NVIDIA DGX H200 datasheet: system power about 10.2 kW maximum")),
        ("hgx-b200-8", fromSystem(14_300, accelerators: 8, eachW: 1_000, "NVIDIA DGX B200 datasheet: system power about 14.3 kW maximum")),
        ("hgx-a100-8", fromSystem(6_500, accelerators: 8, eachW: 400, "NVIDIA DGX A100 datasheet: system power 6.5 kW maximum")),
        ("dgx-v100-8", fromSystem(3_500, accelerators: 8, eachW: 300, "NVIDIA DGX-1 (V100) datasheet: system power 3,500 W")),
        ("oam-mi300x-8", HostPower(idleW: 1_600, maxW: 4_000, source: "estimate: an 8-OAM MI300X platform's non-GPU draw taken as a DGX H100's (2x 96-core EPYC, 8 NICs, fans); idle 40%")),
        ("atlas-800t-a2", HostPower(idleW: 920, maxW: 2_300, source: "estimate: 4x Kunpeng 920, 8x 200GE, fans and power supply losses of an 8-NPU training server; idle 40%")),
        ("pcie-l4-8", HostPower(idleW: 300, maxW: 800, source: "estimate: a 2U dual-socket server's CPUs, memory, NICs and fans (about 800 W loaded, 300 W idle)")),
        ("pcie-a10-4", HostPower(idleW: 300, maxW: 800, source: "estimate: as pcie-l4-8")),
        ("pcie-t4-8", HostPower(idleW: 250, maxW: 700, source: "estimate: a 2U dual-socket server with 24-core CPUs")),
        ("atlas-300i-8", HostPower(idleW: 300, maxW: 800, source: "estimate: as pcie-l4-8, with 2x Kunpeng 920")),
        ("fpga-u250-4", HostPower(idleW: 250, maxW: 700, source: "estimate: a 2U dual-socket server with 20-core CPUs")),
        ("mlu370-x8-8", HostPower(idleW: 400, maxW: 1_000, source: "estimate: 2x 32-core CPUs, 4 NICs, fans of an 8-card PCIe training server")),
        ("kunlun-r200-8", HostPower(idleW: 300, maxW: 800, source: "estimate: as pcie-l4-8")),
        ("cpu-2s-xeon-8280", HostPower(idleW: 100, maxW: 250, source: "estimate: memory, NICs, disks and fans of a 2-socket server (its CPUs are its devices)")),
        ("cpu-2s-kunpeng-920", HostPower(idleW: 100, maxW: 250, source: "estimate: as cpu-2s-xeon-8280")),
        ("generic-8", HostPower(idleW: 600, maxW: 1_500, source: "estimate: a general server with 8 PCIe accelerators, 64 cores, 1 TB and 2x 100 GbE")),
    ]

    /// The host power of server model `server` built from preset `preset` (the preset's, else
    /// an estimate by its accelerators per server: 200 W + 100 W each at most).
    public static func host(of server: ServerModel, preset: String?) -> HostPower {
        if let h = byPreset.first(where: { $0.preset == preset ?? server.name })?.host { return h }
        let maxW = 200 + 100 * Double(server.acceleratorsPerServer)
        return HostPower(idleW: 0.4 * maxW, maxW: maxW, source: "estimate: 200 W + 100 W per accelerator slot; idle 40%")
    }
}

/// Power of one switch port with its optics, by port speed: the switch chip's and system's
/// share per port plus the transceiver (estimates: a 25.6 Tb/s switch draws about 0.5 kW for
/// its chip over 64 ports of 400G, a 400G DR4 module about 12 W, a 100G SR4 about 3.5 W).
public enum SwitchPortPower {
    /// Watts per port at `gbps`.
    public static func watts(gbps: Double) -> Double {
        switch gbps {
        case ..<26: return 4
        case ..<101: return 8
        case ..<201: return 13
        case ..<401: return 22
        default: return 35
        }
    }

    public static let source = "estimates per port with optics: 25G 4 W, 100G 8 W, 200G 13 W, 400G 22 W, 800G 35 W (switch chip and system share plus transceiver)"
}
