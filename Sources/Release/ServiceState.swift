import Production
import SimKernel
import Workloads

/// One replica of a service in a run: its job-table entry, the model version it
/// serves, and whether it is ready (model pulled and loaded) and on lent capacity.
struct ServiceReplica {
    var job: JobHandle
    /// Its job id once placed (-1 before).
    var jobID: Int64 = -1
    var version: Int32
    var pool: Int16
    var placed = false
    var ready = false
    var borrowed = false
    var placedNs: SimTimeNs = -1
    /// The ledger's per-replica requests when it became ready (for its delivered FLOPs).
    var servedMark = 0.0
}

/// A service's state in a run: its definition (pool, replica size, batch, latency target,
/// autoscaler, release), its replicas, the version it rolls out, and its serving record.
public struct ServiceState {
    public let name: String
    let index: Int16
    let application: Int16
    let model: Int16
    let tenant: Int16
    public let pool: Int16
    public let acceleratorsPerReplica: Int32
    /// Thousandths of each device a replica holds (1000: whole devices; less: a slice).
    let sliceMilli: Int32
    let startNs: SimTimeNs
    /// Replicas sized by the roofline for the cycle's peak (the static deployment, and the
    /// autoscaler's ceiling default).
    public let peakReplicas: Int
    let batch: Int
    let batchS: Double
    let targetS: Double
    let flopsPerRequest: Double
    let modelFileBytes: Double
    let autoscale: AutoscalePolicy?
    /// Whether its requests are simulated one by one (else priced at rate level).
    let requestLevel: Bool

    var ledger: ServingLedger
    var request: RequestLevelState?
    var replicas: [ServiceReplica] = []
    /// Of `replicas`: those waiting for a place, and those of a version other than the target
    /// (kept as they change, so a step need not scan the replicas to know there are none).
    var unplaced = 0
    private(set) var behind = 0
    /// Replicas wanted now (the autoscaler's output; peak-sized when static).
    var desired = 0
    /// Whether the service is live (started, and its model available).
    var live = false
    /// The version replicas should run, and the newest offered (waiting for the cadence).
    var targetVersion: Int32 = 0 {
        didSet { behind = replicas.count { $0.version != targetVersion } }
    }
    var offeredVersion: Int32 = -1
    var lastRolloutNs: SimTimeNs = -1
    var rollouts = 0
    /// Canary: when the canary replicas were all ready (-1: not yet), and how many go first.
    var canaryReadyNs: SimTimeNs = -1
    var canaryCount = 0
    /// Autoscaler: when demand first dropped below the current size (-1: it has not).
    var lowSinceNs: SimTimeNs = -1
    var lastTickNs: SimTimeNs = 0
    /// Totals for the summary.
    var coldStarts = 0
    var coldStartSumNs: Double = 0
    var heldAcceleratorNs: Double = 0
    var borrowedAcceleratorNs: Double = 0
    var deliveredFlops: Double = 0
    /// Set when something changed this instant (reconciled in the scheduling pass).
    var dirty = false
    var ticked = false

    /// A service as a run serves it. `peakReplicas` is its static (peak-sized) deployment,
    /// `batch` requests take `batchS`; `request` simulates its requests one by one (nil: rate level).
    public init(name: String, index: Int16, application: Int16, model: Int16, tenant: Int16, pool: Int16, acceleratorsPerReplica: Int32,
                sliceMilli: Int32, startNs: SimTimeNs, peakReplicas: Int, batch: Int, batchS: Double, targetS: Double, flopsPerRequest: Double,
                modelFileBytes: Double, autoscale: AutoscalePolicy?, ledger: ServingLedger, request: RequestLevelState?) {
        self.name = name
        self.index = index
        self.application = application
        self.model = model
        self.tenant = tenant
        self.pool = pool
        self.acceleratorsPerReplica = acceleratorsPerReplica
        self.sliceMilli = sliceMilli
        self.startNs = startNs
        self.peakReplicas = peakReplicas
        self.batch = batch
        self.batchS = batchS
        self.targetS = targetS
        self.flopsPerRequest = flopsPerRequest
        self.modelFileBytes = modelFileBytes
        self.autoscale = autoscale
        requestLevel = request != nil
        self.ledger = ledger
        self.request = request
    }

    /// The job spec of a new replica (placed in the service's pool unless it borrows); with a
    /// storage system it pulls its model file (its own data set: bit 30 set, one per
    /// application and model) as an ingest.
    func replicaSpec(submitNs: SimTimeNs, horizonNs: SimTimeNs, modelFromStorage: Bool) -> JobSpec {
        var spec = JobSpec(submitNs: submitNs, accelerators: acceleratorsPerReplica, durationNs: max(1, horizonNs - submitNs), source: JobSpec.serviceSource,
                           sequence: Int64(index), application: application, tenant: tenant, model: model, pool: pool, kind: .inference, flops: 0)
        spec.milli = sliceMilli
        if modelFromStorage {
            let file = Int32(1 << 30) | ApplicationModelKey.of(application: application, model: model)
            spec.storage = StorageDemand(dataset: file, ingestBytes: modelFileBytes, streamReadBytes: 0, writeBytes: 0, fileBytes: modelFileBytes)
        }
        return spec
    }

    /// Accelerators one replica holds (a share of one when sliced).
    public var acceleratorsHeldPerReplica: Double { Double(acceleratorsPerReplica) * Double(sliceMilli) / 1000 }

    /// Requests one ready replica serves per second at the service's batch.
    var muPerReplica: Double { Double(batch) / batchS }
    var readyCount: Int { replicas.reduce(0) { $0 + ($1.ready ? 1 : 0) } }

    /// Replicas the autoscaler wants for an observed rate (requests per second): the fewest
    /// whose predicted metric meets the target at the rate plus headroom, between min and max.
    func replicasFor(observedRatePerS lambda: Double, maximum: Int) -> Int {
        guard let a = autoscale else { return peakReplicas }
        let load = lambda * (1 + a.headroom)
        let lo = a.minReplicas, hi = max(a.minReplicas, min(a.maxReplicas, maximum))
        guard load > 0 else { return lo }
        switch a.metric {
        case .latency:
            return RateLevelServing.replicasNeeded(ratePerS: load, serviceRatePerS: muPerReplica, serviceCV: 0,
                                                   targetWaitS: max(0, targetS - batchS), attainment: a.target, minimum: max(1, lo), maximum: hi)
        case .utilization:
            return min(hi, max(lo, Int((load / (muPerReplica * a.target)).rounded(.up))))
        case .queue:
            var c = max(1, lo)
            while c < hi {
                let f = RateLevelServing(replicas: c, serviceRatePerS: muPerReplica, serviceCV: 0).figures(ratePerS: load, targetWaitS: 0)
                if f.meanWaitS.isFinite && load * f.meanWaitS / Double(c) <= a.target { return c }
                c += 1
            }
            return hi
        }
    }
}

extension ServiceState {
    /// Adds a replica of the target version, waiting for a place.
    mutating func addReplica(job: JobHandle) {
        replicas.append(ServiceReplica(job: job, version: targetVersion, pool: pool))
        unplaced += 1
    }

    /// Removes replica `i`, keeping the counts.
    mutating func removeReplica(at i: Int) -> ServiceReplica {
        let r = replicas.remove(at: i)
        if !r.placed { unplaced -= 1 }
        if r.version != targetVersion { behind -= 1 }
        return r
    }
}
