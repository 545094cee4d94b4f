import Configuration
import Foundation
import Metrics
import Production
import Records
import Scenario
import SimKernel
import Testing
import Workloads

/// Failures and recovery in runs, against the classic checkpointing formula (Daly 2006), the
/// component rates (a job's interruptions grow linearly with the servers it spans) and the
/// Llama 3 report's count of interruptions.
@Suite struct FailureRecoveryTests {
    /// A pool of `servers` 8-accelerator servers with one listed job of `accelerators` running
    /// `duration`, and a `failures` section.
    static func center(servers: Int, accelerators: Int, duration: String, horizon: String, failures: String) -> String {
        """
        horizon: \(horizon)
        cluster:
          servers:
            - {name: s, count: \(servers), acceleratorsPerServer: 8}
        workload:
          jobs:
            - {submit: 0s, accelerators: \(accelerators), duration: \(duration)}
        failures:
        \(failures)
        """
    }

    /// Every class but `host` made (nearly) immortal: the job's failures are the host's, with
    /// the given MTTF, cleared by a 1 s reboot detected at once.
    static let hostOnly = """
          classes:
            accelerator: {mttf: 800000h}
            nic: {mttf: 800000h}
            network: {mttf: 800000h}
            software: {mttf: 800000h}
            host: {mttf: 10h, transientShare: 1, detect: 0s, reboot: 1s}
        """

    /// Reference: J. T. Daly, "A higher order estimate of the optimum checkpoint interval for
    /// restart dumps" (FGCS 22, 2006), eq. (13): a job of Ts of work checkpointing every τ of
    /// compute (a write of δ each), restarting in R after each failure of a Poisson process of
    /// mean M, takes T = M·e^{R/M}·(e^{(τ+δ)/M} − 1)·Ts/τ on average. One 8-accelerator job of
    /// 24 h on one of two servers (M ≈ 10 h, δ = 5 min, R = 10 min), 300 seeds per interval:
    /// the mean completion time is within the 95% confidence interval of Daly's T for τ of
    /// 30 min, 1.2 h and 6 h, and the interval with the lowest mean is the one nearest Daly's
    /// optimum (1.24 h).
    @Test func meanCompletionMatchesDalysFormula() throws {
        let tauHours = [0.5, 1.2, 6.0]
        var means: [Double] = []
        for tau in tauHours {
            let text = Self.center(servers: 2, accelerators: 8, duration: "24h", horizon: "10d", failures: Self.hostOnly + """

              restart: 10min
              checkpoint: {interval: \(Int(tau * 60))min, write: 5min}
            """)
            let base = try scenario(text)
            let models = try #require(base.failures).settings(pools: ["default"]).models
            let mtbfS = models.mtbfHours(FailureExposure(accelerators: 8, servers: 1, nicsPerServer: base.cluster.servers[0].nics.count)) * 3600
            let daly = Checkpointing.dalyExpectedS(workS: 24 * 3600, intervalS: tau * 3600, writeS: 300, restartS: 600, mtbfS: mtbfS)
            var times: [Double] = []
            for seed in 1...300 {
                var s = base
                s.seed = UInt64(seed)
                let sink = CollectingSink()
                let summary = try CenterRun.run(s, sink: sink).summary
                let job = try #require(sink.jobs.first { $0.state == .completed })
                times.append(Double(job.endNs - job.startNs) / 1e9)
                // The summary's ETTR of the one job: its compute over its time from start to end.
                if seed <= 3, case .object(let f)? = summary.fields.first(where: { $0.0 == "failures" })?.1 {
                    #expect(abs(figure(f, "ettr") - 24 * 3600 / times.last!) < 1e-9)
                    #expect(Int64(figure(f, "jobs_interrupted")) == Int64(job.interruptions))
                }
            }
            let n = Double(times.count), mean = times.reduce(0, +) / n
            let sd = (times.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
            let half = 1.96 * sd / n.squareRoot()
            #expect(abs(mean - daly) <= half, "τ \(tau) h: simulated \(mean / 3600) ± \(half / 3600) h, Daly \(daly / 3600) h")
            means.append(mean)
        }
        let optimum = Checkpointing.dalyIntervalS(writeS: 300, mtbfS: 10 * 3600) / 3600
        let best = tauHours[means.indices.min { means[$0] < means[$1] }!]
        let nearest = tauHours.min { abs($0 - optimum) < abs($1 - optimum) }!
        #expect(best == nearest, "lowest simulated time at τ \(best) h; Daly's optimum \(optimum) h")
    }

    /// Reference: independent parts in series (the catalog's rates per accelerator, server and
    /// NIC): a job spanning n servers is interrupted n times as often as one on one server.
    /// Jobs of 8, 64, 512 and 2,048 accelerators, each filling its own pool for 30 days at 20×
    /// the calibrated rates (reboots of 1 s, so the job runs all the time): each job's
    /// interruptions are within 3σ (Poisson) of n × the one-server rate × time.
    @Test func interruptionsGrowLinearlyWithTheServersAJobSpans() throws {
        let quick = ["accelerator", "host", "nic", "network", "software"].map { "    \($0): {transientShare: 1, detect: 0s, reboot: 1s}" }.joined(separator: "\n")
        let failures = "  rateScale: 20\n  restart: 1s\n  classes:\n" + quick
        var perServer: [Double] = []
        for servers in [1, 8, 64, 256] {
            let s = try scenario(Self.center(servers: servers, accelerators: 8 * servers, duration: "60d", horizon: "30d", failures: failures))
            let sink = CollectingSink()
            _ = try CenterRun.run(s, sink: sink)
            let job = try #require(sink.jobs.first)
            let models = try #require(s.failures).settings(pools: ["default"]).models
            let rate = models.interruptionsPerHour(FailureExposure(accelerators: 8 * servers, servers: servers, nicsPerServer: s.cluster.servers[0].nics.count))
            let expected = rate * 720
            #expect(abs(Double(job.interruptions) - expected) <= 3 * expected.squareRoot() + 1,
                    "\(servers) servers: \(job.interruptions) interruptions, expected \(expected)")
            perServer.append(Double(job.interruptions) / Double(servers))
        }
        // The 2,048-accelerator job meets about 256 times the failures of the 8-accelerator one.
        #expect(perServer[3] > 0 && abs(perServer[3] / (perServer[2]) - 1) < 0.25)
    }

    /// Reference: the Llama 3 report (Meta 2024, Table 5): 419 unexpected interruptions in a
    /// 54-day snapshot of pre-training on 16,384 H100 GPUs (2,048 servers), every server running
    /// the job. With the calibrated defaults, 2,048 HGX H100 servers kept busy for 54 days (a
    /// job of 8 accelerators on each, arriving in the first minutes) fail a number of times
    /// within 3σ of 419 (a Poisson count: σ = √419 ≈ 20.5), every class within 3σ of its row of
    /// the table (software strikes only busy servers: the servers down for a repair are idle,
    /// about 0.5% of the time).
    @Test func theCalibratedDefaultsReproduceTheLlama3Count() throws {
        let text = """
        horizon: 54d
        cluster:
          servers:
            - {name: h100, preset: hgx-h100-8, count: 2048}
        workload:
          classes:
            - {name: fill, jobs: 2048, interarrival: {dist: exponential, mean: 1s}, accelerators: 8, duration: 60d}
        failures: {}
        """
        let sink = CollectingSink()
        let result = try CenterRun.run(try scenario(text), sink: sink)
        let n = sink.failures.count
        #expect(abs(Double(n) - 419) <= 3 * 419.0.squareRoot(), "\(n) failures in 54 days on 2,048 servers")
        for (c, expected) in ReliabilityCatalog.llama3Interruptions {
            let k = FailureComponent.allCases.firstIndex(of: c)!
            let seen = sink.failures.filter { Int($0.component) == k }.count
            #expect(abs(Double(seen - expected)) <= 3 * Double(expected).squareRoot() + 1, "\(c): \(seen) against \(expected)")
        }
        guard case .object(let section)? = result.summary.fields.first(where: { $0.0 == "failures" })?.1 else {
            Issue.record("the summary has no failures section")
            return
        }
        #expect(figure(section, "failures") == Double(n))
    }

    /// Reference: thinning a Poisson process. Software failures strike only servers where a job
    /// runs (the Llama 3 count is per server a job spans): one job on 8 of 16 servers for 30
    /// days, software failing every 24 h per server (1 s reboots, 1 s restarts), meets a number
    /// of software failures within 3σ of 8 × 720 h / 24 h = 240 (not the 480 of all 16 servers),
    /// each of them hitting the job.
    @Test func softwareFailsOnlyWhereAJobRuns() throws {
        let immortal = ["accelerator", "host", "nic", "network"].map { "    \($0): {mttf: 800000h}" }.joined(separator: "\n")
        let failures = "  restart: 1s\n  classes:\n" + immortal + "\n    software: {mttf: 24h, transientShare: 1, detect: 0s, reboot: 1s}"
        let sink = CollectingSink()
        _ = try CenterRun.run(try scenario(Self.center(servers: 16, accelerators: 64, duration: "60d", horizon: "30d", failures: failures)), sink: sink)
        let software = Int8(FailureComponent.allCases.firstIndex(of: .software)!)
        let rows = sink.failures.filter { $0.component == software }
        #expect(abs(Double(rows.count) - 240) <= 3 * 240.0.squareRoot(), "\(rows.count) software failures, expected 240")
        #expect(rows.allSatisfy { $0.jobsHit == 1 })
    }

    /// Reference: the work model's checkpoints (16 bytes per parameter every hour of compute,
    /// written at `io.storageBandwidthPerJob`, 10 GB/s by default) are in a training job's
    /// duration without failures; with failures they are the run's: the same jobs arrive (same
    /// submission times, sizes and models), each duration shorter by exactly its hourly writes,
    /// and the job carries its checkpoint size for the plan, whose write takes size / bandwidth.
    /// Without a storage system (the city's is left out): with one, the writes stream to its
    /// checkpoint tier instead (`StorageTests`).
    @Test func withFailuresTheRunPlansTheCheckpointsOfApplicationJobs() throws {
        let off = try shippedScenario("Scenarios/city-center.yaml", ["horizon=6h", "io.storage=null"])
        let on = try shippedScenario("Scenarios/city-center.yaml", ["horizon=6h", "io.storage=null", "failures={}"])
        func jobs(_ s: Scenario) throws -> [JobSpec] {
            let plan = try DemandPlan(s, streams: RandomStreams(masterSeed: s.seed), horizonNs: s.horizon!.baseUnits)
            return plan.sources.flatMap { source -> [JobSpec] in
                var out: [JobSpec] = []
                while out.count < 200, let j = source.next() { out.append(j) }
                return out
            }
        }
        let a = try jobs(off), b = try jobs(on)
        #expect(a.count == b.count && a.count > 1_000)
        var checked = 0
        for (x, y) in zip(a, b) {
            #expect(x.submitNs == y.submitNs && x.accelerators == y.accelerators && x.model == y.model && x.kind == y.kind)
            guard y.checkpointBytes > 0, y.storage == nil else { continue }
            let writes = Double(x.durationNs - y.durationNs) / 1e9
            let perWrite = y.checkpointBytes / 10e9
            let count = (writes / perWrite).rounded()
            #expect(count >= 0 && abs(writes - count * perWrite) < 1e-3 + 1e-9 * Double(x.durationNs), "\(writes) s is not a whole number of \(perWrite) s writes")
            if count > 0 { checked += 1 }
        }
        #expect(checked > 10, "jobs long enough to checkpoint")
        let settings = try #require(on.failures).settings(pools: [], checkpointBandwidthBytesPerS: 10e9)
        #expect(settings.checkpoint.plan(mtbfHours: 100, checkpointBytes: 2.4e12).writeNs == 240_000_000_000)
        #expect(settings.checkpoint.plan(mtbfHours: 100).writeNs == 60_000_000_000)
    }
}
