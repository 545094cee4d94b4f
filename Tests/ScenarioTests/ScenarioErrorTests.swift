import Testing
@testable import Scenario

/// A minimal valid scenario; tests replace one piece of it.
let validScenario = """
name: t
seed: 3
cluster:
  servers:
    - name: hgx
      count: 2
      acceleratorsPerServer: 8
workload:
  classes:
    - name: a
      jobs: 10
      interarrival: {dist: exponential, mean: 2min}
      accelerators: {dist: discrete, values: [1, 8], weights: [3, 1]}
      duration: {dist: lognormal, median: 1h, sigma: 0.5}
scheduling:
  policy: fifo
"""

func loadError(_ text: String, overrides: [String] = []) -> ScenarioError? {
    do {
        _ = try ScenarioLoader.load(text: text, file: "Scenarios/x.yaml", defaultName: "x", overrides: overrides)
        return nil
    } catch let e as ScenarioError {
        return e
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

@Suite struct ScenarioErrorTests {
    @Test func validScenarioLoadsWithUnitsInBaseUnits() throws {
        let s = try ScenarioLoader.load(text: validScenario, file: "x.yaml", defaultName: "x").scenario
        #expect(s.cluster.totalAccelerators == 16)
        #expect(s.workload.classes[0].interarrival.distribution == .exponential(mean: 120e9))
        #expect(s.workload.classes[0].duration.distribution.mean > 3600e9)
        #expect(s.seed == 3)
    }

    @Test func unknownKeyNamesLineColumnPathAndSuggestion() {
        let text = validScenario.replacingOccurrences(of: "      acceleratorsPerServer: 8", with: "      acceleratorsPerServr: 8")
        let e = loadError(text)
        #expect(e?.description == "Scenarios/x.yaml:7:7: unknown key 'acceleratorsPerServr' in cluster.servers[0] (did you mean 'acceleratorsPerServer'?)")
    }

    @Test func unknownTopLevelKey() {
        let e = loadError(validScenario + "\nhorizn: 3d\n")
        let line = validScenario.split(separator: "\n", omittingEmptySubsequences: false).count + 1
        #expect(e?.description == "Scenarios/x.yaml:\(line):1: unknown key 'horizn' at the top level (did you mean 'horizon'?)")
    }

    @Test func wrongTypeIsLocated() {
        let e = loadError(validScenario.replacingOccurrences(of: "count: 2", with: "count: two"))
        #expect(e?.description == "Scenarios/x.yaml:6:14: expected an integer for 'cluster.servers[0].count', found 'two'")
        let m = loadError("cluster:\n  servers: 4\nworkload:\n  jobs: []\n")
        #expect(m?.description.contains("expected a list for 'cluster.servers'") == true)
    }

    @Test func badAndMissingUnits() {
        let bad = loadError(validScenario.replacingOccurrences(of: "mean: 2min", with: "mean: 2mins"))
        #expect(bad?.description.hasPrefix("Scenarios/x.yaml:12:47: bad unit 'mins' in '2mins' for workload.classes[0].interarrival.mean") == true)
        let missing = loadError(validScenario.replacingOccurrences(of: "mean: 2min", with: "mean: 120"))
        #expect(missing?.description.contains("missing unit in '120' for workload.classes[0].interarrival.mean: expected a duration such as '30s'") == true)
    }

    @Test func zeroOrNegativeCapacity() {
        let zero = loadError(validScenario.replacingOccurrences(of: "count: 2", with: "count: 0"))
        #expect(zero?.description == "Scenarios/x.yaml:6:14: cluster.servers[0].count must be at least 1, got 0")
        let neg = loadError(validScenario.replacingOccurrences(of: "acceleratorsPerServer: 8", with: "acceleratorsPerServer: -8"))
        #expect(neg?.description.contains("cluster.servers[0].acceleratorsPerServer must be at least 1, got -8") == true)
    }

    @Test func outOfRangeDistributionParameters() {
        let e = loadError(validScenario.replacingOccurrences(of: "weights: [3, 1]", with: "weights: [3]"))
        #expect(e?.description.contains("weights has 1 entries but values has 2") == true)
        let d = loadError(validScenario.replacingOccurrences(of: "dist: exponential", with: "dist: exponental"))
        #expect(d?.description.contains("unknown distribution 'exponental' for workload.classes[0].interarrival (did you mean 'exponential'?)") == true)
        let k = loadError(validScenario.replacingOccurrences(of: "median: 1h", with: "mode: 1h"))
        #expect(k?.description.contains("unknown key 'mode' in workload.classes[0].duration for dist: lognormal") == true)
    }

    @Test func endlessWorkloadNeedsAHorizon() {
        let e = loadError(validScenario.replacingOccurrences(of: "      jobs: 10\n", with: ""))
        #expect(e?.message.contains("would generate jobs forever") == true)
        #expect(loadError(validScenario.replacingOccurrences(of: "      jobs: 10\n", with: "") + "\nhorizon: 2d\n") == nil)
    }

    @Test func unknownPolicyAndYAMLSyntax() {
        let p = loadError(validScenario.replacingOccurrences(of: "policy: fifo", with: "policy: fifu"))
        #expect(p?.description.contains("unknown scheduling policy 'fifu' (did you mean 'fifo'?)") == true)
        let y = loadError("cluster: [1, 2\n")
        #expect(y?.description.hasPrefix("Scenarios/x.yaml:") == true)
        #expect(y?.message.contains("YAML syntax error") == true)
    }

    @Test func missingFile() {
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(path: "/nonexistent/x.yaml") }
    }
}

@Suite struct OverrideTests {
    @Test func setOverridesAnyKeyIncludingListItems() throws {
        let s = try ScenarioLoader.load(text: validScenario, file: "x.yaml", defaultName: "x", overrides: [
            "cluster.servers.0.count=64", "workload.classes[0].interarrival={dist: constant, value: 1s}", "horizon=2d",
        ]).scenario
        #expect(s.cluster.totalAccelerators == 512)
        #expect(s.workload.classes[0].interarrival.distribution == .constant(1e9))
        #expect(s.horizon == TimeQuantity(baseUnits: 172_800_000_000_000))
    }

    @Test func overrideErrorsNameTheOverride() {
        let e = loadError(validScenario, overrides: ["cluster.servers.0.count=zero"])
        #expect(e?.description == "--set cluster.servers[0].count: expected an integer for 'cluster.servers[0].count', found 'zero'")
        let u = loadError(validScenario, overrides: ["cluster.nics=4"])
        #expect(u?.description.hasPrefix("--set cluster.nics: unknown key 'nics' in cluster") == true)
        let r = loadError(validScenario, overrides: ["cluster.servers.5.count=1"])
        #expect(r?.message.contains("index 5 is out of range") == true)
        #expect(loadError(validScenario, overrides: ["novalue"])?.message.contains("KEY=VALUE") == true)
    }

    @Test func resolvedYAMLRoundTrips() throws {
        let a = try ScenarioLoader.load(text: validScenario, file: "x.yaml", defaultName: "x")
        let b = try ScenarioLoader.load(text: a.resolvedYAML, file: "resolved.yaml", defaultName: "x")
        #expect(b.resolvedYAML == a.resolvedYAML)
        #expect(b.scenario.cluster == a.scenario.cluster)
        #expect(b.scenario.workload.classes[0].interarrival == a.scenario.workload.classes[0].interarrival)
    }
}

@Suite struct UnitTests {
    @Test(arguments: [
        ("2us", 2_000.0), ("1.5h", 5_400e9), ("30d", 30 * 86_400e9), ("15min", 900e9), ("250 ms", 250e6), ("1w", 604_800e9),
    ])
    func durations(_ text: String, _ ns: Double) throws {
        #expect(try Quantities.parse(text, as: TimeUnit.self).get() == ns)
    }

    @Test func otherDimensions() throws {
        #expect(try Quantities.parse("400Gbps", as: BandwidthUnit.self).get() == 400e9)
        #expect(try Quantities.parse("80GiB", as: ByteUnit.self).get() == 80 * 1_073_741_824)
        #expect(try Quantities.parse("989TFLOPS", as: FlopsUnit.self).get() == 989e12)
        #expect(Quantities.parse("400", as: BandwidthUnit.self) == .failure(.missingUnit))
        #expect(Quantities.parse("4 furlongs", as: TimeUnit.self) == .failure(.badUnit("furlongs")))
        #expect(Quantities.parse("fast", as: TimeUnit.self) == .failure(.notANumber))
    }

    @Test func canonicalFormatRoundTrips() {
        #expect(Quantities.format(5_400e9, as: TimeUnit.self) == "90min")
        #expect(Quantities.format(1_500, as: TimeUnit.self) == "1500ns")
        #expect(Quantities.format(80 * 1_073_741_824, as: ByteUnit.self) == "80GiB")
    }
}
