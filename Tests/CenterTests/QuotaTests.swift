import Center
import Configuration
import Records
import Scenario
import Testing

@Suite struct QuotaTests {
    /// A government tenant guaranteed half of a 64-GPU pool, and a start-up flooding it with
    /// long jobs on borrowed capacity (`quota` policy). Property: every government job that fits
    /// within the guarantee when it arrives starts at once, the start-ups' borrowed jobs being
    /// preempted to make room; the start-up does borrow; under FIFO the same government jobs wait.
    func scenarioText(_ policy: String, seed: UInt64) -> String {
        """
        seed: \(seed)
        horizon: 4d
        cluster: {servers: [{count: 8, acceleratorsPerServer: 8}]}
        scheduling: {policy: \(policy), quotas: [{tenant: gov, share: 0.5}]}
        workload:
          applications:
            - name: app
              tenants: [{name: gov, type: government}, {name: startup, type: startup}]
              models: [{name: m, family: cnn, parameters: 10M, trainFlopsPerSample: 1TFLOP, mfu: 0.5}]
              jobs:
                - {kind: training, model: m, perDay: 600, tenants: [startup], accelerators: {dist: discrete, values: [1, 2, 4, 8]},
                   samples: {dist: lognormal, median: 2M, sigma: 0.5}, epochs: 1}
                - {kind: training, model: m, perDay: 60, tenants: [gov], accelerators: {dist: discrete, values: [1, 2, 4]},
                   samples: {dist: lognormal, median: 500K, sigma: 0.5}, epochs: 1}
        """
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func tenantWithinQuotaIsNeverStarvedByBorrowers(seed: UInt64) throws {
        let sink = CollectingSink()
        let r = try CenterRun.run(try scenario(scenarioText("quota", seed: seed)), sink: sink)
        let gov = try #require(r.names.tenants.firstIndex(of: "gov")).map { Int16($0) }
        let govJobs = sink.jobs.filter { $0.tenant == gov }
        var checked = 0
        for j in govJobs {
            let inUse = govJobs.filter { $0.id != j.id && $0.startNs >= 0 && $0.startNs <= j.submitNs && ($0.endNs < 0 || $0.endNs > j.submitNs) }
                .reduce(0) { $0 + Int($1.accelerators) }
            guard inUse + Int(j.accelerators) <= 32 else { continue }
            checked += 1
            #expect(j.startNs == j.submitNs, "gov job \(j.id) (\(j.accelerators) GPUs, \(inUse) in use) waited \(j.startNs - j.submitNs) ns")
        }
        #expect(checked > 100)
        #expect(r.summary.preemptions > 0, "borrowers were never reclaimed from")
        guard case .object(let startup)? = r.summary.tenants.first(where: { $0.0 == "startup" })?.1,
              case .real(let borrowed)? = startup.first(where: { $0.0 == "borrowed_accelerator_hours" })?.1 else {
            Issue.record("no borrowed hours for the start-up")
            return
        }
        #expect(borrowed > 0)

        // Without quotas the government's jobs queue behind the flood.
        let fifo = CollectingSink()
        _ = try CenterRun.run(try scenario(scenarioText("fifo", seed: seed)), sink: fifo)
        let govWaits = fifo.jobs.filter { $0.tenant == gov && $0.startNs > $0.submitNs }.count
        #expect(govWaits > 10, "FIFO should make the government wait")
    }
}
