import Configuration
import Foundation
import Scenario
import SimKernel
import Testing
import Workloads

/// Model generations (`modelGrowth`): each training job is priced with the model of its
/// submission day: parameters (so FLOPs per sample) × (1 + p)^years and data × (1 + d)^years
/// from the scenario's start. Reference: the compound formula, job by job (relative 1e-9), in a
/// job-level run and in a sampled run's window (whose time 0 is later than the start).
@Suite struct ModelGenerationsTests {
    /// FLOPs of one job at the start: 24.6 GFLOP per sample × 1,000 samples × 1 epoch.
    static let baseFlops = 24.6e9 * 1000

    static func flops(_ s: Scenario) throws -> [(days: Double, flops: Double)] {
        let plan = try DemandPlan(s, streams: RandomStreams(masterSeed: s.seed), horizonNs: s.horizon!.baseUnits)
        var out: [(Double, Double)] = []
        for source in plan.sources {
            while let j = source.next() { out.append((Double(j.submitNs) / Double(SimTime.nsPerDay), j.flops)) }
        }
        return out
    }

    @Test func jobsArePricedWithTheirDaysGeneration() throws {
        let text = DemandGrowthTests.scenarioText(horizon: "2y", workload: "  modelGrowth: {parameters: 100%, data: 50%, source: test}",
                                                  top: "start: 2027-01-01")
        let s = try ScenarioLoader.load(text: text, file: "gen.yaml", defaultName: "gen").scenario
        let jobs = try Self.flops(s)
        #expect(jobs.count > 100_000)
        for (day, f) in jobs {
            let expected = Self.baseFlops * pow(2, day / 365) * pow(1.5, day / 365)
            #expect(abs(f / expected - 1) < 1e-9, "day \(day): \(f) FLOP, expected \(expected)")
        }
        // Without modelGrowth every job is the model as written.
        let plain = try ScenarioLoader.load(text: DemandGrowthTests.scenarioText(horizon: "30d"), file: "plain.yaml", defaultName: "plain").scenario
        #expect(try Self.flops(plain).allSatisfy { abs($0.flops / Self.baseFlops - 1) < 1e-12 })
        // A sampled window is priced at its own date: the last quarter's jobs, 1.5-2 years in.
        let o = try #require(SampledRun.Options(period: "quarter", lengthNs: 2 * SimTime.nsPerDay, warmupNs: SimTime.nsPerDay))
        let last = try #require(try SampledRun.samples(s, o).last?.scenario)
        let offset = Double(last.sample!.offsetDays)
        for (day, f) in try Self.flops(last) {
            let years = (offset + day) / 365
            #expect(abs(f / (Self.baseFlops * pow(3, years)) - 1) < 1e-9)
        }
    }

    @Test func badTrendsAreLocated() {
        for (growth, expected) in [("{parameters: -150%}", "modelGrowth.parameters must be above -100%"),
                                   ("{source: none}", "needs parameters (a yearly growth such as 30%), data, or both")] {
            let text = DemandGrowthTests.scenarioText(horizon: "30d", workload: "  modelGrowth: \(growth)")
            do {
                _ = try ScenarioLoader.load(text: text, file: "gen.yaml", defaultName: "gen")
                Issue.record("accepted \(growth)")
            } catch {
                #expect("\(error)".contains(expected) && "\(error)".contains("gen.yaml:"), "\(error)")
            }
        }
    }
}
