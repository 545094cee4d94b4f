import Components
import Metrics
import Production
import Records
import SimKernel

/// Failures of the center's servers, switches and storage servers, as a run component: each
/// server's parts fail by their class's model (``FailureModel``: accelerators, host, NICs, its
/// network links, software), and, when the scenario names them, each leaf and spine switch and
/// each storage server (``FabricPartFailures``),
/// drawn from the run's own `failures/POOL` streams (``FailureDraws``), so turning failures on
/// leaves the demand as it was. A failure takes the server out of service (the engine
/// interrupts its jobs) until a reboot, a repair or a hot spare's swap brings it back; batch
/// jobs checkpoint by the scenario's rule (``CheckpointPolicy``), and the component keeps the
/// books: `/failures` rows, each job's interruptions and work lost, and the `failures` section
/// of the summary (goodput, ETTR, availability, repair backlog).
///
/// A server's life restarts when it comes back: its next failure is the earliest of its
/// classes' draws from then (exact for exponential parts; for Weibull shapes each class of a
/// server ages as one part). A software failure strikes only a server where a job runs (the
/// Llama 3 count is per server a job spans): on an idle server it is dropped and the server's
/// life starts again.
public struct ServerFailures: RunComponent {
    let settings: FailureSettings
    let sink: any RecordSink
    /// Per pool: devices of each server, NICs per server, draws, and its first server's global index.
    let devices: [[Int32]]
    let nicsPerServer: [Int]
    let draws: [FailureDraws]
    let firstServer: [Int]
    /// Per server (global index): its life (bumped each time it comes back), whether it is
    /// down, the class of its pending failure, and since when it is out of service (down, or
    /// under a failed leaf).
    var life: [Int32]
    var isDown: [Bool]
    var failingClass: [Int8]
    var outSinceNs: [SimTimeNs]
    /// Per server: how the failure it has just had comes back (kind, time down), until the
    /// engine reports the jobs it hit; and whether its software failure waits to hear whether a
    /// job runs there.
    var pendingOutcome: [(kind: FailureRecord.Kind, downNs: SimTimeNs)?]
    var awaitingJobs: [Bool]
    /// The leaf switches, spine switches and storage servers that fail (empty unless named).
    var parts: FabricPartFailures
    /// Whether the server is down for a repair in place (the backlog falls when it comes back).
    var inRepair: [Bool]
    var sparesFree: [Int]
    /// Servers out of the center (a center built in phases): they do not fail.
    var absent: [Bool]
    var timers: [ComponentTimer] = []
    var primed = false
    /// Each batch job's failures, by slot.
    var jobsBySlot: [JobFailures?] = []
    var tally: FailureTally

    /// Failures for pools whose servers hold `devices` accelerators each (pool by pool), with
    /// `nicsPerServer` NICs; `seeds` are the pools' failure stream seeds.
    /// `parts` places the leaf and spine switches and the storage servers (the default: none).
    public init(settings: FailureSettings, devices: [[Int32]], nicsPerServer: [Int], seeds: [UInt64], sink: any RecordSink,
                parts: FabricPartLayout = FabricPartLayout()) {
        precondition(devices.count == seeds.count && devices.count == nicsPerServer.count && settings.hotSpares.count == devices.count)
        self.settings = settings
        self.sink = sink
        self.devices = devices
        self.nicsPerServer = nicsPerServer
        draws = seeds.map { FailureDraws(seed: $0) }
        var first: [Int] = [], n = 0
        for d in devices {
            first.append(n)
            n += d.count
        }
        firstServer = first
        life = Array(repeating: 0, count: n)
        isDown = Array(repeating: false, count: n)
        failingClass = Array(repeating: 0, count: n)
        outSinceNs = Array(repeating: 0, count: n)
        pendingOutcome = Array(repeating: nil, count: n)
        awaitingJobs = Array(repeating: false, count: n)
        self.parts = FabricPartFailures(layout: parts, models: settings.models, firstServer: first, servers: n)
        inRepair = Array(repeating: false, count: n)
        absent = Array(repeating: false, count: n)
        sparesFree = settings.hotSpares
        tally = FailureTally(classes: settings.models.count, capacity: devices.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1) } },
                             hotSpares: settings.hotSpares.reduce(0, +))
    }

    // MARK: Timers

    enum TimerKind: Int64 {
        case failure = 0, back = 1, spareBack = 2
        /// A switch's or storage server's failure and return (the subject is the part).
        case partFailure = 3, partBack = 4
        /// A server installed under a failed leaf goes out of service.
        case hold = 5
    }

    static func tag(life: Int32, _ kind: TimerKind) -> Int64 { Int64(life) << 4 | kind.rawValue }

    /// The pool and server of global server `g`.
    func locate(_ g: Int) -> (pool: Int, server: Int) {
        var p = 0
        while p + 1 < firstServer.count && firstServer[p + 1] <= g { p += 1 }
        return (p, g - firstServer[p])
    }

    /// Units of `component` on server `s` of pool `p`.
    func units(_ component: FailureComponent, pool p: Int, server s: Int) -> Int {
        FailureExposure(accelerators: Int(devices[p][s]), servers: 1, nicsPerServer: nicsPerServer[p]).units(of: component)
    }

    /// Schedules server `g`'s next failure in its current life, which began at `fromNs`.
    mutating func scheduleFailure(_ g: Int, fromNs: SimTimeNs) {
        let (p, s) = locate(g)
        var best = Double.infinity, which = -1
        for (c, model) in settings.models.enumerated() {
            let n = units(model.component, pool: p, server: s)
            guard n > 0 else { continue }
            let h = draws[p].timeToFailureHours(model, units: n, server: s, failure: Int(life[g]))
            if h < best { best = h; which = c }
        }
        guard which >= 0, best * 3.6e12 < Double(SimTime.never - fromNs) else { return }
        failingClass[g] = Int8(which)
        timers.append(ComponentTimer(atNs: fromNs + SimTimeNs(best * 3.6e12), subject: Int32(g), tag: Self.tag(life: life[g], .failure)))
    }

    public mutating func settle(nowNs: SimTimeNs, changed: inout [JobHandle], timers out: inout [ComponentTimer]) {
        if !primed {
            primed = true
            for g in life.indices where !absent[g] { scheduleFailure(g, fromNs: 0) }
            for i in parts.states.indices where !parts.states[i].absent { scheduleFailure(part: i, fromNs: 0) }
            for i in timers.indices where timers[i].atNs < nowNs { timers[i].atNs = nowNs }
        }
        writeLeafRows(nowNs: nowNs)
        out += timers
        timers.removeAll(keepingCapacity: true)
    }

    /// A timer came due: the change it asks of the engine, or a pass when it only scheduled
    /// timers of its own (a failure under a failed leaf, a leaf failing over servers out of the
    /// center), which the instant's settle must hand to the engine.
    public mutating func fired(_ timer: ComponentTimer, nowNs: SimTimeNs) -> ComponentRequest? {
        let request = respond(to: timer, nowNs: nowNs)
        return request == nil && !timers.isEmpty ? .pass : request
    }

    /// What timer `timer` changes.
    mutating func respond(to timer: ComponentTimer, nowNs: SimTimeNs) -> ComponentRequest? {
        let kind = TimerKind(rawValue: timer.tag & 15)!
        let timerLife = Int32(truncatingIfNeeded: timer.tag >> 4)
        switch kind {
        case .spareBack:
            sparesFree[Int(timer.subject)] += 1
            tally.repairDone(nowNs: nowNs)
            return nil
        case .partFailure: return partFailed(Int(timer.subject), life: timerLife, nowNs: nowNs)
        case .partBack: return partBack(Int(timer.subject), life: timerLife, nowNs: nowNs)
        case .hold:
            let g = Int(timer.subject)
            guard !absent[g], !isDown[g], let leaf = parts.downLeaf(of: g) else { return nil }
            parts.pendingLeafOutage[g] = Int32(leaf)
            outSinceNs[g] = nowNs
            let (p, s) = locate(g)
            return .serverDown(pool: p, server: s)
        case .failure, .back: break
        }
        let g = Int(timer.subject)
        guard timerLife == life[g] else { return nil }
        let (p, s) = locate(g)
        let underDownLeaf = parts.downLeaf(of: g) != nil
        switch kind {
        case .failure:
            guard !isDown[g] else { return nil }
            isDown[g] = true
            // Software fails where a job runs (the Llama 3 count is per server a job spans): the
            // engine takes the server out only if a job runs there.
            if settings.models[Int(failingClass[g])].component == .software {
                guard !underDownLeaf else {
                    restartLife(g, nowNs: nowNs)
                    return nil
                }
                awaitingJobs[g] = true
                outSinceNs[g] = nowNs
                return .serverDownIfBusy(pool: p, server: s)
            }
            let outcome = beginOutage(g, pool: p, server: s, nowNs: nowNs)
            // Under a failed leaf the server is out of service already: no job to hit.
            guard !underDownLeaf else {
                recordOutage(g, pool: p, server: s, outcome: outcome, hits: [], nowNs: nowNs)
                return nil
            }
            outSinceNs[g] = nowNs
            pendingOutcome[g] = outcome
            return .serverDown(pool: p, server: s)
        default:
            guard isDown[g] else { return nil }
            endRepair(g, nowNs: nowNs)
            restartLife(g, nowNs: nowNs)
            guard !underDownLeaf else { return nil }
            tally.downDeviceNs += Double(nowNs - outSinceNs[g]) * Double(devices[p][s])
            return .serverUp(pool: p, server: s)
        }
    }

    /// A server entered the center (its life starts now) or left it (its pending failure, and
    /// a repair under way, end with it).
    public mutating func serverInstalled(pool: Int, server: Int, accelerators: Int, installed: Bool, nowNs: SimTimeNs) {
        let g = firstServer[pool] + server
        absent[g] = !installed
        life[g] += 1
        if installed {
            if primed { scheduleFailure(g, fromNs: nowNs) }
            if parts.downLeaf(of: g) != nil { timers.append(ComponentTimer(atNs: nowNs, subject: Int32(g), tag: Self.tag(life: 0, .hold))) }
            return
        }
        if awaitingJobs[g] {
            // Its software failure waits for the engine: it is gone, so nothing failed.
            awaitingJobs[g] = false
            isDown[g] = false
            return
        }
        guard isDown[g] || parts.downLeaf(of: g) != nil else { return }
        tally.downDeviceNs += Double(nowNs - outSinceNs[g]) * Double(devices[pool][server])
        guard isDown[g] else { return }
        isDown[g] = false
        endRepair(g, nowNs: nowNs)
    }

    /// A repair of server `g` under way ends (the backlog falls).
    mutating func endRepair(_ g: Int, nowNs: SimTimeNs) {
        guard inRepair[g] else { return }
        inRepair[g] = false
        tally.repairDone(nowNs: nowNs)
    }

    /// How the failure of server `g` comes back (a reboot, a spare's swap when its pool has one
    /// free, or a repair): its return is scheduled and the repair backlog counts it.
    mutating func beginOutage(_ g: Int, pool p: Int, server s: Int, nowNs: SimTimeNs) -> (kind: FailureRecord.Kind, downNs: SimTimeNs) {
        let model = settings.models[Int(failingClass[g])]
        let detectNs = Self.ns(hours: model.detectHours)
        let kind: FailureRecord.Kind
        var downNs: SimTimeNs
        if draws[p].isTransient(model, server: s, failure: Int(life[g])) {
            kind = .transient
            downNs = detectNs + Self.ns(hours: model.rebootHours)
        } else if sparesFree[p] > 0 {
            kind = .spare
            sparesFree[p] -= 1
            downNs = detectNs + settings.swapNs
            timers.append(ComponentTimer(atNs: nowNs + detectNs + Self.ns(hours: model.repairHours), subject: Int32(p), tag: Self.tag(life: 0, .spareBack)))
        } else {
            kind = .repair
            downNs = detectNs + Self.ns(hours: model.repairHours)
        }
        downNs = max(1, downNs)
        timers.append(ComponentTimer(atNs: nowNs + downNs, subject: Int32(g), tag: Self.tag(life: life[g], .back)))
        if kind != .transient { tally.repairStarted(nowNs: nowNs) }
        inRepair[g] = kind == .repair
        return (kind, downNs)
    }

    /// A software failure found no job on server `g`: nothing failed, and its life starts again
    /// from now (exact for exponential parts: the failures of the busy time are kept).
    public mutating func serverSpared(pool: Int, server: Int, nowNs: SimTimeNs) {
        let g = firstServer[pool] + server
        guard awaitingJobs[g] else { return }
        awaitingJobs[g] = false
        restartLife(g, nowNs: nowNs)
    }

    /// Server `g` is up again without having gone down: its next failure is drawn from now.
    mutating func restartLife(_ g: Int, nowNs: SimTimeNs) {
        isDown[g] = false
        life[g] += 1
        scheduleFailure(g, fromNs: nowNs)
    }

    /// Whole nanoseconds of `h` hours.
    static func ns(hours h: Double) -> SimTimeNs { SimTimeNs((h * 3.6e12).rounded()) }

    /// The engine took a server out of service: its own failure's row, or its part of its
    /// leaf's outage, with the jobs it hit.
    public mutating func serverWentDown(_ outage: ServerOutage, nowNs: SimTimeNs) {
        let g = firstServer[outage.pool] + outage.server
        if awaitingJobs[g] {
            awaitingJobs[g] = false
            let outcome = beginOutage(g, pool: outage.pool, server: outage.server, nowNs: nowNs)
            recordOutage(g, pool: outage.pool, server: outage.server, outcome: outcome, hits: outage.hits, nowNs: nowNs)
        } else if let outcome = pendingOutcome[g] {
            pendingOutcome[g] = nil
            recordOutage(g, pool: outage.pool, server: outage.server, outcome: outcome, hits: outage.hits, nowNs: nowNs)
        } else if parts.pendingLeafOutage[g] >= 0 {
            let i = Int(parts.pendingLeafOutage[g])
            parts.pendingLeafOutage[g] = -1
            parts.addToRow(part: i, countHits(outage.hits))
        }
    }

    /// The books of jobs an outage stopped: each batch job's interruptions and work lost.
    /// Returns the jobs and replicas hit and the accelerator·ns of work lost.
    @discardableResult
    mutating func countHits(_ hits: [ServerOutage.Hit]) -> (jobs: Int32, replicas: Int32, lostAcceleratorNs: Double) {
        var lostAcceleratorNs = 0.0, jobsHit: Int32 = 0, replicasHit: Int32 = 0
        for hit in hits {
            if hit.isReplica {
                replicasHit += 1
                continue
            }
            jobsHit += 1
            lostAcceleratorNs += Double(hit.lostNs) * hit.accelerators
            let slot = Int(hit.job.slot)
            if slot < jobsBySlot.count, jobsBySlot[slot]?.handle == hit.job {
                jobsBySlot[slot]!.interruptions += 1
                jobsBySlot[slot]!.lostNs += hit.lostNs
            }
        }
        return (jobsHit, replicasHit, lostAcceleratorNs)
    }

    /// Server `g`'s failure: its tally and its `/failures` row.
    mutating func recordOutage(_ g: Int, pool p: Int, server s: Int, outcome: (kind: FailureRecord.Kind, downNs: SimTimeNs), hits: [ServerOutage.Hit],
                               nowNs: SimTimeNs) {
        let c = Int(failingClass[g])
        let (jobsHit, replicasHit, lostAcceleratorNs) = countHits(hits)
        tally.failed(class: c, kind: outcome.kind, jobsHit: Int(jobsHit), replicasHit: Int(replicasHit), lostAcceleratorNs: lostAcceleratorNs)
        sink.record(failure: FailureRecord(timeNs: nowNs, pool: Int16(p), server: Int32(s),
                                           component: settings.models[c].component.code, kind: outcome.kind,
                                           jobsHit: jobsHit, replicasHit: replicasHit, workLostAcceleratorHours: lostAcceleratorNs / 3.6e12, downNs: outcome.downNs))
    }
}
