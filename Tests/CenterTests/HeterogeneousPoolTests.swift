import Center
import Configuration
import Records
import Scenario
import Testing

@Suite struct HeterogeneousPoolTests {
    /// Worked by hand: an H100 pool and an A100 pool of 8 each; three 8-accelerator jobs of 2 h
    /// (stated for an A100) accept H100 at speed 2 and A100 at speed 1, all submitted at once.
    /// The first goes to the H100s (fastest place it can start: 1 h), the second to the A100s
    /// (the only place it can start: 2 h), the third queues where its load per capacity and speed
    /// is least, the H100s, and runs 1 h–2 h.
    @Test func jobsAcceptingSeveralKindsGoWhereTheyFinishSoonest() throws {
        let accepts = "accepts: [{accelerator: H100-SXM, speed: 2}, {accelerator: A100-80GB, speed: 1}]"
        let s = try scenario("""
        cluster:
          servers:
            - {name: h, preset: hgx-h100-8, count: 1, pool: h100}
            - {name: a, preset: hgx-a100-8, count: 1, pool: a100}
        workload:
          jobs:
            - {submit: 0s, accelerators: 8, duration: 2h, \(accepts)}
            - {submit: 0s, accelerators: 8, duration: 2h, \(accepts)}
            - {submit: 0s, accelerators: 8, duration: 2h, \(accepts)}
        """)
        let sink = CollectingSink()
        let r = try CenterRun.run(s, sink: sink)
        let h: Int64 = 3_600_000_000_000
        let byID = Dictionary(uniqueKeysWithValues: sink.jobs.map { ($0.id, $0) })
        let h100 = Int16(r.names.pools.firstIndex(of: "h100")!), a100 = Int16(r.names.pools.firstIndex(of: "a100")!)
        #expect(byID[0]?.pool == h100 && byID[0]?.startNs == 0 && byID[0]?.endNs == h)
        #expect(byID[1]?.pool == a100 && byID[1]?.startNs == 0 && byID[1]?.endNs == 2 * h)
        #expect(byID[2]?.pool == h100 && byID[2]?.startNs == h && byID[2]?.endNs == 2 * h)
    }

    @Test func acceptingAnAbsentAcceleratorIsBadInput() {
        let e = loadErrorText("""
        cluster: {servers: [{preset: hgx-a100-8, count: 1}]}
        workload:
          jobs:
            - {submit: 0s, accelerators: 8, duration: 1h, accepts: [{accelerator: H100-SXM, speed: 2}]}
        """)
        #expect(e?.contains("test.yaml:4:") == true && e?.contains("accepts 'H100-SXM'") == true && e?.contains("no pool has it") == true, "\(e ?? "")")
    }
}
