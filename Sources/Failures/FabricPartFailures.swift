import Components
import Production
import Records
import SimKernel

/// Where the failing parts outside the servers are: each pool's leaves (the leaf of every
/// server), the spines of each pool's fabric, and the storage servers of each storage tier.
public struct FabricPartLayout: Sendable {
    /// Per pool, the leaf of each server (empty: no leaf fails).
    public var leafOfServer: [[Int32]]
    /// Spine switches in each pool's fabric.
    public var spines: Int
    /// Storage servers of each storage tier (0: the tier is not modelled as servers): those its
    /// figures are for (declared).
    public var storageServers: [Int]
    /// In a center whose phases add storage servers, per tier: the most servers in the center at
    /// once (declared and added), and those in the center at the start (empty: the declared,
    /// throughout). An added server fails only while it is in the center.
    public var storageServersAtMost: [Int]
    public var storageServersAtStart: [Int]
    /// Seed of the storage servers' failure stream (`failures/storage`).
    public var storageSeed: UInt64

    public init(leafOfServer: [[Int32]] = [], spines: Int = 0, storageServers: [Int] = [], storageServersAtMost: [Int] = [],
                storageServersAtStart: [Int] = [], storageSeed: UInt64 = 0) {
        self.leafOfServer = leafOfServer
        self.spines = spines
        self.storageServers = storageServers
        self.storageServersAtMost = storageServersAtMost
        self.storageServersAtStart = storageServersAtStart
        self.storageSeed = storageSeed
    }
}

/// The leaf and spine switches and storage servers that fail, each with its own life (its
/// failures drawn like a server's, keyed by its class and index), and the leaf outages whose
/// `/failures` rows wait for the jobs they hit.
struct FabricPartFailures {
    struct Part {
        /// Its class (index into the run's models) and what it is.
        var classIndex: Int
        var component: FailureComponent
        /// Its pool (-1 for a storage server) and index: the leaf or spine in the pool, or the
        /// storage server counted over the tiers in order.
        var pool: Int
        var index: Int
        /// A storage server's tier, its index in the tier, and the tier's servers.
        var tier = 0, inTier = 0, tierServers = 0
        /// A leaf's servers (global indices).
        var servers: [Int32] = []
        var life: Int32 = 0
        var isDown = false
        var inRepair = false
        /// A storage server a phase adds, out of the center now: it does not fail.
        var absent = false
    }

    /// A leaf outage's row, filled as the engine reports the jobs each server hit.
    struct LeafRow {
        var part: Int
        var kind: FailureRecord.Kind
        var downNs: SimTimeNs
        var jobsHit: Int32 = 0
        var replicasHit: Int32 = 0
        var lostAcceleratorNs = 0.0
    }

    var states: [Part] = []
    /// Per server (global): its leaf's part (-1: leaves do not fail).
    var serverLeafPart: [Int32]
    /// Per server: the leaf outage that took it out, until the engine reports its jobs (-1: none).
    var pendingLeafOutage: [Int32]
    var pendingRows: [LeafRow] = []
    let storageDraws: FailureDraws
    let hasLeaves: Bool

    /// The parts of `layout` whose class is among `models`, over `servers` servers (pools from `firstServer`).
    init(layout: FabricPartLayout, models: [FailureModel], firstServer: [Int], servers: Int) {
        storageDraws = FailureDraws(seed: layout.storageSeed)
        let classOf = { (c: FailureComponent) in models.firstIndex { $0.component == c } }
        let leafClass = layout.leafOfServer.isEmpty ? nil : classOf(.leaf)
        hasLeaves = leafClass != nil
        serverLeafPart = Array(repeating: -1, count: hasLeaves ? servers : 0)
        pendingLeafOutage = serverLeafPart
        if let c = leafClass {
            for (p, leaves) in layout.leafOfServer.enumerated() {
                let first = states.count
                for l in 0..<Int(leaves.max() ?? -1) + 1 { states.append(Part(classIndex: c, component: .leaf, pool: p, index: l)) }
                for (s, l) in leaves.enumerated() {
                    let g = firstServer[p] + s
                    states[first + Int(l)].servers.append(Int32(g))
                    serverLeafPart[g] = Int32(first + Int(l))
                }
            }
        }
        if let c = classOf(.spine), layout.spines > 0 {
            for p in firstServer.indices {
                for k in 0..<layout.spines { states.append(Part(classIndex: c, component: .spine, pool: p, index: k)) }
            }
        }
        if let c = classOf(.storage) {
            var n = 0
            for (t, count) in layout.storageServers.enumerated() {
                for k in 0..<count {
                    states.append(Part(classIndex: c, component: .storage, pool: -1, index: n, tier: t, inTier: k, tierServers: count))
                    n += 1
                }
            }
            // The servers phases add, numbered after every declared one (the declared keep
            // their draws), each out of the center until its phase brings it.
            let atMost = layout.storageServersAtMost, atStart = layout.storageServersAtStart
            if atMost.count == layout.storageServers.count, atStart.count == atMost.count {
                for (t, count) in layout.storageServers.enumerated() where atMost[t] > count {
                    for k in count..<atMost[t] {
                        states.append(Part(classIndex: c, component: .storage, pool: -1, index: n, tier: t, inTier: k, tierServers: count,
                                           absent: k >= atStart[t]))
                        n += 1
                    }
                }
            }
        }
    }

    /// The failed leaf above server `g` (nil: its leaf is up, or leaves do not fail).
    func downLeaf(of g: Int) -> Int? {
        guard hasLeaves else { return nil }
        let i = Int(serverLeafPart[g])
        return i >= 0 && states[i].isDown ? i : nil
    }

    /// Adds the jobs one server of leaf outage `part` hit to its row.
    mutating func addToRow(part: Int, _ hit: (jobs: Int32, replicas: Int32, lostAcceleratorNs: Double)) {
        guard let r = pendingRows.lastIndex(where: { $0.part == part }) else { return }
        pendingRows[r].jobsHit += hit.jobs
        pendingRows[r].replicasHit += hit.replicas
        pendingRows[r].lostAcceleratorNs += hit.lostAcceleratorNs
    }
}

/// The parts outside the servers: a leaf's failure takes its servers out of service (their
/// jobs stop and wait again, as in a server failure, until the leaf is back); a spine's and a
/// storage server's tell the other components (the fabric routes around a dead spine, the
/// storage tier loses the server's share), and stop no job.
extension ServerFailures {
    /// The draws of part `i`: its pool's stream, or the storage's.
    func draws(part i: Int) -> FailureDraws {
        let part = parts.states[i]
        return part.pool >= 0 ? draws[part.pool] : parts.storageDraws
    }

    /// Schedules part `i`'s next failure in its current life, which began at `fromNs`.
    mutating func scheduleFailure(part i: Int, fromNs: SimTimeNs) {
        let part = parts.states[i]
        let h = draws(part: i).timeToFailureHours(settings.models[part.classIndex], units: 1, server: part.index, failure: Int(part.life))
        guard h * 3.6e12 < Double(SimTime.never - fromNs) else { return }
        timers.append(ComponentTimer(atNs: fromNs + SimTimeNs(h * 3.6e12), subject: Int32(i), tag: Self.tag(life: part.life, .partFailure)))
    }

    /// Part `i` fails: its return is scheduled (a reboot or a repair: no spare stands in for a
    /// switch or a storage server) and the engine hears what it takes down.
    mutating func partFailed(_ i: Int, life: Int32, nowNs: SimTimeNs) -> ComponentRequest? {
        guard life == parts.states[i].life, !parts.states[i].isDown else { return nil }
        let part = parts.states[i]
        let model = settings.models[part.classIndex]
        let transient = draws(part: i).isTransient(model, server: part.index, failure: Int(part.life))
        let kind: FailureRecord.Kind = transient ? .transient : .repair
        let downNs = max(1, Self.ns(hours: model.detectHours) + Self.ns(hours: transient ? model.rebootHours : model.repairHours))
        parts.states[i].isDown = true
        parts.states[i].inRepair = !transient
        if !transient { tally.repairStarted(nowNs: nowNs) }
        timers.append(ComponentTimer(atNs: nowNs + downNs, subject: Int32(i), tag: Self.tag(life: part.life, .partBack)))
        switch part.component {
        case .leaf:
            // Its servers in service go out; their jobs are reported at the engine's next step,
            // and the row is written at the instant's settle.
            parts.pendingRows.append(.init(part: i, kind: kind, downNs: downNs))
            var out: [Int32] = []
            for g32 in part.servers {
                let g = Int(g32)
                guard !absent[g], !isDown[g] else { continue }
                outSinceNs[g] = nowNs
                parts.pendingLeafOutage[g] = Int32(i)
                out.append(Int32(locate(g).server))
            }
            return out.isEmpty ? nil : .serversDown(pool: part.pool, servers: out)
        case .spine:
            recordPart(i, kind: kind, downNs: downNs, nowNs: nowNs)
            return .partChanged(PartChange(part: .spine(pool: part.pool, spine: part.index), up: false))
        default:
            recordPart(i, kind: kind, downNs: downNs, nowNs: nowNs)
            return .partChanged(PartChange(part: .storageServer(tier: part.tier, server: part.inTier, of: part.tierServers), up: false))
        }
    }

    /// A phase's storage servers entered the center or left it: one that enters starts a life
    /// (it fails from now on), one that leaves ends its life, and a repair under way with it
    /// (the storage tier forgets it was down).
    public mutating func partChanged(_ change: PartChange, nowNs: SimTimeNs) {
        guard case let .storageServersInCenter(tier, servers) = change.part else { return }
        for i in parts.states.indices where parts.states[i].component == .storage && parts.states[i].tier == tier {
            let present = parts.states[i].inTier < servers
            guard present == parts.states[i].absent else { continue }
            parts.states[i].absent = !present
            parts.states[i].life += 1
            if present {
                if primed { scheduleFailure(part: i, fromNs: nowNs) }
            } else if parts.states[i].isDown {
                parts.states[i].isDown = false
                if parts.states[i].inRepair {
                    parts.states[i].inRepair = false
                    tally.repairDone(nowNs: nowNs)
                }
            }
        }
    }

    /// Part `i` is back: a leaf's servers that are not down themselves return to service.
    mutating func partBack(_ i: Int, life: Int32, nowNs: SimTimeNs) -> ComponentRequest? {
        guard life == parts.states[i].life, parts.states[i].isDown else { return nil }
        parts.states[i].isDown = false
        if parts.states[i].inRepair {
            parts.states[i].inRepair = false
            tally.repairDone(nowNs: nowNs)
        }
        parts.states[i].life += 1
        scheduleFailure(part: i, fromNs: nowNs)
        let part = parts.states[i]
        switch part.component {
        case .leaf:
            var back: [Int32] = []
            for g32 in part.servers {
                let g = Int(g32)
                guard !absent[g], !isDown[g] else { continue }
                let (p, s) = locate(g)
                tally.downDeviceNs += Double(nowNs - outSinceNs[g]) * Double(devices[p][s])
                back.append(Int32(s))
            }
            return back.isEmpty ? nil : .serversUp(pool: part.pool, servers: back)
        case .spine: return .partChanged(PartChange(part: .spine(pool: part.pool, spine: part.index), up: true))
        default: return .partChanged(PartChange(part: .storageServer(tier: part.tier, server: part.inTier, of: part.tierServers), up: true))
        }
    }

    /// The rows of this instant's leaf outages, now that the engine reported their jobs (in part order).
    mutating func writeLeafRows(nowNs: SimTimeNs) {
        guard !parts.pendingRows.isEmpty else { return }
        parts.pendingRows.sort { $0.part < $1.part }
        for row in parts.pendingRows {
            tally.failed(class: parts.states[row.part].classIndex, kind: row.kind, jobsHit: Int(row.jobsHit), replicasHit: Int(row.replicasHit),
                         lostAcceleratorNs: row.lostAcceleratorNs)
            record(part: row.part, kind: row.kind, jobsHit: row.jobsHit, replicasHit: row.replicasHit, lostAcceleratorNs: row.lostAcceleratorNs,
                   downNs: row.downNs, nowNs: nowNs)
        }
        parts.pendingRows.removeAll(keepingCapacity: true)
    }

    /// A spine's or storage server's failure: its tally and row (it stops no job).
    mutating func recordPart(_ i: Int, kind: FailureRecord.Kind, downNs: SimTimeNs, nowNs: SimTimeNs) {
        tally.failed(class: parts.states[i].classIndex, kind: kind, jobsHit: 0, replicasHit: 0, lostAcceleratorNs: 0)
        record(part: i, kind: kind, jobsHit: 0, replicasHit: 0, lostAcceleratorNs: 0, downNs: downNs, nowNs: nowNs)
    }

    /// Part `i`'s `/failures` row: its pool (-1 for storage) and its index in the `server` column.
    func record(part i: Int, kind: FailureRecord.Kind, jobsHit: Int32, replicasHit: Int32, lostAcceleratorNs: Double, downNs: SimTimeNs, nowNs: SimTimeNs) {
        let part = parts.states[i]
        sink.record(failure: FailureRecord(timeNs: nowNs, pool: Int16(part.pool), server: Int32(part.index),
                                           component: part.component.code, kind: kind,
                                           jobsHit: jobsHit, replicasHit: replicasHit, workLostAcceleratorHours: lostAcceleratorNs / 3.6e12,
                                           downNs: downNs))
    }
}
