import Center
import Configuration
import Foundation
import Records
import Scenario
import Testing

/// Training jobs on the shared fabric (`io.model: fabric`), end to end through a run.
@Suite struct NetworkTests {
    /// Reference: the α–β ring formula. A 16-rank job packed on two HGX H100 servers alone on the
    /// fabric runs each 1 s iteration plus its exposed all-reduce, 2(p−1)·α + 2(p−1)/p·n/B with
    /// B = NVLink's one-way 450 GB/s × 0.824 (the 8 NIC rails' 8 × 48.5 GB/s are more) and the
    /// latency counted per step as NCCL counts steps: of the 30 steps, 2 cross the network at
    /// 10 µs and 28 stay inside a server at 5 µs; its completion time equals 1000 such
    /// iterations to the nanosecond (rounded up).
    @Test func aloneOnTheFabricTheRingMatchesAlphaBeta() throws {
        let s = try scenario("""
            cluster: {servers: [{name: h100, preset: hgx-h100-8, count: 4}]}
            io: {model: fabric, allreduceOverlap: 0.25}
            workload: {jobs: [{submit: 0s, accelerators: 16, duration: 1000s, allreduce: {bytes: 1GiB, iteration: 1s}}]}
            """)
        let sink = CollectingSink()
        _ = try CenterRun.run(s, sink: sink)
        let p = 16.0, n = 1_073_741_824.0
        let allReduceS = 28 * 5e-6 + 2 * 10e-6 + 2 * (p - 1) / p * n / (450e9 * 0.824)
        let expectedNs = (1000 * (1 + allReduceS * 0.75) * 1e9).rounded(.up)
        let job = try #require(sink.jobs.first)
        #expect(abs(Double(job.endNs) - expectedNs) <= 1, "\(job.endNs) ns vs \(expectedNs) ns")
        let c = try #require(sink.collectives.first)
        #expect(sink.collectives.count == 1 && c.ranks == 16 && abs(c.iterations - 1000) < 1e-6)
        #expect(abs(c.busbwGBps - n / allReduceS * 2 * (p - 1) / p / 1e9) < 1e-6)
        #expect(abs(job.communicationShare - allReduceS * 0.75 / (1 + allReduceS * 0.75)) < 1e-12)
    }

    /// One meaning of MFU. Reference: 6·N·D / (GPUs × peak × MFU) for a GPT-3-class job (175 B
    /// parameters, 300 B tokens, 1,024 A100s at the LLM family's end-to-end 45%). Published MFUs
    /// are end to end, so the job takes that time with ideal I/O, under the default
    /// (no-contention) model and alone on the shared fabric, within 1% (storage at 1,000 Tb/s);
    /// with `mfuScope: compute` the default model adds the exposed all-reduce on top.
    @Test func endToEndMFUCountsCommunicationOnce() throws {
        func jobSeconds(_ io: String, scope: String = "") throws -> Double {
            let s = try scenario("""
                name: gpt3-class
                horizon: 40d
                cluster: {servers: [{name: training, preset: hgx-a100-8, count: 128}]}
                io: {model: \(io), storageBandwidthPerJob: 1000Tbps}
                workload:
                  applications:
                    - name: llm-lab
                      tenants: [{name: lab, type: research}]
                      models: [{name: gpt3, family: llm, parameters: 175B, batch: 3145728\(scope)}]
                      jobs: [{kind: training, model: gpt3, perDay: 2, accelerators: 1024, samples: 300B, epochs: 1}]
                """)
            let sink = CollectingSink()
            _ = try CenterRun.run(s, sink: sink)
            let job = try #require(sink.jobs.first { $0.endNs >= 0 })
            return Double(job.endNs - job.startNs) / 1e9
        }
        let iterations = (300e9 / 3_145_728).rounded(.up)
        let sixND = 6 * 175e9 * iterations * 3_145_728 / (1024 * 312e12 * 0.45)
        for io in ["ideal", "no_contention", "fabric"] {
            let t = try jobSeconds(io)
            #expect(abs(t / sixND - 1) < 0.01, "\(io): \(t) s against 6ND/(GPUs peak MFU) \(sixND) s")
        }
        #expect(try jobSeconds("no_contention", scope: ", mfuScope: compute") > 1.01 * sixND, "a compute-only MFU adds the all-reduce")
    }

    /// Exact arithmetic: 700.25 ns inside a server and 936.25 ns between servers are kept to the
    /// quarter nanosecond, summed over the ring's steps (28 inside, 2 across) and 1,000
    /// iterations, and the job's end is rounded once. The same α–β reference as above; rounding
    /// each step to whole nanoseconds would move the end by 1000 × 30 × 0.25 ns × 0.75 = 5,625
    /// ns, and charging every step the slowest hop's 936.25 ns by 1000 × 28 × 236 ns × 0.75.
    @Test func fractionalLatencyIsSummedExactlyAndRoundedOnce() throws {
        let s = try scenario("""
            cluster: {servers: [{name: h100, preset: hgx-h100-8, count: 4}]}
            io: {model: fabric, allreduceOverlap: 0.25, fabric: {intraLatency: 700.25ns, interLatency: 936.25ns}}
            workload: {jobs: [{submit: 0s, accelerators: 16, duration: 1000s, allreduce: {bytes: 1GiB, iteration: 1s}}]}
            """)
        #expect(s.io.fabric.interLatency.nanoseconds == 936.25 && s.io.fabric.interLatency.description == "936.25ns")
        let sink = CollectingSink()
        _ = try CenterRun.run(s, sink: sink)
        let p = 16.0, n = 1_073_741_824.0
        func endNs(latencyS: Double) -> Double {
            let allReduceS = latencyS + 2 * (p - 1) / p * n / (450e9 * 0.824)
            return (1000 * (1 + allReduceS * 0.75) * 1e9).rounded(.up)
        }
        let exact = endNs(latencyS: 28 * 700.25e-9 + 2 * 936.25e-9)
        let job = try #require(sink.jobs.first)
        #expect(abs(Double(job.endNs) - exact) <= 1, "\(job.endNs) ns vs \(exact) ns")
        #expect(abs(Double(job.endNs) - endNs(latencyS: 28 * 700e-9 + 2 * 936e-9)) > 5_000, "the latency was rounded per step")
        #expect(abs(Double(job.endNs) - endNs(latencyS: 30 * 936.25e-9)) > 1_000_000, "every step paid the slowest hop")
    }

    /// Reference: max-min fairness on one bottleneck. Two 12-rank jobs on three servers share
    /// the middle server (4 accelerators each), so both send through its NICs: each gets half of
    /// its 8 × 48.5 GB/s (194 GB/s), where alone it would get NVLink's 370.8 GB/s.
    @Test func twoRingsThroughOneServerShareItsNICsEqually() throws {
        let s = try scenario("""
            cluster: {servers: [{name: h100, preset: hgx-h100-8, count: 3}]}
            io: {model: fabric}
            workload:
              jobs:
                - {submit: 0s, accelerators: 12, duration: 100s, allreduce: {bytes: 1GiB, iteration: 1s}}
                - {submit: 0s, accelerators: 12, duration: 100s, allreduce: {bytes: 1GiB, iteration: 1s}}
            """)
        let sink = CollectingSink()
        _ = try CenterRun.run(s, sink: sink)
        let p = 12.0, n = 1_073_741_824.0
        func bandwidth(_ c: CollectiveRecord) -> Double {
            let t = n / (c.algbwGBps * 1e9)
            return 2 * (p - 1) / p * n / (t - (20 * 5e-6 + 2 * 10e-6))   // 22 steps, 2 of them between the job's two servers
        }
        let first = sink.collectives.filter { $0.startNs == 0 }
        #expect(first.count == 2)
        for c in first { #expect(abs(bandwidth(c) / 194e9 - 1) < 1e-9, "\(bandwidth(c)) B/s") }
    }

    /// Reference: proportionality. Eight 64-rank jobs spread one server per leaf over all eight
    /// leaves load every leaf uplink with eight rings; at 1:1 the uplinks and the NICs bind
    /// together (97 GB/s per rank), at 2:1 and 4:1 the uplinks alone, so the all-reduce takes 2×
    /// and 4× as long (within 0.1%).
    @Test func oversubscriptionSlowsSpineBoundAllReduceInProportion() throws {
        var jobs = ""
        for _ in 0..<8 { jobs += "    - {submit: 0s, accelerators: 64, duration: 600s, allreduce: {bytes: 4GiB, iteration: 1s}}\n" }
        func allReduceSeconds(_ oversubscription: Int) throws -> Double {
            let s = try scenario("""
                cluster:
                  serversPerLeaf: 8
                  servers: [{name: h100, preset: hgx-h100-8, count: 64, nics: {count: 8, speed: 100Gbps}}]
                io: {model: fabric, fabric: {oversubscription: \(oversubscription)}}
                scheduling: {placement: spread}
                workload:
                  jobs:
                \(jobs)
                """)
            let sink = CollectingSink()
            _ = try CenterRun.run(s, sink: sink)
            let first = sink.collectives.filter { $0.startNs == 0 }
            #expect(first.count == 8)
            #expect(sink.jobs.allSatisfy { $0.leavesSpanned == 8 && $0.serversSpanned == 8 })
            return 4_294_967_296.0 / (first[0].algbwGBps * 1e9)
        }
        let one = try allReduceSeconds(1), two = try allReduceSeconds(2), four = try allReduceSeconds(4)
        let latency = 112 * 5e-6 + 14 * 10e-6   // 126 steps, 14 of them between the job's 8 servers
        #expect(abs((two - latency) / (one - latency) - 2) < 0.002, "2:1 \(two) s vs 1:1 \(one) s")
        #expect(abs((four - latency) / (one - latency) - 4) < 0.004, "4:1 \(four) s vs 1:1 \(one) s")
    }

    /// Contention matters: in the shipped fabric-contention scenario, rings spread across
    /// leaves (`spread`) run measurably slower than rings kept under one leaf (`topology`).
    @Test func spreadPlacementIsSlowerThanTopologyAware() throws {
        func run(_ placement: String) throws -> RunSummary {
            try CenterRun.run(shippedScenario("Scenarios/examples/fabric-contention.yaml", ["scheduling.placement=\(placement)"]), sink: NullSink()).summary
        }
        let spread = try run("spread"), topology = try run("topology")
        func busbw(_ s: RunSummary) -> Double {
            if case .real(let v)? = s.network.first(where: { $0.0 == "allreduce_busbw_gbps_p50" })?.1 { return v }
            return .nan
        }
        #expect(spread.jctMeanS > topology.jctMeanS * 1.05, "spread \(spread.jctMeanS) s vs topology \(topology.jctMeanS) s")
        #expect(busbw(spread) < busbw(topology) * 0.8)
    }

    /// A scenario that prices an all-reduce without the fabric model is bad input, located.
    @Test func allReduceNeedsTheFabricModel() {
        #expect(throws: ScenarioError.self) {
            try scenario("""
                cluster: {servers: [{name: h100, preset: hgx-h100-8, count: 2}]}
                workload: {jobs: [{submit: 0s, accelerators: 16, duration: 10s, allreduce: {bytes: 1GiB, iteration: 1s}}]}
                """)
        }
    }

    /// A job's communication share is its own: the time-weighted exposed share of its
    /// `/collectives` stretches, and 0 for a job with none, even in a slot a communicating job
    /// used before it (slots are recycled).
    @Test func communicationShareBelongsToItsJob() throws {
        let s = try shippedScenario("Scenarios/city-center.yaml", ["horizon=1d", "io.model=fabric"])
        let sink = CollectingSink()
        _ = try CenterRun.run(s, sink: sink)
        var exposed: [Int64: Double] = [:], run: [Int64: Double] = [:]
        for c in sink.collectives {
            let ns = Double(c.endNs - c.startNs)
            exposed[c.job, default: 0] += ns * c.exposedShare
            run[c.job, default: 0] += ns
        }
        #expect(!run.isEmpty && sink.jobs.count > run.count)
        for j in sink.jobs {
            if let r = run[j.id], r > 0 {
                #expect(abs(j.communicationShare - exposed[j.id]! / r) < 1e-9, "job \(j.id)")
            } else {
                #expect(j.communicationShare == 0, "job \(j.id) has no all-reduce but a share of \(j.communicationShare)")
            }
        }
    }
}
