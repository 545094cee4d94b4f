import Production

/// Scenario additions and overrides to the built-in accelerator catalog.
public struct CatalogSpec: Codable, Sendable, Equatable {
    public var accelerators: [AcceleratorSpec]

    enum CodingKeys: String, CodingKey, CaseIterable { case accelerators }

    public init() { accelerators = [] }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        accelerators = try c.decode([AcceleratorSpec].self, forKey: .accelerators, default: [])
        var seen: Set<String> = []
        for (i, a) in accelerators.enumerated() where !seen.insert(a.name).inserted {
            throw try c.superDecoder(forKey: .accelerators, item: i).scenarioError("accelerator '\(a.name)' is defined twice in catalog.accelerators")
        }
    }

    /// The catalog a run uses: the built-in devices with this scenario's entries replacing
    /// those of the same name, then its new devices.
    public var resolved: [AcceleratorModel] {
        var out = AcceleratorCatalog.builtIn
        for a in accelerators {
            if let i = out.firstIndex(where: { $0.name == a.name }) { out[i] = a.model } else { out.append(a.model) }
        }
        return out
    }
}

/// Peak dense throughput per precision.
public struct PeakSpec: Codable, Sendable, Equatable {
    public var fp32, tf32, fp16, bf16, fp8, int8: FlopsQuantity?

    enum CodingKeys: String, CodingKey, CaseIterable { case fp32, tf32, fp16, bf16, fp8, int8 }

    init(_ m: AcceleratorModel) {
        func q(_ p: Precision) -> FlopsQuantity? { m.peakFlopsPerS(p) > 0 ? FlopsQuantity(baseUnits: Int64(m.peakFlopsPerS(p))) : nil }
        fp32 = q(.fp32); tf32 = q(.tf32); fp16 = q(.fp16); bf16 = q(.bf16); fp8 = q(.fp8); int8 = q(.int8)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        fp32 = try c.decodeIfPresent(FlopsQuantity.self, forKey: .fp32)
        tf32 = try c.decodeIfPresent(FlopsQuantity.self, forKey: .tf32)
        fp16 = try c.decodeIfPresent(FlopsQuantity.self, forKey: .fp16)
        bf16 = try c.decodeIfPresent(FlopsQuantity.self, forKey: .bf16)
        fp8 = try c.decodeIfPresent(FlopsQuantity.self, forKey: .fp8)
        int8 = try c.decodeIfPresent(FlopsQuantity.self, forKey: .int8)
        if [fp32, tf32, fp16, bf16, fp8, int8].allSatisfy({ ($0?.baseUnits ?? 0) == 0 }) {
            throw decoder.scenarioError("\(decoder.scenarioPath) must give a positive peak for at least one precision (fp32, tf32, fp16, bf16, fp8, int8)")
        }
    }

    var table: [Precision: Double] {
        var t: [Precision: Double] = [:]
        for (p, q) in [(Precision.fp32, fp32), (.tf32, tf32), (.fp16, fp16), (.bf16, bf16), (.fp8, fp8), (.int8, int8)] {
            if let q { t[p] = Double(q.baseUnits) }
        }
        return t
    }
}

/// One accelerator in `catalog.accelerators`: a new device, or a built-in one (same name, or
/// `base`) with the fields given replaced.
public struct AcceleratorSpec: Codable, Sendable, Equatable {
    public var name: String
    public var kind: AcceleratorKind
    public var peak: PeakSpec
    public var memory: ByteQuantity
    public var memoryBandwidth: BandwidthQuantity
    public var interconnect: String
    public var interconnectBandwidth: BandwidthQuantity
    public var idlePowerW: Double
    public var maxPowerW: Double
    public var source: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, base, kind, peak, memory, memoryBandwidth, interconnect, interconnectBandwidth, idlePowerW, maxPowerW, source
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name) { isPlainName($0) ? nil : "must be a plain name" }
        let baseName = try c.decodeIfPresent(String.self, forKey: .base)
        var base = AcceleratorCatalog.builtIn(named: baseName ?? name)
        if let b = baseName, base == nil {
            let names = AcceleratorCatalog.builtIn.map(\.name)
            let hint = didYouMean(b, among: names)
            throw try c.superDecoder(forKey: .base).scenarioError("unknown built-in accelerator '\(b)'\(hint); expected one of \(names.joined(separator: ", "))")
        }
        if base == nil {
            for key in [CodingKeys.kind, .peak, .memory, .memoryBandwidth, .maxPowerW] where !c.contains(key) {
                throw decoder.scenarioError("new accelerator '\(name)' needs '\(key.stringValue)' (or 'base: <built-in name>' to start from)")
            }
            base = AcceleratorModel(name: name, kind: .gpu, peakFlopsPerS: [:], memoryBytes: 0, memoryBandwidthBytesPerS: 0,
                                    interconnect: "PCIe4", interconnectBandwidthBytesPerS: 32e9, idlePowerW: 0, maxPowerW: 0,
                                    source: "scenario")
        }
        let b = base!
        kind = try c.decode(AcceleratorKind.self, forKey: .kind, default: b.kind)
        peak = try c.decode(PeakSpec.self, forKey: .peak, default: PeakSpec(b))
        memory = try c.decode(ByteQuantity.self, forKey: .memory, default: ByteQuantity(baseUnits: Int64(b.memoryBytes)))
        memoryBandwidth = try c.decode(BandwidthQuantity.self, forKey: .memoryBandwidth,
                                       default: BandwidthQuantity(baseUnits: Int64(b.memoryBandwidthBytesPerS * 8)))
        interconnect = try c.decode(String.self, forKey: .interconnect, default: b.interconnect)
        interconnectBandwidth = try c.decode(BandwidthQuantity.self, forKey: .interconnectBandwidth,
                                             default: BandwidthQuantity(baseUnits: Int64(b.interconnectBandwidthBytesPerS * 8)))
        maxPowerW = try c.decode(Double.self, forKey: .maxPowerW, default: b.maxPowerW) { $0 <= 0 ? "must be positive" : nil }
        idlePowerW = try c.decode(Double.self, forKey: .idlePowerW, default: min(b.idlePowerW, maxPowerW)) { [maxPowerW] in
            $0 < 0 || $0 > maxPowerW ? "must be between 0 and maxPowerW (\(maxPowerW))" : nil
        }
        source = try c.decode(String.self, forKey: .source, default: baseName.map { "scenario, from \($0)" } ?? b.source)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name); try c.encode(kind, forKey: .kind); try c.encode(peak, forKey: .peak)
        try c.encode(memory, forKey: .memory); try c.encode(memoryBandwidth, forKey: .memoryBandwidth)
        try c.encode(interconnect, forKey: .interconnect); try c.encode(interconnectBandwidth, forKey: .interconnectBandwidth)
        try c.encode(idlePowerW, forKey: .idlePowerW); try c.encode(maxPowerW, forKey: .maxPowerW); try c.encode(source, forKey: .source)
    }

    /// The production model's accelerator.
    public var model: AcceleratorModel {
        AcceleratorModel(name: name, kind: kind, peakFlopsPerS: peak.table, memoryBytes: Double(memory.baseUnits),
                         memoryBandwidthBytesPerS: Double(memoryBandwidth.baseUnits) / 8, interconnect: interconnect,
                         interconnectBandwidthBytesPerS: Double(interconnectBandwidth.baseUnits) / 8, idlePowerW: idlePowerW,
                         maxPowerW: maxPowerW, source: source)
    }
}
