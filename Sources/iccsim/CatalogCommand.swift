import Aggregation
import ArgumentParser
import Foundation
import Production
import Scenario

/// `iccsim catalog [SCENARIO]`: the accelerators and server presets a scenario can use, with
/// their figures and sources.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List the accelerator catalog (with a scenario's overrides), the server presets and the failure models.")

    @Argument(help: "A scenario whose catalog.accelerators (and failures) overrides to apply (default: none).")
    var scenario: String?

    @Flag(help: "Also print each entry's source.")
    var sources = false

    func run() throws {
        let loaded = try scenario.map { try ScenarioLoader.load(path: $0).scenario }
        let devices = loaded?.catalog.resolved ?? AcceleratorCatalog.builtIn
        let failures = loaded?.failures?.settings(pools: []).models ?? ReliabilityCatalog.builtIn
        func t(_ v: Double) -> String { v > 0 ? String(format: "%.1f", v / 1e12) : "-" }
        print("| accelerator | kind | FP32 | TF32 | FP16 | BF16 | FP8 | INT8 | memory GB | memory TB/s | interconnect | GB/s | idle W | max W |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|")
        for d in devices {
            let peaks = Precision.allCases.map { t(d.peakFlopsPerS($0)) }.joined(separator: " | ")
            print("| \(d.name) | \(d.kind.rawValue) | \(peaks) | \(String(format: "%.0f", d.memoryBytes / 1e9)) | "
                  + "\(String(format: "%.2f", d.memoryBandwidthBytesPerS / 1e12)) | \(d.interconnect) | "
                  + "\(String(format: "%.0f", d.interconnectBandwidthBytesPerS / 1e9)) | \(Int(d.idlePowerW)) | \(Int(d.maxPowerW)) |")
        }
        print("\nPeak dense TFLOP/s (TOP/s for INT8), no sparsity.\n")
        print("| server preset | accelerator | per server | role | fabric | fabric GB/s | ring GB/s | NICs | CPU cores | memory GiB |")
        print("|---|---|---:|---|---|---:|---:|---|---:|---:|")
        for s in ServerCatalog.builtIn {
            let ring = IntraServerCalibration.ring(s.fabric, listedBytesPerS: s.fabricBandwidthBytesPerS).ringBytesPerS
            print("| \(s.name) | \(s.accelerator) | \(s.acceleratorsPerServer) | \(s.role.rawValue) | \(s.fabric.rawValue) | "
                  + "\(String(format: "%.0f", s.fabricBandwidthBytesPerS / 1e9)) | \(String(format: "%.1f", ring / 1e9)) | "
                  + "\(s.nicCount) x \(Int(s.nicBandwidthBitsPerS / 1e9))G | \(s.cpuCores) | \(Int(s.memoryBytes / 1_073_741_824)) |")
        }
        print("\nring GB/s: what a ring all-reduce reaches per accelerator inside the server, one way, at the fabric kind's calibration "
              + "(docs/aggregation.md, The fabric; io.fabric.intraEfficiency overrides it).")
        print("\n| failure class | per | MTTF h | shape | transient | detect h | reboot h | repair h |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for m in failures {
            print("| \(m.component.rawValue) | \(m.component.unit) | \(String(format: "%.0f", m.mttfHours)) | \(m.weibullShape) | "
                  + "\(m.transientShare) | \(m.detectHours) | \(m.rebootHours) | \(m.repairHours) |")
        }
        print("\nFailure models (the scenario's `failures`, else the built-in ones, calibrated to the Llama 3 report;")
        print("leaf, spine and storage fail only when a scenario names them).")
        print("\n| failure profile (failures.profile) | server failures per 1,000 days | × the Llama 3 rate |")
        print("|---|---:|---:|")
        for p in FailureProfile.builtIn {
            print("| \(p.name) | \(String(format: "%.2f", p.serverFailuresPerDay * 1000)) | \(String(format: "%.3f", p.rateFactor)) |")
        }
        if sources {
            print("\nSources:\n")
            for d in devices { print("- \(d.name): \(d.source)") }
            for s in ServerCatalog.builtIn { print("- \(s.name): \(s.source)") }
            for m in failures { print("- failures of \(m.component.rawValue): \(m.source)") }
            for p in FailureProfile.builtIn { print("- failure profile \(p.name): \(p.source)") }
        }
    }
}
