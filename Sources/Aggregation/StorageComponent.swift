import Components
import Metrics
import Production
import Records
import SimKernel
import Workloads

/// The shared storage system under a run (`io.storage`), a run component: every job with
/// storage traffic first ingests (reads its dataset, or a deployment its model file) while
/// holding its accelerators (a gate: it computes when the ingest ends), then computes while
/// streaming its later epochs and writing its checkpoints. Ingests and streams share every
/// tier's bandwidth and IOPS max-min fairly (``SharedFabric`` over the tiers' links, so a change
/// re-prices only what it is coupled to); a stream that gets less than its job needs slows the
/// job in proportion. Data sets live in the tier their last access puts them in (hot, then
/// warm, then cold as they age), and an access brings them back to the first tier.
public struct StorageComponent: RunComponent {
    enum Phase: UInt8 { case none, ingest, stream }

    /// One job's traffic (by slot, checked against its handle): set afresh at each start.
    struct JobTraffic {
        var handle: JobHandle
        var demand: StorageDemand?
        var phase = Phase.none
        /// Its ingest transfer (a fluid activity of `transfers`).
        var transfer: Int32 = -1
        var streamNeed = 0.0
        var speed = 1.0
        var phaseStartNs: SimTimeNs = 0
        var ingestNs: SimTimeNs = 0
        /// Seconds it computes at full speed (its streams spread over them).
        var durationS = 0.0
        /// The mean rate of its planned checkpoint writes (bytes/s; 0: none planned).
        var checkpointBytesPerS = 0.0
        /// Its servers' NIC bandwidth to storage (bytes/s): no transfer of it goes faster.
        var networkBytesPerS = Double.infinity
        /// Its data set's index in `datasets` (-1: none).
        var dataset: Int32 = -1
    }

    /// A data set's or model file's last completed access (nil: none in this run) and the
    /// streams reading it now.
    struct DatasetState {
        var lastAccessNs: SimTimeNs?
        var openStreams = 0
    }

    let system: StorageSystem
    var shared: SharedFabric
    /// Each data set or model file met so far, by an index given at its first job: the id's
    /// index (looked up once per job start, never iterated) and its state.
    var datasetIndex: [Int32: Int32] = [:]
    var datasets: [DatasetState] = []
    /// Ingest transfers as fluid activities (bytes at bytes/ns).
    var transfers = FluidActivities()
    /// Each slot's traffic, read and written in place (a slot never used holds ``vacant``).
    var traffic: [JobTraffic] = []
    /// The traffic of a slot no job has used: a handle no job has.
    static let vacant = JobTraffic(handle: JobHandle(slot: -1, generation: .max), demand: nil)
    /// The workspace every transfer is built in before the tiers' fabric copies it into its
    /// owner's arrays (``SharedFabric/copiesFlows``): no allocation at an ingest or a stream.
    var transferFlow = MaxMinFairShare.Flow(links: [])
    var dirty = false

    // Run totals.
    var ingests: Int64 = 0
    /// Checkpoints read back by jobs restarting after a failure, and every read a job waited
    /// for (ingests and checkpoint reads, alone or together).
    var restores: Int64 = 0
    var gatedReads: Int64 = 0
    var ingestNsTotal = 0.0
    var streamShortNs = 0.0, streamRunNs = 0.0
    var loadAreaPerTier: [Double]
    var lastLoadNs: SimTimeNs = 0
    var readsByTier: [Int64]

    /// A center whose phases add storage servers: each tier's declared servers (what its
    /// bandwidth and IOPS are for; 0: none declared), those in the center now, the changes still
    /// to hand to the engine as timers, and each tier's capacity-time in the center (its
    /// bandwidth utilisation is over it).
    var declaredServers: [Int] = []
    var serversInCenter: [Int] = []
    var serverChanges: [StorageServerChange] = []
    var serverChangesHandedOver = false
    var capacityAreaPerTier: [Double] = []

    /// The storage system `system`; with `growth`, its tiers' servers change on their dates.
    public init(system: StorageSystem, growth: StorageGrowth? = nil) {
        self.system = system
        shared = SharedFabric(capacities: system.capacities)
        shared.copiesFlows = true
        loadAreaPerTier = Array(repeating: 0, count: system.tiers.count)
        readsByTier = Array(repeating: 0, count: system.tiers.count)
        serversDown = Array(repeating: [], count: system.tiers.count)
        if let g = growth, g.declaredServers.count == system.tiers.count, g.serversAtStart.count == system.tiers.count {
            declaredServers = g.declaredServers
            serversInCenter = g.serversAtStart
            serverChanges = g.changes
            capacityAreaPerTier = loadAreaPerTier
            for t in system.tiers.indices where declaredServers[t] > 0 { setTierCapacity(t) }
        }
    }

    /// Tier `t`'s bandwidth and IOPS: its servers in the center and up (a failed one's replicas
    /// or erasure codes keep the data readable) over those its figures are for.
    mutating func setTierCapacity(_ t: Int, of: Int? = nil) {
        let declared = of ?? declaredServers[t]
        guard declared > 0 else { return }
        let present = serversInCenter.isEmpty ? declared : serversInCenter[t]
        let share = Double(max(0, present - serversDown[t].count)) / Double(declared)
        shared.setCapacity(system.bandwidthLink(t), to: system.tiers[t].bandwidthBytesPerS * share)
        shared.setCapacity(system.iopsLink(t), to: system.tiers[t].iops * share)
    }

    /// The slot of `job` when the traffic there is its own.
    func slot(_ job: JobHandle) -> Int? {
        let s = Int(job.slot)
        guard s < traffic.count, traffic[s].handle == job else { return nil }
        return s
    }

    /// The job's speed from storage: 0 while it ingests, its stream's granted / needed share
    /// while it computes, 1 without storage traffic.
    public func speed(of job: JobHandle) -> Double {
        guard let s = slot(job), traffic[s].phase != .none else { return 1 }
        return traffic[s].speed
    }

    /// A job starts with its storage demand, computing for its compute time at full speed and
    /// reaching storage at no more than its servers' network bandwidth: it is held (gated)
    /// while it ingests its data set and, restarting after a failure, reads its checkpoint
    /// back from the checkpoint tier (one read of both, under the tiers' contention).
    public mutating func jobStarted(_ job: StartingJob, nowNs: SimTimeNs) -> StartEffect {
        let s = Int(job.handle.slot)
        traffic.growToInclude(s, with: Self.vacant)
        let d = job.spec.storage
        // Set up here and stored once (each write through the array checks its storage).
        var t = JobTraffic(handle: job.handle, demand: d, dataset: d.map { datasetSlot($0.dataset) } ?? -1)
        let ingest = d?.ingestBytes ?? 0, restore = job.restoreBytes
        guard d != nil || restore > 0 || job.checkpointWriteBytesPerS > 0 else { traffic[s] = t; return .unaffected }
        t.durationS = Double(max(1, job.computeNs)) / 1e9
        t.checkpointBytesPerS = job.checkpointWriteBytesPerS
        t.networkBytesPerS = job.networkBytesPerS
        advanceLoad(to: nowNs)
        guard ingest + restore > 0 else {
            beginStream(slot: s, traffic: &t, nowNs: nowNs)
            traffic[s] = t
            return .unaffected
        }
        var tier = system.checkpointTier
        if ingest > 0 {
            tier = readTier(dataset: t.dataset, nowNs: nowNs)
            readsByTier[tier] += 1
            ingests += 1
        }
        if restore > 0 { restores += 1 }
        gatedReads += 1
        attach(slot: s, readTier: tier, readShare: ingest / (ingest + restore), fileBytes: d?.fileBytes ?? restore,
               limit: job.networkBytesPerS)
        t.transfer = transfers.start(work: ingest + restore, ratePerNs: 0, nowNs: nowNs).0.raw
        t.phase = .ingest
        t.speed = 0
        t.phaseStartNs = nowNs
        traffic[s] = t
        dirty = true
        return .gated
    }

    /// Time the job spent ingesting (at its latest start).
    public func ingestNs(of job: JobHandle) -> SimTimeNs { slot(job).map { traffic[$0].ingestNs } ?? 0 }

    /// A job's row carries its ingest time.
    public func annotate(_ record: inout JobRecord, of job: JobHandle) { record.ingestNs = ingestNs(of: job) }

    /// The index in `datasets` of data set `id`, given at its first job.
    mutating func datasetSlot(_ id: Int32) -> Int32 {
        if let i = datasetIndex[id] { return i }
        let i = Int32(datasets.count)
        datasetIndex[id] = i
        datasets.append(DatasetState())
        return i
    }

    /// The tier data set `i` (its index in `datasets`) is read from now: the first tier while a
    /// job streams it, else where its age since its last completed access has moved it. Data
    /// reaches the first tier when a read of it completes, so readers that start together all
    /// read the old tier.
    func readTier(dataset i: Int32, nowNs: SimTimeNs) -> Int {
        let d = datasets[Int(i)]
        if d.openStreams > 0 { return 0 }
        return system.tier(lastAccessNs: d.lastAccessNs, nowNs: nowNs)
    }

    /// After ingest (or at start without one): the job streams its later epochs and checkpoints
    /// (its data set's `read` and `write` spread over its compute time, and, with failures, the
    /// mean rate of its planned checkpoint writes to the checkpoint tier). After an ingest
    /// (`afterIngest`), the stream takes the ingest's place on the tiers.
    /// (`t` is the traffic of the job in slot `s`, stored there by the caller.)
    mutating func beginStream(slot s: Int, traffic t: inout JobTraffic, afterIngest: Bool = false, nowNs: SimTimeNs) {
        let d = t.demand
        let read = d?.streamReadBytes ?? 0, total = read + (d?.writeBytes ?? 0)
        let planned = t.checkpointBytesPerS
        guard total > 0 || planned > 0 else {
            if afterIngest { shared.detach(s) }
            t.phase = .none
            return
        }
        let tier = read > 0 ? readTier(dataset: t.dataset, nowNs: nowNs) : system.checkpointTier
        if read > 0 {
            readsByTier[tier] += 1
            datasets[Int(t.dataset)].openStreams += 1
            datasets[Int(t.dataset)].lastAccessNs = nowNs
        }
        let need = total / t.durationS + planned
        let readShare = planned == 0 ? read / total : read / t.durationS / need
        // A stream needing more than the job's NICs carry gets at most what they carry.
        let limit = min(need, t.networkBytesPerS)
        attach(slot: s, replacing: afterIngest, readTier: tier, readShare: readShare, fileBytes: d?.fileBytes ?? 1e9, limit: limit)
        t.streamNeed = need
        t.phase = .stream
        t.speed = 1
        t.phaseStartNs = nowNs
        dirty = true
    }

    /// Puts slot `s`'s transfer (``StorageSystem/flow(readTier:readShare:fileBytes:limit:)``) on
    /// the tiers; a stream `replacing` the slot's ingest takes its place
    /// (``SharedFabric/replace(_:flow:streams:)``: a detach and an attach).
    mutating func attach(slot s: Int, replacing: Bool = false, readTier: Int, readShare: Double, fileBytes: Double, limit: Double) {
        system.build(&transferFlow, readTier: readTier, readShare: readShare, fileBytes: fileBytes, limit: limit)
        if replacing { shared.replace(s, flow: transferFlow) } else { shared.attach(s, flow: transferFlow) }
    }

    /// Storage servers down in each tier (`failures.classes.storage`), by their index in it.
    var serversDown: [[Int]]

    /// A storage server failed or came back: its tier's bandwidth and IOPS are what the servers
    /// up can serve (the data stays readable: replicas or erasure codes cover the one down),
    /// re-priced at the next settle.
    ///
    /// A build-out phase changed a tier's servers in the center: its bandwidth and IOPS follow.
    public mutating func partChanged(_ change: PartChange, nowNs: SimTimeNs) {
        switch change.part {
        case let .storageServer(tier, server, of):
            guard tier < system.tiers.count, of > 0 else { return }
            advanceLoad(to: nowNs)
            if change.up {
                serversDown[tier].removeAll { $0 == server }
            } else if !serversDown[tier].contains(server) {
                serversDown[tier].append(server)
            }
            setTierCapacity(tier, of: of)
        case let .storageServersInCenter(tier, servers):
            guard tier < serversInCenter.count else { return }
            advanceLoad(to: nowNs)
            serversInCenter[tier] = servers
            // A server that left is no longer down (its repair ended with it).
            serversDown[tier].removeAll { $0 >= servers }
            setTierCapacity(tier)
        case .spine:
            return
        }
        dirty = true
    }

    /// An ingest's completion came due: the job whose gate it opens, if it is still current.
    public mutating func fired(_ timer: ComponentTimer, nowNs: SimTimeNs) -> ComponentRequest? {
        // A phase's storage servers arrive or retire: every component hears it.
        if timer.subject < 0 {
            let change = serverChanges[Int(-1 - timer.subject)]
            return .partChanged(PartChange(part: .storageServersInCenter(tier: change.tier, servers: change.servers), up: true))
        }
        let s = Int(timer.subject)
        guard s < traffic.count, traffic[s].phase == .ingest,
              transfers.isCurrent(FluidActivityID(raw: traffic[s].transfer), generation: UInt32(truncatingIfNeeded: timer.tag)) else { return nil }
        return .openGate(traffic[s].handle)
    }

    /// The job's ingest completed: it starts computing and streaming.
    public mutating func openGate(_ job: JobHandle, nowNs: SimTimeNs) {
        guard let s = slot(job), traffic[s].phase == .ingest else { return }
        var t = traffic[s]
        advanceLoad(to: nowNs)
        transfers.finish(FluidActivityID(raw: t.transfer))
        let ns = nowNs - t.phaseStartNs
        t.ingestNs += ns
        ingestNsTotal += Double(ns)
        if t.dataset >= 0 { datasets[Int(t.dataset)].lastAccessNs = nowNs }
        // The stream takes the ingest's place on the tiers (or it leaves them).
        beginStream(slot: s, traffic: &t, afterIngest: true, nowNs: nowNs)
        traffic[s] = t
        dirty = true
    }

    /// A job stops (completes, is preempted or retires): its transfer leaves the storage system.
    public mutating func jobStopped(_ job: JobHandle, reason: JobStop, nowNs: SimTimeNs) {
        guard let s = slot(job), traffic[s].phase != .none else { return }
        advanceLoad(to: nowNs)
        closeStream(slot: s, nowNs: nowNs)
        var t = traffic[s]
        if t.phase == .stream, let d = t.demand, d.streamReadBytes > 0 {
            datasets[Int(t.dataset)].openStreams -= 1
            datasets[Int(t.dataset)].lastAccessNs = nowNs
        }
        if t.phase == .ingest {
            transfers.finish(FluidActivityID(raw: t.transfer))
            let ns = nowNs - t.phaseStartNs
            t.ingestNs += ns
            ingestNsTotal += Double(ns)
        }
        shared.detach(s)
        t.phase = .none
        traffic[s] = t
        dirty = true
    }

    /// Accounts the stream in slot `s`'s time short of its need since its last change.
    mutating func closeStream(slot s: Int, nowNs: SimTimeNs) {
        guard traffic[s].phase == .stream else { return }
        let ns = Double(nowNs - traffic[s].phaseStartNs)
        streamRunNs += ns
        streamShortNs += ns * (1 - traffic[s].speed)
        traffic[s].phaseStartNs = nowNs
    }

    /// Re-prices what changed this instant: adds the jobs whose stream speed changed, and a
    /// timer for each ingest whose completion moved (subject: slot; tag: the transfer's generation).
    public mutating func settle(nowNs: SimTimeNs, changed: inout [JobHandle], timers: inout [ComponentTimer]) {
        if !serverChangesHandedOver {
            serverChangesHandedOver = true
            for (i, change) in serverChanges.enumerated() { timers.append(ComponentTimer(atNs: max(nowNs, change.atNs), subject: -1 - Int32(i), tag: 0)) }
        }
        guard dirty else { return }
        dirty = false
        advanceLoad(to: nowNs)
        for s in shared.settle() {
            let granted = shared.bandwidth(s)
            switch traffic[s].phase {
            case .ingest:
                let t = FluidActivityID(raw: traffic[s].transfer)
                guard granted / 1e9 != transfers.rate(t) else { continue }
                let end = transfers.setRate(t, ratePerNs: granted / 1e9, nowNs: nowNs)
                if end != SimTime.never { timers.append(ComponentTimer(atNs: end, subject: Int32(s), tag: Int64(transfers.generation(t)))) }
            case .stream:
                let speed = min(1, granted / traffic[s].streamNeed)
                guard speed != traffic[s].speed else { continue }
                closeStream(slot: s, nowNs: nowNs)
                traffic[s].speed = speed
                changed.append(traffic[s].handle)
            case .none:
                continue
            }
        }
    }

    /// Integrates each tier's bandwidth load up to `nowNs`.
    mutating func advanceLoad(to nowNs: SimTimeNs) {
        guard nowNs > lastLoadNs else { return }
        let dt = Double(nowNs - lastLoadNs)
        for t in system.tiers.indices { loadAreaPerTier[t] += shared.load(system.bandwidthLink(t)) * dt }
        for t in capacityAreaPerTier.indices { capacityAreaPerTier[t] += bandwidthInCenter(t) * dt }
        lastLoadNs = nowNs
    }

    /// Closes every stream at the end of the run.
    public mutating func finish(atNs endNs: SimTimeNs) {
        advanceLoad(to: endNs)
        for s in traffic.indices { closeStream(slot: s, nowNs: endNs) }
    }

    /// Tier `t`'s bandwidth with its servers in the center (failures aside), bytes/s.
    func bandwidthInCenter(_ t: Int) -> Double {
        system.tiers[t].bandwidthBytesPerS * Double(serversInCenter[t]) / Double(max(1, declaredServers[t]))
    }

    /// Tier `i`'s mean bandwidth load over its bandwidth (in a center whose phases add storage,
    /// over the bandwidth of its servers in the center, integrated).
    func bandwidthUtilization(tier i: Int, endNs: SimTimeNs) -> Double {
        guard endNs > 0 else { return 0 }
        if i < capacityAreaPerTier.count && declaredServers[i] > 0 {
            let area = capacityAreaPerTier[i] + bandwidthInCenter(i) * Double(endNs - lastLoadNs)
            return area > 0 ? loadAreaPerTier[i] / area : 0
        }
        return loadAreaPerTier[i] / (Double(endNs) * system.tiers[i].bandwidthBytesPerS)
    }

    /// The `storage` figures of the summary.
    public func summary(endNs: SimTimeNs) -> [(section: String, figures: [(String, SummaryValue)])] {
        let tiers: [(String, SummaryValue)] = system.tiers.enumerated().map { i, t in
            (t.name, .object([(Metric.bytesMoved.key, .real(loadAreaPerTier[i] / 1e9)), (Metric.reads.key, .integer(readsByTier[i])),
                              (Metric.bandwidthUtilizationMean.key, .real(bandwidthUtilization(tier: i, endNs: endNs)))]))
        }
        return [(SummarySection.storage,
                 [(Metric.ingests.key, .integer(ingests)), (Metric.checkpointRestores.key, .integer(restores)),
                  (Metric.ingestMeanS.key, .real(gatedReads > 0 ? ingestNsTotal / Double(gatedReads) / 1e9 : 0)),
                  (Metric.ioBoundFraction.key, .real(streamRunNs > 0 ? streamShortNs / streamRunNs : 0)), (SummarySection.tiers, .object(tiers))])]
    }
}
