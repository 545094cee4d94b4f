import Center
import Configuration
import Foundation
import Records
import Release
import Scenario
import SimKernel
import Testing
import Workloads

/// Online services inside a center run: elastic scaling, capacity lending, release updates,
/// go-live on trained models, and the two serving fidelities.
@Suite struct ServiceLifecycleTests {
    static let example = "Scenarios/examples/elastic-serving.yaml"
    static let service = "workload.applications.0.services.0"

    /// Reference: the static deployment sized for the cycle's peak by the roofline (what a
    /// planner without an autoscaler buys). Under the evening cycle the autoscaler meets its
    /// 95% target with well under the static replica-hours, and lends back what it borrowed.
    @Test func autoscalerMeetsItsTargetWithFewerReplicaHours() throws {
        let elastic = try CenterRun.run(shippedScenario(Self.example), sink: NullSink()).summary
        let fixed = try CenterRun.run(shippedScenario(Self.example, ["\(Self.service).autoscale=null"]), sink: NullSink()).summary
        let e = serviceFigures(elastic, "bank-assistant"), f = serviceFigures(fixed, "bank-assistant")
        #expect(figure(e, "slo_attainment") >= 0.95)
        #expect(figure(f, "slo_attainment") >= figure(e, "slo_attainment"))
        #expect(figure(e, "replica_hours") < 0.6 * figure(f, "replica_hours"), "\(figure(e, "replica_hours")) vs \(figure(f, "replica_hours"))")
        #expect(figure(e, "replicas_mean") < figure(f, "replicas_mean"))
        // Same demand in both: the expected requests agree to 1e-9.
        #expect(abs(figure(e, "requests") / figure(f, "requests") - 1) < 1e-9)
        #expect(figure(e, "borrowed_accelerator_hours") < figure(f, "borrowed_accelerator_hours"))
    }

    /// Lending: borrowed replicas run only on the lending pool, never above its limit, at the
    /// evening peaks; training jobs there were preempted for them, and at night every lent
    /// accelerator is given back.
    @Test func inferenceBorrowsTrainingAcceleratorsAtPeaksAndGivesThemBack() throws {
        let s = try shippedScenario(Self.example)
        let sink = CollectingSink()
        let summary = try CenterRun.run(s, sink: sink).summary
        let training: Int16 = 0
        var lent = 0, most = 0, returned = 0
        for d in sink.deployments where d.borrowed {
            #expect(d.pool == training)
            if d.event == 0 { lent += 2 } else if d.event == 1 { lent -= 2; if lent == 0 { returned += 1 } }
            most = max(most, lent)
        }
        #expect(most > 0 && most <= 64, "most lent \(most)")
        #expect(returned >= 2, "lent capacity went back to zero \(returned) times")
        #expect(figure(summary.serving, "preempted_for_lending") >= 1)
        #expect(figure(summary.serving, "lent_accelerator_hours") > 0)
        let preempted = sink.jobs.filter { $0.preemptions > 0 }
        #expect(!preempted.isEmpty && preempted.allSatisfy { $0.pool == training && $0.kind != .inference })
    }

    /// Rolling update (surge 2) of a static service: with spare accelerators (here lent by
    /// the training pool) an old replica stops only when a new one is ready, so after the first
    /// replicas are ready the ready count never drops below the deployment; with none spare
    /// (a full pool) old replicas stop first, never more than the surge at a time; recreate
    /// stops all at once, leaving requests unserved while the new replicas cold-start.
    @Test func rollingUpdatesKeepCapacityAndRecreateDoesNot() throws {
        func run(_ overrides: [String]) throws -> (RunSummary, CollectingSink, Int32) {
            let sink = CollectingSink()
            let summary = try CenterRun.run(shippedScenario(Self.example, ["\(Self.service).autoscale=null"] + overrides), sink: sink).summary
            return (summary, sink, Int32(figure(serviceFigures(summary, "bank-assistant"), "replicas")))
        }
        for (overrides, slack) in [([String](), Int32(0)), (["release.lendingPools=[]"], 2)] {
            let (summary, sink, replicas) = try run(overrides)
            #expect(replicas == (overrides.isEmpty ? 25 : 16))  // peak-sized; or 4 servers of 8 A100s, 2 per replica
            let firstFull = sink.deployments.first { $0.replicas == replicas }!.timeNs
            let stops = sink.deployments.filter { $0.event == 1 }
            #expect(stops.count >= 2 * Int(replicas))
            #expect(stops.allSatisfy { $0.timeNs <= firstFull || $0.replicas >= replicas - slack }, "\(overrides)")
            #expect(Set(sink.deployments.map(\.version)).count >= 3)
            #expect(figure(serviceFigures(summary, "bank-assistant"), "unserved_requests") == 0)
        }
        let rolling = try run(["release.lendingPools=[]"]).0
        let recreate = try run(["release.lendingPools=[]", "release.update=recreate"]).0
        let r = serviceFigures(recreate, "bank-assistant")
        #expect(figure(r, "unserved_requests") > 0)
        #expect(figure(r, "slo_attainment") < figure(serviceFigures(rolling, "bank-assistant"), "slo_attainment"))
    }

    /// Canary: a rollout first moves ceil(share × replicas) replicas at once, and the next
    /// new-version replica is placed only after the canary has served the soak time.
    @Test func canaryMovesAShareFirstAndWaitsForTheSoak() throws {
        let sink = CollectingSink()
        let summary = try CenterRun.run(shippedScenario(Self.example, ["\(Self.service).autoscale=null", "release.update=canary",
                                                                       "release.canaryShare=0.25", "release.canarySoak=2h"]), sink: sink).summary
        let n = Int((figure(serviceFigures(summary, "bank-assistant"), "replicas") * 0.25).rounded(.up))
        #expect(n == 7)
        let rollout = sink.deployments.map(\.version).filter { $0 > 0 }.min()!
        let placed = sink.deployments.filter { $0.version == rollout && $0.event == 0 }
        #expect(placed.count > n && Set(placed.prefix(n).map(\.timeNs)).count == 1)
        let canaryReady = sink.deployments.filter { $0.version == rollout && $0.event == 2 }.prefix(n).map(\.timeNs).max()!
        #expect(placed[n].timeNs >= canaryReady + 7_200_000_000_000)
    }

    /// Where both fidelities apply (no batching: batch 1, deterministic service, one queue, a
    /// static deployment) request-level serving in the run agrees with the rate-level formulas:
    /// the same demand within 0.5%, mean latency within 3%, attainment within 0.005.
    @Test func requestAndRateLevelAgreeWithoutBatching() throws {
        let common = ["\(Self.service).autoscale=null", "release.lendingPools=[]", "horizon=1d", "\(Self.service).maxBatch=1",
                      "\(Self.service).requestsPerSecond=2", "\(Self.service).latencyTarget=25s", "\(Self.service).maxWait=0s"]
        let rate = try CenterRun.run(shippedScenario(Self.example, common), sink: NullSink()).summary
        let sink = CollectingSink()
        let request = try CenterRun.run(shippedScenario(Self.example, common + ["\(Self.service).fidelity=request", "\(Self.service).requestSample=0.1"]),
                                        sink: sink).summary
        let a = serviceFigures(rate, "bank-assistant"), b = serviceFigures(request, "bank-assistant")
        #expect(figure(a, "replicas") == figure(b, "replicas"))
        #expect(abs(figure(b, "requests") / figure(a, "requests") - 1) < 0.005)
        #expect(abs(figure(b, "latency_mean_s") / figure(a, "latency_mean_s") - 1) < 0.03, "\(figure(b, "latency_mean_s")) vs \(figure(a, "latency_mean_s"))")
        #expect(abs(figure(b, "slo_attainment") - figure(a, "slo_attainment")) < 0.005)
        // /requests holds every 10th request, each served after it arrived.
        #expect(abs(Double(sink.requests.count) * 10 / figure(b, "requests") - 1) < 0.001)
        #expect(sink.requests.allSatisfy { $0.arrivalNs <= $0.startNs && $0.startNs < $0.firstOutputNs && $0.firstOutputNs <= $0.endNs })
    }

    /// Go-live on trained models: with `firstVersion: trained` a service takes load only after
    /// the first version of its model is released (as a service) in the run; preloaded
    /// services go live at their start, after one cold start.
    @Test func servicesGoLiveOnTheirFirstTrainedModel() throws {
        let sink = CollectingSink()
        let trained = try CenterRun.run(shippedScenario(Self.example, ["release.firstVersion=trained"]), sink: sink).summary
        let first = sink.models.filter { $0.form == .service }.map(\.releaseNs).min()!
        let live = figure(serviceFigures(trained, "bank-assistant"), "live_from_s")
        #expect(live * 1e9 > Double(first))
        #expect(sink.deployments.first!.timeNs == first && sink.deployments.first!.version == 1)
        let preloaded = try CenterRun.run(shippedScenario(Self.example), sink: NullSink()).summary
        let coldStart = figure(serviceFigures(preloaded, "bank-assistant"), "cold_start_mean_s")
        #expect(abs(figure(serviceFigures(preloaded, "bank-assistant"), "live_from_s") - coldStart) < 1e-6)
    }

    /// Release policies: `api` exposes new versions of served models as development APIs and
    /// the service keeps its version; `file` publishes model files only.
    @Test func releasePoliciesDecideTheForm() throws {
        for (policy, form) in [("api", ReleaseForm.api), ("file", ReleaseForm.modelFile)] {
            let sink = CollectingSink()
            let summary = try CenterRun.run(shippedScenario(Self.example, ["release.policy=\(policy)", "horizon=1d"]), sink: sink).summary
            #expect(!sink.models.isEmpty && sink.models.allSatisfy { $0.form == form }, "\(policy)")
            #expect(figure(serviceFigures(summary, "bank-assistant"), "rollouts") == 0)
            #expect(sink.deployments.allSatisfy { $0.version == 0 })
        }
    }

    /// Delivered inference compute: the replicas' /jobs FLOPs add up to the service's
    /// delivered FLOPs, its requests × FLOPs per request (2 × 13e9 parameters × 250 tokens).
    @Test func deliveredInferenceComputeIsAccounted() throws {
        let sink = CollectingSink()
        let summary = try CenterRun.run(shippedScenario(Self.example, ["horizon=1d"]), sink: sink).summary
        let f = serviceFigures(summary, "bank-assistant")
        let jobs = sink.jobs.filter { $0.kind == .inference }.reduce(0) { $0 + $1.flops }
        #expect(abs(jobs / figure(f, "delivered_flops") - 1) < 1e-9)
        #expect(abs(figure(f, "delivered_flops") / (figure(f, "requests") * 2 * 13e9 * 250) - 1) < 1e-9)
        #expect(abs(figure(summary.serving, "delivered_flops") - figure(f, "delivered_flops")) < 1)
    }

    /// A service whose replica can never fit is reported, never placed, and the run ends.
    @Test func aServiceThatCanNeverBePlacedIsReported() throws {
        let result = try CenterRun.run(shippedScenario(Self.example, ["\(Self.service).acceleratorsPerReplica=512", "horizon=6h"]), sink: NullSink())
        #expect(result.serviceWarnings.contains { $0.contains("bank-assistant") && $0.contains("never goes live") })
        #expect(figure(serviceFigures(result.summary, "bank-assistant"), "replica_hours") == 0)
    }

    /// Bursts multiply the rate on top of the cycle: with a flat cycle, a 3× burst of 2 hours
    /// in a day adds 4 hours' worth of requests (exact at rate level, within 1% at request
    /// level), and the autoscaler grows the service during the burst and shrinks it after.
    @Test func burstsRaiseTheLoadAndTheAutoscalerFollows() throws {
        let common = ["horizon=1d", "workload.applications.0.cycle={diurnal: flat, weekly: flat}", "\(Self.service).requestsPerSecond=60",
                      "\(Self.service).bursts=[{start: 10h, duration: 2h, factor: 3}]"]
        let sink = CollectingSink()
        let rate = try CenterRun.run(shippedScenario(Self.example, common), sink: sink).summary
        let f = serviceFigures(rate, "bank-assistant")
        let liveS = figure(f, "live_from_s")
        #expect(abs(figure(f, "requests") / (60 * (86_400 - liveS + 4 * 3_600)) - 1) < 1e-9)
        let hour: Int64 = 3_600_000_000_000
        func ready(at t: Int64) -> Int32 { sink.deployments.last { $0.timeNs <= t }?.replicas ?? 0 }
        #expect(ready(at: 11 * hour) > 2 * ready(at: 9 * hour), "\(ready(at: 9 * hour)) -> \(ready(at: 11 * hour))")
        #expect(ready(at: 14 * hour) < ready(at: 11 * hour))
        #expect(figure(f, "slo_attainment") > 0.95)
        let request = try CenterRun.run(shippedScenario(Self.example, common + ["\(Self.service).fidelity=request"]), sink: NullSink()).summary
        #expect(abs(figure(serviceFigures(request, "bank-assistant"), "requests") / figure(f, "requests") - 1) < 0.01)
        // A repeating burst: 2× for 1 hour every 6 hours from 1h (four times in the day).
        let repeating = try CenterRun.run(shippedScenario(Self.example, Array(common.dropLast()) + [
            "\(Self.service).bursts=[{start: 1h, duration: 1h, factor: 2, every: 6h}]"]), sink: NullSink()).summary
        let r = serviceFigures(repeating, "bank-assistant")
        #expect(abs(figure(r, "requests") / (60 * (86_400 - figure(r, "live_from_s") + 4 * 3_600)) - 1) < 1e-9)
    }

    /// Slices (fine-grained sharing): a replica on a quarter of an L4 holds 250 thousandths of
    /// one device and serves at a quarter of its compute and memory bandwidth, so a batch takes
    /// 4× as long (roofline), and four replicas share one device.
    @Test func slicedReplicasShareDevices() throws {
        let text = """
        name: slices
        horizon: 6h
        cluster:
          servers:
            - {name: inf, preset: pcie-l4-8, count: 1}
        workload:
          applications:
            - name: vision
              tenants: [{name: city, type: government, share: 1}]
              models: [{name: det, family: cnn, parameters: 25M, trainFlopsPerSample: 10GFLOP, sampleBytes: 100KB, batch: 256}]
              services:
                - {name: cam, model: det, requestsPerSecond: 6000, flopsPerPass: 8GFLOP, bytesPerRequest: 2MB, maxBatch: 8, latencyTarget: 2s, precision: int8}
        """
        let whole = try CenterRun.run(scenario(text), sink: NullSink()).summary
        let sink = CollectingSink()
        let sliced = try CenterRun.run(scenario(text, ["workload.applications.0.services.0.slice=0.25"]), sink: sink).summary
        let w = serviceFigures(whole, "cam"), q = serviceFigures(sliced, "cam")
        #expect(figure(w, "batch") == 8 && figure(q, "batch") == 8)
        #expect(abs(figure(q, "batch_seconds") / figure(w, "batch_seconds") - 4) < 1e-9)
        #expect(abs(figure(q, "accelerator_hours") / figure(q, "replica_hours") - 0.25) < 1e-9)
        let replicas = sink.jobs.filter { $0.kind == .inference }
        #expect(!replicas.isEmpty && replicas.allSatisfy { $0.milli == 250 })
        #expect(figure(w, "replicas") == 1 && figure(q, "replicas") == 3)
        // The pool holds three quarters of one accelerator for them, never more.
        #expect(sink.poolSamples.allSatisfy { $0.busyAccelerators <= 0.75 + 1e-9 })
        #expect(figure(q, "slo_attainment") > 0.99)
    }

    /// Lending slows elastic training before it preempts: a service that outgrows its pool
    /// takes accelerators from an elastic job in the lending pool (down to its minimum), which
    /// then runs slower and finishes later than its 10 hours, without being preempted.
    @Test func lendingShrinksElasticTrainingBeforePreempting() throws {
        let text = """
        name: lend-elastic
        horizon: 1d
        cluster:
          servers:
            - {name: train, preset: hgx-a100-8, count: 2, pool: training-a100}
            - {name: inf, preset: hgx-a100-8, count: 1, role: inference, pool: inference-a100}
        release: {lendingPools: [training-a100]}
        workload:
          jobs:
            - {submit: 0s, accelerators: 16, duration: 10h, elastic: {min: 4, max: 16}}
          applications:
            - name: chat
              cycle: {diurnal: flat, weekly: flat}
              tenants: [{name: t, type: enterprise, share: 1}]
              models: [{name: m, family: llm, parameters: 7B, batch: 4M}]
              services:
                - {name: chat, model: m, start: 1h, requestsPerSecond: 150, tokensPerRequest: 250, maxBatch: 32, latencyTarget: 10s}
        """
        let sink = CollectingSink()
        let summary = try CenterRun.run(scenario(text), sink: sink).summary
        let f = serviceFigures(summary, "chat")
        #expect(figure(f, "replicas") > 8, "\(figure(f, "replicas")) replicas")
        #expect(figure(f, "borrowed_accelerator_hours") > 0)
        #expect(figure(summary.serving, "shrunk_for_lending") >= 1 && figure(summary.serving, "preempted_for_lending") == 0)
        let training = sink.jobs.first { $0.kind != .inference }!
        #expect(training.preemptions == 0 && training.state == .completed)
        #expect(training.endNs > 10 * 3_600_000_000_000, "ends at \(Double(training.endNs) / 3.6e12) h")
    }

    /// Reference: the standalone continuous-batching engine (`BatchedServing`, checked against
    /// the Splitwise table and the one-at-a-time engine in ReleaseTests). Replaying the Azure
    /// conversation hour once on four ready replicas inside a run gives every request the same
    /// start, first token and end as the engine alone on the trace shifted to the go-live.
    @Test func replayedTraceInARunIsTheContinuousBatchingEngine() throws {
        let svc = "workload.applications.0.services.0"
        let sink = CollectingSink()
        let summary = try CenterRun.run(shippedScenario("Scenarios/examples/llm-replay.yaml", [
            "horizon=3h", "\(svc).autoscale={min: 4, max: 4}", "\(svc).requestTrace.repeat=false"]), sink: sink).summary
        let f = serviceFigures(summary, "conversation")
        let live = SimTimeNs((figure(f, "live_from_s") * 1e9).rounded())
        let data = repositoryRoot.appendingPathComponent("data/inference")
        let trace = try LLMRequestTrace.parse(String(contentsOf: data.appendingPathComponent("vidur_splitwise_conv.csv"), encoding: .utf8))
        let table = try LatencyTable.parse(String(contentsOf: data.appendingPathComponent("splitwise_sim_perf_model.csv"), encoding: .utf8))
        let key = LatencyTable.Key(model: "llama2-70b", hardware: "h100-80gb", tensorParallel: 8)
        let meanPrompt = trace.promptTokens.reduce(0, +) / Double(trace.promptTokens.count)
        var engine = BatchedServing(replicas: 4, maxBatch: 64, balancer: .leastOutstanding,
                                    prefillS: { table.latency(key, promptTokens: $0)!.prefillS },
                                    stepS: { table.latency(key, promptTokens: meanPrompt, batch: $0)!.perTokenS })
        for i in trace.arrivalS.indices {
            engine.submit(arrivalNs: live + SimTimeNs((trace.arrivalS[i] * 1e9).rounded()), promptTokens: trace.promptTokens[i],
                          outputTokens: max(1, Int(trace.outputTokens[i].rounded())))
        }
        let reference = engine.drain().map { [$0.arrivalNs, $0.startNs, $0.firstTokenNs, $0.endNs] }.sorted { $0.lexicographicallyPrecedes($1) }
        let inRun = sink.requests.map { [$0.arrivalNs, $0.startNs, $0.firstOutputNs, $0.endNs] }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(figure(f, "replicas") == 4 && figure(f, "requests") == Double(trace.arrivalS.count))
        #expect(inRun.count == reference.count && inRun == reference)
    }
}

extension ServiceLifecycleTests {
    /// Making room on a lending pool preempts only jobs that are running. Reference: a training
    /// pool of 8 accelerators holding B (6, from 0 s) and C (2, from 200 s); A (2 accelerators)
    /// ran from 10 s to 70 s and has ended, then five 10-second jobs ran after it (their slots,
    /// freed last, are the ones the service's replicas and C reuse, so A's stays as it was). At 5
    /// minutes the service's replicas overflow its 8-accelerator pool and borrow 4 training
    /// accelerators at a time: C and then B are preempted, never A (before the fix, A, ended but
    /// newer than B, was "preempted" and requeued: a second row for it here, and a crash when
    /// its slot was later reused). Every job has exactly one `/jobs` row; A completed once.
    @Test func makingRoomPreemptsOnlyRunningJobs() throws {
        let yaml = """
        name: lending-ended
        seed: 1
        horizon: 2h
        cluster:
          servers:
            - {name: training, preset: hgx-a100-8, count: 1, pool: training-a100}
            - {name: inference, preset: hgx-a100-8, count: 1, role: inference, pool: inference-a100}
        release:
          policy: deploy
          lendingPools: [training-a100]
        workload:
          jobs:
            - {submit: 0s, accelerators: 6, duration: 10h}
            - {submit: 10s, accelerators: 2, duration: 60s}
            - {submit: 15s, accelerators: 2, duration: 10s}
            - {submit: 15s, accelerators: 2, duration: 10s}
            - {submit: 15s, accelerators: 2, duration: 10s}
            - {submit: 15s, accelerators: 2, duration: 10s}
            - {submit: 15s, accelerators: 2, duration: 10s}
            - {submit: 200s, accelerators: 2, duration: 10h}
          applications:
            - name: assistant
              tenants: [{name: t, type: enterprise}]
              models: [{name: m, family: llm, parameters: 13B, batch: 4M}]
              services:
                - {name: chat, model: m, requestsPerSecond: 400, tokensPerRequest: 250, maxBatch: 32, latencyTarget: 15s,
                   acceleratorsPerReplica: 4, start: 5m}
        """
        let sink = CollectingSink()
        let summary = try CenterRun.run(scenario(yaml), sink: sink).summary
        #expect(figure(summary.serving, "preempted_for_lending") >= 2, "\(summary.serving)")
        let batch = sink.jobs.filter { $0.kind != .inference }
        #expect(Set(batch.map(\.id)).count == batch.count, "one row per job: \(batch.map { ($0.id, $0.state) })")
        let a = batch.filter { $0.submitNs == 10_000_000_000 }
        #expect(a.count == 1 && a[0].state == .completed && a[0].preemptions == 0, "\(a)")
    }
}

