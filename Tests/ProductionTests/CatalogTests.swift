import Testing
@testable import Production

/// Every catalog device against its published figures. Peak dense FP16/BF16 and HBM bandwidth
/// for V100, A100, H100, H200, B200, MI300X and Ascend 910B are the ones REFERENCES.md §3
/// quotes (torchtitan's peak-FLOPs table and vendor datasheets); the others are the vendors'
/// datasheets, cited in each entry's `source`. Tolerance: 0.5% (datasheets round).
@Suite struct CatalogTests {
    struct Published: Sendable {
        let name: String
        let kind: AcceleratorKind
        let fp16TFlops: Double
        let memoryBandwidthTBps: Double
        let memoryGB: Double
        let maxPowerW: Double
    }

    static let published: [Published] = [
        Published(name: "V100", kind: .gpu, fp16TFlops: 125, memoryBandwidthTBps: 0.9, memoryGB: 34.4, maxPowerW: 300),
        Published(name: "A100-40GB", kind: .gpu, fp16TFlops: 312, memoryBandwidthTBps: 1.555, memoryGB: 42.9, maxPowerW: 400),
        Published(name: "A100-80GB", kind: .gpu, fp16TFlops: 312, memoryBandwidthTBps: 2.039, memoryGB: 85.9, maxPowerW: 400),
        Published(name: "H100-SXM", kind: .gpu, fp16TFlops: 989, memoryBandwidthTBps: 3.35, memoryGB: 85.9, maxPowerW: 700),
        Published(name: "H100-PCIe", kind: .gpu, fp16TFlops: 756, memoryBandwidthTBps: 2.0, memoryGB: 85.9, maxPowerW: 350),
        Published(name: "H200", kind: .gpu, fp16TFlops: 989, memoryBandwidthTBps: 4.8, memoryGB: 141, maxPowerW: 700),
        Published(name: "B200", kind: .gpu, fp16TFlops: 2_250, memoryBandwidthTBps: 7.7, memoryGB: 180, maxPowerW: 1_000),
        Published(name: "MI300X", kind: .gpu, fp16TFlops: 1_307, memoryBandwidthTBps: 5.3, memoryGB: 192, maxPowerW: 750),
        Published(name: "Ascend-910B", kind: .npu, fp16TFlops: 320, memoryBandwidthTBps: 1.6, memoryGB: 64, maxPowerW: 400),
        Published(name: "T4", kind: .gpu, fp16TFlops: 65, memoryBandwidthTBps: 0.32, memoryGB: 17.2, maxPowerW: 70),
        Published(name: "A10", kind: .gpu, fp16TFlops: 125, memoryBandwidthTBps: 0.6, memoryGB: 25.8, maxPowerW: 150),
        Published(name: "L4", kind: .gpu, fp16TFlops: 121, memoryBandwidthTBps: 0.3, memoryGB: 25.8, maxPowerW: 72),
        Published(name: "Atlas-300I-Pro", kind: .npu, fp16TFlops: 70, memoryBandwidthTBps: 0.2048, memoryGB: 24, maxPowerW: 72),
    ]

    @Test(arguments: published.map(\.name))
    func deviceMatchesItsDatasheet(_ name: String) throws {
        let want = try #require(Self.published.first { $0.name == name })
        let d = try #require(AcceleratorCatalog.builtIn(named: name), "\(name) missing from the catalog")
        #expect(d.kind == want.kind)
        #expect(abs(d.peakFlopsPerS(.fp16) / 1e12 / want.fp16TFlops - 1) < 0.005, "\(name) FP16 \(d.peakFlopsPerS(.fp16))")
        #expect(abs(d.memoryBandwidthBytesPerS / 1e12 / want.memoryBandwidthTBps - 1) < 0.005)
        #expect(abs(d.memoryBytes / 1e9 / want.memoryGB - 1) < 0.005, "\(name) memory \(d.memoryBytes / 1e9) GB")
        #expect(d.maxPowerW == want.maxPowerW)
        #expect(d.idlePowerW > 0 && d.idlePowerW < d.maxPowerW)
        #expect(!d.source.isEmpty)
    }

    @Test func fpgaPeaksAtInt8Only() throws {
        let u250 = try #require(AcceleratorCatalog.builtIn(named: "Alveo-U250"))
        #expect(u250.kind == .fpga)
        #expect(abs(u250.peakFlopsPerS(.int8) - 33.3e12) < 1e3)
        #expect(u250.peakFlopsPerS(.fp16) == 0)
        #expect(u250.effectivePrecision(.fp16) == .int8)
    }

    /// Lower precision is never slower, and each device lists at least one precision.
    @Test func precisionsAreOrderedOnEveryDevice() {
        let names = Set(AcceleratorCatalog.builtIn.map(\.name))
        #expect(names.count == AcceleratorCatalog.builtIn.count, "duplicate catalog names")
        for d in AcceleratorCatalog.builtIn {
            #expect(d.peakFlopsPerS.contains { $0 > 0 }, "\(d.name) has no precision")
            let fp32 = d.peakFlopsPerS(.fp32), fp16 = d.peakFlopsPerS(.fp16), fp8 = d.peakFlopsPerS(.fp8)
            if fp32 > 0 && fp16 > 0 { #expect(fp16 >= fp32, "\(d.name)") }
            if fp8 > 0 && fp16 > 0 { #expect(fp8 >= fp16, "\(d.name)") }
        }
    }

    /// H100 SXM: FP8 dense is twice BF16 dense, TF32 half (datasheet: 1,979 / 989 / 495 TF).
    @Test func h100PrecisionLadder() throws {
        let h = try #require(AcceleratorCatalog.builtIn(named: "H100-SXM"))
        #expect(abs(h.peakFlopsPerS(.fp8) / h.peakFlopsPerS(.bf16) - 2) < 0.001)
        #expect(abs(h.peakFlopsPerS(.tf32) / h.peakFlopsPerS(.bf16) - 0.5) < 0.001)
        // NVLink aggregate per GPU (REFERENCES.md §3): V100 300, A100 600, H100 900 GB/s.
        #expect(h.interconnectBandwidthBytesPerS == 900e9)
        #expect(AcceleratorCatalog.builtIn(named: "A100-80GB")?.interconnectBandwidthBytesPerS == 600e9)
        #expect(AcceleratorCatalog.builtIn(named: "V100")?.interconnectBandwidthBytesPerS == 300e9)
    }

    @Test func everyServerPresetUsesACatalogDevice() {
        for s in ServerCatalog.builtIn {
            #expect(AcceleratorCatalog.builtIn(named: s.accelerator) != nil, "\(s.name) uses unknown \(s.accelerator)")
            #expect(s.acceleratorsPerServer > 0 && s.nicCount > 0)
        }
        // DGX H100: 8 x 400 Gb/s = 400 GB/s out of the server.
        #expect(ServerCatalog.builtIn(named: "hgx-h100-8")?.networkBandwidthBytesPerS == 400e9)
    }
}
