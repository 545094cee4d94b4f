import Center
import Configuration
import Records
import Scenario
import Testing

@Suite struct DRFTests {
    /// Ghodsi et al., "Dominant Resource Fairness", NSDI'11, §4: 9 CPUs and 18 GB; user A's tasks
    /// need <1 CPU, 4 GB>, user B's <3 CPUs, 1 GB>. DRF runs three of A's tasks and two of B's,
    /// equalising their dominant shares at 2/3 (A's memory, B's CPU).
    @Test func reproducesThePaperExample() throws {
        var jobs = ""
        for _ in 0..<10 {
            jobs += "    - {submit: 0s, accelerators: 0, duration: 10h, tenant: a, cpu: 1, memory: 4GiB}\n"
            jobs += "    - {submit: 0s, accelerators: 0, duration: 10h, tenant: b, cpu: 3, memory: 1GiB}\n"
        }
        let s = try scenario("""
        horizon: 1h
        cluster: {servers: [{count: 1, acceleratorsPerServer: 1, cpuCores: 9, memory: 18GiB}]}
        scheduling: {policy: drf}
        workload:
          jobs:
        \(jobs)
        """)
        let sink = CollectingSink()
        let r = try CenterRun.run(s, sink: sink)
        let a = Int16(r.names.tenants.firstIndex(of: "a")!), b = Int16(r.names.tenants.firstIndex(of: "b")!)
        let runningA = sink.jobs.filter { $0.tenant == a && $0.state == .running }.count
        let runningB = sink.jobs.filter { $0.tenant == b && $0.state == .running }.count
        #expect(runningA == 3 && runningB == 2, "DRF ran \(runningA) of A's and \(runningB) of B's tasks")
    }
}
