import Components
import Records
import SimKernel

/// The engine's side of the run components (``RunComponent``): it calls them at a job's start
/// and stop, settles them once per scheduling pass, routes their timers back to them, opens
/// their gates in job-id order, and asks them for speeds, row fields and summary sections.
extension CenterModel {
    /// Starts the job in `slot` with components `from...` in registration order (a replica
    /// too, which computes nothing): the first that gates it holds it, and the later ones see
    /// it when that gate opens. Returns `.gated` when one holds it, `.pricedAtSettle` when one
    /// prices its speed at the instant's settle, else `.unaffected` (it computes at once).
    mutating func startComponents(slot: Int, from first: Int, now: SimTimeNs) -> StartEffect {
        guard first < components.count else { return .unaffected }
        return startComponents(startingJob(slot: slot), from: first, now: now)
    }

    /// Starts `job` with components `from...` (as ``startComponents(slot:from:now:)``).
    mutating func startComponents(_ job: StartingJob, from first: Int, now: SimTimeNs) -> StartEffect {
        var effect = StartEffect.unaffected
        for i in first..<components.count {
            switch components[i].jobStarted(job, nowNs: now) {
            case .gated: return .gated
            case .pricedAtSettle: effect = .pricedAtSettle
            case .unaffected: break
            }
        }
        return effect
    }

    /// The job in `slot` as a component sees it when it starts.
    func startingJob(slot: Int) -> StartingJob {
        let spec = jobs[slot].spec
        let p = Int(spec.pool)
        let replica = jobs[slot].service >= 0
        return StartingJob(handle: jobs.handle(slot: slot), id: jobs[slot].id, spec: spec, pool: p, acceleratorPool: pools[p],
                           serversSpanned: Int(jobs[slot].serversSpanned),
                           networkBytesPerS: Double(jobs[slot].serversSpanned) * poolServerNetworkBytesPerS[p],
                           computeNs: replica ? 0 : spec.durationNs, isReplica: replica, heldMilli: heldMilli(slot))
    }

    /// The job in `slot` stopped running (completed, preempted, or a replica retired).
    mutating func stopComponents(slot: Int, reason: JobStop, now: SimTimeNs) {
        let job = jobs.handle(slot: slot)
        for i in components.indices { components[i].jobStopped(job, reason: reason, nowNs: now) }
    }

    /// A component's timer came due: the job whose gate it opens (if still current) goes on at
    /// this instant's pass.
    mutating func componentTimerFired(_ event: Event, now: SimTimeNs) {
        let i = Int(event.kind - Self.componentKindBase)
        switch components[i].fired(ComponentTimer(atNs: now, subject: event.subject, tag: event.tag), nowNs: now) {
        case nil: return
        case .openGate(let job)?:
            lastActivityNs = now
            gatesOpened.append((i, job))
        case let .serverDown(pool, server)?: serverChangesNow.append(ServerChange(pool: pool, server: server, down: true))
        case let .serverUp(pool, server)?: serverChangesNow.append(ServerChange(pool: pool, server: server, down: false))
        case let .serverDownIfBusy(pool, server)?: serverChangesNow.append(ServerChange(pool: pool, server: server, down: true, ifBusy: true))
        case let .serversDown(pool, servers)?: serverChangesNow += servers.map { ServerChange(pool: pool, server: Int($0), down: true) }
        case let .serversUp(pool, servers)?: serverChangesNow += servers.map { ServerChange(pool: pool, server: Int($0), down: false) }
        case let .partChanged(change)?:
            for k in components.indices { components[k].partChanged(change, nowNs: now) }
        case .pass?: break
        }
        requestPass()
    }

    /// Opens this instant's gates in job-id order: a replica's model file has arrived (its
    /// service loads it); a job goes on to the components after the gate, and computes at its
    /// priced speed.
    mutating func openGates(now: SimTimeNs) {
        if gatesOpened.count > 1 { gatesOpened.sort { jobs[$0.job].id < jobs[$1.job].id } }
        for (i, job) in gatesOpened {
            components[i].openGate(job, nowNs: now)
            let slot = jobs.slot(of: job)
            if jobs[slot].service >= 0 {
                services.replicaPulled(job, jobID: jobs[slot].id)
                continue
            }
            if startComponents(slot: slot, from: i + 1, now: now) == .unaffected { refreshRate(slot: slot, now: now) }
        }
        gatesOpened.empty()
    }

    /// Prices this instant's changes in every component (each solves only what the changes
    /// touch), schedules their timers, and sets the speeds that moved (in slot order).
    mutating func settleComponents() {
        guard !components.isEmpty else { return }
        let now = kernel.nowNs
        // The lists are taken out while the components fill them, and put back emptied.
        var changed = settledJobs, timers = settledTimers
        settledJobs = []
        settledTimers = []
        defer {
            changed.empty()
            settledJobs = changed
            settledTimers = timers
        }
        for i in components.indices {
            components[i].settle(nowNs: now, changed: &changed, timers: &timers)
            for timer in timers {
                kernel.schedule(Event(kind: Self.componentKindBase + UInt16(i), subject: timer.subject, tag: timer.tag), atNs: timer.atNs)
            }
            timers.empty()
        }
        if changed.count > 1 { changed.sort { $0.slot < $1.slot } }
        var last: Int32 = -1
        for job in changed where job.slot != last {
            last = job.slot
            refreshRate(slot: Int(job.slot), now: now)
        }
    }

    /// The slowest component's speed for the job in `slot` (1: none slows it).
    func componentSpeed(slot: Int) -> Double {
        let job = jobs.handle(slot: slot)
        var speed = 1.0
        // Each read in place: a copy of a component is a copy of its existential container.
        for i in components.indices { speed = min(speed, components[i].speed(of: job)) }
        return speed
    }

    /// The components' fields of the job's `/jobs` row.
    func annotate(_ record: inout JobRecord, slot: Int) {
        let job = jobs.handle(slot: slot)
        for i in components.indices { components[i].annotate(&record, of: job) }
    }
}
