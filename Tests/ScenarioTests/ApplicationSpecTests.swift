import Production
import Testing
@testable import Scenario

/// A minimal application scenario; tests replace one piece of it.
let appScenario = """
horizon: 2d
catalog:
  accelerators:
    - {name: H800, base: H100-SXM, interconnectBandwidth: 400GB/s, source: "NVIDIA H800: H100 with 400 GB/s NVLink"}
cluster:
  servers:
    - {name: train, preset: hgx-h100-8, count: 4, accelerator: H800}
    - {name: serve, preset: pcie-l4-8, count: 1}
workload:
  applications:
    - name: app
      cycle: {diurnal: office, weekly: weekdays}
      tenants:
        - {name: gov, type: government, share: 2}
        - {name: firm, type: enterprise}
      models:
        - {name: llm, family: llm, parameters: 7B}
        - {name: cnn, family: cnn, parameters: 25M, trainFlopsPerSample: 24.6GFLOP}
      jobs:
        - {kind: fine_tuning, model: llm, perDay: 24, accelerators: 8, samples: {dist: lognormal, median: 10M, sigma: 1}}
        - {kind: data_processing, perDay: 48, accelerators: 1, bytes: 100GB}
      services:
        - {name: chat, model: llm, requestsPerSecond: 2, tokensPerRequest: 200, latencyTarget: 10s}
"""

@Suite struct ApplicationSpecTests {
    @Test func applicationDecodesWithDefaultsAndUnits() throws {
        let s = try ScenarioLoader.load(text: appScenario, file: "a.yaml", defaultName: "a").scenario
        let app = s.workload.applications[0]
        #expect(app.scale == 1 && app.tenants[1].share == 1)
        #expect(app.models[0].parameters.baseUnits == 7_000_000_000)
        #expect(app.models[0].trainFlopsPerSample.baseUnits == 42_000_000_000)   // 6 x N per token
        #expect(app.models[0].batch.baseUnits == 4_000_000)
        #expect(app.cycle.diurnal.count == 24 && app.cycle.weekly[5] < app.cycle.weekly[0])
        #expect(s.cluster.poolNames == ["training", "inference"])
        // The catalog override keeps H100 compute and replaces the NVLink bandwidth.
        let h800 = try #require(s.catalog.resolved.first { $0.name == "H800" })
        #expect(h800.peakFlopsPerS(.bf16) == AcceleratorCatalog.builtIn(named: "H100-SXM")!.peakFlopsPerS(.bf16).rounded(.down))
        #expect(h800.interconnectBandwidthBytesPerS == 400e9)
    }

    @Test func resolvedYAMLRoundTrips() throws {
        let a = try ScenarioLoader.load(text: appScenario, file: "a.yaml", defaultName: "a")
        let b = try ScenarioLoader.load(text: a.resolvedYAML, file: "b.yaml", defaultName: "a")
        #expect(a.scenario == b.scenario)
        #expect(a.resolvedYAML == b.resolvedYAML)
    }

    @Test(arguments: [
        ("model: llm, perDay: 24", "model: lm, perDay: 24", "a.yaml:20:38: unknown model 'lm' in application 'app' (did you mean 'llm'?); it defines llm, cnn"),
        ("type: government", "type: goverment", "a.yaml:14:29: unknown value 'goverment' for workload.applications[0].tenants[0].type (did you mean 'government'?); expected one of government, enterprise, research, startup"),
        ("weekly: weekdays", "weekly: [1, 2]", "a.yaml:12:40: workload.applications[0].cycle.weekly needs 7 numbers, found 2"),
        ("diurnal: office", "diurnal: ofice", "a.yaml:12:24: unknown diurnal preset 'ofice' (did you mean 'office'?); expected one of flat, office, evening, shifts or a list of 24 numbers"),
        ("{name: cnn, family: cnn, parameters: 25M, trainFlopsPerSample: 24.6GFLOP}", "{name: cnn, family: cnn, parameters: 25M}",
         "a.yaml:18:11: model 'cnn' (family cnn) needs 'trainFlopsPerSample' (only llm models default to 6 x parameters per token)"),
        ("accelerators: 1, bytes: 100GB", "accelerators: 1", "a.yaml:21:11: a 'data_processing' job needs 'bytes'"),
        ("count: 4, accelerator: H800", "count: 4, accelerator: H80", "a.yaml:7:64: unknown accelerator 'H80' (did you mean 'H800'?); the catalog has V100, A100-40GB, A100-80GB, H100-SXM, H100-PCIe, H200, B200, MI300X, Ascend-910B, T4, A10, L4, Alveo-U250, Atlas-300I-Pro, MLU370-X8, Kunlunxin-R200, Xeon-8280, Kunpeng-920, H800 (add others under catalog.accelerators)"),
        ("{name: serve, preset: pcie-l4-8, count: 1}", "{name: serve, preset: pcie-l4-8, count: 1, pool: training}",
         "a.yaml:8:56: pool 'training' mixes H800 (group 'train') and L4 (group 'serve'); give the groups different 'pool' names"),
        ("preset: pcie-l4-8", "preset: pcie-l5-8", "a.yaml:8:29: unknown server preset 'pcie-l5-8' (did you mean 'pcie-l4-8'?); expected one of hgx-h100-8, hgx-h200-8, hgx-b200-8, hgx-a100-8, dgx-v100-8, oam-mi300x-8, atlas-800t-a2, pcie-l4-8, pcie-a10-4, pcie-t4-8, atlas-300i-8, fpga-u250-4, mlu370-x8-8, kunlun-r200-8, cpu-2s-xeon-8280, cpu-2s-kunpeng-920, generic-8"),
        ("horizon: 2d", "seed: 2", "a.yaml:10:3: application 'app' generates jobs and services until the horizon: give the scenario a 'horizon'"),
    ])
    func badApplicationInputIsLocated(_ replace: (String, String, String)) throws {
        let text = appScenario.replacingOccurrences(of: replace.0, with: replace.1)
        #expect(text != appScenario, "the test's replacement does not apply")
        let e = loadError(text)
        #expect(e?.description.replacingOccurrences(of: "Scenarios/x.yaml", with: "a.yaml") == replace.2)
    }

    @Test func overridesReachIntoApplications() throws {
        let s = try ScenarioLoader.load(text: appScenario, file: "a.yaml", defaultName: "a",
                                        overrides: ["workload.applications.0.scale=2.5", "workload.applications.0.jobs.1.perDay=10"]).scenario
        #expect(s.workload.applications[0].scale == 2.5)
        #expect(s.workload.applications[0].jobs[1].perDay == 10)
    }
}
