import Components
import Metrics
import Production
import Records
import SimKernel
import Workloads

/// The shared fabric under a run (`io.model: fabric`), a run component: every running job with a data-parallel
/// all-reduce puts its rings on its pool's shared leaf-spine fabric where the scheduler placed
/// its accelerators, and its model-parallel traffic (tensor-parallel rings, pipeline
/// transfers, expert all-to-all: ``ModelParallelFlow``) as flows of their own; its speed is
/// compute / (compute + exposed all-reduce + model-parallel time) at their max-min shares,
/// recomputed only when a job joining or leaving its links changes a share (steady-state
/// fast-forward: a month of training is a handful of events per job). A job's flows are the
/// fabric's owners 5 × slot + kind (0: the data-parallel rings, or the network part of an
/// in-switch reduction; 1–3: tensor, pipeline, expert; 4: a switch reduction's intra-server
/// rings). `io.fabric.allreduce` chooses in-switch reduction where placement allows
/// (``RunAllReduceAlgorithm``).
///
/// It writes one `/collectives` row per stretch of steady speed and, at the end, the
/// utilisation series of the busiest leaf-spine links (`/links`). Elastic jobs (whose ring
/// re-forms as they resize) and service replicas do not put rings on it.
public struct FabricComponent: RunComponent {
    /// One shared fabric per pool, and its links.
    var fabrics: [SharedFabric]
    /// Each pool's links (their spines marked down while failed).
    var links: [FabricLinks]
    let poolNames: [String]
    let sampleIntervalNs: SimTimeNs
    let busiestLinks: Int
    /// How data-parallel all-reduces go (`io.fabric.allreduce`).
    let allReduce: RunAllReduceAlgorithm

    /// The all-reduce of the job in a slot (the center's job slots, checked against the job's
    /// handle); nil when the slot's job does not communicate. Kept after the job stops
    /// (`onFabric` false) so its record can read its communication share.
    struct Ring {
        var handle: JobHandle
        var demand: CommunicationDemand
        var pool: Int16
        var job: Int64
        var rings: Int32
        /// Its ranks (global accelerators, ascending), to route it again around a failed spine.
        var ranks: [Int]
        var latencyS: Double
        /// Compute per iteration on the fabric (``CommunicationDemand/fabricComputeSeconds(aloneExposedS:)``).
        var computeS: Double
        /// How its all-reduce runs, and a switch reduction's intra-server bandwidth.
        var algorithm: DataParallelAlgorithm = .ring
        var insideBandwidth = 0.0
        /// Model-parallel flows and each one's stream rate as of the last settle.
        var modelParallel: [ModelParallelFlow] = []
        var modelParallelRates: [Double] = []
        var bandwidth = 0.0
        /// 0 until the instant's settle prices it.
        var speed = 0.0
        var segmentStart: SimTimeNs
        /// Exposed communication and run time over the job's stretches (ns).
        var exposedNs = 0.0
        var runNs = 0.0
        var onFabric = true

        /// Whether its data-parallel all-reduce is on the fabric (more than one replica).
        var dataParallelOnFabric: Bool { demand.dataParallel > 1 }
        /// Whether a switch reduction's intra-server rings are on the fabric (owner kind 4).
        var hasInside: Bool {
            if case let .sharp(d, nvls) = algorithm { return nvls == 0 && d > 1 }
            return false
        }
    }
    var slots: [Ring?] = []
    /// Whether each slot holds a ring: every job's start and stop asks, and most jobs do not
    /// communicate, so they read a byte here instead of their slot's ring.
    var ringHeld: [Bool] = []

    // Run totals.
    /// The all-reduce bus bandwidth, weighted by time (bounded memory, however many stretches).
    var busbw = BusbwDistribution()
    var exposedNs = 0.0, communicatingRunNs = 0.0
    var collectives: Int64 = 0
    var communicatingJobs: Int64 = 0

    // Leaf-spine link utilisation: per pool, its spine links' load integrated per interval.
    let spineLinks: [[Int]]
    var linkArea: [[Double]]
    var linkLastNs: [SimTimeNs]

    /// The fabrics of the pools (in pool order), sampled every `sampleIntervalNs` for `/links`
    /// (the `busiestLinks` busiest kept); `/collectives` and `/links` rows go to `sink`.
    public init(fabrics: [FabricLinks], poolNames: [String], sampleIntervalNs: SimTimeNs, busiestLinks: Int, allReduce: RunAllReduceAlgorithm = .ring,
                sink: (any RecordSink)?) {
        self.sink = sink
        self.allReduce = allReduce
        self.fabrics = fabrics.map { SharedFabric(links: $0) }
        links = fabrics
        self.poolNames = poolNames
        self.sampleIntervalNs = sampleIntervalNs
        self.busiestLinks = busiestLinks
        spineLinks = fabrics.map { f in f.capacities.indices.filter { f.isSpineLink($0) } }
        // Only the spine links' loads are read (`/links`).
        for p in self.fabrics.indices {
            self.fabrics[p].keepLoad(only: spineLinks[p])
            self.fabrics[p].declareBundles(fabrics[p].railBundles())
        }
        linkArea = spineLinks.map { _ in [] }
        linkLastNs = fabrics.map { _ in 0 }
    }

    /// Owner kinds per job: 0 its data-parallel rings (or a switch reduction's network part),
    /// 1–3 its model-parallel flows (``ModelParallelFlow/Kind``), 4 a switch reduction's
    /// intra-server rings (``insideKind``).
    static let kindsPerSlot = 5

    /// The fabric owner of kind `kind` of the job in `slot`, and the slot of an owner.
    static func owner(slot: Int, kind: Int) -> Int { kindsPerSlot * slot + kind }
    static func slot(ofOwner owner: Int) -> Int { owner / kindsPerSlot }

    /// Seconds per iteration of the job's model-parallel traffic at its flows' current rates.
    static func modelParallelSeconds(_ ring: Ring) -> Double {
        var total = 0.0
        for (f, rate) in zip(ring.modelParallel, ring.modelParallelRates) { total += f.seconds(rate: rate) }
        return total
    }

    /// The slot of `job` when the ring there is its own (nil: it has none, or the slot's ring
    /// is another job's). Callers read the ring's fields in place: a ring is a large value with
    /// arrays, and copying it at every speed query cost more than the query.
    func ringSlot(_ job: JobHandle) -> Int? {
        let slot = Int(job.slot)
        guard slot < ringHeld.count, ringHeld[slot], slots[slot]?.handle == job else { return nil }
        return slot
    }

    /// The job's speed relative to compute alone (1 when it does not communicate; 0 while its
    /// all-reduce waits for the instant's settle).
    public func speed(of job: JobHandle) -> Double {
        guard let s = ringSlot(job), slots[s]!.onFabric else { return 1 }
        return slots[s]!.speed
    }

    /// A job starts on its devices: its all-reduce joins the fabric, priced at the next
    /// settle (it waits for that price), when it communicates.
    public mutating func jobStarted(_ job: StartingJob, nowNs: SimTimeNs) -> StartEffect {
        guard !job.isReplica, !job.spec.isElastic else { return .unaffected }
        let slot = Int(job.handle.slot)
        slots.growToInclude(slot, with: nil)
        ringHeld.growToInclude(slot, with: false)
        // A preempted job that restarts keeps its totals; a recycled slot forgets its previous job.
        let earlier = ringSlot(job.handle).map { (exposedNs: slots[$0]!.exposedNs, runNs: slots[$0]!.runNs) }
        if ringHeld[slot] {
            slots[slot] = nil
            ringHeld[slot] = false
        }
        let pool = job.pool
        guard let demand = job.spec.communication, demand.dataParallel > 1 || !demand.modelParallel.isEmpty else { return .unaffected }
        let devices = job.devices()
        guard devices.count >= Int(demand.dataParallel) else { return .unaffected }
        advanceLinks(pool: pool, to: nowNs)
        let ranks = devices.map(Int.init).sorted()
        let perReplica = max(1, ranks.count / Int(demand.dataParallel))
        let capacities = links[pool].capacities
        let (algorithm, flow, streams, latency, inside) = dataParallelFlows(ranks, perReplica: perReplica, pool: pool, choice: allReduce)
        let modelParallel = demand.modelParallel.isEmpty ? [] : links[pool].modelParallelFlows(ranks, traffic: demand.modelParallel)
        guard demand.dataParallel > 1 || !modelParallel.isEmpty else { return .unaffected }
        var ring = Ring(handle: job.handle, demand: demand, pool: Int16(pool), job: job.id, rings: Int32(perReplica), ranks: ranks, latencyS: latency,
                        computeS: demand.computeSPerIteration, algorithm: algorithm, modelParallel: modelParallel,
                        modelParallelRates: modelParallel.map { _ in 0 }, segmentStart: nowNs,
                        exposedNs: earlier?.exposedNs ?? 0, runNs: earlier?.runNs ?? 0)
        // An end-to-end efficiency holds the communication the job exposes alone on these links.
        var aloneExposedS = 0.0
        if demand.endToEnd {
            if ring.dataParallelOnFabric {
                aloneExposedS += Self.allReduceSeconds(ring, bandwidth: flow.aloneRate(capacities: capacities) * Double(streams),
                                                       inside: inside?.aloneRate(capacities: capacities) ?? 0) * (1 - demand.overlap)
            }
            for f in modelParallel { aloneExposedS += f.seconds(rate: f.flow.aloneRate(capacities: capacities)) }
        }
        ring.computeS = demand.fabricComputeSeconds(aloneExposedS: aloneExposedS)
        slots[slot] = ring
        ringHeld[slot] = true
        communicatingJobs += 1
        if ring.dataParallelOnFabric { fabrics[pool].attach(Self.owner(slot: slot, kind: 0), flow: flow, streams: streams) }
        if let inside { fabrics[pool].attach(Self.owner(slot: slot, kind: Self.insideKind), flow: inside) }
        for f in modelParallel { fabrics[pool].attach(Self.owner(slot: slot, kind: f.kind.rawValue), flow: f.flow) }
        dirtyPools.append(pool)
        return .pricedAtSettle
    }

    /// A job stops (completes or is preempted): its all-reduce leaves the fabric; the others
    /// are re-priced at the next ``settle(nowNs:)``.
    public mutating func jobStopped(_ job: JobHandle, reason: JobStop, nowNs: SimTimeNs) {
        guard let slot = ringSlot(job), slots[slot]!.onFabric else { return }
        let pool = Int(slots[slot]!.pool)
        advanceLinks(pool: pool, to: nowNs)
        closeStretch(slot: slot, nowNs: nowNs)
        slots[slot]!.onFabric = false
        for kind in 0..<Self.kindsPerSlot { fabrics[pool].detach(Self.owner(slot: slot, kind: kind)) }
        dirtyPools.append(pool)
    }

    /// Pools with changes since the last settle.
    var dirtyPools: [Int] = []

    /// A spine switch failed or came back: its links carry nothing while it is down (their
    /// capacity is 0), and every ring between leaves is routed again, ECMP over the spines that
    /// are up (a ring with no spine left stalls until one is back). Re-priced at the next settle.
    public mutating func partChanged(_ change: PartChange, nowNs: SimTimeNs) {
        guard case let .spine(p, k) = change.part, p < links.count, k < links[p].spines else { return }
        advanceLinks(pool: p, to: nowNs)
        links[p].setSpine(k, up: change.up)
        for l in links[p].links(ofSpine: k) { fabrics[p].setCapacity(l, to: change.up ? links[p].capacities[l] : 0) }
        for s in slots.indices {
            guard let ring = slots[s], ring.onFabric, Int(ring.pool) == p else { continue }
            if ring.dataParallelOnFabric {
                let (flow, streams) = dataParallelFlow(ring, pool: p)
                let o = Self.owner(slot: s, kind: 0)
                if flow != fabrics[p].flows[o] {
                    fabrics[p].detach(o)
                    fabrics[p].attach(o, flow: flow, streams: streams)
                }
            }
            guard !ring.modelParallel.isEmpty else { continue }
            let routed = links[p].modelParallelFlows(ring.ranks, traffic: ring.demand.modelParallel)
            for f in routed {
                let o = Self.owner(slot: s, kind: f.kind.rawValue)
                guard f.flow != fabrics[p].flows[o] else { continue }
                fabrics[p].detach(o)
                fabrics[p].attach(o, flow: f.flow)
            }
            slots[s]!.modelParallel = routed
        }
        dirtyPools.append(p)
    }

    /// Prices this instant's changes: one max-min solve per pool that changed, over the flows
    /// coupled to the changes; adds the jobs whose speed changed (pool order, then slot).
    public mutating func settle(nowNs: SimTimeNs, changed: inout [JobHandle], timers: inout [ComponentTimer]) {
        guard !dirtyPools.isEmpty else { return }
        dirtyPools.sort()
        var last = -1
        for p in dirtyPools where p != last {
            last = p
            advanceLinks(pool: p, to: nowNs)
            var lastSlot = -1
            for owner in fabrics[p].settle() {
                let s = Self.slot(ofOwner: owner)
                guard s != lastSlot else { continue }
                lastSlot = s
                guard let ring = slots[s], ring.onFabric else { continue }
                func moved(_ a: Double, _ b: Double) -> Bool { abs(b - a) > 1e-9 * max(a, b) }
                let b = ring.dataParallelOnFabric ? fabrics[p].bandwidth(Self.owner(slot: s, kind: 0)) : 0
                let rates = ring.modelParallel.map { fabrics[p].bandwidth(Self.owner(slot: s, kind: $0.kind.rawValue)) }
                let inside = ring.hasInside ? fabrics[p].bandwidth(Self.owner(slot: s, kind: Self.insideKind)) : 0
                guard moved(ring.bandwidth, b) || moved(ring.insideBandwidth, inside)
                      || zip(ring.modelParallelRates, rates).contains(where: { moved($0, $1) }) else { continue }
                closeStretch(slot: s, nowNs: nowNs)
                slots[s]!.bandwidth = b
                slots[s]!.insideBandwidth = inside
                slots[s]!.modelParallelRates = rates
                // No bandwidth (a ring through a failed spine with none left): it stalls.
                let stalled = (ring.dataParallelOnFabric && b <= 0) || (ring.hasInside && inside <= 0) || rates.contains { $0 <= 0 }
                let updated = slots[s]!
                slots[s]!.speed = stalled ? 0
                    : ring.demand.speed(allReduceS: ring.dataParallelOnFabric ? Self.allReduceSeconds(updated) : 0, computeS: ring.computeS,
                                        modelParallelS: Self.modelParallelSeconds(updated))
                changed.append(ring.handle)
            }
        }
        dirtyPools.removeAll(keepingCapacity: true)
    }

    /// Share of the job's run so far spent in exposed communication.
    public func communicationShare(of job: JobHandle) -> Double {
        guard let s = ringSlot(job), slots[s]!.runNs > 0 else { return 0 }
        return slots[s]!.exposedNs / slots[s]!.runNs
    }

    /// A job's row carries its communication share.
    public func annotate(_ record: inout JobRecord, of job: JobHandle) {
        record.communicationShare = communicationShare(of: job)
    }

    /// Ends the job's current stretch at `nowNs` (a `/collectives` row when it lasted).
    mutating func closeStretch(slot s: Int, nowNs: SimTimeNs) {
        guard var ring = slots[s], ring.onFabric else { return }
        defer {
            ring.segmentStart = nowNs
            slots[s] = ring
        }
        guard ring.bandwidth > 0 || !ring.dataParallelOnFabric, ring.speed > 0, nowNs > ring.segmentStart else { return }
        let demand = ring.demand
        let ns = Double(nowNs - ring.segmentStart)
        let allReduceS = ring.dataParallelOnFabric ? Self.allReduceSeconds(ring) : 0
        let exposedS = allReduceS * (1 - demand.overlap) + Self.modelParallelSeconds(ring)
        let iterationS = ring.computeS + exposedS
        let exposedShare = iterationS > 0 ? exposedS / iterationS : 0
        if ring.dataParallelOnFabric {
            let algbw = allReduceS > 0 ? demand.bytesPerIteration / allReduceS / 1e9 : 0
            let busbw = CollectiveOp.allreduce.busBandwidth(algbw: algbw, ranks: Int(demand.dataParallel))
            sink?.record(collective: CollectiveRecord(
                job: ring.job, pool: ring.pool, ranks: demand.dataParallel, rings: ring.rings, bytes: demand.bytesPerIteration,
                startNs: ring.segmentStart, endNs: nowNs, iterations: iterationS > 0 ? ns / 1e9 / iterationS : 0,
                algbwGBps: algbw, busbwGBps: busbw, exposedShare: exposedShare))
            collectives += 1
            self.busbw.add(busbwGBps: busbw, ns: ns)
        }
        ring.exposedNs += ns * exposedShare
        ring.runNs += ns
        exposedNs += ns * exposedShare
        communicatingRunNs += ns
    }

    /// Where `/collectives` and `/links` rows go.
    let sink: (any RecordSink)?

    /// Integrates pool `p`'s spine-link loads up to `nowNs`, one bucket per sample interval.
    mutating func advanceLinks(pool p: Int, to nowNs: SimTimeNs) {
        let spine = spineLinks[p]
        guard !spine.isEmpty else { return }
        var t = linkLastNs[p]
        while t < nowNs {
            let bucket = Int(t / sampleIntervalNs)
            let until = min(nowNs, SimTimeNs(bucket + 1) * sampleIntervalNs)
            let needed = (bucket + 1) * spine.count
            if linkArea[p].count < needed { linkArea[p].append(contentsOf: repeatElement(0, count: needed - linkArea[p].count)) }
            let dt = Double(until - t)
            for (k, l) in spine.enumerated() where fabrics[p].load(l) > 0 {
                linkArea[p][bucket * spine.count + k] += fabrics[p].load(l) * dt
            }
            t = until
        }
        linkLastNs[p] = max(linkLastNs[p], nowNs)
    }

    /// Closes every running job's stretch and writes `/links`: the `busiestLinks` leaf-spine
    /// links by mean utilisation (ties: pool, then link order), one point per interval.
    public mutating func finish(atNs endNs: SimTimeNs) {
        for s in slots.indices where slots[s]?.onFabric == true { closeStretch(slot: s, nowNs: endNs) }
        for p in fabrics.indices { advanceLinks(pool: p, to: endNs) }
        let buckets = endNs > 0 ? Int((endNs - 1) / sampleIntervalNs) + 1 : 0
        var ranked: [(mean: Double, pool: Int, k: Int)] = []
        for p in fabrics.indices {
            for (k, l) in spineLinks[p].enumerated() {
                let cap = links[p].capacities[l]
                var area = 0.0
                for b in 0..<buckets where b * spineLinks[p].count + k < linkArea[p].count { area += linkArea[p][b * spineLinks[p].count + k] }
                ranked.append((endNs > 0 ? area / (Double(endNs) * cap) : 0, p, k))
            }
        }
        linkMeans = ranked.map(\.mean)
        ranked.sort { ($0.mean, -$0.pool, -$0.k) > ($1.mean, -$1.pool, -$1.k) }
        var names: [String] = [], samples: [LinkSample] = []
        for (i, r) in ranked.prefix(busiestLinks).enumerated() {
            let l = spineLinks[r.pool][r.k], cap = links[r.pool].capacities[l]
            names.append("\(poolNames[r.pool])/\(links[r.pool].linkName(l))")
            for b in 0..<buckets {
                let start = SimTimeNs(b) * sampleIntervalNs
                let width = Double(min(endNs, start + sampleIntervalNs) - start)
                let idx = b * spineLinks[r.pool].count + r.k
                let area = idx < linkArea[r.pool].count ? linkArea[r.pool][idx] : 0
                let u = area / (width * cap)
                peakLinkUtilization = max(peakLinkUtilization, u)
                samples.append(LinkSample(timeNs: start, link: Int32(i), utilization: u))
            }
        }
        sink?.record(links: names, samples: samples)
    }

    /// Mean utilisation of every leaf-spine link (set by ``finalize(at:)``), and the highest
    /// interval utilisation among the busiest.
    var linkMeans: [Double] = []
    var peakLinkUtilization = 0.0

    /// The `network` figures of the summary.
    public func summary(endNs: SimTimeNs) -> [(section: String, figures: [(String, SummaryValue)])] { [(SummarySection.network, figures)] }

    var figures: [(String, SummaryValue)] {
        return [(Metric.model.key, .text("fabric")), (Metric.communicatingJobs.key, .integer(communicatingJobs)), (Metric.collectiveStretches.key, .integer(collectives)),
                (Metric.allreduceBusbwGBpsP50.key, .real(busbw.medianGBps)), (Metric.allreduceBusbwGBpsMean.key, .real(busbw.meanGBps)),
                (Metric.exposedCommunicationFraction.key, .real(communicatingRunNs > 0 ? exposedNs / communicatingRunNs : 0)),
                (Metric.spineLinkUtilizationMean.key, .real(linkMeans.isEmpty ? 0 : linkMeans.reduce(0, +) / Double(linkMeans.count))),
                (Metric.spineLinkUtilizationPeak.key, .real(peakLinkUtilization))]
    }
}
