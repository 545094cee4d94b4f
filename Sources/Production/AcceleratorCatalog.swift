private let tera = 1e12, giga = 1e9, gib = 1_073_741_824.0

/// The accelerators ICCSim ships with. Peak figures are dense (no 2:4 sparsity), as the vendors'
/// datasheets give them; memory bandwidth and interconnect per device. Maximum power is the
/// board's TDP/TBP; idle power is a typical reading of an idle board (`nvidia-smi`, `rocm-smi`,
/// `npu-smi`) and is an estimate, marked as such in `source`. A scenario can override any entry
/// or add its own (`catalog.accelerators`).
public enum AcceleratorCatalog {
    /// Every built-in accelerator, in documentation order.
    public static let builtIn: [AcceleratorModel] = [
        AcceleratorModel(
            name: "V100", kind: .gpu,
            peakFlopsPerS: [.fp32: 15.7 * tera, .fp16: 125 * tera, .int8: 62 * tera],
            memoryBytes: 32 * gib, memoryBandwidthBytesPerS: 900 * giga,
            interconnect: "NVLink2", interconnectBandwidthBytesPerS: 300 * giga, idlePowerW: 40, maxPowerW: 300,
            source: "NVIDIA Tesla V100 datasheet (July 2017): 15.7 TF FP32, 125 TF tensor; 900 GB/s; NVLink 300 GB/s; 300 W. Idle ~40 W (typical, estimate)."),
        AcceleratorModel(
            name: "A100-40GB", kind: .gpu,
            peakFlopsPerS: [.fp32: 19.5 * tera, .tf32: 156 * tera, .fp16: 312 * tera, .bf16: 312 * tera, .int8: 624 * tera],
            memoryBytes: 40 * gib, memoryBandwidthBytesPerS: 1_555 * giga,
            interconnect: "NVLink3", interconnectBandwidthBytesPerS: 600 * giga, idlePowerW: 50, maxPowerW: 400,
            source: "NVIDIA A100 Tensor Core GPU datasheet (2021): 19.5 TF FP32, 156 TF TF32, 312 TF FP16/BF16, 624 TOPS INT8 (dense); 1,555 GB/s; NVLink 600 GB/s; 400 W. Idle ~50 W (typical, estimate)."),
        AcceleratorModel(
            name: "A100-80GB", kind: .gpu,
            peakFlopsPerS: [.fp32: 19.5 * tera, .tf32: 156 * tera, .fp16: 312 * tera, .bf16: 312 * tera, .int8: 624 * tera],
            memoryBytes: 80 * gib, memoryBandwidthBytesPerS: 2_039 * giga,
            interconnect: "NVLink3", interconnectBandwidthBytesPerS: 600 * giga, idlePowerW: 55, maxPowerW: 400,
            source: "NVIDIA A100 Tensor Core GPU datasheet (2021): as A100 40GB with 80 GB HBM2e at 2,039 GB/s; 400 W. Idle ~55 W (typical, estimate)."),
        AcceleratorModel(
            name: "H100-SXM", kind: .gpu,
            peakFlopsPerS: [.fp32: 67 * tera, .tf32: 494.7 * tera, .fp16: 989.4 * tera, .bf16: 989.4 * tera,
                            .fp8: 1_978.9 * tera, .int8: 1_978.9 * tera],
            memoryBytes: 80 * gib, memoryBandwidthBytesPerS: 3_350 * giga,
            interconnect: "NVLink4", interconnectBandwidthBytesPerS: 900 * giga, idlePowerW: 70, maxPowerW: 700,
            source: "NVIDIA H100 Tensor Core GPU datasheet (2023), SXM5: 67 TF FP32, 989 TF BF16, 1,979 TF FP8 (dense = half the sparse figures); 3.35 TB/s; NVLink 900 GB/s; 700 W. Idle ~70 W (typical, estimate)."),
        AcceleratorModel(
            name: "H100-PCIe", kind: .gpu,
            peakFlopsPerS: [.fp32: 51 * tera, .tf32: 378 * tera, .fp16: 756 * tera, .bf16: 756 * tera,
                            .fp8: 1_513 * tera, .int8: 1_513 * tera],
            memoryBytes: 80 * gib, memoryBandwidthBytesPerS: 2_000 * giga,
            interconnect: "PCIe5", interconnectBandwidthBytesPerS: 64 * giga, idlePowerW: 45, maxPowerW: 350,
            source: "NVIDIA H100 Tensor Core GPU datasheet (2023), PCIe: 51 TF FP32, 756 TF BF16, 1,513 TF FP8 (dense); 2 TB/s; PCIe Gen5 64 GB/s per direction; 350 W. Idle ~45 W (typical, estimate)."),
        AcceleratorModel(
            name: "H200", kind: .gpu,
            peakFlopsPerS: [.fp32: 67 * tera, .tf32: 494.7 * tera, .fp16: 989.4 * tera, .bf16: 989.4 * tera,
                            .fp8: 1_978.9 * tera, .int8: 1_978.9 * tera],
            memoryBytes: 141 * giga, memoryBandwidthBytesPerS: 4_800 * giga,
            interconnect: "NVLink4", interconnectBandwidthBytesPerS: 900 * giga, idlePowerW: 75, maxPowerW: 700,
            source: "NVIDIA H200 Tensor Core GPU datasheet (2024): H100 compute, 141 GB HBM3e at 4.8 TB/s; NVLink 900 GB/s; 700 W. Idle ~75 W (typical, estimate)."),
        AcceleratorModel(
            name: "B200", kind: .gpu,
            peakFlopsPerS: [.fp32: 75 * tera, .tf32: 1_100 * tera, .fp16: 2_250 * tera, .bf16: 2_250 * tera,
                            .fp8: 4_500 * tera, .int8: 4_500 * tera],
            memoryBytes: 180 * giga, memoryBandwidthBytesPerS: 7_700 * giga,
            interconnect: "NVLink5", interconnectBandwidthBytesPerS: 1_800 * giga, idlePowerW: 120, maxPowerW: 1_000,
            source: "NVIDIA HGX B200 datasheet (2024), per GPU: 2.25 PF BF16, 4.5 PF FP8 dense (half the sparse figures), 75 TF FP32; 180 GB HBM3e at 7.7 TB/s; NVLink5 1.8 TB/s; 1,000 W. Idle ~120 W (estimate)."),
        AcceleratorModel(
            name: "MI300X", kind: .gpu,
            peakFlopsPerS: [.fp32: 163.4 * tera, .tf32: 653.7 * tera, .fp16: 1_307.4 * tera, .bf16: 1_307.4 * tera,
                            .fp8: 2_614.9 * tera, .int8: 2_614.9 * tera],
            memoryBytes: 192 * giga, memoryBandwidthBytesPerS: 5_300 * giga,
            interconnect: "InfinityFabric-OAM", interconnectBandwidthBytesPerS: 448 * giga, idlePowerW: 90, maxPowerW: 750,
            source: "AMD Instinct MI300X datasheet (2023), OAM: 163.4 TF FP32 matrix, 1,307.4 TF FP16/BF16, 2,614.9 TF FP8 (dense); 192 GB HBM3 at 5.3 TB/s; 7 Infinity Fabric links x 64 GB/s per direction; 750 W. Idle ~90 W (estimate)."),
        AcceleratorModel(
            name: "Ascend-910B", kind: .npu,
            peakFlopsPerS: [.fp16: 320 * tera, .bf16: 320 * tera, .int8: 640 * tera],
            memoryBytes: 64 * giga, memoryBandwidthBytesPerS: 1_600 * giga,
            interconnect: "HCCS", interconnectBandwidthBytesPerS: 392 * giga, idlePowerW: 60, maxPowerW: 400,
            source: "Huawei Ascend 910B: 280-400 TF FP16 by variant (REFERENCES.md section 3), 320 TF the commonly cited 910B figure; 64 GB HBM2e at 1.6 TB/s; HCCS 7 x 56 GB/s; 400 W. Idle ~60 W (estimate)."),
        AcceleratorModel(
            name: "T4", kind: .gpu,
            peakFlopsPerS: [.fp32: 8.1 * tera, .fp16: 65 * tera, .int8: 130 * tera],
            memoryBytes: 16 * gib, memoryBandwidthBytesPerS: 320 * giga,
            interconnect: "PCIe3", interconnectBandwidthBytesPerS: 16 * giga, idlePowerW: 10, maxPowerW: 70,
            source: "NVIDIA T4 datasheet (2019): 8.1 TF FP32, 65 TF FP16, 130 TOPS INT8; 16 GB GDDR6 at 320 GB/s; PCIe Gen3 x16; 70 W. Idle ~10 W (typical, estimate)."),
        AcceleratorModel(
            name: "A10", kind: .gpu,
            peakFlopsPerS: [.fp32: 31.2 * tera, .tf32: 62.5 * tera, .fp16: 125 * tera, .bf16: 125 * tera, .int8: 250 * tera],
            memoryBytes: 24 * gib, memoryBandwidthBytesPerS: 600 * giga,
            interconnect: "PCIe4", interconnectBandwidthBytesPerS: 32 * giga, idlePowerW: 20, maxPowerW: 150,
            source: "NVIDIA A10 datasheet (2021): 31.2 TF FP32, 62.5 TF TF32, 125 TF FP16/BF16, 250 TOPS INT8 (dense); 24 GB GDDR6 at 600 GB/s; PCIe Gen4 x16; 150 W. Idle ~20 W (typical, estimate)."),
        AcceleratorModel(
            name: "L4", kind: .gpu,
            peakFlopsPerS: [.fp32: 30.3 * tera, .tf32: 60 * tera, .fp16: 121 * tera, .bf16: 121 * tera,
                            .fp8: 242.5 * tera, .int8: 242.5 * tera],
            memoryBytes: 24 * gib, memoryBandwidthBytesPerS: 300 * giga,
            interconnect: "PCIe4", interconnectBandwidthBytesPerS: 32 * giga, idlePowerW: 16, maxPowerW: 72,
            source: "NVIDIA L4 datasheet (2023): 30.3 TF FP32, 121 TF FP16/BF16, 242.5 TF FP8/INT8 (dense = half the sparse figures); 24 GB GDDR6 at 300 GB/s; PCIe Gen4 x16; 72 W. Idle ~16 W (typical, estimate)."),
        AcceleratorModel(
            name: "Alveo-U250", kind: .fpga,
            peakFlopsPerS: [.int8: 33.3 * tera],
            memoryBytes: 64 * gib, memoryBandwidthBytesPerS: 77 * giga,
            interconnect: "PCIe3", interconnectBandwidthBytesPerS: 16 * giga, idlePowerW: 30, maxPowerW: 225,
            source: "AMD-Xilinx Alveo U250 data sheet (DS962): 33.3 TOPS INT8 peak; 64 GB DDR4 at 77 GB/s; PCIe Gen3 x16; 225 W max. Idle ~30 W (estimate)."),
        AcceleratorModel(
            name: "Atlas-300I-Pro", kind: .npu,
            peakFlopsPerS: [.fp16: 70 * tera, .int8: 140 * tera],
            memoryBytes: 24 * giga, memoryBandwidthBytesPerS: 204.8 * giga,
            interconnect: "PCIe4", interconnectBandwidthBytesPerS: 32 * giga, idlePowerW: 12, maxPowerW: 72,
            source: "Huawei Atlas 300I Pro inference card (Ascend 310P) datasheet: 140 TOPS INT8, 70 TF FP16; 24 GB LPDDR4X at 204.8 GB/s; PCIe Gen4 x16; 72 W. Idle ~12 W (estimate)."),
        AcceleratorModel(
            name: "MLU370-X8", kind: .npu,
            peakFlopsPerS: [.fp32: 24 * tera, .fp16: 96 * tera, .bf16: 96 * tera, .int8: 256 * tera],
            memoryBytes: 48 * giga, memoryBandwidthBytesPerS: 614.4 * giga,
            interconnect: "MLU-Link", interconnectBandwidthBytesPerS: 200 * giga, idlePowerW: 40, maxPowerW: 250,
            source: "Cambricon MLU370-X8 training card product page (2021): 24 TF FP32, 96 TF FP16/BF16, 256 TOPS INT8; 48 GB LPDDR5 at 614.4 GB/s; MLU-Link 200 GB/s; PCIe Gen4 x16; 250 W. Idle ~40 W (estimate)."),
        AcceleratorModel(
            name: "Kunlunxin-R200", kind: .asic,
            peakFlopsPerS: [.fp32: 32 * tera, .fp16: 128 * tera, .int8: 256 * tera],
            memoryBytes: 32 * giga, memoryBandwidthBytesPerS: 512 * giga,
            interconnect: "PCIe4", interconnectBandwidthBytesPerS: 32 * giga, idlePowerW: 25, maxPowerW: 150,
            source: "Kunlunxin (Baidu Kunlun 2nd generation) R200 inference card product page (2021): 32 TF FP32, 128 TF FP16, 256 TOPS INT8; 32 GB GDDR6 at 512 GB/s; PCIe Gen4 x16; 150 W. Idle ~25 W (estimate)."),
        AcceleratorModel(
            name: "Xeon-8280", kind: .cpu,
            peakFlopsPerS: [.fp32: 28 * 2.1 * giga * 64, .int8: 28 * 2.1 * giga * 256],
            memoryBytes: 768 * gib, memoryBandwidthBytesPerS: 140.8 * giga,
            interconnect: "UPI", interconnectBandwidthBytesPerS: 62.4 * giga, idlePowerW: 50, maxPowerW: 205,
            source: "Intel Xeon Platinum 8280 (Cascade Lake, 2019), Intel ARK: 28 cores, 205 W, 6 channels of DDR4-2933 (140.8 GB/s); peak derived: 28 cores x 2.1 GHz (all-core AVX-512 clock, estimate) x 64 FP32 FLOP/cycle (two AVX-512 FMA units) = 3.76 TF FP32, 4x that in INT8 with VNNI. Idle ~50 W (estimate)."),
        AcceleratorModel(
            name: "Kunpeng-920", kind: .cpu,
            peakFlopsPerS: [.fp32: 64 * 2.6 * giga * 16, .fp16: 64 * 2.6 * giga * 32],
            memoryBytes: 512 * gib, memoryBandwidthBytesPerS: 187.7 * giga,
            interconnect: "Hydra", interconnectBandwidthBytesPerS: 30 * giga, idlePowerW: 40, maxPowerW: 180,
            source: "Huawei Kunpeng 920-6426 (2019), Huawei product page: 64 cores at 2.6 GHz, 180 W, 8 channels of DDR4-2933 (187.7 GB/s); peak derived: 64 cores x 2.6 GHz x 16 FP32 FLOP/cycle (two 128-bit NEON FMA pipes) = 2.66 TF FP32, twice that in FP16. Idle ~40 W (estimate)."),
    ]

    /// The built-in accelerator called `name` (exact catalog name), or nil.
    public static func builtIn(named name: String) -> AcceleratorModel? { builtIn.first { $0.name == name } }
}
