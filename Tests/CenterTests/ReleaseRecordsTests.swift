import Center
import Configuration
import Foundation
import Records
import Release
import SimKernel
import Scenario
import Testing
import Workloads

/// The release records of a center run: model versions and service deployments.
@Suite struct ReleaseRecordsTests {
    /// Every completed training, fine-tuning or compression job (or AutoML search's winning trial) registers exactly one version of
    /// its application's model, numbered 1, 2, ... per model in completion order, offered as a
    /// service exactly when its application serves that model; deployment rows count the
    /// service's ready replicas up and down, never below zero, one placement per inference job.
    @Test func modelsAndDeploymentsOfTheCityCenter() throws {
        let s = try shippedScenario("Scenarios/city-center.yaml", ["horizon=1d"])
        let sink = CollectingSink()
        let result = try CenterRun.run(s, sink: sink)
        let building: Set<JobKind> = [.training, .fineTuning, .compression]
        let completed = sink.jobs.filter { $0.state == .completed && building.contains($0.kind) && $0.model >= 0 }
        let automl = sink.jobs.filter { $0.state == .completed && $0.kind == .automl }
        let sources = Set(sink.models.map(\.sourceJob))
        #expect(sources.count == sink.models.count && completed.count > 100)
        // Every completed training, fine-tuning and compression job, and AutoML searches'
        // winning trials (one per search: at most one in 9 trials of the city's searches).
        #expect(Set(completed.map(\.id)).isSubset(of: sources))
        let winners = sources.subtracting(completed.map(\.id))
        #expect(winners.isSubset(of: Set(automl.map(\.id))) && !winners.isEmpty && winners.count * 9 <= automl.count)
        var next: [String: Int32] = [:]
        for v in sink.models {
            let k = "\(v.application)/\(v.model)"
            #expect(v.version == next[k, default: 0] + 1)
            next[k] = v.version
        }
        let apps = try DemandPlan(s, streams: RandomStreams(masterSeed: s.seed), horizonNs: s.horizon!.baseUnits).applicationProfiles
        let served = Set(apps.flatMap { a in a.services.map { "\(a.index)/\($0.modelIndex)" } })
        #expect(sink.models.allSatisfy { ($0.form == .service) == served.contains("\($0.application)/\($0.model)") })
        // Each version carries its model file's size (parameters at the model's precision) and,
        // when served, its first service.
        for v in sink.models.prefix(2_000) {
            let app = s.workload.applications[Int(v.application)]
            let spec = app.model(named: result.names.models[Int(v.model)])!
            #expect(v.fileBytes == Double(spec.parameters.baseUnits) * spec.precision.bytesPerElement)
            #expect((v.service >= 0) == (v.form == .service))
        }
        #expect(sink.models.contains { $0.form == .service } && sink.models.contains { $0.form == .modelFile })
        // Deployment rows: the ready count moves by one on ready rows and on stops of ready
        // replicas; every placed replica is one inference job row.
        var ready: [Int16: Int32] = [:]
        var readyJobs: Set<Int64> = []
        for d in sink.deployments {
            if d.event == 2 { ready[d.service, default: 0] += 1; readyJobs.insert(d.job) }
            if d.event == 1 && readyJobs.remove(d.job) != nil { ready[d.service, default: 0] -= 1 }
            #expect(d.replicas == ready[d.service, default: 0] && d.replicas >= 0)
        }
        let inference = sink.jobs.filter { $0.kind == .inference }
        #expect(sink.deployments.filter { $0.event == 0 }.count == inference.count && !inference.isEmpty)
        #expect(Set(inference.map(\.id)).count == inference.count)
        #expect(result.summary.jobsCompleted > 0)
    }
}
