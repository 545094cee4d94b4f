import Release
import SimKernel
import Workloads

/// The `services` and `serving` objects of `summary.json`: per service its replicas over the
/// run (most and mean ready, replica- and accelerator-hours, lent hours, cold starts,
/// rollouts), its load and latency (rate level: Erlang C with Allen–Cunneen per distinct ready
/// replicas and arrival rate; request level: the simulated requests) and the inference compute it
/// delivered; over all services, and per application scenario.
extension CenterModel {
    struct ServingTotals {
        var requests = 0.0, unserved = 0.0, met = 0.0, acceleratorHours = 0.0, deliveredFlops = 0.0
    }

    func servingSummary(endNs: SimTimeNs, names: DemandNames) -> (services: [(String, SummaryValue)], serving: [(String, SummaryValue)]) {
        var rows: [(String, SummaryValue)] = []
        var all = ServingTotals()
        var byApplication: [(Int16, ServingTotals, Int)] = []
        var replicaHours = 0.0, lentHours = 0.0, coldStarts = 0, rollouts = 0
        for svc in services {
            let figures: ServingFigures
            if let r = svc.request {
                var f = ServingFigures()
                f.requests = r.count + r.unserved
                f.unserved = r.unserved
                f.met = r.met
                f.latencySumS = r.latencySumS
                f.latencyCount = r.count
                f.percentilesS = ServingFigures.percentiles.map { q in
                    r.unserved > (1 - q / 100) * f.requests ? .infinity : (r.count > 0 ? Double(r.latencies.valueAtPercentile(q)) / 1e9 : 0)
                }
                figures = f
            } else {
                figures = ServingFigures.rateLevel(svc.ledger, muPerReplica: svc.muPerReplica, batchS: svc.batchS, targetS: svc.targetS)
            }
            let liveS = svc.ledger.fromNs >= 0 ? Double(endNs - svc.ledger.fromNs) / 1e9 : 0
            let acceleratorHours = svc.heldAcceleratorNs / 3.6e12
            let hours = acceleratorHours / svc.acceleratorsHeldPerReplica
            replicaHours += hours
            lentHours += svc.borrowedAcceleratorNs / 3.6e12
            coldStarts += svc.coldStarts
            rollouts += svc.rollouts
            var own = ServingTotals(requests: figures.requests, unserved: figures.unserved, met: figures.met,
                                     acceleratorHours: acceleratorHours, deliveredFlops: svc.deliveredFlops)
            all.add(own)
            if let i = byApplication.firstIndex(where: { $0.0 == svc.application }) {
                own.add(byApplication[i].1)
                byApplication[i] = (svc.application, own, byApplication[i].2 + 1)
            } else {
                byApplication.append((svc.application, own, 1))
            }
            rows.append((svc.name, .object([
                ("application", .text(names.applications[Int(svc.application)])), ("model", .text(names.models[Int(svc.model)])),
                ("pool", .text(names.pools[Int(svc.pool)])), ("fidelity", .text(svc.fidelity.rawValue)),
                ("scaling", .text(svc.autoscale == nil ? "static" : "autoscaled")),
                ("live_from_s", .real(svc.ledger.fromNs >= 0 ? Double(svc.ledger.fromNs) / 1e9 : .nan)),
                ("replicas", .integer(Int64(svc.ledger.mostReady))), ("replicas_peak_sized", .integer(Int64(svc.peakReplicas))),
                ("replicas_mean", .real(liveS > 0 ? svc.ledger.readyReplicaSeconds / liveS : 0)),
                ("replica_hours", .real(hours)), ("accelerator_hours", .real(acceleratorHours)),
                ("borrowed_accelerator_hours", .real(svc.borrowedAcceleratorNs / 3.6e12)),
                ("cold_starts", .integer(Int64(svc.coldStarts))), ("cold_start_mean_s", .real(svc.coldStarts > 0 ? svc.coldStartSumNs / Double(svc.coldStarts) / 1e9 : 0)),
                ("version", .integer(Int64(svc.targetVersion))), ("rollouts", .integer(Int64(svc.rollouts))),
                ("batch", .integer(Int64(svc.batch))), ("batch_seconds", .real(svc.batchS)),
                ("requests", .real(figures.requests)), ("unserved_requests", .real(figures.unserved)),
                ("throughput_per_s", .real(liveS > 0 ? figures.requests / liveS : 0)),
                ("latency_target_s", .real(svc.targetS)), ("latency_mean_s", .real(figures.latencyMeanS)),
                ("latency_p50_s", .real(figures.percentilesS[0])), ("latency_p90_s", .real(figures.percentilesS[1])),
                ("latency_p99_s", .real(figures.percentilesS[2])), ("slo_attainment", .real(figures.attainment)),
                ("first_output_mean_s", .real(svc.request.map { $0.count > 0 ? $0.firstOutputSumS / $0.count : 0 } ?? .nan)),
                ("first_output_p99_s", .real(svc.request.map { $0.count > 0 ? Double($0.firstOutputs.valueAtPercentile(99)) / 1e9 : 0 } ?? .nan)),
                ("delivered_flops", .real(svc.deliveredFlops))])))
        }
        let applications: [(String, SummaryValue)] = byApplication.map { app, f, count in
            (names.applications[Int(app)], .object([
                ("services", .integer(Int64(count))), ("requests", .real(f.requests)), ("unserved_requests", .real(f.unserved)),
                ("slo_attainment", .real(f.requests > 0 ? f.met / f.requests : 0)), ("accelerator_hours", .real(f.acceleratorHours)),
                ("delivered_flops", .real(f.deliveredFlops))]))
        }
        let requestLevel = services.filter { $0.fidelity == .request }.count
        let model = requestLevel == 0 ? "rate_level" : requestLevel == services.count ? "request_level" : "mixed"
        let serving: [(String, SummaryValue)] = [
            ("model", .text(model)), ("services", .integer(Int64(rows.count))), ("requests", .real(all.requests)),
            ("unserved_requests", .real(all.unserved)), ("slo_attainment", .real(all.requests > 0 ? all.met / all.requests : 0)),
            ("replica_hours", .real(replicaHours)), ("accelerator_hours", .real(all.acceleratorHours)), ("lent_accelerator_hours", .real(lentHours)),
            ("preempted_for_lending", .integer(preemptedForLending)), ("shrunk_for_lending", .integer(shrunkForLending)), ("cold_starts", .integer(Int64(coldStarts))),
            ("rollouts", .integer(Int64(rollouts))), ("delivered_flops", .real(all.deliveredFlops)),
            ("applications", .object(applications))]
        return (rows, serving)
    }
}

extension CenterModel.ServingTotals {
    mutating func add(_ o: Self) {
        requests += o.requests; unserved += o.unserved; met += o.met; acceleratorHours += o.acceleratorHours; deliveredFlops += o.deliveredFlops
    }
}
