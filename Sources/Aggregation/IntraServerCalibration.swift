import Production

/// What a ring reaches inside a server, by the kind of its intra-server fabric: the fraction
/// of the listed per-accelerator bandwidth that is one direction, the achieved fraction of it
/// (each kind calibrated on its own measurement), and what a step crosses (for latencies).
///
/// | kind | listed figure | one way | achieved | calibrated on |
/// |---|---|---:|---:|---|
/// | `nvswitch` | NVIDIA's bidirectional NVLink per GPU | ½ | 0.824 | 8 × H100: 370.8 of 450 GB/s (SimAI, NSDI'25) |
/// | `nvlink` (hybrid cube mesh) | bidirectional NVLink per GPU | ½ | 0.824 | as NVSwitch (not calibrated) |
/// | `nvlinkBridge` pairs | bidirectional bridge per GPU | ½ | 0.693 | 2 × A100 PCIe on a bridge: 208 of 300 GB/s |
/// | `pcie` | PCIe x16 one way | 1 | 0.625 | 3 × A100 PCIe across both CPUs: 20 of 32 GB/s |
/// | `oam` (xGMI mesh) | sum of the 7 links one way | 1 | 0.75 | AMD: ~48 of 64 GB/s usable per xGMI link |
/// | `hccs` (mesh) | sum of the 7 links one way | 1 | 0.75 | as xGMI (not calibrated) |
///
/// The two A100 PCIe figures are one measurement set (NVIDIA/nccl-tests issue 178): a ring
/// over a bridged pair runs on the bridge; a ring over more accelerators of a bridged server
/// leaves the pair over PCIe (32 GB/s, Gen4 x16, one way), and goes at PCIe's pace.
public enum IntraServerCalibration {
    /// Achieved fraction of the one-way bandwidth a ring reaches on `kind`.
    public static func ringEfficiency(_ kind: IntraServerFabric) -> Double {
        switch kind {
        case .nvswitch, .nvlink: return 0.824   // 370.8 / 450
        case .nvlinkBridge: return 208.0 / 300
        case .pcie: return 20.0 / 32
        case .oam, .hccs: return 48.0 / 64
        }
    }

    /// The one-way share of the listed per-accelerator figure (NVIDIA lists NVLink both ways).
    public static func oneWayShare(_ kind: IntraServerFabric) -> Double {
        switch kind {
        case .nvswitch, .nvlink, .nvlinkBridge: return 0.5
        case .pcie, .oam, .hccs: return 1
        }
    }

    /// The PCIe link a bridged accelerator reaches the rest of its server over (Gen4 x16, one way).
    public static let bridgedHostLinkBytesPerS = 32e9

    /// What a step between accelerators of the server crosses (on a bridged server: between
    /// two that are not bridge partners).
    public static func hop(_ kind: IntraServerFabric) -> CollectiveHop {
        switch kind {
        case .pcie, .nvlinkBridge: return .pcie
        case .nvswitch, .nvlink, .oam, .hccs: return .nvlink
        }
    }

    /// Ring bandwidth per accelerator (bytes/s, one direction) on `kind` with `listedBytesPerS`
    /// listed, at `efficiency` (default: the kind's), and the bandwidth between bridge partners
    /// (0 without bridges; on a bridged server `efficiency` applies to the bridge, and the ring
    /// beyond a pair goes at the PCIe calibration).
    public static func ring(_ kind: IntraServerFabric, listedBytesPerS: Double, efficiency: Double? = nil)
        -> (ringBytesPerS: Double, pairBytesPerS: Double) {
        let eta = efficiency ?? ringEfficiency(kind)
        let link = listedBytesPerS * oneWayShare(kind) * eta
        guard kind == .nvlinkBridge else { return (link, 0) }
        return (bridgedHostLinkBytesPerS * ringEfficiency(.pcie), link)
    }
}
