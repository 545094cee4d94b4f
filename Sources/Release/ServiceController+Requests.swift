import Records
import SimKernel

/// Request-level services' requests in a run (their statistics and the `/requests` sample),
/// and the services' end of run.
extension ServiceController {
    /// Simulates the service's requests that arrive before `t` on the replicas ready so far.
    mutating func feedRequests(service s: Int, upTo t: SimTimeNs) {
        guard var r = services[s].request, services[s].ledger.fromNs >= 0 else { return }
        r.submit(before: t, ledger: services[s].ledger)
        collect(&r, served: r.takeServed(upTo: t), service: s)
        services[s].request = r
    }

    /// Takes served requests into the statistics and `/requests`.
    func collect(_ r: inout RequestLevelState, served: [ServedRequest], service s: Int) {
        let targetNs = SimTimeNs((services[s].targetS * 1e9).rounded())
        for q in served {
            let latency = q.endNs - q.arrivalNs, firstOutput = q.firstTokenNs - q.arrivalNs
            r.count += 1
            r.latencySumS += Double(latency) / 1e9
            r.firstOutputSumS += Double(firstOutput) / 1e9
            _ = r.latencies.record(UInt64(max(0, latency)))
            _ = r.firstOutputs.record(UInt64(max(0, firstOutput)))
            r.intervalServed += 1
            if latency <= targetNs { r.met += 1; r.intervalMet += 1 }
            if !r.periodServed.isEmpty {
                let p = services[s].ledger.period(atNs: q.arrivalNs)
                r.periodServed[p] += 1
                if latency <= targetNs { r.periodMet[p] += 1 }
            }
            if r.sampleEvery > 0 && r.sequence % r.sampleEvery == 0 {
                sink.record(request: RequestRecord(service: services[s].index, replica: q.replica, arrivalNs: q.arrivalNs, startNs: q.startNs,
                                                   firstOutputNs: q.firstTokenNs, endNs: q.endNs))
            }
            r.sequence += 1
        }
    }

    /// Closes every service's record at the end of the run and returns the rows of its
    /// replicas still running. Requests that arrived are served to completion on the replicas
    /// left (their ends may fall after the end of the run); those left with no replica count
    /// as unserved.
    public mutating func finish(atNs endNs: SimTimeNs, broker: inout some CapacityBroker) -> [JobRecord] {
        var rows: [JobRecord] = []
        for s in services.indices {
            feedRequests(service: s, upTo: endNs)
            if var r = services[s].request {
                collect(&r, served: r.takeServed(upTo: nil), service: s)
                services[s].request = r
            }
            services[s].ledger.advance(to: endNs)
            for rep in services[s].replicas where rep.placed {
                rows.append(replicaRecord(service: s, replica: rep, broker: &broker, now: endNs, ended: false))
            }
        }
        return rows
    }
}
