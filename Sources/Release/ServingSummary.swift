import Metrics
import SimKernel
import Workloads

/// The `services` and `serving` objects of `summary.json`: per service its replicas over the
/// run (most and mean ready, replica- and accelerator-hours, lent hours, cold starts,
/// rollouts), its load and latency (rate level: Erlang C with Allen–Cunneen per distinct ready
/// replicas and arrival rate; request level: the simulated requests) and the inference compute it
/// delivered; over all services, and per application scenario.
extension ServiceController {
    struct ServingTotals {
        var requests = 0.0, unserved = 0.0, met = 0.0, acceleratorHours = 0.0, deliveredFlops = 0.0
    }

    public func summary(endNs: SimTimeNs, names: DemandNames) -> (services: [(String, SummaryValue)], serving: [(String, SummaryValue)]) {
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
                (Metric.application.key, .text(names.applications[Int(svc.application)])), (Metric.model.key, .text(names.models[Int(svc.model)])),
                (Metric.pool.key, .text(names.pools[Int(svc.pool)])), (Metric.fidelity.key, .text(svc.requestLevel ? "request" : "rate")),
                (Metric.scaling.key, .text(svc.autoscale == nil ? "static" : "autoscaled")),
                (Metric.liveFromS.key, .real(svc.ledger.fromNs >= 0 ? Double(svc.ledger.fromNs) / 1e9 : .nan)),
                (Metric.replicas.key, .integer(Int64(svc.ledger.mostReady))), (Metric.replicasPeakSized.key, .integer(Int64(svc.peakReplicas))),
                (Metric.replicasMean.key, .real(liveS > 0 ? svc.ledger.readyReplicaSeconds / liveS : 0)),
                (Metric.replicaHours.key, .real(hours)), (Metric.acceleratorHours.key, .real(acceleratorHours)),
                (Metric.borrowedAcceleratorHours.key, .real(svc.borrowedAcceleratorNs / 3.6e12)),
                (Metric.coldStarts.key, .integer(Int64(svc.coldStarts))), (Metric.coldStartMeanS.key, .real(svc.coldStarts > 0 ? svc.coldStartSumNs / Double(svc.coldStarts) / 1e9 : 0)),
                (Metric.version.key, .integer(Int64(svc.targetVersion))), (Metric.rollouts.key, .integer(Int64(svc.rollouts))),
                (Metric.batch.key, .integer(Int64(svc.batch))), (Metric.batchSeconds.key, .real(svc.batchS)),
                (Metric.requests.key, .real(figures.requests)), (Metric.unservedRequests.key, .real(figures.unserved)),
                (Metric.throughputPerS.key, .real(liveS > 0 ? figures.requests / liveS : 0)),
                (Metric.latencyTargetS.key, .real(svc.targetS)), (Metric.latencyMeanS.key, .real(figures.latencyMeanS)),
                (Metric.latencyP50S.key, .real(figures.percentilesS[0])), (Metric.latencyP90S.key, .real(figures.percentilesS[1])),
                (Metric.latencyP99S.key, .real(figures.percentilesS[2])), (Metric.sloAttainment.key, .real(figures.attainment)),
                (Metric.firstOutputMeanS.key, .real(svc.request.map { $0.count > 0 ? $0.firstOutputSumS / $0.count : 0 } ?? .nan)),
                (Metric.firstOutputP99S.key, .real(svc.request.map { $0.count > 0 ? Double($0.firstOutputs.valueAtPercentile(99)) / 1e9 : 0 } ?? .nan)),
                (Metric.deliveredFlops.key, .real(svc.deliveredFlops))])))
        }
        let applications: [(String, SummaryValue)] = byApplication.map { app, f, count in
            (names.applications[Int(app)], .object([
                (Metric.services.key, .integer(Int64(count))), (Metric.requests.key, .real(f.requests)), (Metric.unservedRequests.key, .real(f.unserved)),
                (Metric.sloAttainment.key, .real(f.requests > 0 ? f.met / f.requests : 0)), (Metric.acceleratorHours.key, .real(f.acceleratorHours)),
                (Metric.deliveredFlops.key, .real(f.deliveredFlops))]))
        }
        let requestLevel = services.filter(\.requestLevel).count
        let model = requestLevel == 0 ? "rate_level" : requestLevel == services.count ? "request_level" : "mixed"
        let serving: [(String, SummaryValue)] = [
            (Metric.model.key, .text(model)), (Metric.services.key, .integer(Int64(rows.count))), (Metric.requests.key, .real(all.requests)),
            (Metric.unservedRequests.key, .real(all.unserved)), (Metric.sloAttainment.key, .real(all.requests > 0 ? all.met / all.requests : 0)),
            (Metric.replicaHours.key, .real(replicaHours)), (Metric.acceleratorHours.key, .real(all.acceleratorHours)), (Metric.lentAcceleratorHours.key, .real(lentHours)),
            (Metric.preemptedForLending.key, .integer(preemptedForLending)), (Metric.shrunkForLending.key, .integer(shrunkForLending)), (Metric.coldStarts.key, .integer(Int64(coldStarts))),
            (Metric.rollouts.key, .integer(Int64(rollouts))), (Metric.deliveredFlops.key, .real(all.deliveredFlops)),
            (SummarySection.applications, .object(applications))]
        return (rows, serving)
    }
}

extension ServiceController.ServingTotals {
    mutating func add(_ o: Self) {
        requests += o.requests; unserved += o.unserved; met += o.met; acceleratorHours += o.acceleratorHours; deliveredFlops += o.deliveredFlops
    }
}

extension ServiceController {
    /// Keeps the services' serving figures period by period too (a full run's `--periods`),
    /// the periods starting at `startsNs` (ascending, on hour boundaries). Call before the run.
    public mutating func keepPeriods(startingAtNs startsNs: [SimTimeNs]) {
        keptPeriods = startsNs.count
        for s in services.indices {
            services[s].ledger.periodStartsNs = startsNs
            if services[s].request != nil {
                services[s].request!.periodServed = Array(repeating: 0, count: startsNs.count)
                services[s].request!.periodMet = Array(repeating: 0, count: startsNs.count)
            }
        }
    }

    /// Each kept period's SLO attainment over every service (met requests over requests, as the
    /// run's `serving.slo_attainment`; NaN for a period with no requests), after the run's
    /// ``finish(atNs:broker:)``; empty when no periods are kept. Requests left unserved at the
    /// end count in the last period.
    public func periodSLOAttainment() -> [Double] {
        let periods = keptPeriods
        var requests = [Double](repeating: 0, count: periods), met = requests
        for svc in services {
            if let r = svc.request {
                for p in 0..<min(periods, r.periodServed.count) {
                    requests[p] += r.periodServed[p]
                    met[p] += r.periodMet[p]
                }
                if periods > 0 { requests[periods - 1] += r.unserved }
            } else {
                for p in 0..<periods {
                    let f = ServingFigures.rateLevel(svc.ledger, period: p, muPerReplica: svc.muPerReplica, batchS: svc.batchS, targetS: svc.targetS)
                    requests[p] += f.requests
                    met[p] += f.met
                }
            }
        }
        return zip(requests, met).map { n, m in n > 0 ? m / n : .nan }
    }
}
