import Components
import Metrics
import Production
import Records
import SimKernel

/// Failures of the center's servers, as a run component: each server's parts fail by their
/// class's model (``FailureModel``: accelerators, host, NICs, its network links, software),
/// drawn from the run's own `failures/POOL` streams (``FailureDraws``), so turning failures on
/// leaves the demand as it was. A failure takes the server out of service (the engine
/// interrupts its jobs) until a reboot, a repair or a hot spare's swap brings it back; batch
/// jobs checkpoint by the scenario's rule (``CheckpointPolicy``), and the component keeps the
/// books: `/failures` rows, each job's interruptions and work lost, and the `failures` section
/// of the summary (goodput, ETTR, availability, repair backlog).
///
/// A server's life restarts when it comes back: its next failure is the earliest of its
/// classes' draws from then (exact for exponential parts; for Weibull shapes each class of a
/// server ages as one part). Software failures are drawn per server whether or not a job runs
/// there (the Llama 3 count is per server a job spans).
public struct ServerFailures: RunComponent {
    let settings: FailureSettings
    let sink: any RecordSink
    /// Per pool: devices of each server, NICs per server, draws, and its first server's global index.
    let devices: [[Int32]]
    let nicsPerServer: [Int]
    let draws: [FailureDraws]
    let firstServer: [Int]
    /// Per server (global index): its life (bumped each time it comes back), whether it is
    /// down, the class of its pending failure, and when it went down.
    var life: [Int32]
    var isDown: [Bool]
    var failingClass: [Int8]
    var downSinceNs: [SimTimeNs]
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
    public init(settings: FailureSettings, devices: [[Int32]], nicsPerServer: [Int], seeds: [UInt64], sink: any RecordSink) {
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
        downSinceNs = Array(repeating: 0, count: n)
        inRepair = Array(repeating: false, count: n)
        absent = Array(repeating: false, count: n)
        sparesFree = settings.hotSpares
        tally = FailureTally(classes: settings.models.count, capacity: devices.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1) } },
                             hotSpares: settings.hotSpares.reduce(0, +))
    }

    // MARK: Timers

    enum TimerKind: Int64 { case failure = 0, back = 1, spareBack = 2 }

    static func tag(life: Int32, _ kind: TimerKind) -> Int64 { Int64(life) << 2 | kind.rawValue }

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
            for i in timers.indices where timers[i].atNs < nowNs { timers[i].atNs = nowNs }
        }
        out += timers
        timers.removeAll(keepingCapacity: true)
    }

    public mutating func fired(_ timer: ComponentTimer, nowNs: SimTimeNs) -> ComponentRequest? {
        let kind = TimerKind(rawValue: timer.tag & 3)!
        if kind == .spareBack {
            sparesFree[Int(timer.subject)] += 1
            tally.repairDone(nowNs: nowNs)
            return nil
        }
        let g = Int(timer.subject)
        guard Int32(truncatingIfNeeded: timer.tag >> 2) == life[g] else { return nil }
        let (p, s) = locate(g)
        switch kind {
        case .failure:
            guard !isDown[g] else { return nil }
            isDown[g] = true
            downSinceNs[g] = nowNs
            return .serverDown(pool: p, server: s)
        case .back:
            guard isDown[g] else { return nil }
            isDown[g] = false
            if inRepair[g] {
                inRepair[g] = false
                tally.repairDone(nowNs: nowNs)
            }
            tally.downDeviceNs += Double(nowNs - downSinceNs[g]) * Double(devices[p][s])
            life[g] += 1
            scheduleFailure(g, fromNs: nowNs)
            return .serverUp(pool: p, server: s)
        case .spareBack:
            return nil
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
            return
        }
        guard isDown[g] else { return }
        isDown[g] = false
        tally.downDeviceNs += Double(nowNs - downSinceNs[g]) * Double(devices[pool][server])
        if inRepair[g] {
            inRepair[g] = false
            tally.repairDone(nowNs: nowNs)
        }
    }

    /// The engine took the server out of service: how it comes back (a reboot, a repair, or a
    /// spare's swap when the pool has one free), its `/failures` row, and the jobs' books.
    public mutating func serverWentDown(_ outage: ServerOutage, nowNs: SimTimeNs) {
        let g = firstServer[outage.pool] + outage.server
        let c = Int(failingClass[g])
        let model = settings.models[c]
        let hours = { (h: Double) in SimTimeNs((h * 3.6e12).rounded()) }
        let detectNs = hours(model.detectHours)
        let kind: FailureRecord.Kind
        var downNs: SimTimeNs
        if draws[outage.pool].isTransient(model, server: outage.server, failure: Int(life[g])) {
            kind = .transient
            downNs = detectNs + hours(model.rebootHours)
        } else if sparesFree[outage.pool] > 0 {
            kind = .spare
            sparesFree[outage.pool] -= 1
            downNs = detectNs + settings.swapNs
            timers.append(ComponentTimer(atNs: nowNs + detectNs + hours(model.repairHours), subject: Int32(outage.pool), tag: Self.tag(life: 0, .spareBack)))
        } else {
            kind = .repair
            downNs = detectNs + hours(model.repairHours)
        }
        downNs = max(1, downNs)
        timers.append(ComponentTimer(atNs: nowNs + downNs, subject: Int32(g), tag: Self.tag(life: life[g], .back)))
        if kind != .transient { tally.repairStarted(nowNs: nowNs) }
        inRepair[g] = kind == .repair
        var lostAcceleratorNs = 0.0, jobsHit: Int32 = 0, replicasHit: Int32 = 0
        for hit in outage.hits {
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
        tally.failed(class: c, kind: kind, jobsHit: Int(jobsHit), replicasHit: Int(replicasHit), lostAcceleratorNs: lostAcceleratorNs)
        sink.record(failure: FailureRecord(timeNs: nowNs, pool: Int16(outage.pool), server: Int32(outage.server),
                                           component: Int8(FailureComponent.allCases.firstIndex(of: model.component)!), kind: kind,
                                           jobsHit: jobsHit, replicasHit: replicasHit, workLostAcceleratorHours: lostAcceleratorNs / 3.6e12, downNs: downNs))
    }

    // MARK: Jobs

    public var plansCheckpoints: Bool { true }

    /// A batch job's checkpoint plan from its own exposure (the parts of the accelerators and
    /// servers it spans) and its checkpoint's size.
    public mutating func checkpointPlan(for job: StartingJob) -> CheckpointPlan? {
        guard !job.isReplica else { return nil }
        let exposure = FailureExposure(accelerators: max(1, Int(job.spec.accelerators)), servers: max(1, job.serversSpanned),
                                       nicsPerServer: nicsPerServer[job.pool])
        return settings.checkpoint.plan(mtbfHours: settings.models.mtbfHours(exposure), checkpointBytes: job.spec.checkpointBytes)
    }

    public mutating func jobStarted(_ job: StartingJob, nowNs: SimTimeNs) -> StartEffect {
        guard !job.isReplica else { return .unaffected }
        let slot = Int(job.handle.slot)
        if slot >= jobsBySlot.count { jobsBySlot += Array(repeating: nil, count: slot + 1 - jobsBySlot.count) }
        if jobsBySlot[slot]?.handle != job.handle {
            jobsBySlot[slot] = JobFailures(handle: job.handle, firstStartNs: nowNs, accelerators: job.spec.acceleratorShare,
                                           computeNs: job.computeNs, trains: [.training, .fineTuning, .generic].contains(job.spec.kind))
        }
        return .unaffected
    }

    public mutating func jobWorked(_ job: JobHandle, split: WorkSplit, nowNs: SimTimeNs) {
        guard let j = entry(job) else { return }
        tally.worked(split, accelerators: j.accelerators)
        jobsBySlot[Int(job.slot)]!.keptNs += split.keptComputeNs
    }

    public mutating func jobStopped(_ job: JobHandle, reason: JobStop, nowNs: SimTimeNs) {
        guard reason == .completed, let j = entry(job) else { return }
        jobsBySlot[Int(job.slot)]!.completed = true
        if j.trains { tally.trained(computeNs: j.computeNs, wallNs: nowNs - j.firstStartNs, accelerators: j.accelerators) }
    }

    func entry(_ job: JobHandle) -> JobFailures? {
        let slot = Int(job.slot)
        guard slot < jobsBySlot.count, let j = jobsBySlot[slot], j.handle == job else { return nil }
        return j
    }

    public func annotate(_ record: inout JobRecord, of job: JobHandle) {
        guard let j = entry(job) else { return }
        record.interruptions = j.interruptions
        record.workLostNs = j.lostNs
    }

    public mutating func finish(atNs endNs: SimTimeNs) {
        // Training jobs started and not completed: their compute kept so far over their time.
        for case let j? in jobsBySlot where j.trains && !j.completed {
            tally.trained(computeNs: j.keptNs, wallNs: endNs - j.firstStartNs, accelerators: j.accelerators)
        }
        for g in isDown.indices where isDown[g] {
            let (p, s) = locate(g)
            tally.downDeviceNs += Double(endNs - downSinceNs[g]) * Double(devices[p][s])
        }
        tally.close(atNs: endNs)
    }

    public func summary(endNs: SimTimeNs) -> [(section: String, figures: [(String, SummaryValue)])] {
        [(SummarySection.failures, tally.figures(endNs: endNs, classes: settings.models.map(\.component.rawValue)))]
    }
}

/// One batch job's failures.
struct JobFailures {
    var handle: JobHandle
    var firstStartNs: SimTimeNs
    var accelerators: Double
    var computeNs: SimTimeNs
    /// Whether it trains or fine-tunes a model (job classes' generic jobs are taken as training runs): its ETTR counts.
    var trains: Bool
    var interruptions: Int32 = 0
    var lostNs: SimTimeNs = 0
    /// Compute kept by its runs so far, and whether it completed.
    var keptNs: SimTimeNs = 0
    var completed = false
}
