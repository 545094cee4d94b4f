import Foundation
import Testing
@testable import Production

/// The devices added for a market beyond GPUs: two domestic AI chips and two general-purpose
/// CPUs, against their datasheets; and the guide's claim that AI accelerators train deep
/// networks 10-100x faster than general-purpose processors, checked on the work model.
@Suite struct DeviceCatalogTests {
    static func device(_ name: String) throws -> AcceleratorModel { try #require(AcceleratorCatalog.builtIn(named: name), "\(name) missing") }

    /// Cambricon MLU370-X8 and Kunlunxin R200 as their product pages give them.
    @Test func domesticAcceleratorsMatchTheirDatasheets() throws {
        let mlu = try Self.device("MLU370-X8")
        #expect(mlu.kind == .npu && mlu.peakFlopsPerS(.fp32) == 24e12 && mlu.peakFlopsPerS(.fp16) == 96e12 && mlu.peakFlopsPerS(.int8) == 256e12)
        #expect(mlu.memoryBytes == 48e9 && mlu.memoryBandwidthBytesPerS == 614.4e9 && mlu.maxPowerW == 250)
        let r200 = try Self.device("Kunlunxin-R200")
        #expect(r200.kind == .asic && r200.peakFlopsPerS(.fp32) == 32e12 && r200.peakFlopsPerS(.fp16) == 128e12 && r200.peakFlopsPerS(.int8) == 256e12)
        #expect(r200.memoryBytes == 32e9 && r200.memoryBandwidthBytesPerS == 512e9 && r200.maxPowerW == 150)
        for d in [mlu, r200] { #expect(d.source.contains("product page") && d.idlePowerW < d.maxPowerW) }
    }

    /// Xeon Platinum 8280: 28 cores × 2.1 GHz × 64 FP32 FLOP/cycle (two AVX-512 FMA units) =
    /// 3.763 TF, 205 W, six channels of DDR4-2933 (140.8 GB/s); Kunpeng 920-6426: 64 cores ×
    /// 2.6 GHz × 16 = 2.662 TF, 180 W, eight channels (187.7 GB/s).
    @Test func cpusMatchTheirDatasheets() throws {
        let xeon = try Self.device("Xeon-8280"), kunpeng = try Self.device("Kunpeng-920")
        #expect(xeon.kind == .cpu && kunpeng.kind == .cpu)
        #expect(abs(xeon.peakFlopsPerS(.fp32) - 3.7632e12) < 1e6 && xeon.maxPowerW == 205 && xeon.memoryBandwidthBytesPerS == 140.8e9)
        #expect(abs(kunpeng.peakFlopsPerS(.fp32) - 2.6624e12) < 1e6 && kunpeng.maxPowerW == 180 && kunpeng.memoryBandwidthBytesPerS == 187.7e9)
        #expect(ServerCatalog.builtIn(named: "cpu-2s-xeon-8280")?.accelerator == "Xeon-8280")
        #expect(ServerCatalog.builtIn(named: "cpu-2s-kunpeng-920")?.accelerator == "Kunpeng-920")
        #expect(ServerCatalog.builtIn(named: "mlu370-x8-8")?.accelerator == "MLU370-X8")
        #expect(ServerCatalog.builtIn(named: "kunlun-r200-8")?.accelerator == "Kunlunxin-R200")
    }

    /// ResNet-50 on ImageNet (25.6 M parameters, 3 × 8.2 GFLOP a sample, 1.28 M images, 90
    /// epochs) on one device, priced by the work model: each accelerator of the guide's time
    /// against a CPU of the same years falls in the guide's 10-100x. Pairs (speed-ups in the
    /// comment are the model's): V100 / Xeon 8280 (33x), T4 / Xeon 8280 (17x), A100 / Xeon 8280
    /// (83x), MLU370-X8 / Kunpeng 920 (15x), Kunlunxin R200 / Kunpeng 920 (20x), Ascend 910B /
    /// Kunpeng 920 (51x). Hopper is past the range (H100 / Xeon 8280: 263x), as a 2023 chip
    /// against a 2019 CPU may be.
    @Test func acceleratorsTrainTenToAHundredTimesFasterThanCPUs() throws {
        let server = try #require(ServerCatalog.builtIn(named: "generic-8"))
        let work = TrainingWork(family: .cnn, parameters: 25.6e6, flopsPerSample: 3 * 8.2e9, samplesPerEpoch: 1.28e6, epochs: 90,
                                globalBatch: 256, parallelism: Parallelism(data: 1), precision: .bf16)
        func seconds(_ name: String) throws -> Double { work.duration(on: try Self.device(name), server: server, io: IdealIO()).totalSeconds }
        let pairs = [("V100", "Xeon-8280"), ("T4", "Xeon-8280"), ("A100-80GB", "Xeon-8280"), ("MLU370-X8", "Kunpeng-920"),
                     ("Kunlunxin-R200", "Kunpeng-920"), ("Ascend-910B", "Kunpeng-920")]
        for (accelerator, cpu) in pairs {
            let speedUp = try seconds(cpu) / seconds(accelerator)
            #expect(speedUp >= 10 && speedUp <= 100, "\(accelerator) against \(cpu): \(speedUp)x")
        }
        #expect(try seconds("Xeon-8280") / seconds("H100-SXM") > 100)
    }
}
