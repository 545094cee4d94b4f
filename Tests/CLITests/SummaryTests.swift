import Foundation
import Testing

/// `summary.md` and the printed summary for people: a section for each model that was on,
/// figures named as planners name them, in their units.
@Suite struct SummaryTests {
    func summary(_ scenario: String, _ extra: [String], in tmp: URL) throws -> String {
        let out = tmp.appendingPathComponent(URL(fileURLWithPath: scenario).deletingPathExtension().lastPathComponent)
        let r = try iccsim(["run", scenario, "--out", out.path] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        let md = String(decoding: fileData(out.appendingPathComponent("summary.md")) ?? Data(), as: UTF8.self)
        #expect(r.stdout == md, "the printed summary is summary.md")
        return md
    }

    @Test func aSectionForEachModelThatWasOn() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let fabric = try summary("Scenarios/examples/fabric-contention.yaml", ["--set", "horizon=6h"], in: tmp)
        #expect(fabric.contains("## Network: the shared fabric") && fabric.contains("| all-reduce bus bandwidth, median | 9"), "\(fabric)")
        #expect(fabric.range(of: #"\| exposed communication \| \d+(\.\d+)?% \|"#, options: .regularExpression) != nil, "a share as a percentage")
        #expect(fabric.contains("stopped at the horizon after 6 h simulated") && fabric.contains("Overrides: `horizon=6h`."))
        #expect(!fabric.contains("## Storage") && !fabric.contains("## Serving") && !fabric.contains("## Failures"))
        // The balance the guide asks about: all H100s here, so no non-GPU share and no inference.
        #expect(fabric.contains("Inference is 0% of the accelerator-hours; non-GPU accelerators (NPU, ASIC, FPGA) are 0% of the center's accelerators"))

        let storage = try summary("Scenarios/examples/storage-tiers.yaml", ["--set", "horizon=6h"], in: tmp)
        #expect(storage.contains("## Storage") && storage.contains("| tiers | data moved | reads | bandwidth in use, mean |"), "\(storage)")
        #expect(storage.range(of: #"\| hot \| [\d.]+ [kMGTP]?B \|"#, options: .regularExpression) != nil, "bytes with an SI prefix")
        #expect(!storage.contains("## Network"), "no network section without the shared fabric")

        let serving = try summary("Scenarios/examples/elastic-serving.yaml", ["--set", "horizon=6h"], in: tmp)
        #expect(serving.contains("## Serving (rate level)") && serving.contains("| SLO attainment | ") && serving.contains("## Services"), "\(serving)")
        #expect(serving.contains("| bank-assistant | smart-customer-service | inference-a100 | autoscaled |"))
        #expect(serving.range(of: #"EFLOP|PFLOP"#, options: .regularExpression) != nil && !serving.contains("e+"), "no e-notation for ordinary magnitudes")
        // The inference pools' share of the accelerators and inference's share of the
        // accelerator-hours (the service's replicas), as percentages.
        #expect(serving.range(of: #"Inference pools hold \d+(\.\d+)?% of the accelerators; inference is \d+(\.\d+)?% of the accelerator-hours"#,
                              options: .regularExpression) != nil, "\(serving)")
        // A pool that ran only services' replicas says so instead of showing zero waits.
        #expect(serving.contains("| inference-a100 (no batch jobs) |") && serving.contains("| — | — |"))

        let failures = try summary("Scenarios/examples/failures-and-spares.yaml", ["--set", "horizon=2d"], in: tmp)
        #expect(failures.contains("## Failures") && failures.contains("| hot-spare servers | ") && failures.contains("| failures by part | |"), "\(failures)")
        #expect(failures.range(of: #"\| availability \| \d+(\.\d+)?% \|"#, options: .regularExpression) != nil)
    }
}
