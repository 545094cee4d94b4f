import Aggregation
import Configuration
import Foundation
import Records
import Scenario
import SimKernel
import Testing
import Workloads

/// A job-level run through a center's phases: servers enter on their phase's first day of
/// service, drain from their retire date and leave; the scheduler never holds more
/// accelerators than the center has, jobs go to pools in proportion to the capacity in service,
/// utilisation is over the accelerator-time in the center, and failures strike only servers
/// that are there. References: the phase dates themselves (a count of accelerators per day),
/// and the run's own samples integrated independently.
@Suite struct PhasedRunTests {
    /// 4 A100 servers throughout; 2 old ones retiring on 2027-02-01 (2 days' drain); 4 H100
    /// servers in their own pool from 2027-03-11 (arrival 2027-03-01, 10 days' commissioning).
    static func text(failures: String = "") -> String {
        """
        name: phased-run
        seed: 5
        horizon: 100d
        start: 2027-01-01
        cluster:
          servers:
            - {name: a100, preset: hgx-a100-8, count: 4, pool: a100}
            - {name: old, preset: hgx-a100-8, count: 2, pool: a100, phase: first}
            - {name: h100, preset: hgx-h100-8, count: 4, pool: h100, phase: second}
          phases:
            - {name: first, arrive: 2026-01-01, retire: 2027-02-01, drain: 2d}
            - {name: second, arrive: 2027-03-01, commissioning: 10d}
        \(VisionWorkload.yaml(jobs: ["{kind: training, model: cnn, perDay: 300, accelerators: 1, samples: 60M}",
                                     "{kind: training, model: cnn, perDay: 10, accelerators: 8, samples: 600M}"]))
        \(failures)
        """
    }

    static let retireDay = 31.0, removeDay = 33.0, installDay = 69.0

    /// Accelerators in the center on day `t` (the reference, from the phase dates): a100 32, old
    /// 16 until their drain ends (taking jobs until the retire date), h100 32 from its first day.
    static func inCenter(day t: Double) -> (all: Int, takingJobs: Int) {
        let old = t < removeDay ? 16 : 0, oldTaking = t < retireDay ? 16 : 0, h100 = t >= installDay ? 32 : 0
        return (32 + old + h100, 32 + oldTaking + h100)
    }

    @Test func serversEnterDrainAndLeaveOnTheirDates() throws {
        let s = try ScenarioLoader.load(text: Self.text(), file: "phased.yaml", defaultName: "phased").scenario
        let sink = CollectingSink()
        let result = try CenterRun.run(s, sink: sink)
        // Never more accelerators busy than in the center; after the drain, never more than it
        // takes jobs on; the H100s are used once they arrive.
        var busyArea = 0.0, inCenterArea = 0.0
        let samples = sink.samples
        for (i, u) in samples.enumerated() {
            let day = Double(u.timeNs) / Double(SimTime.nsPerDay)
            let n = Self.inCenter(day: day)
            #expect(Int(u.busyAccelerators) <= n.all, "day \(day): \(u.busyAccelerators) busy of \(n.all)")
            if day >= Self.removeDay { #expect(Int(u.busyAccelerators) <= n.takingJobs) }
            let next = i + 1 < samples.count ? samples[i + 1].timeNs : s.horizon!.baseUnits
            busyArea += Double(next - u.timeNs) * Double(u.busyAccelerators)
        }
        #expect(samples.contains { Double($0.timeNs) / Double(SimTime.nsPerDay) > Self.installDay && $0.busyAccelerators > 48 })
        #expect(!samples.contains { Double($0.timeNs) / Double(SimTime.nsPerDay) < Self.installDay && $0.busyAccelerators > 48 })
        // The summary's utilisation is over the accelerator-time in the center (integrated here
        // from the phase dates; draining servers count until they leave, which is at the latest
        // the end of their drain).
        for d in 0..<100 { inCenterArea += Double(Self.inCenter(day: Double(d) + 0.5).all) * Double(SimTime.nsPerDay) }
        let utilization = try #require(result.summary.fields.first { $0.0 == "utilization_mean" }.map { v -> Double in
            if case .real(let x) = v.1 { return x }
            return .nan
        })
        let lower = busyArea / inCenterArea, upper = busyArea / (inCenterArea - 2 * 16 * Double(SimTime.nsPerDay))
        #expect(utilization >= lower * (1 - 1e-9) && utilization <= upper * (1 + 1e-9), "\(utilization) not in [\(lower), \(upper)]")
        // Same bytes again: the changes are part of the deterministic event order.
        let again = CollectingSink()
        _ = try CenterRun.run(s, sink: again)
        #expect(again.samples == sink.samples && again.jobs == sink.jobs)
    }

    @Test func jobsGoToPoolsInProportionToTheCapacityInService() throws {
        let s = try ScenarioLoader.load(text: Self.text(), file: "phased.yaml", defaultName: "phased").scenario
        let plan = try DemandPlan(s, streams: RandomStreams(masterSeed: s.seed), horizonNs: s.horizon!.baseUnits)
        let h100 = Int16(plan.pools.firstIndex { $0.name == "h100" }!)
        var before = 0, after = 0, afterAll = 0
        for source in plan.sources {
            while let j = source.next() {
                let day = Double(j.submitNs) / Double(SimTime.nsPerDay)
                if day < Self.installDay { before += j.pool == h100 ? 1 : 0 } else { afterAll += 1; after += j.pool == h100 ? 1 : 0 }
            }
        }
        // Before the H100s arrive no job is sent to them; after, they take their compute's share:
        // 32 H100 against 32 A100, weighted by peak FLOP/s at the model's precision.
        #expect(before == 0)
        let a100 = plan.pools.first { $0.name == "a100" }!.accelerator, h = plan.pools[Int(h100)].accelerator
        let p = Double(32) * h.peakFlopsPerS(h.effectivePrecision(.bf16)) / (Double(32) * h.peakFlopsPerS(h.effectivePrecision(.bf16))
                                                                             + Double(32) * a100.peakFlopsPerS(a100.effectivePrecision(.bf16)))
        let expected = p * Double(afterAll), sd = (Double(afterAll) * p * (1 - p)).squareRoot()
        #expect(abs(Double(after) - expected) <= 4 * sd, "\(after) of \(afterAll) to h100, expected \(expected) ± \(4 * sd)")
    }

    @Test func failuresStrikeOnlyServersInTheCenter() throws {
        let failing = "failures:\n  classes:\n    accelerator: {mttf: 2000h, repair: 24h}\n"
        let s = try ScenarioLoader.load(text: Self.text(failures: failing), file: "phased.yaml", defaultName: "phased").scenario
        let sink = CollectingSink()
        _ = try CenterRun.run(s, sink: sink)
        #expect(sink.failures.count > 20)
        for f in sink.failures {
            let day = Double(f.timeNs) / Double(SimTime.nsPerDay)
            if f.pool == 1 { #expect(day >= Self.installDay, "an H100 server failed on day \(day), before it arrived") }
            if f.pool == 0 && f.server >= 4 { #expect(day < Self.removeDay, "a retired A100 server failed on day \(day)") }
        }
    }
}

extension PhasedRunTests {
    /// Reference: straight-line depreciation of each server for the time it is in the center.
    /// The four H100 servers (2,000,000 each, 5-year life, 5% maintenance a year; the A100s
    /// priced 0) are in the center from day 69 to day 100: their capital costs 4 × 2,000,000 ×
    /// 31 / 365.25 / 5 and their maintenance 4 × 2,000,000 × 31 / 365.25 × 5% (to 1e-9), not
    /// the 100 days of the whole run.
    @Test func serversCostOnlyTheirTimeInTheCenter() throws {
        let text = Self.text() + """

        power:
          pue: 1.2
          prices: {servers: [{pool: h100, price: 2000000}], maintenance: 0.05}
        """
        let s = try ScenarioLoader.load(text: text, file: "phased.yaml", defaultName: "phased").scenario
        let summary = try CenterRun.run(s, sink: CollectingSink()).summary
        guard case .object(let power)? = summary.fields.first(where: { $0.0 == "power" })?.1,
              case .object(let parts)? = power.first(where: { $0.0 == "tco_by_part" })?.1 else {
            Issue.record("no power section")
            return
        }
        let capitalYears = 4 * 2_000_000 * (100 - Self.installDay) / 365.25
        #expect(abs(figure(parts, "servers") / (capitalYears / 5) - 1) < 1e-9, "\(figure(parts, "servers"))")
        #expect(abs(figure(parts, "maintenance") / (capitalYears * 0.05) - 1) < 1e-9)
    }
}

/// The network grows with the phases: a phase's servers come on leaf switches of their own, and
/// their switch ports cost capital and maintenance only while they are in the center.
@Suite struct PhasedNetworkTests {
    /// Reference: the rule itself, by hand. Four servers to a leaf; a group of another phase
    /// starts a new leaf, and so does the group after it; without phases, server i is on leaf i / 4.
    @Test func aPhaseBringsItsOwnLeaves() throws {
        let text = """
        name: leaves
        start: 2027-01-01
        horizon: 1d
        cluster:
          serversPerLeaf: 4
          servers:
            - {name: a, preset: hgx-a100-8, count: 3, pool: p}
            - {name: b, preset: hgx-a100-8, count: 5, pool: p, phase: later}
            - {name: c, preset: hgx-a100-8, count: 2, pool: p}
            - {name: d, preset: hgx-a100-8, count: 2, pool: p}
          phases:
            - {name: later, arrive: 2027-06-01}
        \(VisionWorkload.yaml(jobs: ["{kind: training, model: cnn, perDay: 1, accelerators: 1, samples: 1M}"]))
        """
        let s = try ScenarioLoader.load(text: text, file: "leaves.yaml", defaultName: "leaves").scenario
        #expect(s.cluster.leafOfServer(pool: "p") == [0, 0, 0, 1, 1, 1, 1, 2, 3, 3, 3, 3])
        var flat = s.cluster
        flat.phases = []
        for i in flat.servers.indices { flat.servers[i].phase = nil }
        #expect(flat.leafOfServer(pool: "p") == (0..<12).map { Int32($0 / 4) })
    }

    /// Reference: straight-line depreciation of each switch port for the time its server is in
    /// the center. The A100 pool's ports (its servers' NICs, a leaf and a spine-side port each)
    /// are there all 100 days, the H100 pool's from day 69 (to 1e-9); before, the whole build's
    /// ports were charged from the first day.
    @Test func switchPortsCostOnlyTheirServersTimeInTheCenter() throws {
        let text = """
        name: phased-network
        seed: 5
        horizon: 100d
        start: 2027-01-01
        cluster:
          servers:
            - {name: a100, preset: hgx-a100-8, count: 4, pool: a100}
            - {name: h100, preset: hgx-h100-8, count: 4, pool: h100, phase: second}
          phases:
            - {name: second, arrive: 2027-03-01, commissioning: 10d}
        \(VisionWorkload.yaml(jobs: ["{kind: training, model: cnn, perDay: 30, accelerators: 1, samples: 60M}"]))
        power:
          pue: 1.2
          prices: {switchPort: 6000, maintenance: 0.05, life: {network: 5}}
        """
        let s = try ScenarioLoader.load(text: text, file: "phased.yaml", defaultName: "phased").scenario
        let ports = s.powerPools.map(\.switchPorts)
        #expect(ports.count == 2 && ports.allSatisfy { $0 > 0 })
        let summary = try CenterRun.run(s, sink: CollectingSink()).summary
        guard case .object(let power)? = summary.fields.first(where: { $0.0 == "power" })?.1,
              case .object(let parts)? = power.first(where: { $0.0 == "tco_by_part" })?.1 else {
            Issue.record("no power section")
            return
        }
        let capitalYears = 6000 * (Double(ports[0]) * 100 + Double(ports[1]) * (100 - PhasedRunTests.installDay)) / 365.25
        #expect(abs(figure(parts, "network") / (capitalYears / 5) - 1) < 1e-9, "\(figure(parts, "network"))")
        #expect(abs(figure(parts, "maintenance") / (capitalYears * 0.05) - 1) < 1e-9)
    }
}

/// Storage grows with the phases: a phase's `storage` adds servers to a tier, each bringing the
/// tier's bandwidth and IOPS per server, from its first day of service to its retire date.
@Suite struct PhasedStorageTests {
    /// The cold tier: 2 servers sharing 80 Gb/s (10 GB/s); a phase adds 2 more from day 1 to
    /// day 2. `extra` is appended to the phase.
    static func text(jobs: String, phase extra: String = ", retire: 2027-01-03", power: String = "") -> String {
        """
        name: phased-storage
        start: 2027-01-01
        horizon: 3d
        cluster:
          servers: [{name: h100, preset: hgx-h100-8, count: 2}]
          phases:
            - {name: more-storage, arrive: 2027-01-02, storage: [{tier: cold, servers: 2}]\(extra)}
        io:
          model: fabric
          storage:
            tiers:
              - {name: cold, bandwidth: 80Gbps, iops: 1000000, servers: 2}
        workload:
          jobs:
        \(jobs)
        \(power)
        """
    }

    /// Reference: an ingest alone gets its tier's whole bandwidth. 1 TB at 10 GB/s takes 100 s
    /// on day 0, at 20 GB/s 50 s on day 1 (four servers), and 100 s again on day 2 (the phase
    /// retired); the tier's bandwidth utilisation is the 3 TB moved over its capacity-time in the
    /// center (10 GB/s on day 0, 20 on day 1, 10 until the run's end), to 1e-9.
    @Test func ingestsGetTheBandwidthOfTheServersInTheCenter() throws {
        let s = try scenario(Self.text(jobs: """
                - {submit: 0s, accelerators: 8, duration: 1000s, storage: {dataset: a, ingest: 1TB}}
                - {submit: 100000s, accelerators: 8, duration: 1000s, storage: {dataset: b, ingest: 1TB}}
                - {submit: 180000s, accelerators: 8, duration: 1000s, storage: {dataset: c, ingest: 1TB}}
            """))
        let sink = CollectingSink()
        let result = try CenterRun.run(s, sink: sink)
        #expect(sink.jobs.sorted { $0.id < $1.id }.map(\.ingestNs) == [100_000_000_000, 50_000_000_000, 100_000_000_000])
        guard case .object(let storage)? = result.summary.fields.first(where: { $0.0 == "storage" })?.1,
              case .object(let tiers)? = storage.first(where: { $0.0 == "tiers" })?.1,
              case .object(let cold)? = tiers.first(where: { $0.0 == "cold" })?.1 else {
            Issue.record("no storage tiers in the summary")
            return
        }
        // The run ends as its last job does (at 181,100 s).
        let endS = Double(sink.jobs.map(\.endNs).max() ?? 0) / 1e9
        #expect(endS == 181_100)
        let capacityBytes = (10e9 + 20e9) * 86_400 + 10e9 * (endS - 172_800)
        #expect(abs(figure(cold, "bandwidth_utilization_mean") / (3e12 / capacityBytes) - 1) < 1e-9, "\(figure(cold, "bandwidth_utilization_mean"))")
    }

    /// The tier's servers on each date (a sampled run goes through the same dates): 2, then 4
    /// while the phase is in service, then 2 again; the run's changes are those two days.
    @Test func theTiersServersFollowThePhaseDates() throws {
        let s = try scenario(Self.text(jobs: "    - {submit: 0s, accelerators: 8, duration: 10s}"))
        let days = try [1, 2, 3].map { try #require(CivilDate(year: 2027, month: 1, day: $0)) }
        #expect(days.map { s.storageServers(on: $0) } == [[2], [4], [2]])
        #expect(s.storageGrowth?.changes == [StorageServerChange(atNs: 86_400_000_000_000, tier: 0, servers: 4),
                                               StorageServerChange(atNs: 172_800_000_000_000, tier: 0, servers: 2)])
    }

    /// Reference: the power model's storage estimate, one 1.2 kW server per 20 GB/s of a tier:
    /// the 10 GB/s tier's 2 servers draw 1.2 kW, so each added server 600 W. With nothing
    /// running, IT power steps up by 1.2 kW on day 1 and back on day 2.
    @Test func addedStorageServersDrawPowerWhileInTheCenter() throws {
        let s = try scenario(Self.text(jobs: """
                - {submit: 0s, accelerators: 8, duration: 10s}
                - {submit: 190000s, accelerators: 8, duration: 10s}
            """, power: "power: {pue: 1.2, interval: 1h}"))
        let sink = CollectingSink()
        _ = try CenterRun.run(s, sink: sink)
        func itW(hour: Int) -> Double { sink.power.first { $0.timeNs == Int64(hour) * 3_600_000_000_000 }?.itW ?? .nan }
        #expect(abs(itW(hour: 30) - itW(hour: 12) - 1_200) < 1e-6, "\(itW(hour: 12)) → \(itW(hour: 30))")
        #expect(abs(itW(hour: 50) - itW(hour: 12)) < 1e-6, "\(itW(hour: 12)) → \(itW(hour: 50))")
    }

    /// Reference: the storage's capital counts each server for its time in the center. The
    /// price (1,000,000) splits by bandwidth between a warm tier that declares no servers
    /// (half, priced throughout) and the cold tier (half over its 2 declared servers, 250,000
    /// each; the phase's 2 more are in the center on day 1 only): over a run of D days the
    /// capital-years are (500,000 D + 250,000 (2 D + 2)) / 365.25, written off over 5 years and
    /// maintained at 5% a year. Without the phase's storage, the whole price throughout.
    @Test func addedStorageServersCostOnlyTheirTimeInTheCenter() throws {
        for phased in [true, false] {
            var text = Self.text(jobs: """
                    - {submit: 0s, accelerators: 8, duration: 10s}
                    - {submit: 190000s, accelerators: 8, duration: 10s}
                """, power: "power: {pue: 1.2, prices: {storage: 1000000, maintenance: 0.05, life: {storage: 5}}}")
                .replacingOccurrences(of: "    tiers:\n", with: "    tiers:\n      - {name: warm, bandwidth: 80Gbps, iops: 1000}\n")
            if !phased { text = text.replacingOccurrences(of: ", storage: [{tier: cold, servers: 2}]", with: "") }
            let sink = CollectingSink()
            let summary = try CenterRun.run(try scenario(text), sink: sink).summary
            guard case .object(let power)? = summary.fields.first(where: { $0.0 == "power" })?.1,
                  case .object(let parts)? = power.first(where: { $0.0 == "tco_by_part" })?.1 else {
                Issue.record("no power section")
                return
            }
            let days = Double(sink.jobs.map(\.endNs).max() ?? 0) / 86_400e9
            #expect(days > 2 && days < 3)
            let capitalYears = (phased ? 500_000 * days + 250_000 * (2 * days + 2) : 1_000_000 * days) / 365.25
            #expect(abs(figure(parts, "storage") / (capitalYears / 5) - 1) < 1e-9, "phased \(phased): \(figure(parts, "storage")) vs \(capitalYears / 5)")
            #expect(abs(figure(parts, "maintenance") / (capitalYears * 0.05) - 1) < 1e-9)
        }
    }

    /// A phase's storage servers fail while they are in the center, not before nor after: with
    /// a storage MTTF of 2 hours over 3 days, the cold tier's two declared servers (rows 0 and 1)
    /// fail on every day, the phase's two (rows 2 and 3, numbered after the declared ones) only
    /// on day 1, when they are in the center, about as often as the declared ones then.
    @Test func addedStorageServersFailOnlyWhileInTheCenter() throws {
        let failures = """
            failures:
              classes:
            \(["accelerator", "host", "nic", "network", "software"].map { "    \($0): {mttf: 800000h}" }.joined(separator: "\n"))
                storage: {mttf: 2h, transientShare: 1, detect: 0s, reboot: 10min}
            """
        let sink = CollectingSink()
        _ = try CenterRun.run(try scenario(Self.text(jobs: "    - {submit: 0s, accelerators: 8, duration: 3d}", power: failures)), sink: sink)
        let rows = sink.failures.filter { $0.pool == -1 }
        let day = { (r: FailureRecord) in Int(r.timeNs / 86_400_000_000_000) }
        for server in 0..<4 {
            let days = Set(rows.filter { $0.server == server }.map(day))
            #expect(days == (server < 2 ? [0, 1, 2] : [1]), "storage server \(server) failed on days \(days.sorted())")
        }
        let added = rows.filter { $0.server >= 2 }.count, declaredOnDay1 = rows.filter { $0.server < 2 && day($0) == 1 }.count
        #expect(added > 10 && declaredOnDay1 > 10, "\(added) failures of the added servers, \(declaredOnDay1) of the declared on day 1")
    }

    /// A phase's storage goes to a tier that exists and declares its servers; the error names
    /// the file, line and column of the tier.
    @Test func storageForAnUnknownOrUndeclaredTierIsRejectedWhereItIsWritten() {
        for (tier, expected) in [("colt", "did you mean 'cold'"), ("warm", "does not declare its servers")] {
            var text = Self.text(jobs: "    - {submit: 0s, accelerators: 8, duration: 10s}")
                .replacingOccurrences(of: "storage: [{tier: cold", with: "storage: [{tier: \(tier)")
            if tier == "warm" {
                text = text.replacingOccurrences(of: "    tiers:\n", with: "    tiers:\n      - {name: warm, bandwidth: 80Gbps, iops: 1000}\n")
            }
            do {
                _ = try scenario(text)
                Issue.record("tier '\(tier)' accepted")
            } catch {
                let message = "\(error)"
                #expect(message.contains("test.yaml:7:"), "\(message)")
                #expect(message.contains(expected), "\(message)")
            }
        }
    }
}
