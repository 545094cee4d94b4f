/// What an accelerator is built as (the guide's GPU / FPGA / ASIC / NPU).
public enum AcceleratorKind: String, Sendable, CaseIterable {
    case gpu, fpga, asic, npu
    /// A general-purpose processor socket (the guide's baseline: AI servers are 10-100x faster
    /// at deep learning than CPUs); a "CPU server" holds its sockets as its devices.
    case cpu
}

/// Numeric precision of tensor work; a device's peak throughput depends on it.
public enum Precision: String, Sendable, CaseIterable, Comparable {
    case fp32, tf32, fp16, bf16, fp8, int8

    public static func < (a: Precision, b: Precision) -> Bool { a.index < b.index }

    /// Position in ``Precision/allCases`` (for dense per-precision tables).
    public var index: Int { Precision.allCases.firstIndex(of: self)! }

    /// Bytes per element of a tensor stored in this precision.
    public var bytesPerElement: Double {
        switch self {
        case .fp32, .tf32: return 4
        case .fp16, .bf16: return 2
        case .fp8, .int8: return 1
        }
    }
}

/// An accelerator model as data: peak dense throughput per precision, memory, interconnect,
/// power, and where the figures come from.
public struct AcceleratorModel: Sendable, Equatable {
    /// Catalog name (`H100-SXM`), used in scenarios and traces.
    public var name: String
    public var kind: AcceleratorKind
    /// Peak dense (no structured sparsity) FLOP/s (OP/s for int8) per precision, indexed by
    /// ``Precision/index``; 0 where the device has no such path.
    public var peakFlopsPerS: [Double]
    /// Device memory capacity.
    public var memoryBytes: Double
    /// Device memory bandwidth.
    public var memoryBandwidthBytesPerS: Double
    /// The device's link to its peers inside a server (NVLink, Infinity Fabric, HCCS, PCIe).
    public var interconnect: String
    /// Aggregate bandwidth of that link per device (one direction).
    public var interconnectBandwidthBytesPerS: Double
    public var idlePowerW: Double
    public var maxPowerW: Double
    /// Where the figures come from.
    public var source: String


    /// Whether its NVLink generation reduces inside the NVSwitch (NVLink SHARP: NVLink 4 and
    /// later, on NVSwitch servers), derived from `interconnect`.
    public var reducesInNVSwitch: Bool { interconnect == "NVLink4" || interconnect == "NVLink5" }

    public init(name: String, kind: AcceleratorKind, peakFlopsPerS: [Precision: Double], memoryBytes: Double,
                memoryBandwidthBytesPerS: Double, interconnect: String, interconnectBandwidthBytesPerS: Double,
                idlePowerW: Double, maxPowerW: Double, source: String) {
        self.name = name
        self.kind = kind
        self.peakFlopsPerS = Precision.allCases.map { peakFlopsPerS[$0] ?? 0 }
        self.memoryBytes = memoryBytes
        self.memoryBandwidthBytesPerS = memoryBandwidthBytesPerS
        self.interconnect = interconnect
        self.interconnectBandwidthBytesPerS = interconnectBandwidthBytesPerS
        self.idlePowerW = idlePowerW
        self.maxPowerW = maxPowerW
        self.source = source
    }

    /// Peak dense throughput at `precision`, or 0 if the device cannot run it.
    @inlinable
    public func peakFlopsPerS(_ precision: Precision) -> Double { peakFlopsPerS[precision.index] }

    /// The precision a job asking for `precision` actually runs at here: the same if supported,
    /// else the nearest one the device has (bf16 → fp16 → tf32 → fp32; fp8/int8 → fp16 ...), and on a
    /// device with only narrower paths (an int8 FPGA), the narrowest (the job runs quantised).
    public func effectivePrecision(_ precision: Precision) -> Precision {
        if peakFlopsPerS(precision) > 0 { return precision }
        let fallbacks: [Precision]
        switch precision {
        case .int8: fallbacks = [.fp8, .fp16, .bf16, .tf32, .fp32]
        case .fp8: fallbacks = [.int8, .fp16, .bf16, .tf32, .fp32]
        case .bf16: fallbacks = [.fp16, .tf32, .fp32]
        case .fp16: fallbacks = [.bf16, .tf32, .fp32]
        case .tf32: fallbacks = [.fp32]
        case .fp32: fallbacks = []
        }
        // A device with only narrower paths (an int8 FPGA) runs the job quantised.
        return fallbacks.first { peakFlopsPerS($0) > 0 }
            ?? Precision.allCases.reversed().first { peakFlopsPerS($0) > 0 } ?? precision
    }

    /// Power drawn at a utilisation in [0, 1]: linear between idle and maximum.
    public func powerW(utilization: Double) -> Double {
        idlePowerW + (maxPowerW - idlePowerW) * min(1, max(0, utilization))
    }
}
