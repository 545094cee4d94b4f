import Testing
@testable import Scenario

/// The release section and services' serving keys: defaults and errors that name the file,
/// line, key and what was expected.
@Suite struct ReleaseSpecTests {
    @Test func defaults() throws {
        let s = try ScenarioLoader.load(text: validScenario, file: "x.yaml", defaultName: "x").scenario
        #expect(s.release.policy == .deploy && s.release.update == .rolling && s.release.firstVersion == .preloaded)
        #expect(s.release.cadence.baseUnits == 86_400_000_000_000 && s.release.lendingPools.isEmpty)
    }

    @Test func unknownLendingPoolIsNamed() {
        let e = loadError(validScenario + "\nrelease:\n  lendingPools: [gpu]\n")
        #expect(e?.description.contains("release.lendingPools[0]") == true, "\(e?.description ?? "")")
        #expect(e?.description.contains("unknown pool 'gpu'") == true)
    }

    @Test func badReleaseValues() {
        let e = loadError(validScenario + "\nrelease:\n  update: blue-green\n")
        #expect(e?.description.contains("unknown value 'blue-green' for release.update") == true, "\(e?.description ?? "")")
        #expect(e?.description.contains("rolling, canary, recreate") == true)
        let share = loadError(validScenario + "\nrelease:\n  canaryShare: 1.5\n")
        #expect(share?.description.contains("canaryShare") == true && share?.description.contains("(0, 1]") == true, "\(share?.description ?? "")")
        let key = loadError(validScenario + "\nrelease:\n  cadense: 1d\n")
        #expect(key?.description.contains("did you mean 'cadence'") == true, "\(key?.description ?? "")")
    }

    static let service = """
    name: s
    horizon: 1d
    cluster:
      servers:
        - {name: inf, preset: pcie-l4-8, count: 1}
    workload:
      applications:
        - name: app
          tenants: [{name: t, type: enterprise, share: 1}]
          models: [{name: m, family: cnn, parameters: 10M, trainFlopsPerSample: 1GFLOP, sampleBytes: 1KB, batch: 64}]
          services:
            - {name: svc, model: m, requestsPerSecond: 100, latencyTarget: 50ms, AUTOSCALE}
    """

    @Test func autoscaleBoundsAndMetric() throws {
        let ok = try ScenarioLoader.load(text: Self.service.replacingOccurrences(of: "AUTOSCALE", with: "autoscale: {max: 8}"), file: "x.yaml", defaultName: "x").scenario
        let a = ok.workload.applications[0].services[0].autoscale!
        #expect(a.metric == .latency && a.target == 0.95 && a.min == 1 && a.max == 8 && a.interval.baseUnits == 300_000_000_000)
        let bounds = loadError(Self.service.replacingOccurrences(of: "AUTOSCALE", with: "autoscale: {min: 4, max: 2}"))
        #expect(bounds?.description.contains("max (2) must be at least min (4)") == true, "\(bounds?.description ?? "")")
        #expect(bounds?.description.contains("x.yaml:12:") == true)
        let target = loadError(Self.service.replacingOccurrences(of: "AUTOSCALE", with: "autoscale: {metric: utilization, target: 70, max: 2}"))
        #expect(target?.description.contains("must be in (0, 1) for metric 'utilization'") == true, "\(target?.description ?? "")")
        let fidelity = loadError(Self.service.replacingOccurrences(of: "AUTOSCALE", with: "fidelity: exact"))
        #expect(fidelity?.description.contains("expected one of rate, request") == true, "\(fidelity?.description ?? "")")
        let table = "latency: {file: ../data/inference/splitwise_sim_perf_model.csv, model: llama2-70b, hardware: h100-80gb, tensorParallel: 3}"
        let rate = loadError(Self.service.replacingOccurrences(of: "AUTOSCALE", with: table.replacingOccurrences(of: "tensorParallel: 3", with: "tensorParallel: 8")))
        #expect(rate?.description.contains("latency is simulated request by request: set fidelity: request") == true, "\(rate?.description ?? "")")
        let tp = loadError(Self.service.replacingOccurrences(of: "AUTOSCALE", with: "fidelity: request, " + table))
        #expect(tp?.description.contains("has no llama2-70b on h100-80gb with tensorParallel 3") == true, "\(tp?.description ?? "")")
        let missing = loadError(Self.service.replacingOccurrences(of: "AUTOSCALE", with: "fidelity: request, requestTrace: {file: nowhere.csv}, "
                                                                  + table.replacingOccurrences(of: "tensorParallel: 3", with: "tensorParallel: 8")))
        #expect(missing?.description.contains("cannot read trace file 'Scenarios/nowhere.csv'") == true, "\(missing?.description ?? "")")
        let balancer = loadError(Self.service.replacingOccurrences(of: "AUTOSCALE", with: "balancer: random"))
        #expect(balancer?.description.contains("power-of-two") == true, "\(balancer?.description ?? "")")
    }
}
