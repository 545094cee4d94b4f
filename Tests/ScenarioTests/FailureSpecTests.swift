import Production
import Testing
@testable import Scenario

/// The failures section: defaults from the catalog, overrides, and errors that name the file,
/// line, key and what was expected.
@Suite struct FailureSpecTests {
    static let base = validScenario + "\nhorizon: 1d\n"

    @Test func defaultsAreTheCatalogsAndOverridesApply() throws {
        let s = try ScenarioLoader.load(text: Self.base + """
        failures:
          rateScale: 2
          classes:
            accelerator: {mttf: 50000h, shape: 0.8, repair: 48h}
          checkpoint: {interval: 2h, write: 30s, asynchronous: true}
          hotSpares: [{pool: general, servers: 1}]
        """, file: "x.yaml", defaultName: "x").scenario
        let settings = try #require(s.failures).settings(pools: ["general"])
        let gpu = settings.models[0], host = settings.models[1]
        #expect(gpu.component == .accelerator && gpu.mttfHours == 25_000 && gpu.weibullShape == 0.8 && gpu.repairHours == 48)
        #expect(host.mttfHours == ReliabilityCatalog.model(.host).mttfHours / 2 && host.source == ReliabilityCatalog.model(.host).source)
        #expect(settings.checkpoint.interval == .fixed(7_200_000_000_000) && settings.checkpoint.writeNs == 30_000_000_000 && settings.checkpoint.asynchronous)
        #expect(settings.hotSpares == [1] && settings.swapNs == 1_800_000_000_000 && settings.checkpoint.restartNs == 600_000_000_000)
        let plain = try ScenarioLoader.load(text: Self.base + "failures: {}\n", file: "x.yaml", defaultName: "x").scenario
        #expect(plain.failures?.checkpoint.interval == .daly)
        #expect(try ScenarioLoader.load(text: Self.base, file: "x.yaml", defaultName: "x").scenario.failures == nil)
    }

    @Test func badValuesAreLocated() {
        let cases: [(String, String)] = [
            ("failures:\n  classes:\n    accelerator: {repair: 0s}\n", "x.yaml:20:27: failures.classes.accelerator.repair must be positive"),
            ("failures:\n  classes:\n    host: {mttf: -5h}\n", "must not be negative"),
            ("failures:\n  classes:\n    nic: {transientShare: 1.5}\n", "between 0 and 1"),
            ("failures:\n  rateScale: 0\n", "failures.rateScale must be a positive number"),
            ("failures:\n  hotSpares: [{pool: general, servers: 3}]\n", "3 hot spares for pool 'general' is more than its 2 servers"),
            ("failures:\n  hotSpares: [{pool: genral, servers: 1}]\n", "unknown pool 'genral' (did you mean 'general'?)"),
            ("failures:\n  checkpoint: {interval: often}\n", "must be daly, young, none or a duration"),
            ("failures:\n  swap: 0s\n", "failures.swap must be positive"),
            ("failures:\n  clases: {}\n", "did you mean 'classes'"),
        ]
        for (yaml, expected) in cases {
            let e = loadError(Self.base + yaml)
            #expect(e?.description.contains(expected) == true, "\(yaml): \(e?.description ?? "no error")")
        }
        let open = loadError(validScenario + "\nfailures: {}\n")
        #expect(open?.description.contains("failures go on for ever: give the scenario a 'horizon'") == true, "\(open?.description ?? "no error")")
    }
}
