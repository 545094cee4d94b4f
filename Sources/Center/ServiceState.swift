import Histogram
import Production
import Release
import Scenario
import SimKernel
import Workloads

/// One replica of a service in a run: its job slot (while placed), the model version it
/// serves, and whether it is ready (model pulled and loaded) and on lent capacity.
struct ServiceReplica {
    var slot: Int32
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
struct ServiceState {
    let name: String
    let index: Int16
    let application: Int16
    let model: Int16
    let tenant: Int16
    let pool: Int16
    let acceleratorsPerReplica: Int32
    /// Thousandths of each device a replica holds (1000: whole devices; less: a slice).
    let sliceMilli: Int32
    let startNs: SimTimeNs
    /// Replicas sized by the roofline for the cycle's peak (the static deployment, and the
    /// autoscaler's ceiling default).
    let peakReplicas: Int
    let batch: Int
    let batchS: Double
    let targetS: Double
    let flopsPerRequest: Double
    let modelFileBytes: Double
    let autoscale: AutoscaleSpec?
    let fidelity: ServingFidelity

    var ledger: ServingLedger
    var request: RequestLevelState?
    var replicas: [ServiceReplica] = []
    /// Replicas wanted now (the autoscaler's output; peak-sized when static).
    var desired = 0
    /// Whether the service is live (started, and its model available).
    var live = false
    /// The version replicas should run, and the newest offered (waiting for the cadence).
    var targetVersion: Int32 = 0
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
    var acceleratorsHeldPerReplica: Double { Double(acceleratorsPerReplica) * Double(sliceMilli) / 1000 }

    /// Requests one ready replica serves per second at the service's batch.
    var muPerReplica: Double { Double(batch) / batchS }
    var readyCount: Int { replicas.reduce(0) { $0 + ($1.ready ? 1 : 0) } }

    /// Replicas the autoscaler wants for an observed rate (requests per second): the fewest
    /// whose predicted metric meets the target at the rate plus headroom, between min and max.
    func replicasFor(observedRatePerS lambda: Double, maximum: Int) -> Int {
        guard let a = autoscale else { return peakReplicas }
        let load = lambda * (1 + a.headroom)
        let lo = a.min, hi = max(a.min, min(a.max, maximum))
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
    /// A service of an application as the run serves it: its profile (pool, rate, roofline
    /// work) and its scenario entry (autoscaler, fidelity, batching wait, model file).
    init(index: Int16, profile s: ServiceProfile, spec: ServiceSpec, modelFileBytes: Double, application: ApplicationProfile,
         pools: [PoolView], streams: RandomStreams, horizonNs: SimTimeNs) {
        let device = pools[Int(s.pool)].accelerator
        let n = s.acceleratorsPerReplica
        name = s.name
        self.index = index
        self.application = application.index
        model = s.modelIndex
        tenant = s.tenant
        pool = s.pool
        acceleratorsPerReplica = Int32(n)
        sliceMilli = Int32((s.work.deviceShare * 1000).rounded())
        startNs = s.startNs
        peakReplicas = s.replicas(on: pools[Int(s.pool)], peakMultiplier: application.cycle.peak)
        targetS = s.latencyTargetS
        flopsPerRequest = s.work.flopsPerRequest
        self.modelFileBytes = modelFileBytes
        autoscale = spec.autoscale
        fidelity = spec.fidelity
        let bursts = spec.bursts.flatMap { b in
            b.occurrences(horizonNs: horizonNs).map { ServiceBurst(startNs: $0.startNs, durationNs: $0.durationNs, factor: b.factor) }
        }
        let replay = spec.requestTrace?.trace
        let table = spec.latency?.table
        let meanPrompt = replay.map { $0.promptTokens.reduce(0, +) / Double($0.promptTokens.count) } ?? Double(spec.promptTokens)
        var meanRate = s.requestsPerSecond
        if let t = replay, let last = t.arrivalS.last, last > 0 { meanRate = Double(t.arrivalS.count) / last }
        ledger = ServingLedger(meanRatePerS: meanRate, cycle: replay == nil ? application.cycle : .flat, bursts: replay == nil ? bursts : [])
        if let l = spec.latency, let table {
            // A replica runs `maxBatch` requests at once: a batch is their mean prefill and
            // their output tokens at the table's per-token time for that batch.
            let output = replay.map { $0.outputTokens.reduce(0, +) / Double($0.outputTokens.count) } ?? Double(spec.tokensPerRequest)
            batch = spec.maxBatch
            let at = table.latency(l.key, promptTokens: meanPrompt, batch: batch)!
            batchS = at.prefillS + max(0, output - 1) * at.perTokenS
        } else {
            batch = s.work.bestBatch(maxBatch: s.maxBatch, latencyTargetS: s.latencyTargetS, on: device, accelerators: n)
            batchS = s.work.batchSeconds(batch: batch, on: device, accelerators: n)
        }
        guard spec.fidelity == .request else { return }
        let seed = RandomStreams.seed(master: streams.masterSeed, run: streams.runIndex, name: "service/\(application.name)/\(s.name)/requests")
        var dynamic: DynamicBatching?, continuous: BatchedServing?
        if let l = spec.latency, let table {
            let key = l.key
            continuous = BatchedServing(replicas: 0, maxBatch: spec.maxBatch, balancer: spec.balancer, seed: seed ^ 0x5EED,
                                        prefillS: { table.latency(key, promptTokens: $0)!.prefillS },
                                        stepS: { table.latency(key, promptTokens: meanPrompt, batch: $0)!.perTokenS })
        } else {
            let batchNs = (1...batch).map { SimTimeNs((s.work.batchSeconds(batch: $0, on: device, accelerators: n) * 1e9).rounded(.up)) }
            dynamic = DynamicBatching(replicas: 0, maxBatch: batch, maxWaitNs: spec.maxWait.baseUnits, batchNs: batchNs,
                                      firstOutputFraction: 1 / Double(spec.tokensPerRequest))
        }
        request = RequestLevelState(dynamic: dynamic, continuous: continuous, seed: seed,
                                    peakRatePerNs: s.requestsPerSecond * application.cycle.peak * ledger.peakBurstFactor / 1e9,
                                    promptTokens: Double(spec.promptTokens), outputTokens: spec.tokensPerRequest,
                                    trace: replay, traceRepeats: spec.requestTrace?.repeat ?? true,
                                    sampleEvery: spec.requestSample > 0 ? Int64((1 / spec.requestSample).rounded()) : 0)
    }
}
