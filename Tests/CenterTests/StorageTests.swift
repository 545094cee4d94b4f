import Center
import Configuration
import Foundation
import Records
import Scenario
import Testing

/// Jobs on the shared storage system (`io.storage`), end to end through a run.
@Suite struct StorageTests {
    /// Hot: 800 Gb/s (100 GB/s), 1 M IOPS, data stays 1 h after its last access; cold: 80 Gb/s
    /// (10 GB/s), 10 k IOPS.
    static func run(_ jobs: String, storage extra: String = "") throws -> CollectingSink {
        let s = try scenario("""
            cluster: {servers: [{name: h100, preset: hgx-h100-8, count: 4}]}
            io:
              model: fabric
              storage:
                \(extra)
                tiers:
                  - {name: hot, bandwidth: 800Gbps, iops: 1000000, keepFor: 1h}
                  - {name: cold, bandwidth: 80Gbps, iops: 10000}
            workload:
              jobs:
            \(jobs)
            """)
        let sink = CollectingSink()
        _ = try CenterRun.run(s, sink: sink)
        return sink
    }

    static func byID(_ sink: CollectingSink) -> [JobRecord] { sink.jobs.sorted { $0.id < $1.id } }

    /// Reference: max-min sharing and the tiering rule. Two jobs ingesting 1 TB from the cold
    /// tier together get 5 GB/s each (200 s); 30 min later the data is hot (10 s at 100 GB/s);
    /// 2 h after its last access it is cold again (100 s alone).
    @Test func ingestsShareATierAndDataMigratesByAge() throws {
        let sink = try Self.run("""
                - {submit: 0s, accelerators: 8, duration: 1000s, storage: {dataset: imagenet, ingest: 1TB}}
                - {submit: 0s, accelerators: 8, duration: 1000s, storage: {dataset: imagenet, ingest: 1TB}}
                - {submit: 1800s, accelerators: 8, duration: 1000s, storage: {dataset: imagenet, ingest: 1TB}}
                - {submit: 10000s, accelerators: 8, duration: 1000s, storage: {dataset: imagenet, ingest: 1TB}}
            """)
        let jobs = Self.byID(sink)
        #expect(jobs.map(\.ingestNs) == [200_000_000_000, 200_000_000_000, 10_000_000_000, 100_000_000_000])
        #expect(jobs.map(\.endNs) == [1_200_000_000_000, 1_200_000_000_000, 2_810_000_000_000, 11_100_000_000_000])
    }

    /// Reference: a stream that needs more than its share slows its job in proportion. 200 TB
    /// read over 1,000 s of compute needs 200 GB/s; the hot tier gives 100 GB/s, so the job
    /// computes at half speed (2,000 s) after its 10 s ingest (the data is hot from job 0).
    @Test func aStarvedStreamSlowsItsJob() throws {
        let sink = try Self.run("""
                - {submit: 0s, accelerators: 8, duration: 100s, storage: {dataset: shards, ingest: 100GB}}
                - {submit: 100s, accelerators: 8, duration: 1000s, storage: {dataset: shards, ingest: 1TB, read: 200TB}}
            """, storage: "initialTier: hot")
        let jobs = Self.byID(sink)
        #expect(jobs[1].ingestNs == 10_000_000_000)
        #expect(abs(Double(jobs[1].endNs - jobs[1].startNs) - 2_010e9) <= 1, "\(jobs[1].endNs - jobs[1].startNs) ns")
    }

    /// Reference: a job reaches storage at no more than its servers' NICs carry. One HGX H100
    /// server (8 × 400 Gb/s: 400 GB/s) streaming 1,000 TB over 1,000 s of compute needs 1 TB/s;
    /// a tier of 16 Tb/s (2 TB/s) has room, so its NICs bind: it computes at 0.4 × speed
    /// (2,500 s, after its 1 s ingest of 400 GB). Two servers carry 800 GB/s: 1,250 s after 0.5 s.
    @Test func aStreamGoesNoFasterThanItsJobsNICs() throws {
        func run(accelerators: Int) throws -> JobRecord {
            let s = try scenario("""
                cluster: {servers: [{name: h100, preset: hgx-h100-8, count: 2}]}
                io:
                  storage:
                    initialTier: hot
                    tiers: [{name: hot, bandwidth: 16Tbps, iops: 100000000}]
                workload:
                  jobs:
                    - {submit: 0s, accelerators: \(accelerators), duration: 1000s, storage: {dataset: d, ingest: 400GB, read: 1000TB}}
                """)
            let sink = CollectingSink()
            _ = try CenterRun.run(s, sink: sink)
            return sink.jobs[0]
        }
        let one = try run(accelerators: 8), two = try run(accelerators: 16)
        #expect(one.ingestNs == 1_000_000_000)
        #expect(abs(Double(one.endNs - one.startNs) - 2_501e9) <= 1, "\(one.endNs - one.startNs) ns")
        #expect(abs(Double(two.endNs - two.startNs) - 1_250.5e9) <= 1, "\(two.endNs - two.startNs) ns")
    }

    /// Reference: IOPS. 10 kB files on the hot tier's 1 M IOPS read at 10 GB/s (1 TB: 100 s);
    /// aggregated 100 to a read (1 MB I/Os), bandwidth binds again (10 s).
    @Test func smallFilesAreIOPSBoundUntilAggregated() throws {
        let job = "    - {submit: 0s, accelerators: 8, duration: 10s, storage: {dataset: tiles, ingest: 1TB, fileSize: 10kB}}"
        let plain = try Self.run(job, storage: "initialTier: hot")
        let packed = try Self.run(job, storage: "initialTier: hot\n    smallFileAggregation: 100")
        #expect(plain.jobs[0].ingestNs == 100_000_000_000)
        #expect(packed.jobs[0].ingestNs == 10_000_000_000)
    }

    /// Storage traffic needs a storage system; tier names are checked.
    @Test func storageNeedsItsSystem() {
        #expect(throws: ScenarioError.self) {
            try scenario("""
                cluster: {servers: [{name: h100, preset: hgx-h100-8, count: 2}]}
                workload: {jobs: [{submit: 0s, accelerators: 8, duration: 10s, storage: {dataset: d, ingest: 1TB}}]}
                """)
        }
        #expect(throws: ScenarioError.self) {
            try scenario("""
                cluster: {servers: [{name: h100, preset: hgx-h100-8, count: 2}]}
                io: {storage: {checkpointTier: warm, tiers: [{name: hot, bandwidth: 800Gbps, iops: 1000000}]}}
                workload: {jobs: [{submit: 0s, accelerators: 8, duration: 10s}]}
                """)
        }
    }
}
