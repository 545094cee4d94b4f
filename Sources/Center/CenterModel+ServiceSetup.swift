import Production
import Release
import Scenario
import SimKernel
import Workloads

/// Wiring a scenario's services and release section into the run.
extension CenterModel {
    /// Builds the run's services (application order, then each application's), the release
    /// settings and the lending pools. A service that can never hold one replica (its replica
    /// is larger than its pool and every lending pool) is reported and never goes live; one
    /// whose peak-sized deployment does not fit is capped at what fits.
    mutating func configureServices(_ scenario: Scenario, demand: DemandPlan, streams: RandomStreams, horizonNs: SimTimeNs) {
        self.horizonNs = horizonNs
        release = scenario.release
        pullBytesPerS = Double(release.pullBandwidth.baseUnits) / 8
        loadBytesPerS = Double(release.loadBandwidth.baseUnits) / 8
        lendingPools = release.lendingPools.compactMap { name in poolNames.firstIndex(of: name) }
        poolAccelerators = demand.pools.map(\.accelerator.name)
        lendingMaxAccelerators = release.lendingMaxAccelerators
        for (a, app) in scenario.workload.applications.enumerated() {
            let profile = demand.applicationProfiles[a]
            for m in app.models {
                guard let i = demand.names.models.firstIndex(of: m.name) else { continue }
                modelFileBytes[ApplicationModelKey.of(application: profile.index, model: Int16(i))] = Double(m.parameters.baseUnits) * m.precision.bytesPerElement
            }
            for s in profile.services {
                let spec = app.services.first { $0.name == s.name }!
                let fileBytes = spec.modelFileBytes(for: app.model(named: spec.model)!)
                let service = ServiceState(index: Int16(services.count), profile: s, spec: spec, modelFileBytes: fileBytes, application: profile,
                                           pools: demand.pools, streams: streams, horizonNs: horizonNs)
                servicesOfModel[ApplicationModelKey.of(application: service.application, model: service.model), default: []].append(services.count)
                let perReplica = Int(service.acceleratorsPerReplica)
                let home = pools[Int(service.pool)].capacity
                let lendable = lendingPools.filter { $0 != Int(service.pool) && poolAccelerators[$0] == poolAccelerators[Int(service.pool)] }.map { pools[$0].capacity / perReplica }.reduce(0, +)
                let lendCap = lendingMaxAccelerators > 0 ? min(lendable, lendingMaxAccelerators / perReplica) : lendable
                var most = home / perReplica + lendCap
                if most == 0 {
                    note("service '\(s.name)' needs \(perReplica) accelerators per replica but pool '\(poolNames[Int(service.pool)])' has \(home); it never goes live")
                    most = 0
                } else if service.autoscale == nil && service.peakReplicas > most {
                    note("service '\(s.name)' needs \(service.peakReplicas) replicas at its peak but only \(most) fit; it runs \(most)")
                }
                maxReplicas.append(most)
                var placed = service
                if most == 0 { placed.desired = -1 }
                services.append(placed)
            }
        }
    }

    /// Adds a warning about a service for the user (shown after the run).
    mutating func note(_ message: String) { serviceWarnings.append(message) }
}
