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

    /// Reference: Kokolis et al. (HPCA 2025) measure 6.50 failures per 1,000 node-days on RSC-1
    /// and 2.34 on RSC-2, and project from RSC-1's rate an MTTF of 1.8 h for a 16,384-GPU job
    /// and 0.23 h for 131,072 GPUs. Scaled to those profiles, the catalog's server classes give
    /// a 16,384-GPU job (2,048 servers of 8) an MTTF of 1.80 h (within 1%) and a 131,072-GPU
    /// one 0.23 h (within 3%, the paper's rounding) on RSC-1, 1 / (2,048 × 2.34e-3) days = 5.01 h
    /// on RSC-2; the default profile is the catalog itself, and the switch classes are not scaled.
    @Test func profilesScaleTheServerClassesToTheMeasuredRates() throws {
        func models(_ profile: String) throws -> [FailureModel] {
            let text = Self.base + "failures:\n  profile: \(profile)\n  classes: {leaf: {}}\n"
            return try #require(try ScenarioLoader.load(text: text, file: "x.yaml", defaultName: "x").scenario.failures).settings(pools: ["general"]).models
        }
        let job = FailureExposure(accelerators: 16_384, servers: 2_048, nicsPerServer: 8)
        let big = FailureExposure(accelerators: 131_072, servers: 16_384, nicsPerServer: 8)
        let rsc1 = try models("meta-rsc1"), rsc2 = try models("meta-rsc2"), llama = try models("llama3")
        #expect(abs(rsc1.mtbfHours(job) / 1.8 - 1) < 0.01, "\(rsc1.mtbfHours(job)) h")
        #expect(abs(rsc1.mtbfHours(big) / 0.23 - 1) < 0.03, "\(rsc1.mtbfHours(big)) h")
        #expect(abs(rsc2.mtbfHours(job) - 24 / (2_048 * 2.34e-3)) < 1e-9)
        #expect(abs(llama.mtbfHours(job) - 1296.0 / 419) < 1e-9)
        let leaf = { (m: [FailureModel]) in m.first { $0.component == .leaf }!.mttfHours }
        #expect(leaf(rsc1) == ReliabilityCatalog.model(.leaf).mttfHours && leaf(rsc2) == leaf(llama))
        #expect(rsc1.allSatisfy { !$0.component.isServerPart || $0.source.hasPrefix("profile meta-rsc1") })
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
            ("failures:\n  profile: meta-rsc3\n", "failures.profile must be one of llama3, meta-rsc1, meta-rsc2"),
            ("io:\n  storage:\n    tiers: [{name: hot, bandwidth: 1Tbps, iops: 1000, servers: 0}]\n", "io.storage.tiers[0].servers must be between 1 and 100000"),
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
