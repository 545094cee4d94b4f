import Center
import Configuration
import Records
import Scenario
import Testing

@Suite struct ElasticTests {
    /// Worked by hand: 16 accelerators; an elastic job asks for 8 (min 4, max 16) for 2 h of work
    /// at 8. It grows to 16 at once (speed 2). At 30 min a rigid 8-accelerator job of 30 min
    /// arrives: the elastic job shrinks, the rigid job starts at once, and the elastic job grows
    /// back into the 8 left (speed 1). At 1 h the rigid job ends and the elastic job grows to 16
    /// again: 2 h − 0.5 h·2 − 0.5 h·1 = 0.5 h of work left at speed 2, so it ends at 1 h 15 min.
    @Test func elasticJobGrowsAndShrinks() throws {
        let s = try scenario("""
        cluster: {servers: [{count: 2, acceleratorsPerServer: 8}]}
        workload:
          jobs:
            - {submit: 0s, accelerators: 8, duration: 2h, elastic: {min: 4, max: 16}}
            - {submit: 30min, accelerators: 8, duration: 30min}
        """)
        let sink = CollectingSink()
        let r = try CenterRun.run(s, sink: sink)
        let byID = Dictionary(uniqueKeysWithValues: sink.jobs.map { ($0.id, $0) })
        let h: Int64 = 3_600_000_000_000
        #expect(byID[1]?.startNs == h / 2 && byID[1]?.endNs == h, "the rigid job waits for nobody")
        #expect(byID[0]?.startNs == 0 && byID[0]?.endNs == h + h / 4, "elastic end \(byID[0]?.endNs ?? -1)")
        // Accelerator-hours: elastic 0.5·16 + 0.5·8 + 0.25·16 = 16, rigid 4.
        #expect(abs(r.summary.utilizationMean * 16 * 1.25 - 20) < 1e-9, "utilisation \(r.summary.utilizationMean)")
    }

    @Test func badElasticRangeIsLocated() {
        let e = loadErrorText("""
        cluster: {servers: [{count: 1, acceleratorsPerServer: 8}]}
        workload:
          jobs:
            - {submit: 0s, accelerators: 8, duration: 1h, elastic: {min: 1, max: 4}}
        """)
        #expect(e?.contains("test.yaml:4:") == true && e?.contains("must contain the job's 8 accelerators") == true, "\(e ?? "")")
    }
}

func loadErrorText(_ text: String) -> String? {
    do {
        _ = try scenario(text)
        return nil
    } catch {
        return "\(error)"
    }
}
