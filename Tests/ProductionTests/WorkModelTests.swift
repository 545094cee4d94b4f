import Testing
@testable import Production

@Suite struct WorkModelTests {
    let a100 = AcceleratorCatalog.builtIn(named: "A100-80GB")!
    let dgxA100 = ServerCatalog.builtIn(named: "hgx-a100-8")!

    /// REFERENCES.md §3: GPT-3 (175B parameters, 300B tokens) needs 6·N·D ≈ 3.14e23 FLOPs
    /// (Brown et al. 2020); on 1,024 A100 at 52% MFU (Megatron-LM, Narayanan et al. SC'21) it
    /// takes 6·N·D / (GPUs × peak × MFU). Tolerance 1%.
    @Test func gpt3OnA100MatchesSixND() {
        let plan = Parallelism(data: 16, tensor: 8, pipeline: 8)
        #expect(plan.accelerators == 1_024)
        let work = TrainingWork.transformer(parameters: 175e9, tokens: 300e9, globalBatchTokens: 1_536 * 2_048,
                                            parallelism: plan, mfu: 0.52)
        #expect(abs(work.totalFlops / 3.14e23 - 1) < 0.01)
        let d = work.duration(on: a100, server: dgxA100, io: IdealIO())
        let expected = 6 * 175e9 * 300e9 / (1_024 * 312e12 * 0.52)
        #expect(abs(d.totalSeconds / expected - 1) < 0.01, "\(d.totalSeconds) s vs \(expected) s")
        // About 21.9 days.
        #expect(abs(d.totalSeconds / 86_400 - 21.9) < 0.1)
    }

    /// Without an MFU the family default applies (LLM 45%, inside the published 35–55% band).
    @Test func defaultMFUIsInThePublishedBand() {
        let h100 = AcceleratorCatalog.builtIn(named: "H100-SXM")!
        let u = modelFlopsUtilization(family: .llm, override: nil, on: h100)
        #expect(u >= 0.35 && u <= 0.55)
        let npu = AcceleratorCatalog.builtIn(named: "Ascend-910B")!
        #expect(modelFlopsUtilization(family: .llm, override: nil, on: npu) < u)
    }

    /// Roofline: a 7B model at batch 1 on an A100 is memory-bound (weights 14 GB / 2 TB/s ≈ 7 ms
    /// per token at 80% of peak bandwidth is 8.6 ms); large batches become compute-bound.
    @Test func inferenceRooflineSwitchesBound() {
        let w = InferenceWork(flopsPerRequest: 2 * 7e9, weightBytes: 14e9, bytesPerRequest: 1e6, computeEfficiency: 0.5, memoryEfficiency: 0.8)
        let t1 = w.batchSeconds(batch: 1, on: a100)
        #expect(abs(t1 - (14e9 + 1e6) / (2_039e9 * 0.8)) < 1e-12)
        let t4k = w.batchSeconds(batch: 4_096, on: a100)
        #expect(abs(t4k - 4_096 * 14e9 / (312e12 * 0.5)) < 1e-9)
        #expect(w.throughputPerS(batch: 64, on: a100) > 30 * w.throughputPerS(batch: 1, on: a100))
        let replicas = w.replicasNeeded(requestRatePerS: 1_000, maxBatch: 64, latencyTargetS: 0.05, on: a100)
        let b = w.bestBatch(maxBatch: 64, latencyTargetS: 0.05, on: a100)
        #expect(w.batchSeconds(batch: b, on: a100) <= 0.05)
        #expect(Double(replicas) >= 1_000 / (w.throughputPerS(batch: b, on: a100) * 0.7))
    }

    /// Successive halving with η = 3 over 27 trials and 3 rungs: 27 start, 9 reach rung 1, 3 reach
    /// rung 2 (full budget); budgets 1/9, 1/3 and 1.
    @Test func successiveHalvingBudgets() {
        let f = SuccessiveHalving(trials: 27, eta: 3, rungs: 3).budgetFractions
        #expect(f.count == 27)
        #expect(f.filter { $0 == 1 }.count == 3)
        #expect(f.filter { abs($0 - 1.0 / 3) < 1e-12 }.count == 6)
        #expect(f.filter { abs($0 - 1.0 / 9) < 1e-12 }.count == 18)
    }

    @Test func parallelismPlanKeepsTensorInsideServer() {
        let p = Parallelism.forAccelerators(64, maxTensor: 8)
        #expect(p.tensor == 8 && p.data == 8 && p.accelerators == 64)
        #expect(Parallelism.forAccelerators(6, maxTensor: 8).accelerators == 6)
    }
}
