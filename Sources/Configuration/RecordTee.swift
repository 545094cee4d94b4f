import Center
import Records
import Workloads

/// Sends every record to two sinks in turn (the trace writer and a run's period tap); the
/// names of a run's indices reach the first when it wants them.
final class RecordTee: RecordSink, DemandNamesReceiver {
    let first: any RecordSink, second: any RecordSink

    init(_ first: any RecordSink, _ second: any RecordSink) {
        self.first = first
        self.second = second
    }

    func receive(_ names: DemandNames) { (first as? DemandNamesReceiver)?.receive(names) }
    func record(job: JobRecord) { first.record(job: job); second.record(job: job) }
    func record(utilization: UtilizationSample) { first.record(utilization: utilization); second.record(utilization: utilization) }
    func record(pool: GroupSample) { first.record(pool: pool); second.record(pool: pool) }
    func record(tenant: GroupSample) { first.record(tenant: tenant); second.record(tenant: tenant) }
    func record(collective: CollectiveRecord) { first.record(collective: collective); second.record(collective: collective) }
    func record(model: ModelVersion) { first.record(model: model); second.record(model: model) }
    func record(deployment: DeploymentEvent) { first.record(deployment: deployment); second.record(deployment: deployment) }
    func record(request: RequestRecord) { first.record(request: request); second.record(request: request) }
    func record(links names: [String], samples: [LinkSample]) { first.record(links: names, samples: samples); second.record(links: names, samples: samples) }
    func record(failure: FailureRecord) { first.record(failure: failure); second.record(failure: failure) }
    func record(power: PowerSample) { first.record(power: power); second.record(power: power) }
}
