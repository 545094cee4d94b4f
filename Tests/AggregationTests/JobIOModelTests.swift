import Production
import Testing
import Aggregation

/// The I/O models that price a job's all-reduce without contention (through the one collective pricer).
@Suite struct JobIOModelTests {
    let a100 = AcceleratorCatalog.builtIn(named: "A100-80GB")!
    let dgxA100 = ServerCatalog.builtIn(named: "hgx-a100-8")!

    /// For a compute-only efficiency the no-contention I/O model adds the ring formula
    /// 2(p−1)/p·n/B, less the overlapped part; for an end-to-end one (the default: published
    /// MFUs include communication) it adds nothing, and the job takes 6·N·D / (GPUs × peak × MFU).
    @Test func noContentionRingAddsExposedCommunication() {
        let plan = Parallelism(data: 4, tensor: 8)   // 4 servers
        var work = TrainingWork.transformer(parameters: 7e9, tokens: 1e9, globalBatchTokens: 4e6, parallelism: plan, mfu: 0.5)
        let endToEnd = work.duration(on: a100, server: dgxA100, io: NoContentionIO(overlap: 0.5, storageBandwidthBytesPerS: 1e12))
        let sixND = 6 * 7e9 * (1e9 / 4e6).rounded(.up) * 4e6 / (32 * a100.peakFlopsPerS(.bf16) * 0.5)
        #expect(abs(endToEnd.totalSeconds / sixND - 1) < 1e-9, "\(endToEnd.totalSeconds) vs 6ND/(GPUs peak MFU) \(sixND)")
        work.efficiencyScope = .compute
        let io = NoContentionIO(overlap: 0.5, storageBandwidthBytesPerS: 1e12)
        let ideal = work.duration(on: a100, server: dgxA100, io: IdealIO())
        let real = work.duration(on: a100, server: dgxA100, io: io)
        // Shard 7e9/8 parameters × 2 bytes; ring over 4 ranks; bottleneck the NIC per GPU (200 Gb/s = 25 GB/s).
        let n = 7e9 / 8 * 2, ring = 2.0 * 3 / 4 * n / 25e9
        let perIteration = ring * 0.5
        let ingestAndCheckpoints = 0.0
        let expected = ideal.totalSeconds + perIteration * work.iterations + ingestAndCheckpoints
        #expect(abs(real.totalSeconds / expected - 1) < 1e-9)
        #expect(real.computeSeconds == ideal.computeSeconds)
    }
}
