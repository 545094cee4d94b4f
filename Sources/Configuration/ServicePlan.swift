import Production
import Records
import Release
import Scenario
import Scheduling
import SimKernel
import Workloads

/// Wiring a scenario's services and release section into the run.
enum ServicePlan {
    /// Builds the run's service controller: the release settings, the lending pools and the
    /// services (application order, then each application's).
    static func controller(_ scenario: Scenario, demand: DemandPlan, pools: [AcceleratorPool], sink: any RecordSink, streams: RandomStreams,
                           horizonNs: SimTimeNs) -> ServiceController {
        let poolNames = demand.pools.map(\.name), capacities = pools.map(\.capacity)
        let release = scenario.release
        var settings = ReleaseSettings()
        settings.deploysVersions = release.policy == .deploy
        switch release.update {
        case .rolling: settings.update = .rolling
        case .canary: settings.update = .canary
        case .recreate: settings.update = .recreate
        }
        settings.startsPreloaded = release.firstVersion == .preloaded
        settings.surge = release.surge
        settings.canaryShare = release.canaryShare
        settings.canarySoakNs = release.canarySoak.baseUnits
        settings.cadenceNs = release.cadence.baseUnits
        settings.pullBytesPerS = Double(release.pullBandwidth.baseUnits) / 8
        settings.loadBytesPerS = Double(release.loadBandwidth.baseUnits) / 8
        settings.startupNs = release.startupTime.baseUnits
        settings.lendingPools = release.lendingPools.compactMap { name in poolNames.firstIndex(of: name) }
        settings.lendingMaxAccelerators = release.lendingMaxAccelerators
        var controller = ServiceController(settings: settings, sink: sink, horizonNs: horizonNs, modelFromStorage: scenario.io.storage != nil,
                                           poolAccelerators: demand.pools.map(\.accelerator.name))
        for (a, app) in scenario.workload.applications.enumerated() {
            let profile = demand.applicationProfiles[a]
            for m in app.models {
                guard let i = demand.names.models.firstIndex(of: m.name) else { continue }
                controller.setModelFile(application: profile.index, model: Int16(i), bytes: Double(m.parameters.baseUnits) * m.precision.bytesPerElement)
            }
            for s in profile.services {
                let spec = app.services.first { $0.name == s.name }!
                let fileBytes = spec.modelFileBytes(for: app.model(named: spec.model)!)
                let service = ServiceState(index: Int16(controller.services.count), profile: s, spec: spec, modelFileBytes: fileBytes,
                                           application: profile, pools: demand.pools, streams: streams, horizonNs: horizonNs)
                controller.add(service, poolCapacities: capacities, poolNames: poolNames)
            }
        }
        return controller
    }
}
