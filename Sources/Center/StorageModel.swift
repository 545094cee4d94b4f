import Metrics
import Aggregation
import Production
import SimKernel

/// The shared storage system under a run (`io.storage`): every job with storage traffic first
/// ingests (reads its dataset, or a deployment its model file) while holding its accelerators,
/// then computes while streaming its later epochs and writing its checkpoints. Ingests and
/// streams share every tier's bandwidth and IOPS max-min fairly (``SharedFabric`` over the
/// tiers' links, so a change re-prices only what it is coupled to); a stream that gets less than
/// its job needs slows the job in proportion. Data sets live in the tier their last access
/// puts them in (hot, then warm, then cold as they age), and an access brings them back to the
/// first tier.
struct StorageModel {
    enum Phase: UInt8 { case none, ingest, stream }

    let system: StorageSystem
    var shared: SharedFabric
    /// Last access of each data set or model file, and its streams open now (looked up,
    /// never iterated).
    var lastAccessNs: [Int32: SimTimeNs] = [:]
    var openStreams: [Int32: Int] = [:]
    /// Ingest transfers as fluid activities (bytes at bytes/ns), by slot.
    var transfers = FluidActivities()

    // Per slot.
    var slotDemand: [StorageDemand?] = []
    var slotPhase: [Phase] = []
    var slotTransfer: [Int32] = []
    var slotStreamNeed: [Double] = []
    var slotSpeed: [Double] = []
    var slotPhaseStart: [SimTimeNs] = []
    var slotIngestNs: [SimTimeNs] = []
    var slotDuration: [Double] = []
    var dirty = false

    // Run totals.
    var ingests: Int64 = 0
    var ingestNsTotal = 0.0
    var streamShortNs = 0.0, streamRunNs = 0.0
    var loadAreaPerTier: [Double]
    var lastLoadNs: SimTimeNs = 0
    var readsByTier: [Int64]

    init(system: StorageSystem) {
        self.system = system
        shared = SharedFabric(capacities: system.capacities)
        loadAreaPerTier = Array(repeating: 0, count: system.tiers.count)
        readsByTier = Array(repeating: 0, count: system.tiers.count)
    }

    /// The job's speed from storage: 0 while it ingests, its stream's granted / needed share
    /// while it computes, 1 without storage traffic.
    func speed(slot: Int) -> Double { slot < slotPhase.count && slotPhase[slot] != .none ? slotSpeed[slot] : 1 }

    func isIngesting(_ slot: Int) -> Bool { slot < slotPhase.count && slotPhase[slot] == .ingest }

    /// A job starts with `demand`, computing for `computeNs` at full speed and reaching storage
    /// at no more than `nicBytesPerS`. Returns whether it must ingest before it computes.
    mutating func start(slot: Int, demand: StorageDemand?, computeNs: SimTimeNs, nicBytesPerS: Double, nowNs: SimTimeNs) -> Bool {
        slotDemand.growToInclude(slot, with: nil); slotPhase.growToInclude(slot, with: .none); slotTransfer.growToInclude(slot, with: -1)
        slotStreamNeed.growToInclude(slot, with: 0); slotSpeed.growToInclude(slot, with: 1); slotPhaseStart.growToInclude(slot, with: 0)
        slotIngestNs.growToInclude(slot, with: 0); slotDuration.growToInclude(slot, with: 0)
        slotDemand[slot] = demand
        slotPhase[slot] = .none
        slotIngestNs[slot] = 0
        guard let d = demand else { return false }
        slotDuration[slot] = Double(max(1, computeNs)) / 1e9
        advanceLoad(to: nowNs)
        if d.ingestBytes > 0 {
            let tier = readTier(d.dataset, nowNs: nowNs)
            readsByTier[tier] += 1
            shared.attach(slot, flow: system.flow(readTier: tier, readShare: 1, fileBytes: d.fileBytes, limit: nicBytesPerS))
            let (t, _) = transfers.start(work: d.ingestBytes, ratePerNs: 0, nowNs: nowNs)
            slotTransfer[slot] = t.raw
            slotPhase[slot] = .ingest
            slotSpeed[slot] = 0
            slotPhaseStart[slot] = nowNs
            ingests += 1
            dirty = true
            return true
        }
        beginStream(slot: slot, nowNs: nowNs)
        return false
    }

    /// Time spent ingesting by the job in `slot` so far.
    func ingestNs(slot: Int) -> SimTimeNs { slot < slotIngestNs.count ? slotIngestNs[slot] : 0 }

    /// The tier data set `dataset` is read from now: the first tier while a job streams it,
    /// else where its age since its last completed access has moved it. Data reaches the first
    /// tier when a read of it completes, so readers that start together all read the old tier.
    func readTier(_ dataset: Int32, nowNs: SimTimeNs) -> Int {
        if openStreams[dataset, default: 0] > 0 { return 0 }
        return system.tier(lastAccessNs: lastAccessNs[dataset], nowNs: nowNs)
    }

    /// After ingest (or at start without one): the job streams its later epochs and checkpoints.
    mutating func beginStream(slot: Int, nowNs: SimTimeNs) {
        guard let d = slotDemand[slot] else { return }
        let total = d.streamReadBytes + d.writeBytes
        guard total > 0 else { slotPhase[slot] = .none; return }
        let tier = d.streamReadBytes > 0 ? readTier(d.dataset, nowNs: nowNs) : system.checkpointTier
        if d.streamReadBytes > 0 {
            readsByTier[tier] += 1
            openStreams[d.dataset, default: 0] += 1
            lastAccessNs[d.dataset] = nowNs
        }
        let need = total / slotDuration[slot]
        shared.attach(slot, flow: system.flow(readTier: tier, readShare: d.streamReadBytes / total, fileBytes: d.fileBytes, limit: need))
        slotStreamNeed[slot] = need
        slotPhase[slot] = .stream
        slotSpeed[slot] = 1
        slotPhaseStart[slot] = nowNs
        dirty = true
    }

    /// The ingest of `slot` completed: it starts computing and streaming.
    mutating func finishIngest(slot: Int, nowNs: SimTimeNs) {
        guard isIngesting(slot) else { return }
        advanceLoad(to: nowNs)
        transfers.finish(FluidActivityID(raw: slotTransfer[slot]))
        shared.detach(slot)
        let ns = nowNs - slotPhaseStart[slot]
        slotIngestNs[slot] += ns
        ingestNsTotal += Double(ns)
        if let d = slotDemand[slot] { lastAccessNs[d.dataset] = nowNs }
        beginStream(slot: slot, nowNs: nowNs)
        dirty = true
    }

    /// A job stops (completes or is preempted): its transfer leaves the storage system.
    mutating func stop(slot: Int, nowNs: SimTimeNs) {
        guard slot < slotPhase.count, slotPhase[slot] != .none else { return }
        advanceLoad(to: nowNs)
        closeStream(slot: slot, nowNs: nowNs)
        if slotPhase[slot] == .stream, let d = slotDemand[slot], d.streamReadBytes > 0 {
            openStreams[d.dataset, default: 1] -= 1
            lastAccessNs[d.dataset] = nowNs
        }
        if slotPhase[slot] == .ingest {
            transfers.finish(FluidActivityID(raw: slotTransfer[slot]))
            let ns = nowNs - slotPhaseStart[slot]
            slotIngestNs[slot] += ns
            ingestNsTotal += Double(ns)
        }
        shared.detach(slot)
        slotPhase[slot] = .none
        dirty = true
    }

    /// Accounts the stream's time short of its need since its last change.
    mutating func closeStream(slot: Int, nowNs: SimTimeNs) {
        guard slotPhase[slot] == .stream else { return }
        let ns = Double(nowNs - slotPhaseStart[slot])
        streamRunNs += ns
        streamShortNs += ns * (1 - slotSpeed[slot])
        slotPhaseStart[slot] = nowNs
    }

    /// Re-prices what changed this instant. Returns the slots whose speed changed and the
    /// ingests whose completion moved (slot, completion, generation).
    mutating func settle(nowNs: SimTimeNs) -> (changed: [Int], ingestEnds: [(Int32, SimTimeNs, Int64)]) {
        guard dirty else { return ([], []) }
        dirty = false
        advanceLoad(to: nowNs)
        var changed: [Int] = [], ends: [(Int32, SimTimeNs, Int64)] = []
        for s in shared.settle() {
            let granted = shared.bandwidth(s)
            switch slotPhase[s] {
            case .ingest:
                let t = FluidActivityID(raw: slotTransfer[s])
                guard granted / 1e9 != transfers.rate(t) else { continue }
                let end = transfers.setRate(t, ratePerNs: granted / 1e9, nowNs: nowNs)
                ends.append((Int32(s), end, Int64(transfers.generation(t))))
            case .stream:
                let speed = min(1, granted / slotStreamNeed[s])
                guard speed != slotSpeed[s] else { continue }
                closeStream(slot: s, nowNs: nowNs)
                slotSpeed[s] = speed
                changed.append(s)
            case .none:
                continue
            }
        }
        return (changed, ends)
    }

    /// Whether the ingest completion (slot, generation) is still the current one.
    func isCurrentIngest(slot: Int, generation: Int64) -> Bool {
        isIngesting(slot) && transfers.isCurrent(FluidActivityID(raw: slotTransfer[slot]), generation: UInt32(truncatingIfNeeded: generation))
    }

    /// Integrates each tier's bandwidth load up to `nowNs`.
    mutating func advanceLoad(to nowNs: SimTimeNs) {
        guard nowNs > lastLoadNs else { return }
        let dt = Double(nowNs - lastLoadNs)
        for t in system.tiers.indices { loadAreaPerTier[t] += shared.load[system.bandwidthLink(t)] * dt }
        lastLoadNs = nowNs
    }

    /// Closes every stream at the end of the run.
    mutating func finalize(at endNs: SimTimeNs) {
        advanceLoad(to: endNs)
        for s in slotPhase.indices where slotPhase[s] == .stream { closeStream(slot: s, nowNs: endNs) }
    }

    /// The `storage` figures of the summary.
    func summary(endNs: SimTimeNs) -> [(String, SummaryValue)] {
        let tiers: [(String, SummaryValue)] = system.tiers.enumerated().map { i, t in
            (t.name, .object([(Metric.bytesMoved.key, .real(loadAreaPerTier[i] / 1e9)), (Metric.reads.key, .integer(readsByTier[i])),
                              (Metric.bandwidthUtilizationMean.key, .real(endNs > 0 ? loadAreaPerTier[i] / (Double(endNs) * t.bandwidthBytesPerS) : 0))]))
        }
        return [(Metric.ingests.key, .integer(ingests)), (Metric.ingestMeanS.key, .real(ingests > 0 ? ingestNsTotal / Double(ingests) / 1e9 : 0)),
                (Metric.ioBoundFraction.key, .real(streamRunNs > 0 ? streamShortNs / streamRunNs : 0)), (SummarySection.tiers, .object(tiers))]
    }
}
