import Components
import Foundation
import Metrics
import Production
import Records
import SimKernel

/// The center's power, energy, cost and carbon, as a run component. IT power is each pool's
/// servers and accelerators at rest plus what each busy accelerator adds (its own draw, capped
/// or not, and its share of its host's load), plus the switches and storage servers; the
/// facility draws IT × the hour's PUE (``CoolingCurve`` over the site's ``Climate``). Energy is
/// priced by the hour's tariff and carbon intensity.
///
/// Every job is charged, while it holds accelerators, their power at rest and its host's rest
/// share, and while it computes, what its busy accelerators add; accelerators nobody holds are
/// the center's idle energy, switches and storage its shared energy. So the jobs, the idle and
/// the shared energy add up to the total (tested).
///
/// Under a power cap (`power.cap`, the facility's contracted maximum) new batch jobs wait for
/// power and, with `capPolicy: throttle`, accelerators are power-limited (slowed by
/// ``PowerPerformance``) so the facility never draws more than the cap.
public struct FacilityPower: RunComponent {
    /// The facility (its pools' servers and accelerators change as servers of a center built in
    /// phases enter and leave it).
    var settings: FacilitySettings
    let sink: any RecordSink
    /// Per pool: W per thousandth of a held accelerator at rest, and per thousandth busy (uncapped
    /// accelerator draw less its rest, and the host's share of load).
    let restPerMilliW: [Double]
    let hostPerMilliW: [Double]
    let acceleratorIdlePerMilliW: [Double]
    let acceleratorBusyPerMilliW: [Double]
    /// Switches and storage servers: their draw now (the switch ports follow the servers in the
    /// center), W.
    var sharedW: Double
    /// Per pool, the draw and the number of switch ports a server brings (its pool's mean).
    let networkPerServerW: [Double]
    let portsPerServer: [Double]
    /// Per storage tier, its servers in the center now (a center whose phases add storage), and
    /// their server·ns in the center up to `storageMarkNs`.
    var storageServers: [Int]
    var storageServerNs: [Double] = []
    var storageMarkNs: SimTimeNs = 0
    /// IT power with nothing busy (``FacilitySettings/restW``, summed once; it follows the
    /// servers in the center).
    var restW: Double
    /// The lowest power limit (share of a busy accelerator's draw), the limit a new batch job
    /// must fit under to start (the lowest under `throttle`, none under `hold`), and the
    /// highest PUE of the run.
    let minimumShare: Double
    let admissionShare: Double
    let worstPUE: Double
    var pueByHour: [Double] = []

    // State, integrated up to `lastNs`.
    var lastNs: SimTimeNs = 0
    var busyMilli: [Int64]
    /// `busyMilli` summed over the pools.
    var busyMilliTotal: Int64 = 0
    var allocatedMilli: [Int64]
    var share = 1.0
    var itW: Double
    var acceleratorW: Double
    /// Per pool, the running integrals of one thousandth of an accelerator held at rest and of one busy.
    var restIntegral: [EnergyAccount]
    var busyIntegral: [EnergyAccount]
    var idleMark: [EnergyAccount]
    var ledger: EnergyLedger
    var sample = PowerInterval()
    var peakFacilityW = 0.0
    var peakITW = 0.0
    /// Thousandths of accelerators busy × seconds, and FLOP of jobs that completed.
    var busyMilliSeconds = 0.0
    /// A center built in phases: each pool's servers and accelerators in the center integrated
    /// over time (server·ns, accelerator·ns) up to `inCenterMarkNs` (empty: no server ever
    /// entered or left, and every figure is over the whole run's capacity).
    var serverNsInCenter: [Double] = []
    var acceleratorNsInCenter: [Double] = []
    var inCenterMarkNs: [SimTimeNs] = []
    var completedFlop = 0.0

    // Jobs.
    var jobs: [JobPower?] = []
    var waiting: [JobHandle] = []
    var opening: [JobHandle] = []
    var throttled: [JobHandle] = []
    var rateChanged = false
    var timers: [ComponentTimer] = []
    var reviewAtNs: SimTimeNs = SimTime.never
    var primed = false

    enum TimerKind: Int64 { case review = 0, gate = 1 }

    /// A job's power books.
    struct JobPower {
        var handle: JobHandle
        var pool: Int
        var tenant: Int
        var application: Int
        var milli: Int64
        var isReplica: Bool
        var drawing: Bool
        var flop: Double
        var restMark: EnergyAccount
        var busyMark: EnergyAccount
        var charged = EnergyAccount()
        /// The part of `charged` already in the ledger.
        var booked = EnergyAccount()
        var waitedSinceNs: SimTimeNs = 0
        /// Since when it holds its accelerators (for the accelerator-time each group held).
        var holdingSinceNs: SimTimeNs = 0
        /// It stopped: `charged` is all it was charged (kept for its `/jobs` row until the slot is reused).
        var stopped = false
    }

    public init(settings: FacilitySettings, sink: any RecordSink) {
        self.settings = settings
        self.sink = sink
        let pools = settings.pools
        restPerMilliW = pools.map { $0.restPerAcceleratorW / 1000 }
        hostPerMilliW = pools.map { $0.hostPerBusyW / 1000 }
        acceleratorIdlePerMilliW = pools.map { $0.acceleratorIdleW / 1000 }
        acceleratorBusyPerMilliW = pools.map { $0.acceleratorBusyW / 1000 }
        sharedW = settings.networkW + settings.storageW
        let ports = pools.map { $0.servers > 0 ? Double($0.switchPorts) / Double($0.servers) : 0 }
        portsPerServer = ports
        networkPerServerW = pools.indices.map { ports[$0] * pools[$0].switchPortW }
        storageServers = settings.storageWPerServer.count == settings.storageServersAtStart.count ? settings.storageServersAtStart : []
        storageServerNs = Array(repeating: 0, count: storageServers.count)
        restW = settings.restW
        let floorShare = pools.map { $0.acceleratorBusyW > 0 ? $0.acceleratorIdleW / $0.acceleratorBusyW : 0 }.max() ?? 0
        minimumShare = max(settings.powerPerformance.minimumShare, floorShare)
        admissionShare = settings.capPolicy == .hold ? 1 : minimumShare
        busyMilli = Array(repeating: 0, count: pools.count)
        allocatedMilli = busyMilli
        restIntegral = Array(repeating: EnergyAccount(), count: pools.count)
        busyIntegral = restIntegral
        idleMark = restIntegral
        ledger = EnergyLedger(pools: pools.count, tenants: settings.tenants.count, applications: settings.applications.count)
        itW = restW
        acceleratorW = pools.reduce(0) { $0 + Double($1.accelerators) * $1.acceleratorIdleW }
        let hours = settings.horizonNs < SimTime.never ? Int((settings.horizonNs + 3_599_999_999_999) / 3_600_000_000_000) : 8760
        var worst = 0.0
        for h in 0..<max(1, min(hours, 5 * 8760)) { worst = max(worst, settings.pue(hourOfRun: h)) }
        worstPUE = worst
    }

    // MARK: Integration

    /// The PUE of hour `hour` of the run.
    mutating func pue(hour: Int) -> Double {
        while pueByHour.count <= hour { pueByHour.append(settings.pue(hourOfRun: pueByHour.count)) }
        return pueByHour[hour]
    }

    /// W per thousandth of a busy accelerator of pool `p` at the present limit, beyond its rest.
    func busyPerMilliW(_ p: Int) -> Double { hostPerMilliW[p] + share * acceleratorBusyPerMilliW[p] - acceleratorIdlePerMilliW[p] }

    /// Integrates the present draw up to `now`, hour by hour and `/power` row by row.
    mutating func advance(to now: SimTimeNs) {
        let hourNs: SimTimeNs = 3_600_000_000_000
        while lastNs < now {
            let hour = Int(lastNs / hourNs)
            let sampleEnd = (lastNs / settings.sampleNs + 1) * settings.sampleNs
            let t1 = min(now, SimTimeNs(hour + 1) * hourNs, sampleEnd)
            let seconds = Double(t1 - lastNs) / 1e9
            let pue = pue(hour: hour)
            let hod = settings.hourOfDay(hourOfRun: hour)
            let price = settings.tariff.pricePerKWhByHour[hod]
            let kg = settings.carbon.kgPerKWhByHour[hod] * (1 - settings.carbon.greenShare)
            let facilityW = itW * pue
            peakFacilityW = max(peakFacilityW, facilityW)
            peakITW = max(peakITW, itW)
            sample.peakFacilityW = max(sample.peakFacilityW, facilityW)
            let unit = EnergyAccount.drawing(1, seconds: seconds, pue: pue, price: price, kgPerKWh: kg)
            for p in restIntegral.indices {
                restIntegral[p] += unit * restPerMilliW[p]
                busyIntegral[p] += unit * busyPerMilliW(p)
            }
            let all = unit * itW
            ledger.total += all
            ledger.shared += unit * sharedW
            ledger.acceleratorJ += acceleratorW * seconds
            busyMilliSeconds += Double(busyMilliTotal) * seconds
            sample.energy += all
            sample.acceleratorJ += acceleratorW * seconds
            sample.seconds += seconds
            lastNs = t1
            if t1 == sampleEnd { writeSample(endNs: t1) }
        }
    }

    mutating func writeSample(endNs: SimTimeNs) {
        guard sample.seconds > 0 else { return }
        let s = sample.seconds
        sink.record(power: PowerSample(timeNs: endNs - SimTimeNs((s * 1e9).rounded()), itW: sample.energy.itJ / s, acceleratorW: sample.acceleratorJ / s,
                                       facilityW: sample.energy.facilityJ / s, facilityPeakW: sample.peakFacilityW,
                                       powerLimitShare: sample.lowestShare, jobsWaiting: Int32(waiting.count), capEvents: sample.capEvents))
        sample = PowerInterval()
        sample.lowestShare = share
    }

    /// Recomputes the IT draw after the busy accelerators or the limit changed.
    mutating func redraw() {
        busyMilliTotal = busyMilli.reduce(0, +)
        var acc = 0.0
        for p in settings.pools.indices {
            acc += Double(settings.pools[p].accelerators) * settings.pools[p].acceleratorIdleW
                + Double(busyMilli[p]) * (share * acceleratorBusyPerMilliW[p] - acceleratorIdlePerMilliW[p])
        }
        itW = itW(atShare: share)
        acceleratorW = acc
    }

    /// A server entered the center or left it: its rest draw (host, accelerators and its switch
    /// ports) starts or stops, after the energy so far is charged.
    public mutating func serverInstalled(pool p: Int, server: Int, accelerators: Int, installed: Bool, nowNs: SimTimeNs) {
        advance(to: nowNs)
        chargeIdle(p)
        accrueInCenter(p, to: nowNs)
        let sign = installed ? 1 : -1
        settings.pools[p].servers += sign
        settings.pools[p].accelerators += sign * accelerators
        restW += Double(sign) * (settings.pools[p].host.idleW + Double(accelerators) * settings.pools[p].acceleratorIdleW + networkPerServerW[p])
        sharedW += Double(sign) * networkPerServerW[p]
        redraw()
    }

    /// A phase's storage servers entered the center or left it: their draw starts or stops.
    public mutating func partChanged(_ change: PartChange, nowNs: SimTimeNs) {
        guard case let .storageServersInCenter(t, servers) = change.part, t < storageServers.count else { return }
        advance(to: nowNs)
        let deltaW = Double(servers - storageServers[t]) * settings.storageWPerServer[t]
        storageServerNs = storageInCenter(endNs: nowNs)
        storageMarkNs = nowNs
        storageServers[t] = servers
        sharedW += deltaW
        restW += deltaW
        redraw()
    }

    /// Integrates pool `p`'s servers and accelerators in the center up to `nowNs` (before they change).
    mutating func accrueInCenter(_ p: Int, to nowNs: SimTimeNs) {
        if serverNsInCenter.isEmpty {
            serverNsInCenter = Array(repeating: 0, count: settings.pools.count)
            acceleratorNsInCenter = serverNsInCenter
            inCenterMarkNs = Array(repeating: 0, count: settings.pools.count)
        }
        let dt = Double(nowNs - inCenterMarkNs[p])
        serverNsInCenter[p] += Double(settings.pools[p].servers) * dt
        acceleratorNsInCenter[p] += Double(settings.pools[p].accelerators) * dt
        inCenterMarkNs[p] = nowNs
    }

    /// Whether servers entered or left the center during the run (a center built in phases).
    var builtInPhases: Bool { !serverNsInCenter.isEmpty }

    /// Each storage tier's server·ns in the center over a run ending at `endNs` (a center whose
    /// phases add storage).
    func storageInCenter(endNs: SimTimeNs) -> [Double] {
        storageServers.indices.map { storageServerNs[$0] + Double(storageServers[$0]) * Double(endNs - storageMarkNs) }
    }

    /// Pool `p`'s server·ns and accelerator·ns in the center over a run ending at `endNs` (only
    /// when ``builtInPhases``).
    func inCenter(_ p: Int, endNs: SimTimeNs) -> (serverNs: Double, acceleratorNs: Double) {
        let dt = Double(endNs - inCenterMarkNs[p])
        return (serverNsInCenter[p] + Double(settings.pools[p].servers) * dt, acceleratorNsInCenter[p] + Double(settings.pools[p].accelerators) * dt)
    }

    /// Charges idle energy of pool `p`'s unheld accelerators up to now (before its holdings change).
    mutating func chargeIdle(_ p: Int) {
        let free = Double(Int64(settings.pools[p].accelerators) * 1000 - allocatedMilli[p])
        ledger.idle += (restIntegral[p] - idleMark[p]) * free
        idleMark[p] = restIntegral[p]
    }

    // MARK: Jobs

    public mutating func jobStarted(_ job: StartingJob, nowNs now: SimTimeNs) -> StartEffect {
        advance(to: now)
        let slot = Int(job.handle.slot)
        if slot >= jobs.count { jobs += Array(repeating: nil, count: slot + 1 - jobs.count) }
        let p = job.pool
        chargeIdle(p)
        allocatedMilli[p] += job.heldMilli
        var j = JobPower(handle: job.handle, pool: p, tenant: Int(job.spec.tenant) + 1, application: Int(job.spec.application) + 1, milli: job.heldMilli,
                         isReplica: job.isReplica, drawing: false, flop: job.isReplica ? 0 : job.spec.flops, restMark: restIntegral[p], busyMark: busyIntegral[p])
        j.holdingSinceNs = now
        // Under a cap a batch job waits for the instant's settle to see whether there is power for it.
        if let earlier = jobs[slot], earlier.handle == job.handle {
            // A restart (after a preemption or a failure): its row shows all its runs.
            j.charged = earlier.charged
            j.booked = earlier.booked
        }
        if settings.capW != nil && !job.isReplica {
            j.waitedSinceNs = now
            jobs[slot] = j
            waiting.append(job.handle)
            return .gated
        }
        jobs[slot] = j
        beginDrawing(slot)
        return .unaffected
    }

    mutating func beginDrawing(_ slot: Int) {
        let p = jobs[slot]!.pool
        jobs[slot]!.drawing = true
        jobs[slot]!.busyMark = busyIntegral[p]
        busyMilli[p] += jobs[slot]!.milli
        redraw()
        if settings.capW != nil { lowerLimitIfNeeded() }
    }

    public mutating func jobStopped(_ handle: JobHandle, reason: JobStop, nowNs now: SimTimeNs) {
        let slot = Int(handle.slot)
        guard slot < jobs.count, let j = jobs[slot], j.handle == handle else { return }
        advance(to: now)
        guard !j.stopped else { return }
        if reason == .completed { completedFlop += j.flop }
        close(slot)
        if let i = waiting.firstIndex(of: handle) { waiting.remove(at: i) }
        if let i = opening.firstIndex(of: handle) { opening.remove(at: i) }
    }

    /// Ends the job's charge at `lastNs` (books it, and keeps the total for its `/jobs` row) and
    /// gives its accelerators back.
    mutating func close(_ slot: Int) {
        var j = jobs[slot]!
        j.charged += chargeSinceMarks(j)
        book(&j)
        ledger.held(Double(j.milli) * Double(lastNs - j.holdingSinceNs) / 1e12, pool: j.pool, tenant: j.tenant, application: j.application)
        chargeIdle(j.pool)
        allocatedMilli[j.pool] -= j.milli
        if j.drawing {
            busyMilli[j.pool] -= j.milli
            j.drawing = false
            redraw()
        }
        j.stopped = true
        jobs[slot] = j
    }

    /// Books what job `j` was charged since it was last booked.
    mutating func book(_ j: inout JobPower) {
        ledger.charge(j.charged - j.booked, pool: j.pool, tenant: j.tenant, application: j.application)
        j.booked = j.charged
    }

    /// What job `j` drew since its marks.
    func chargeSinceMarks(_ j: JobPower) -> EnergyAccount {
        guard !j.stopped else { return EnergyAccount() }
        var c = (restIntegral[j.pool] - j.restMark) * Double(j.milli)
        if j.drawing { c += (busyIntegral[j.pool] - j.busyMark) * Double(j.milli) }
        return c
    }

    public mutating func jobResized(_ handle: JobHandle, heldMilli: Int64, nowNs now: SimTimeNs) {
        let slot = Int(handle.slot)
        guard slot < jobs.count, var j = jobs[slot], j.handle == handle, !j.stopped else { return }
        advance(to: now)
        j.charged += chargeSinceMarks(j)
        ledger.held(Double(j.milli) * Double(now - j.holdingSinceNs) / 1e12, pool: j.pool, tenant: j.tenant, application: j.application)
        j.holdingSinceNs = now
        j.restMark = restIntegral[j.pool]
        j.busyMark = busyIntegral[j.pool]
        chargeIdle(j.pool)
        allocatedMilli[j.pool] += heldMilli - j.milli
        if j.drawing { busyMilli[j.pool] += heldMilli - j.milli }
        j.milli = heldMilli
        jobs[slot] = j
        redraw()
        if settings.capW != nil { lowerLimitIfNeeded() }
    }

    public func speed(of job: JobHandle) -> Double {
        guard share < 1, Int(job.slot) < jobs.count, let j = jobs[Int(job.slot)], j.handle == job, j.drawing, !j.isReplica else { return 1 }
        return settings.powerPerformance.speed(atShare: share)
    }

    public func annotate(_ record: inout JobRecord, of job: JobHandle) {
        guard Int(job.slot) < jobs.count, let j = jobs[Int(job.slot)], j.handle == job else { return }
        let e = j.charged + chargeSinceMarks(j)
        record.energyKWh = e.facilityKWh
        record.itEnergyKWh = e.itKWh
        record.co2Kg = e.co2Kg
    }

    // MARK: The cap

    /// IT power the cap allows in hour `hour`.
    mutating func capITW(hour: Int) -> Double { settings.capW! / pue(hour: hour) }

    /// IT power with the accelerators busy now plus `extra` thousandths of pool `p`'s, at limit `share`.
    func itW(atShare s: Double, extraMilli: Int64 = 0, pool: Int = 0) -> Double {
        var w = restW
        for q in settings.pools.indices {
            let busy = Double(busyMilli[q] + (q == pool ? extraMilli : 0))
            w += busy * (hostPerMilliW[q] + s * acceleratorBusyPerMilliW[q] - acceleratorIdlePerMilliW[q])
        }
        return w
    }

    /// The highest limit (in whole percent) that keeps the facility under the cap this hour.
    mutating func allowedShare() -> Double {
        let cap = capITW(hour: Int(lastNs / 3_600_000_000_000))
        let atZero = itW(atShare: 0), perShare = itW(atShare: 1) - atZero
        guard perShare > 0 else { return 1 }
        let s = min(1, (cap - atZero) / perShare)
        return max(minimumShare, (s * 100).rounded(.down) / 100)
    }

    /// Lowers the accelerators' limit at once when the draw would pass the cap.
    mutating func lowerLimitIfNeeded() {
        let s = allowedShare()
        if s < share { setShare(s) }
    }

    mutating func setShare(_ s: Double) {
        guard s != share else { return }
        if s < share { sample.capEvents += 1; ledger.capEvents += 1 }
        share = s
        sample.lowestShare = min(sample.lowestShare, s)
        redraw()
        rateChanged = true
    }

    public mutating func settle(nowNs now: SimTimeNs, changed: inout [JobHandle], timers out: inout [ComponentTimer]) {
        guard settings.capW != nil else { return }
        advance(to: now)
        if !primed {
            primed = true
            scheduleReview(after: now)
        }
        // Admit waiting jobs in job order while the center stays under the cap at the lowest
        // limit and the year's worst PUE.
        if !waiting.isEmpty {
            waiting.sort { $0.slot < $1.slot }
            var kept: [JobHandle] = []
            let capW = settings.capW! / worstPUE
            for h in waiting {
                let slot = Int(h.slot)
                let j = jobs[slot]!
                if kept.isEmpty && itW(atShare: admissionShare, extraMilli: j.milli, pool: j.pool) <= capW {
                    beginDrawing(slot)
                    ledger.waitNs += now - j.waitedSinceNs
                    if now > j.waitedSinceNs { ledger.jobsHeld += 1 }
                    opening.append(h)
                    out.append(ComponentTimer(atNs: now, subject: h.slot, tag: Int64(h.generation) << 2 | TimerKind.gate.rawValue))
                } else {
                    if now == j.waitedSinceNs { sample.capEvents += 1; ledger.capEvents += 1 }
                    kept.append(h)
                }
            }
            waiting = kept
        }
        lowerLimitIfNeeded()
        if rateChanged {
            rateChanged = false
            for case let j? in jobs where j.drawing && !j.isReplica && !j.stopped { changed.append(j.handle) }
        }
        out += timers
        timers.removeAll(keepingCapacity: true)
    }

    /// Looks again at the next hour boundary or review, whichever comes first.
    mutating func scheduleReview(after now: SimTimeNs) {
        let hourNs: SimTimeNs = 3_600_000_000_000
        let next = min((now / hourNs + 1) * hourNs, now + settings.capReviewNs)
        guard next < settings.horizonNs else { return }
        reviewAtNs = next
        timers.append(ComponentTimer(atNs: next, subject: -1, tag: TimerKind.review.rawValue))
    }

    public mutating func fired(_ timer: ComponentTimer, nowNs now: SimTimeNs) -> ComponentRequest? {
        switch TimerKind(rawValue: timer.tag & 3)! {
        case .gate:
            let slot = Int(timer.subject)
            guard slot < jobs.count, let j = jobs[slot], Int64(j.handle.generation) == timer.tag >> 2,
                  let i = opening.firstIndex(of: j.handle) else { return nil }
            opening.remove(at: i)
            return .openGate(j.handle)
        case .review:
            guard now == reviewAtNs else { return nil }
            advance(to: now)
            let s = allowedShare()
            if s != share { setShare(s) }
            scheduleReview(after: now)
            // The next settle re-rates the jobs, admits waiting ones and schedules the next review.
            return .pass
        }
    }

    // MARK: End of run

    /// Charges every job still holding accelerators up to the end (their `/jobs` rows, written
    /// after, read what they were charged) and the idle accelerators.
    public mutating func finish(atNs endNs: SimTimeNs) {
        advance(to: endNs)
        writeSample(endNs: endNs)
        for slot in jobs.indices {
            guard var j = jobs[slot], !j.stopped else { continue }
            j.charged += chargeSinceMarks(j)
            book(&j)
            ledger.held(Double(j.milli) * Double(endNs - j.holdingSinceNs) / 1e12, pool: j.pool, tenant: j.tenant, application: j.application)
            j.stopped = true
            jobs[slot] = j
        }
        for p in settings.pools.indices { chargeIdle(p) }
    }
}

/// One `/power` row being added up.
struct PowerInterval {
    var energy = EnergyAccount()
    var acceleratorJ = 0.0
    var seconds = 0.0
    var peakFacilityW = 0.0
    var lowestShare = 1.0
    var capEvents: Int32 = 0
}
