import Production
import Records
import SimKernel
import Workloads

/// The release side of a run: online services whose replicas it places (through the engine's
/// ``CapacityBroker``), cold-starts, scales, updates to new model versions and retires,
/// outside the batch scheduler (online services come first in their pool; they borrow lending
/// pools' accelerators by preempting training jobs there, newest first).
///
/// Order rule: ticks, wake-ups and readiness only mark their service; the engine's scheduling
/// pass calls ``step(_:nowNs:)``, which steps marked services in service order (pulls and
/// readiness in job-id order first), before the pools' policies dispatch, so results never
/// depend on the order of same-time events.
public struct ServiceController {
    public internal(set) var services: [ServiceState] = []
    let settings: ReleaseSettings
    let sink: any RecordSink
    let horizonNs: SimTimeNs
    /// Whether replicas pull their model file through the run's storage system.
    let modelFromStorage: Bool
    /// Services per (application, model) served, and model file sizes (looked up, never iterated).
    var servicesOfModel: [Int32: [Int]] = [:]
    var modelFileBytes: [Int32: Double] = [:]
    /// Most replicas each service can ever hold (its pool and the lending pools).
    var maxReplicas: [Int] = []
    /// Each pool's accelerator model (a service borrows only its own model).
    let poolAccelerators: [String]
    /// Accelerators lent to services now, in thousandths (a sliced replica counts its share).
    var lentMilli: Int64 = 0
    var unplacedReplicas = 0
    /// Periods whose serving figures are kept (``keepPeriods(startingAtNs:)``; 0: none).
    var keptPeriods = 0
    var preemptedForLending: Int64 = 0
    var shrunkForLending: Int64 = 0
    /// Replicas whose model pull, or cold start, ended at this instant (job id, replica).
    var pulledNow: [(Int64, JobHandle)] = []
    var readyNow: [(Int64, JobHandle)] = []
    /// Whether a service was marked since the last step (so a pass with nothing to do for the
    /// services skips them).
    var marked = false
    /// Services that cannot be deployed as asked, for the user.
    public private(set) var warnings: [String] = []

    /// A controller with no services (a run without online serving).
    public init(sink: any RecordSink) {
        self.init(settings: ReleaseSettings(), sink: sink, horizonNs: SimTime.never, modelFromStorage: false, poolAccelerators: [])
    }

    /// A controller for `settings`, before its services are added.
    public init(settings: ReleaseSettings, sink: any RecordSink, horizonNs: SimTimeNs, modelFromStorage: Bool, poolAccelerators: [String]) {
        self.settings = settings
        self.sink = sink
        self.horizonNs = horizonNs
        self.modelFromStorage = modelFromStorage
        self.poolAccelerators = poolAccelerators
    }

    /// Whether the run has services (they serve until the horizon even when nothing else happens).
    public var isEmpty: Bool { services.isEmpty }

    /// Whether this instant's pass has anything to do for the services (else ``step(_:nowNs:)``
    /// would change nothing).
    public var needsStep: Bool { marked || !pulledNow.isEmpty || !readyNow.isEmpty || unplacedReplicas > 0 }

    /// Marks service `s` to be stepped in the next pass.
    mutating func mark(_ s: Int) {
        services[s].dirty = true
        marked = true
    }

    /// Records the size of `model`'s file of `application` (for the model versions' rows).
    public mutating func setModelFile(application: Int16, model: Int16, bytes: Double) {
        modelFileBytes[ApplicationModelKey.of(application: application, model: model)] = bytes
    }

    /// Adds a service. `poolCapacities` gives each pool's accelerators and `poolNames` their
    /// names (for warnings). A service that can never hold one replica (larger than its pool
    /// and every lending pool) is reported and never goes live; one whose peak-sized
    /// deployment does not fit is capped at what fits.
    public mutating func add(_ service: ServiceState, poolCapacities: [Int], poolNames: [String]) {
        servicesOfModel[ApplicationModelKey.of(application: service.application, model: service.model), default: []].append(services.count)
        let perReplica = Int(service.acceleratorsPerReplica)
        let pool = Int(service.pool)
        let home = poolCapacities[pool]
        let lendable = settings.lendingPools.filter { $0 != pool && poolAccelerators[$0] == poolAccelerators[pool] }
            .map { poolCapacities[$0] / perReplica }.reduce(0, +)
        let lendCap = settings.lendingMaxAccelerators > 0 ? min(lendable, settings.lendingMaxAccelerators / perReplica) : lendable
        var most = home / perReplica + lendCap
        if most == 0 {
            warnings.append("service '\(service.name)' needs \(perReplica) accelerators per replica but pool '\(poolNames[pool])' has \(home); it never goes live")
            most = 0
        } else if service.autoscale == nil && service.peakReplicas > most {
            warnings.append("service '\(service.name)' needs \(service.peakReplicas) replicas at its peak but only \(most) fit; it runs \(most)")
        }
        maxReplicas.append(most)
        var placed = service
        if most == 0 { placed.desired = -1 }
        services.append(placed)
    }

    // MARK: Events

    /// Schedules every service's go-live and its autoscaler's ticks, and a wake-up at the
    /// horizon (service -1): services serve until then even when nothing else happens (and
    /// jobs waiting for their accelerators wait until then, not for an empty event queue).
    public func prime(_ broker: inout some CapacityBroker) {
        if !services.isEmpty && horizonNs != SimTime.never { broker.wake(service: -1, atNs: horizonNs, tick: false) }
        for s in services.indices {
            broker.wake(service: s, atNs: services[s].startNs, tick: false)
            if let a = services[s].autoscale, services[s].startNs + a.intervalNs < horizonNs {
                broker.wake(service: s, atNs: services[s].startNs + a.intervalNs, tick: true)
            }
        }
    }

    /// An autoscaler tick: marks the service and schedules the next one.
    public mutating func ticked(_ s: Int, nowNs: SimTimeNs, broker: inout some CapacityBroker) {
        services[s].ticked = true
        mark(s)
        let next = nowNs + services[s].autoscale!.intervalNs
        if next < horizonNs { broker.wake(service: s, atNs: next, tick: true) }
    }

    /// A wake-up for service `s` (-1: the keep-alive at the horizon).
    public mutating func woke(_ s: Int) {
        guard s >= 0 else { return }
        mark(s)
    }

    /// A replica finished pulling its model file through the storage system at this instant.
    public mutating func replicaPulled(_ replica: JobHandle, jobID: Int64) { pulledNow.append((jobID, replica)) }

    /// A replica's cold start ended at this instant.
    public mutating func replicaReady(_ replica: JobHandle, jobID: Int64) { readyNow.append((jobID, replica)) }

    /// Fills a registered version's model file size and the first service serving its model
    /// (-1: none), whose serving profile it gets.
    public func describe(_ v: inout ModelVersion) {
        let key = ApplicationModelKey.of(application: v.application, model: v.model)
        v.fileBytes = modelFileBytes[key] ?? 0
        v.service = servicesOfModel[key]?.first.map { Int16($0) } ?? -1
    }

    /// A model version was registered: services serving that model get it as their next
    /// version (and go live on it when they wait for a trained model).
    public mutating func offer(_ v: ModelVersion) {
        guard v.form == .service, let list = servicesOfModel[ApplicationModelKey.of(application: v.application, model: v.model)] else { return }
        for s in list {
            services[s].offeredVersion = v.version
            mark(s)
        }
    }
}
