import Production
import Release
import Scenario
import SimKernel
import Workloads

extension ServiceState {
    /// A service of an application as the run serves it (the configuration of a service for the
    /// controller): its profile (pool, rate, roofline
    /// work) and its scenario entry (autoscaler, fidelity, batching wait, model file).
    init(index: Int16, profile s: ServiceProfile, spec: ServiceSpec, modelFileBytes: Double, application: ApplicationProfile,
         pools: [PoolView], streams: RandomStreams, horizonNs: SimTimeNs) {
        let device = pools[Int(s.pool)].accelerator
        let n = s.acceleratorsPerReplica
        let bursts = spec.bursts.flatMap { b in
            b.occurrences(horizonNs: horizonNs).map { ServiceBurst(startNs: $0.startNs, durationNs: $0.durationNs, factor: b.factor) }
        }
        let replay = spec.requestTrace?.trace
        let table = spec.latency?.table
        let meanPrompt = replay.map { $0.promptTokens.reduce(0, +) / Double($0.promptTokens.count) } ?? Double(spec.promptTokens)
        var meanRate = s.requestsPerSecond
        if let t = replay, let last = t.arrivalS.last, last > 0 { meanRate = Double(t.arrivalS.count) / last }
        // The service's own cycle, else its application's.
        let cycle = s.cycle ?? application.cycle
        let ledger = ServingLedger(meanRatePerS: meanRate, cycle: replay == nil ? cycle : .flat, bursts: replay == nil ? bursts : [])
        let batch: Int, batchS: Double
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
        func made(_ request: RequestLevelState?) -> ServiceState {
            ServiceState(name: s.name, index: index, application: application.index, model: s.modelIndex, tenant: s.tenant, pool: s.pool,
                         acceleratorsPerReplica: Int32(n), sliceMilli: Int32((s.work.deviceShare * 1000).rounded()), startNs: s.startNs,
                         peakReplicas: s.replicas(on: pools[Int(s.pool)], peakMultiplier: cycle.peak), batch: batch, batchS: batchS,
                         targetS: s.latencyTargetS, flopsPerRequest: s.work.flopsPerRequest, modelFileBytes: modelFileBytes,
                         autoscale: spec.autoscale.map(AutoscalePolicy.init), ledger: ledger, request: request)
        }
        guard spec.fidelity == .request else { self = made(nil); return }
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
        self = made(RequestLevelState(dynamic: dynamic, continuous: continuous, seed: seed,
                                    peakRatePerNs: s.requestsPerSecond * cycle.peak * ledger.peakBurstFactor / 1e9,
                                    promptTokens: Double(spec.promptTokens), outputTokens: spec.tokensPerRequest,
                                    trace: replay, traceRepeats: spec.requestTrace?.repeat ?? true,
                                    sampleEvery: spec.requestSample > 0 ? Int64((1 / spec.requestSample).rounded()) : 0))
    }
}

extension AutoscalePolicy {
    /// The autoscaler a scenario's `autoscale:` entry describes.
    init(_ spec: AutoscaleSpec) {
        let metric: Metric
        switch spec.metric {
        case .latency: metric = .latency
        case .utilization: metric = .utilization
        case .queue: metric = .queue
        }
        self.init(metric: metric, target: spec.target, minReplicas: spec.min, maxReplicas: spec.max, intervalNs: spec.interval.baseUnits,
                  headroom: spec.headroom, cooldownNs: spec.cooldown.baseUnits)
    }
}
