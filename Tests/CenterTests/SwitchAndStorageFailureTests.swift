import Configuration
import Foundation
import Metrics
import Production
import Records
import Scenario
import SimKernel
import Testing

/// Failures of the parts outside the servers (`failures.classes.leaf`, `spine`, `storage`) in
/// runs: a leaf takes its servers out of service, a spine and a storage server stop no job.
@Suite struct SwitchAndStorageFailureTests {
    /// Every server class made (nearly) immortal, so the failures are the named parts'.
    static let serversImmortal = ["accelerator", "host", "nic", "network", "software"].map { "    \($0): {mttf: 800000h}" }.joined(separator: "\n")

    /// Reference: independent parts in series: a job spanning k leaves is stopped by each of
    /// their failures, a Poisson process of rate k / MTTF. One job on 64 servers under 2 leaves
    /// (32 servers each) for 30 days, leaves failing every 24 h on average and back after a 1 s
    /// reboot: its interruptions are within 3σ of 2 × 720 h / 24 h = 60; every leaf row names
    /// a leaf of the pool (0 or 1) and its job; the failures section counts them under `leaf`;
    /// availability falls below 1 by the leaves' time down; no spine or storage row appears
    /// (their classes are not named).
    @Test func aJobSpanningTwoLeavesIsStoppedByEachOfTheirFailures() throws {
        let text = """
        horizon: 30d
        cluster:
          servers:
            - {name: s, count: 64, acceleratorsPerServer: 8}
        workload:
          jobs:
            - {submit: 0s, accelerators: 512, duration: 60d}
        failures:
          restart: 1s
          classes:
        \(Self.serversImmortal)
            leaf: {mttf: 24h, transientShare: 1, detect: 0s, reboot: 1s}
        """
        let s = try scenario(text)
        let sink = CollectingSink()
        let result = try CenterRun.run(s, sink: sink)
        let job = try #require(sink.jobs.first)
        let leaf = Int8(FailureComponent.allCases.firstIndex(of: .leaf)!)
        let leafRows = sink.failures.filter { $0.component == leaf }
        #expect(abs(Double(job.interruptions) - 60) <= 3 * 60.0.squareRoot(), "\(job.interruptions) interruptions, expected 60")
        #expect(leafRows.count >= Int(job.interruptions) && leafRows.allSatisfy { (0...1).contains($0.server) && $0.pool == 0 })
        #expect(leafRows.filter { $0.jobsHit == 1 }.count == Int(job.interruptions))
        #expect(sink.failures.count - leafRows.count < 6)   // the nearly immortal server classes: about 1.1 failures expected in 30 days
        guard case .object(let section)? = result.summary.fields.first(where: { $0.0 == "failures" })?.1,
              case .object(let byClass)? = section.first(where: { $0.0 == "by_component" })?.1 else {
            Issue.record("no failures section")
            return
        }
        #expect(figure(byClass, "leaf") == Double(leafRows.count) && !byClass.contains { $0.0 == "spine" || $0.0 == "storage" })
        #expect(figure(section, "availability") < 1 && figure(section, "availability") > 0.9999)
    }
}

extension SwitchAndStorageFailureTests {
    /// Reference: a transfer alone on a link takes size / bandwidth. One 8-accelerator job of
    /// 24 h with a 1 TB checkpoint on a storage tier of 100 Gbps (12.5 GB/s), its host failing
    /// every 10 h on average (a 1 s reboot), checkpoints every hour: each restart after a
    /// failure with a checkpoint kept reads the 1 TB back before computing, alone on the tier,
    /// in 1 TB / 12.5 GB/s = 80 s (its last start's `ingest_ns`, to a microsecond); the storage
    /// section counts the reads (at least one, at most one per interruption). Without failures
    /// nothing is read back.
    @Test func aRestartAfterAFailureReadsItsCheckpointBackThroughStorage() throws {
        func text(failures: Bool) -> String {
            """
            horizon: 10d
            cluster:
              servers:
                - {name: s, count: 2, acceleratorsPerServer: 8}
            io:
              storage:
                tiers:
                  - {name: hot, bandwidth: 100Gbps, iops: 1000000}
            workload:
              jobs:
                - {submit: 0s, accelerators: 8, duration: 24h, storage: {dataset: ckpt, checkpoint: 1TB}}
            """ + (failures ? """

            failures:
              restart: 1s
              checkpoint: {interval: 1h}
              classes:
            \(Self.serversImmortal.replacingOccurrences(of: "host: {mttf: 800000h}", with: "host: {mttf: 10h, transientShare: 1, detect: 0s, reboot: 1s}"))
            """ : "")
        }
        let sink = CollectingSink()
        let result = try CenterRun.run(try scenario(text(failures: true)), sink: sink)
        let job = try #require(sink.jobs.first { $0.state == .completed })
        try #require(job.interruptions > 0)
        #expect(abs(Double(job.ingestNs) - 80e9) < 1e3, "last start read for \(Double(job.ingestNs) / 1e9) s")
        guard case .object(let storage)? = result.summary.fields.first(where: { $0.0 == "storage" })?.1 else {
            Issue.record("no storage section")
            return
        }
        let restores = figure(storage, "checkpoint_restores")
        #expect(restores >= 1 && restores <= Double(job.interruptions))
        let quiet = CollectingSink()
        let plain = try CenterRun.run(try scenario(text(failures: false)), sink: quiet)
        guard case .object(let s2)? = plain.summary.fields.first(where: { $0.0 == "storage" })?.1 else { return }
        #expect(figure(s2, "checkpoint_restores") == 0 && quiet.jobs.first?.ingestNs == 0)
    }
}

extension SwitchAndStorageFailureTests {
    /// Reference: max-min sharing of a link. A job of 24 h with a 1 TB checkpoint written every
    /// hour at 10 GB/s (100 s each, 24 writes: 88,800 s of work) needs 1 TB / 3,700 s = 270 MB/s
    /// of its checkpoint tier on average. Alone on a tier of 3 Gbps (375 MB/s) it is not slowed
    /// and ends at 88,800 s; two such jobs share the tier, 187.5 MB/s each, and both run at
    /// 187.5 / 270.3 = 0.694 of their speed, ending at 88,800 / 0.694 = 128,000 s (to 1 s).
    @Test func plannedCheckpointWritesShareTheStorageTier() throws {
        func ends(jobs: Int) throws -> [Double] {
            let listed = (0..<jobs).map { _ in "    - {submit: 0s, accelerators: 8, duration: 24h, storage: {dataset: ckpt, checkpoint: 1TB}}" }
            let text = """
            horizon: 10d
            cluster:
              servers:
                - {name: s, count: 2, acceleratorsPerServer: 8}
            io:
              storageBandwidthPerJob: 80Gbps
              storage:
                tiers:
                  - {name: hot, bandwidth: 3Gbps, iops: 1000000}
            workload:
              jobs:
            \(listed.joined(separator: "\n"))
            failures:
              checkpoint: {interval: 1h}
              classes:
            \(Self.serversImmortal)
            """
            let sink = CollectingSink()
            _ = try CenterRun.run(try scenario(text), sink: sink)
            #expect(sink.failures.isEmpty)
            return sink.jobs.map { Double($0.endNs - $0.startNs) / 1e9 }
        }
        let alone = try ends(jobs: 1), shared = try ends(jobs: 2)
        #expect(alone.count == 1 && abs(alone[0] - 88_800) < 1, "\(alone)")
        let speed = (375e6 / 2) / (1e12 / 3_700)
        #expect(shared.count == 2 && shared.allSatisfy { abs($0 - 88_800 / speed) < 1 }, "\(shared), expected \(88_800 / speed)")
    }
}

extension SwitchAndStorageFailureTests {
    /// Reference: a part's life, failure after return. In a center built in phases, a leaf
    /// whose two servers arrive on day 10 fails before then over no server in the center, and
    /// server failures strike under failed leaves: each failure's return is due on time (the
    /// run ends, every leaf's next failure comes after its return from the last: time + down),
    /// and the leaf of the late servers fails before they arrive.
    @Test func leavesOverServersOutOfTheCenterFailAndComeBackOnTime() throws {
        let text = """
        horizon: 20d
        start: 2027-01-01
        cluster:
          serversPerLeaf: 2
          servers:
            - {name: early, count: 2, acceleratorsPerServer: 8}
            - {name: late, count: 2, acceleratorsPerServer: 8, phase: second}
          phases:
            - {name: second, arrive: 2027-01-11}
        workload:
          jobs:
            - {submit: 0s, accelerators: 8, duration: 30d}
        failures:
          rateScale: 20
          restart: 1s
          classes:
            leaf: {mttf: 40h, transientShare: 1, detect: 0s, reboot: 2h}
        """
        let sink = CollectingSink()
        _ = try CenterRun.run(try scenario(text), sink: sink)
        let leaf = FailureComponent.leaf.code
        let rows = sink.failures.filter { $0.component == leaf }
        #expect(rows.contains { $0.server == 1 && $0.timeNs < 10 * SimTime.nsPerDay })
        for l in Int32(0)...1 {
            let mine = rows.filter { $0.server == l }
            #expect(mine.count > 5)
            for (a, b) in zip(mine, mine.dropFirst()) { #expect(b.timeNs >= a.timeNs + a.downNs, "leaf \(l)") }
        }
        #expect(sink.failures.contains { $0.component != leaf && $0.jobsHit == 0 })
    }
}
