import Center
import Configuration
import Foundation
import Records
import Scenario
import Testing

/// Traffic beyond data parallelism on the shared fabric: tensor-parallel rings, pipeline
/// transfers and expert all-to-all, each a flow of its own on the links where placement puts
/// it, on the critical path. References: the α–β time of each at the bandwidth of its
/// bottleneck link, summed with compute (allreduceOverlap 0, so nothing hides).
@Suite struct ModelParallelTests {
    /// 100G NICs (12.125 GB/s each at 97%), NVLink 370.8 GB/s, 5 µs inside a server and 10 µs
    /// between servers.
    static let nic = 100e9 / 8 * 0.97, nvlink = 450e9 * 0.824, gib = 1_073_741_824.0

    func endNs(_ allreduce: String, accelerators: Int = 16) throws -> Double {
        let s = try scenario("""
            cluster: {serversPerLeaf: 2, servers: [{name: h100, preset: hgx-h100-8, count: 4, nics: {count: 8, speed: 100Gbps}}]}
            io: {model: fabric, allreduceOverlap: 0}
            workload: {jobs: [{submit: 0s, accelerators: \(accelerators), duration: 100s, allreduce: {iteration: 1s, \(allreduce)}}]}
            """)
        let sink = CollectingSink()
        _ = try CenterRun.run(s, sink: sink)
        let job = try #require(sink.jobs.first)
        return Double(job.endNs - job.startNs)
    }

    func expected(iterationS: Double) -> Double { (100 * iterationS * 1e9).rounded(.up) }

    /// Two pipeline stages of 8 on two servers, one replica: every rank sends to its peer in the
    /// next stage on its own NIC rail, both ways, 1 GiB a step at one NIC's 12.125 GB/s.
    @Test func pipelineStagesSendAcrossTheirBoundary() throws {
        let t = try endNs("bytes: 1GiB, tensorParallel: 8, pipelineParallel: 2, pipelineBytes: 1GiB")
        #expect(abs(t - expected(iterationS: 1 + 10e-6 + Self.gib / Self.nic)) <= 1, "\(t)")
    }

    /// Tensor parallelism inside each server (two replicas of 8): each group's ring has NVLink
    /// to itself, 2·7/8 of 1 GiB at 370.8 GB/s after 14 steps of 5 µs; the data-parallel rings
    /// (one per replica rank, 2 ranks on two servers, one NIC rail each) add 2 × 10 µs +
    /// 1/2 × 2 × 256 MiB / 12.125 GB/s. Across servers (one replica of 16) the ring goes at a
    /// NIC's pace instead: over 5 times the communication per iteration.
    @Test func tensorParallelRingsRunWherePlacementPutsThem() throws {
        let inside = try endNs("bytes: 256MiB, tensorParallel: 8, tensorBytes: 1GiB")
        let tp = 14 * 5e-6 + 2 * 7.0 / 8 * Self.gib / Self.nvlink
        let dp = 2 * 10e-6 + Self.gib / 4 / Self.nic
        #expect(abs(inside - expected(iterationS: 1 + dp + tp)) <= 1, "\(inside)")
        let across = try endNs("bytes: 256MiB, tensorParallel: 16, tensorBytes: 1GiB")
        let ring = 28 * 5e-6 + 2 * 10e-6 + 2 * 15.0 / 16 * Self.gib / Self.nic
        #expect(abs(across - expected(iterationS: 1 + ring)) <= 1, "\(across)")
        #expect(across / 1e11 - 1 > 5 * (inside / 1e11 - 1), "communication per iteration: across \(across / 1e11 - 1) s, inside \(inside / 1e11 - 1) s")
    }

    /// Expert parallelism over two replicas of 8: rank i of each replica exchanges half of
    /// 1 GiB with its peer in the other, on NIC rail i, in one step of 10 µs. The job's
    /// data-parallel ring through rank i of both replicas crosses the same two NICs, and the
    /// job's kinds of traffic run concurrently (both in the backward pass), so each stream gets
    /// half of the NIC: max-min, the job's own flows like any other.
    @Test func expertAllToAllExchangesBetweenReplicas() throws {
        let t = try endNs("bytes: 256MiB, tensorParallel: 8, expertParallel: 2, expertBytes: 1GiB")
        let dp = 2 * 10e-6 + Self.gib / 4 / (Self.nic / 2)
        let ep = 10e-6 + Self.gib / 2 / (Self.nic / 2)
        #expect(abs(t - expected(iterationS: 1 + dp + ep)) <= 1, "\(t)")
    }

    /// Traffic without its degree is bad input, located at its key.
    @Test func trafficNeedsItsDegree() {
        do {
            _ = try scenario("""
                cluster: {servers: [{name: h100, preset: hgx-h100-8, count: 2}]}
                io: {model: fabric}
                workload: {jobs: [{submit: 0s, accelerators: 16, duration: 10s, allreduce: {bytes: 1GiB, iteration: 1s, pipelineBytes: 1GiB}}]}
                """)
            Issue.record("accepted pipelineBytes without pipelineParallel")
        } catch {
            #expect("\(error)".contains("pipelineBytes needs pipelineParallel of at least 2"), "\(error)")
        }
    }
}

/// In-switch reduction in runs (`io.fabric.allreduce`). References: the tool's formulas for a
/// job alone, allreduceOverlap 0: NVLink SHARP inside one H100 server, 2 × 5 µs + n / 274.3
/// GB/s (480 × 8/14); a switch reduction over two H100 servers, NCCL's 44 µs + n at NVLink
/// SHARP's pace (the 8 × 48.5 GB/s of NIC rails are more); over two A100 servers (no NVLS)
/// inside rings at 300 × 0.824 GB/s, 2 × 7/8 per byte. Rings stay where the algorithm does not
/// apply (a ring is the default).
@Suite struct RunAllReduceAlgorithmTests {
    func seconds(_ preset: String, accelerators: Int, algorithm: String) throws -> Double {
        let s = try scenario("""
            cluster: {servers: [{name: s, preset: \(preset), count: 2}]}
            io: {model: fabric, allreduceOverlap: 0, fabric: {allreduce: \(algorithm)}}
            workload: {jobs: [{submit: 0s, accelerators: \(accelerators), duration: 100s, allreduce: {bytes: 1GiB, iteration: 1s}}]}
            """)
        let sink = CollectingSink()
        _ = try CenterRun.run(s, sink: sink)
        let job = try #require(sink.jobs.first)
        return Double(job.endNs - job.startNs)
    }

    @Test func inSwitchReductionWherePlacementAllows() throws {
        let n = 1_073_741_824.0, nvls = 480e9 * 8 / 14
        func end(_ allReduceS: Double) -> Double { (100 * (1 + allReduceS) * 1e9).rounded(.up) }
        #expect(abs(try seconds("hgx-h100-8", accelerators: 8, algorithm: "nvls") - end(10e-6 + n / nvls)) <= 1)
        #expect(abs(try seconds("hgx-h100-8", accelerators: 16, algorithm: "sharp") - end(44e-6 + n / nvls)) <= 1)
        #expect(abs(try seconds("hgx-a100-8", accelerators: 16, algorithm: "sharp") - end(44e-6 + 2 * 7.0 / 8 * n / (300e9 * 0.824))) <= 1)
        // NVLS needs one NVSwitch server of Hopper or later; elsewhere the ring runs.
        #expect(try seconds("hgx-h100-8", accelerators: 16, algorithm: "nvls") == (try seconds("hgx-h100-8", accelerators: 16, algorithm: "ring")))
        #expect(try seconds("hgx-a100-8", accelerators: 8, algorithm: "sharp") == (try seconds("hgx-a100-8", accelerators: 8, algorithm: "ring")))
        #expect(try seconds("hgx-h100-8", accelerators: 16, algorithm: "sharp") < (try seconds("hgx-h100-8", accelerators: 16, algorithm: "ring")))
    }

    @Test func anUnknownAlgorithmIsLocated() {
        do {
            _ = try scenario("""
                cluster: {servers: [{name: s, preset: hgx-h100-8, count: 2}]}
                io: {model: fabric, fabric: {allreduce: tree}}
                """)
            Issue.record("accepted allreduce: tree")
        } catch {
            #expect("\(error)".contains("unknown value 'tree'") && "\(error)".contains("ring, nvls, sharp"), "\(error)")
        }
    }
}
