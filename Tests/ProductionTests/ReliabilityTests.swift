import Foundation
import Production
import Testing

/// The failure catalog and the checkpointing formulas, against their references.
@Suite struct ReliabilityTests {
    let models = ReliabilityCatalog.builtIn

    /// Reference: Llama 3 report Table 5 lists 419 unexpected interruptions in the 54-day
    /// snapshot on 16,384 H100 GPUs (2,048 servers): "one failure every three hours". The
    /// catalog's classes cover every row (they sum to 419), and a job of that size over that
    /// time expects each class's count and 419 in all (relative error below 1e-9).
    @Test func theCatalogReproducesTheLlama3Count() {
        #expect(ReliabilityCatalog.llama3Interruptions.values.reduce(0, +) == 419)
        let hours = ReliabilityCatalog.llama3SnapshotHours, job = ReliabilityCatalog.llama3Exposure
        for m in models where m.component.isServerPart {
            let expected = Double(job.units(of: m.component)) * m.ratePerHour * hours
            #expect(abs(expected / Double(ReliabilityCatalog.llama3Interruptions[m.component]!) - 1) < 1e-9, "\(m.component)")
        }
        #expect(abs(models.interruptionsPerHour(job) * hours / 419 - 1) < 1e-9)
        #expect(abs(models.mtbfHours(job) - 1296.0 / 419) < 1e-9)   // 3.09 h
        #expect(Set(models.map(\.component)) == Set(FailureComponent.allCases) && models.allSatisfy { !$0.source.isEmpty })
    }

    /// Reference: Gill, Jain, Nagappan (SIGCOMM 2011) measured top-of-rack switches failing
    /// with a probability of about 5% a year and aggregation switches about 10%: at a constant
    /// rate the catalog's MTTFs give back those probabilities (to 1e-12), and Singh et al.
    /// (SIGCOMM CCR 2021; 2% of switches within 3 months, about 8% a year) lies between them.
    @Test func theSwitchRatesGiveBackTheMeasuredAnnualProbabilities() {
        let year = 365.0 * 24
        let leaf = ReliabilityCatalog.model(.leaf), spine = ReliabilityCatalog.model(.spine)
        #expect(abs((1 - exp(-year / leaf.mttfHours)) - 0.05) < 1e-12)
        #expect(abs((1 - exp(-year / spine.mttfHours)) - 0.10) < 1e-12)
        let singhAnnual = 1 - pow(0.98, 4.0)
        #expect(1 - exp(-year / leaf.mttfHours) < singhAnnual && singhAnnual < 1 - exp(-year / spine.mttfHours))
        // A job's exposure counts the leaves it spans, and no spine or storage server.
        let job = FailureExposure(accelerators: 64, servers: 8, nicsPerServer: 8, leaves: 2)
        #expect(job.units(of: .leaf) == 2 && job.units(of: .spine) == 0 && job.units(of: .storage) == 0)
    }

    /// Reference: independent parts in series, so a job's interruption rate is the sum of its
    /// parts' rates and grows linearly with the servers it spans: 1,024 accelerators (128
    /// servers of 8) meet failures 128 times as often as 8; checked from 8 to 2,048.
    @Test func aJobsInterruptionRateGrowsLinearlyWithItsSize() {
        let one = models.interruptionsPerHour(FailureExposure(accelerators: 8, servers: 1, nicsPerServer: 8))
        for servers in [1, 2, 16, 128, 256] {
            let rate = models.interruptionsPerHour(FailureExposure(accelerators: 8 * servers, servers: servers, nicsPerServer: 8))
            #expect(abs(rate / one / Double(servers) - 1) < 1e-12, "\(servers) servers")
        }
    }

    /// Reference: a Weibull time to failure of shape 1 is exponential (its scale is the MTTF);
    /// a unit is down for detection plus its mix of reboots and repairs.
    @Test func shapesAndDownTimes() {
        let gpu = ReliabilityCatalog.model(.accelerator)
        #expect(abs(gpu.weibullScaleHours - gpu.mttfHours) < 1e-6)
        var wearOut = gpu
        wearOut.weibullShape = 2
        #expect(abs(wearOut.weibullScaleHours * tgamma(1.5) - gpu.mttfHours) < 1e-6)
        #expect(abs(gpu.meanDownHours - (0.1 + 0.3 * 0.25 + 0.7 * 72)) < 1e-12)
    }

    /// Reference: Daly (2006): T = M·e^{R/M}·(e^{(τ+δ)/M} − 1)·Ts/τ; without failures (M → ∞)
    /// it tends to Ts·(τ+δ)/τ; his higher-order interval is within 0.1% of the best on a fine
    /// grid of intervals, and Young's √(2δM) is close to it when δ ≪ M.
    @Test func dalysTimeAndOptimum() {
        let noFailures = Checkpointing.dalyExpectedS(workS: 1e6, intervalS: 3600, writeS: 60, restartS: 300, mtbfS: 1e15)
        #expect(abs(noFailures / (1e6 * 3660.0 / 3600) - 1) < 1e-6)
        for (writeS, mtbfS) in [(60.0, 3 * 3600.0), (300.0, 3 * 3600.0), (30.0, 24 * 3600.0)] {
            let tau = Checkpointing.dalyIntervalS(writeS: writeS, mtbfS: mtbfS)
            let t = { (x: Double) in Checkpointing.dalyExpectedS(workS: 1e7, intervalS: x, writeS: writeS, restartS: 600, mtbfS: mtbfS) }
            let best = stride(from: tau / 3, through: tau * 3, by: tau / 1000).map(t).min()!
            #expect(t(tau) <= best * 1.001, "δ \(writeS) M \(mtbfS)")
            let young = Checkpointing.youngIntervalS(writeS: writeS, mtbfS: mtbfS)
            #expect(abs(young / (tau + writeS) - 1) < 0.15, "δ \(writeS) M \(mtbfS)")
        }
        #expect(Checkpointing.dalyIntervalS(writeS: 100, mtbfS: 40) == 40)
        let ettr = Checkpointing.effectiveTimeRatio(workS: 1e7, intervalS: 1800, writeS: 60, restartS: 600, mtbfS: 3 * 3600)
        #expect(ettr > 0.7 && ettr < 0.95)
    }
}

/// The failure draws: their law, their independence from the order of other failures.
@Suite struct FailureDrawsTests {
    let draws = FailureDraws(seed: 42)

    /// Reference: the mean of an exponential (shape 1) or Weibull time to failure is the MTTF
    /// over the parts (the first of n exponential parts comes at rate n/MTTF); 20,000 draws
    /// land within 4 standard errors (σ/√N, σ from the Weibull's Γ moments); the transient
    /// share within 4 standard errors of a binomial.
    @Test(arguments: [1.0, 0.7, 2.0])
    func drawsFollowTheModel(shape: Double) {
        var model = ReliabilityCatalog.model(.accelerator)
        model.weibullShape = shape
        let n = 20_000, units = 8
        let times = (0..<n).map { draws.timeToFailureHours(model, units: units, server: 3, failure: $0) }
        let mean = times.reduce(0, +) / Double(n)
        let scale = model.weibullScaleHours / Double(units)
        let sd = scale * (tgamma(1 + 2 / shape) - pow(tgamma(1 + 1 / shape), 2)).squareRoot()
        #expect(abs(mean - model.mttfHours / Double(units)) < 4 * sd / Double(n).squareRoot(), "shape \(shape): mean \(mean)")
        let transient = (0..<n).filter { draws.isTransient(model, server: 3, failure: $0) }.count
        let p = model.transientShare
        #expect(abs(Double(transient) / Double(n) - p) < 4 * (p * (1 - p) / Double(n)).squareRoot())
    }

    @Test func aDrawDependsOnlyOnItsKey() {
        let gpu = ReliabilityCatalog.model(.accelerator), host = ReliabilityCatalog.model(.host)
        let a = draws.timeToFailureHours(gpu, units: 8, server: 1, failure: 5)
        #expect(a == FailureDraws(seed: 42).timeToFailureHours(gpu, units: 8, server: 1, failure: 5))
        #expect(a != draws.timeToFailureHours(gpu, units: 8, server: 2, failure: 5))
        #expect(a != draws.timeToFailureHours(gpu, units: 8, server: 1, failure: 6))
        #expect(a != FailureDraws(seed: 43).timeToFailureHours(gpu, units: 8, server: 1, failure: 5))
        #expect(draws.timeToFailureHours(host, units: 1, server: 1, failure: 5) != draws.timeToFailureHours(gpu, units: 1, server: 1, failure: 5) * host.mttfHours / gpu.mttfHours)
    }

    /// Reference: Daly's layout of a run (a restore, then segments of τ compute and a δ write,
    /// the last one shorter), worked by hand: τ = 10, δ = 2, restore 3, 25 of compute left.
    @Test func aCheckpointPlanSplitsARunsWork() {
        let plan = CheckpointPlan(intervalNs: 10, writeNs: 2, restartNs: 3)
        #expect(plan.workNs(computeNs: 25) == 25 + 3 * 2 && plan.workNs(computeNs: 20) == 24 && plan.workNs(computeNs: 0) == 0)
        // 3 restore + one segment (12) + 7 more of compute: 17 computed, 10 durable, the 7 lost.
        let a = plan.split(doneNs: 22, restoreNs: 3, computeLeftNs: 25)
        #expect(a == WorkSplit(restoreNs: 3, computeNs: 17, writeNs: 2, durableComputeNs: 10, sinceDurableNs: 7))
        // Cut one unit into the second write: 20 computed, 10 durable, 10 + 1 of a write lost.
        let b = plan.split(doneNs: 3 + 12 + 11, restoreNs: 3, computeLeftNs: 25)
        #expect(b == WorkSplit(restoreNs: 3, computeNs: 20, writeNs: 3, durableComputeNs: 10, sinceDurableNs: 11))
        // Inside the restore: nothing computed.
        #expect(plan.split(doneNs: 2, restoreNs: 3, computeLeftNs: 25) == WorkSplit(restoreNs: 2, computeNs: 0, writeNs: 0, durableComputeNs: 0, sinceDurableNs: 0))
        // Without checkpoints everything is lost; asynchronous writes keep a snapshot one write later.
        let none = CheckpointPlan(intervalNs: 0, writeNs: 2, restartNs: 3).split(doneNs: 20, restoreNs: 0, computeLeftNs: 25)
        #expect(none.durableComputeNs == 0 && none.sinceDurableNs == 20 && none.computeNs == 20)
        let async = CheckpointPlan(intervalNs: 10, writeNs: 2, asynchronous: true, restartNs: 3)
        #expect(async.workNs(computeNs: 25) == 25)
        #expect(async.split(doneNs: 21, restoreNs: 0, computeLeftNs: 25).durableComputeNs == 10)   // snapshot 2 (at 20) durable at 22
        #expect(async.split(doneNs: 22, restoreNs: 0, computeLeftNs: 25).durableComputeNs == 20)
    }

    /// Reference: Young's √(2δM) and Daly's interval, as whole nanoseconds, from a job's MTBF.
    @Test func aPolicyPlansTheOptimumForTheJobsMTBF() {
        let young = CheckpointPolicy(interval: .young, writeNs: 60_000_000_000, restartNs: 0).plan(mtbfHours: 3)
        #expect(abs(Double(young.intervalNs) / 1e9 - Checkpointing.youngIntervalS(writeS: 60, mtbfS: 3 * 3600)) < 1e-6)
        let daly = CheckpointPolicy(interval: .daly, writeNs: 60_000_000_000, restartNs: 0).plan(mtbfHours: 3)
        #expect(abs(Double(daly.intervalNs) / 1e9 - Checkpointing.dalyIntervalS(writeS: 60, mtbfS: 3 * 3600)) < 1e-6)
        #expect(CheckpointPolicy(interval: .fixed(5), writeNs: 1, restartNs: 0).plan(mtbfHours: 3).intervalNs == 5)
        #expect(CheckpointPolicy(interval: .none, writeNs: 1, restartNs: 0).plan(mtbfHours: 3).intervalNs == 0)
    }
}
