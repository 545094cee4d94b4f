import Production
import SimKernel
import Testing
@testable import Workloads

@Suite struct ArrivalCycleTests {
    /// Thinning reproduces a non-homogeneous Poisson process: over four weeks the count is
    /// λ·T within 4 standard deviations (Poisson: σ = √(λT)), and the share of arrivals in each
    /// hour of day is that hour's multiplier / 24 within 4σ of a binomial proportion.
    @Test func thinningMatchesTheCycle() {
        let office = (0..<24).map { h in (9...17).contains(h) ? 2.0 : 0.5 }
        let cycle = ArrivalCycle(diurnal: office, weekly: [1, 1, 1, 1, 1, 0.5, 0.5])
        let perDay = 2_000.0
        let process = CycledPoissonArrivals(baseRatePerNs: perDay / 86_400e9, cycle: cycle)
        let stream = RandomStreams(masterSeed: 11).stream("arrivals/test")
        let horizon: SimTimeNs = 28 * 86_400_000_000_000
        var t: SimTimeNs = 0, count = 0
        var byHour = [Int](repeating: 0, count: 24)
        while let next = process.next(after: t, horizonNs: horizon, stream: stream) {
            t = next
            count += 1
            byHour[Int((t / 3_600_000_000_000) % 24)] += 1
        }
        let expected = perDay * 28
        #expect(abs(Double(count) - expected) < 4 * expected.squareRoot(), "\(count) arrivals, expected \(expected)")
        for h in 0..<24 {
            let p = cycle.hourly[h] / 24
            let sigma = (p * (1 - p) / Double(count)).squareRoot()
            #expect(abs(Double(byHour[h]) / Double(count) - p) < 4 * sigma, "hour \(h)")
        }
        // Weekends (multiplier 0.5 / mean) get less than weekdays.
        #expect(cycle.daily[5] < cycle.daily[0])
        #expect(abs(cycle.hourly.reduce(0, +) / 24 - 1) < 1e-12)
    }
}

@Suite struct JobMixGeneratorTests {
    let h100 = AcceleratorCatalog.builtIn(named: "H100-SXM")!
    let server = ServerCatalog.builtIn(named: "hgx-h100-8")!

    func application(_ entry: JobMixEntry) -> ApplicationProfile {
        ApplicationProfile(name: "app", index: 0, cycle: .flat, jobMix: [entry], services: [])
    }

    var pools: [PoolView] { [PoolView(name: "training", role: .training, accelerator: h100, server: server, capacity: 512)] }

    func model(_ family: ModelFamily = .llm, parameters: Double = 7e9) -> ModelProfile {
        ModelProfile(name: "m", family: family, parameters: parameters, trainFlopsPerSample: 6 * parameters, sampleBytes: 0,
                     precision: .bf16, mfu: 0.5, globalBatch: 4e6)
    }

    /// A fine-tuning job's duration is its work model's: 6·N·D / (n × peak × MFU) with ideal I/O.
    @Test func durationFollowsTheWorkModel() throws {
        let entry = JobMixEntry(kind: .fineTuning, modelIndex: 0, model: model(), ratePerNs: 100 / 86_400e9, tenants: [0], tenantWeights: [1],
                                pools: [0], poolWeights: [1], accelerators: .constant(8), samples: .constant(1e9), epochs: .constant(2))
        let g = JobMixGenerator(entry, application: application(entry), line: 0, source: 3, pools: pools, io: IdealIO(),
                                streams: RandomStreams(masterSeed: 5), horizonNs: 86_400_000_000_000)
        let job = try #require(g.next())
        let expected = 6 * 7e9 * 2e9 / (8 * 989.4e12 * 0.5)
        #expect(abs(Double(job.durationNs) / 1e9 / expected - 1) < 1e-6, "\(Double(job.durationNs) / 1e9) s vs \(expected) s")
        #expect(abs(job.flops - 6 * 7e9 * 2e9) / job.flops < 1e-12)
        #expect(job.kind == .fineTuning && job.source == 3 && job.accelerators == 8 && job.pool == 0)
    }

    /// An AutoML search submits its trials together; their budgets follow successive halving.
    @Test func automlSubmitsItsTrialsTogether() throws {
        let entry = JobMixEntry(kind: .automl, modelIndex: 0, model: model(.cnn, parameters: 25e6), ratePerNs: 10 / 86_400e9, tenants: [0],
                                tenantWeights: [1], pools: [0], poolWeights: [1], accelerators: .constant(1), samples: .constant(1e6),
                                epochs: .constant(10), search: SuccessiveHalving(trials: 9, eta: 3, rungs: 2))
        let g = JobMixGenerator(entry, application: application(entry), line: 0, source: 0, pools: pools, io: IdealIO(),
                                streams: RandomStreams(masterSeed: 5), horizonNs: 86_400_000_000_000)
        let trials = (0..<9).compactMap { _ in g.next() }
        #expect(trials.count == 9)
        #expect(Set(trials.map(\.submitNs)).count == 1)
        #expect(trials.map(\.sequence) == Array(0..<9))
        let full = trials.map(\.durationNs).max()!
        #expect(trials.filter { $0.durationNs == full }.count == 3)
        #expect(trials.filter { abs(Double($0.durationNs) * 3 / Double(full) - 1) < 1e-6 }.count == 6)
        #expect(g.next()!.submitNs > trials[0].submitNs)
    }
}
