import Production
import Release
import Scenario
import Scheduling
import SimKernel
import Workloads

/// The release side of a run: online services whose replicas the center places, cold-starts,
/// scales, updates to new model versions and retires, outside the batch scheduler (online
/// services come first in their pool; they borrow lending pools' accelerators by preempting
/// training jobs there, newest first).
///
/// Order rule: ticks, wake-ups and readiness only mark their service; the scheduling pass
/// steps marked services in service order (readiness in job-id order first), before the
/// pools' policies dispatch, so results never depend on the order of same-time events.
extension CenterModel {
    /// Schedules every service's go-live and its autoscaler's ticks, and a wake-up at the
    /// horizon: services serve until then even when nothing else happens (and jobs waiting for
    /// their accelerators wait until then, not for an empty event queue).
    mutating func primeServices(_ kernel: Kernel) {
        if !services.isEmpty && horizonNs != SimTime.never {
            kernel.schedule(Event(kind: Kind.serviceWake.rawValue, subject: -1), atNs: horizonNs)
        }
        for s in services.indices {
            kernel.schedule(Event(kind: Kind.serviceWake.rawValue, subject: Int32(s)), atNs: services[s].startNs)
            if let a = services[s].autoscale, services[s].startNs + a.interval.baseUnits < horizonNs {
                kernel.schedule(Event(kind: Kind.serviceTick.rawValue, subject: Int32(s)), atNs: services[s].startNs + a.interval.baseUnits)
            }
        }
    }

    /// An autoscaler tick: mark the service and schedule the next one.
    mutating func serviceTicked(_ s: Int, kernel: Kernel) {
        services[s].ticked = true
        services[s].dirty = true
        let next = kernel.nowNs + services[s].autoscale!.interval.baseUnits
        if next < horizonNs { kernel.schedule(Event(kind: Kind.serviceTick.rawValue, subject: Int32(s)), atNs: next) }
    }

    /// The service step of a scheduling pass: replicas that finished pulling their model
    /// start loading it, ready replicas join, marked services decide and reconcile, and
    /// replicas waiting for accelerators are placed.
    mutating func stepServices(_ kernel: Kernel) {
        guard !services.isEmpty else { return }
        let now = kernel.nowNs
        if !pulledNow.isEmpty {
            pulledNow.sort { jobs[Int($0)].id < jobs[Int($1)].id }
            for slot in pulledNow where jobs[Int(slot)].service >= 0 {
                let s = Int(jobs[Int(slot)].service)
                scheduleReady(slot: Int(slot), atNs: now + loadNs(s), kernel: kernel)
            }
            pulledNow.removeAll(keepingCapacity: true)
        }
        if !readyNow.isEmpty {
            readyNow.sort { jobs[Int($0)].id < jobs[Int($1)].id }
            for slot in readyNow where jobs[Int(slot)].service >= 0 { replicaReady(slot: Int(slot), now: now) }
            readyNow.removeAll(keepingCapacity: true)
        }
        for s in services.indices where services[s].dirty {
            services[s].dirty = false
            step(service: s, kernel: kernel)
        }
        if unplacedReplicas > 0 {
            for s in services.indices where services[s].replicas.contains(where: { !$0.placed }) { place(service: s, kernel: kernel) }
        }
    }

    /// Go-live, the autoscaler's decision, the start of a rollout, then reconciliation.
    mutating func step(service s: Int, kernel: Kernel) {
        let now = kernel.nowNs
        if !services[s].live {
            guard now >= services[s].startNs, release.firstVersion == .preloaded || services[s].offeredVersion >= 1, services[s].desired >= 0 else { return }
            services[s].live = true
            services[s].targetVersion = release.firstVersion == .preloaded ? 0 : services[s].offeredVersion
            services[s].lastRolloutNs = now
            services[s].lastTickNs = now
            let rate = services[s].ledger.rate(atNs: now)
            services[s].desired = min(maxReplicas[s], services[s].autoscale == nil ? services[s].peakReplicas
                                                                                   : services[s].replicasFor(observedRatePerS: rate, maximum: maxReplicas[s]))
        } else if services[s].ticked {
            autoscale(service: s, now: now)
        }
        services[s].ticked = false
        startRolloutIfDue(service: s, kernel: kernel)
        reconcile(service: s, kernel: kernel)
        place(service: s, kernel: kernel)
        unstallRollout(service: s, kernel: kernel)
    }

    /// A rolling update with no spare accelerators for its surge would never progress: then an
    /// old replica stops first to make room (Kubernetes' maxUnavailable), one per waiting new
    /// replica, at most `surge` at a time.
    mutating func unstallRollout(service s: Int, kernel: Kernel) {
        guard release.update != .recreate else { return }
        let target = services[s].targetVersion
        let waiting = services[s].replicas.filter { $0.version == target && !$0.placed }.count
        let cold = services[s].replicas.filter { $0.version == target && $0.placed && !$0.ready }.count
        var room = min(waiting, release.surge - cold)
        while room > 0, services[s].replicas.contains(where: { $0.version != target }) {
            stopReplica(service: s, at: victim(service: s, oldOnly: true), now: kernel.nowNs)
            room -= 1
        }
        if waiting > 0 { place(service: s, kernel: kernel) }
    }

    /// Sizes the service for the rate it saw since the last tick (scale up at once, down after
    /// the cooldown); a request-level service whose measured attainment missed the target
    /// grows by one more.
    mutating func autoscale(service s: Int, now: SimTimeNs) {
        feedRequests(service: s, upTo: now)
        let from = services[s].lastTickNs
        services[s].lastTickNs = now
        guard let a = services[s].autoscale, now > from else { return }
        let seconds = Double(now - from) / 1e9
        // Rate level (or a request-level service not yet serving for the whole interval): the
        // expected rate; request level: the measured one, and its measured attainment.
        var lambda = services[s].ledger.expectedRequests(fromNs: from, toNs: now) / seconds
        var missed = false
        if var r = services[s].request {
            if services[s].ledger.fromNs >= 0, services[s].ledger.fromNs <= from {
                lambda = r.intervalArrivals / seconds
                missed = a.metric == .latency && r.intervalServed > 0 && r.intervalMet / r.intervalServed < a.target
            }
            r.intervalArrivals = 0; r.intervalServed = 0; r.intervalMet = 0
            services[s].request = r
        }
        var want = services[s].replicasFor(observedRatePerS: lambda, maximum: maxReplicas[s])
        if missed { want = max(want, services[s].desired + 1) }
        want = min(want, maxReplicas[s])
        if want >= services[s].desired {
            services[s].lowSinceNs = -1
            services[s].desired = want
        } else if services[s].lowSinceNs < 0 {
            services[s].lowSinceNs = now
            if a.cooldown.baseUnits == 0 { services[s].desired = want; services[s].lowSinceNs = -1 }
        } else if now - services[s].lowSinceNs >= a.cooldown.baseUnits {
            services[s].desired = want
            services[s].lowSinceNs = -1
        }
    }

    /// A newer version waits for the release cadence, then becomes the target of the replicas.
    mutating func startRolloutIfDue(service s: Int, kernel: Kernel) {
        let now = kernel.nowNs
        guard release.policy == .deploy, services[s].live, services[s].offeredVersion > services[s].targetVersion else { return }
        let due = services[s].lastRolloutNs + release.cadence.baseUnits
        guard now >= due else {
            kernel.schedule(Event(kind: Kind.serviceWake.rawValue, subject: Int32(s)), atNs: due)
            return
        }
        services[s].targetVersion = services[s].offeredVersion
        services[s].lastRolloutNs = now
        services[s].rollouts += 1
        services[s].canaryReadyNs = -1
        services[s].canaryCount = max(1, Int((Double(services[s].desired) * release.canaryShare).rounded(.up)))
    }

    /// Moves the replicas towards `desired` of the target version: scaling alone adds or
    /// retires replicas (unplaced, then cold, then borrowed, then newest first); an update
    /// replaces old replicas as its policy says (rolling: `surge` at a time, an old one
    /// retiring as each new one is ready; canary: a first share, then rolling after the soak;
    /// recreate: all at once).
    mutating func reconcile(service s: Int, kernel: Kernel) {
        let now = kernel.nowNs
        let target = services[s].targetVersion
        func counts() -> (old: Int, newReady: Int, newCold: Int) {
            var o = 0, r = 0, c = 0
            for x in services[s].replicas {
                if x.version != target { o += 1 } else if x.ready { r += 1 } else { c += 1 }
            }
            return (o, r, c)
        }
        let desired = services[s].desired
        var k = counts()
        if k.old == 0 {
            while services[s].replicas.count > desired { stopReplica(service: s, at: victim(service: s, oldOnly: false), now: now) }
            while services[s].replicas.count < desired { addReplica(service: s, now: now) }
            return
        }
        switch release.update {
        case .recreate:
            while let i = services[s].replicas.lastIndex(where: { $0.version != target }) { stopReplica(service: s, at: i, now: now) }
            while services[s].replicas.count < desired { addReplica(service: s, now: now) }
            return
        case .rolling, .canary:
            while k.old > 0 && k.old + k.newReady > desired {
                stopReplica(service: s, at: victim(service: s, oldOnly: true), now: now)
                k = counts()
            }
            guard k.old > 0 else { return }
            if release.update == .canary {
                if k.newReady + k.newCold < services[s].canaryCount && services[s].canaryReadyNs < 0 {
                    for _ in 0..<min(k.old, services[s].canaryCount - k.newReady - k.newCold) { addReplica(service: s, now: now) }
                    return
                }
                if services[s].canaryReadyNs < 0 {
                    guard k.newCold == 0 else { return }
                    services[s].canaryReadyNs = now
                    kernel.schedule(Event(kind: Kind.serviceWake.rawValue, subject: Int32(s)), atNs: now + release.canarySoak.baseUnits)
                }
                guard now >= services[s].canaryReadyNs + release.canarySoak.baseUnits else { return }
            }
            if k.newCold == 0 {
                for _ in 0..<min(release.surge, k.old) { addReplica(service: s, now: now) }
            }
            // Load grew during the update: add the gap in the new version.
            k = counts()
            while k.old + k.newReady + k.newCold < desired { addReplica(service: s, now: now); k.newCold += 1 }
        }
    }

    /// The replica to retire: not yet placed, then not ready, then on borrowed capacity, then
    /// the newest; `oldOnly` restricts to replicas of an earlier version.
    func victim(service s: Int, oldOnly: Bool) -> Int {
        let reps = services[s].replicas, target = services[s].targetVersion
        var best = -1
        var bestKey = (0, 0, 0)
        for (i, r) in reps.enumerated() where !oldOnly || r.version != target {
            let key = (r.placed ? 0 : 1, r.ready ? 0 : 1, r.borrowed ? 1 : 0)
            if best < 0 || key >= bestKey { best = i; bestKey = key }
        }
        return best
    }

    /// A new replica of the target version, waiting to be placed.
    mutating func addReplica(service s: Int, now: SimTimeNs) {
        let slot = openSlot(services[s].replicaSpec(submitNs: now, horizonNs: horizonNs, modelFromStorage: storage != nil), id: -1, nowNs: now)
        jobs[slot].service = Int16(s)  // the job id comes with its placement
        services[s].replicas.append(ServiceReplica(slot: Int32(slot), version: services[s].targetVersion, pool: services[s].pool))
        unplacedReplicas += 1
    }

    /// Places the service's waiting replicas: in its own pool, else on a lending pool
    /// (preempting the newest running jobs there when it is full).
    mutating func place(service s: Int, kernel: Kernel) {
        for i in services[s].replicas.indices where !services[s].replicas[i].placed {
            let slot = Int(services[s].replicas[i].slot)
            let n = Int(services[s].acceleratorsPerReplica)
            let home = Int(services[s].pool)
            let milli = services[s].sliceMilli
            if pools[home].allocate(jobs.handle(slot: slot), count: n, milli: milli) {
                startReplica(service: s, replica: i, pool: home, borrowed: false, kernel: kernel)
                continue
            }
            let held = Int64(n) * Int64(milli)
            for lender in lendingPools where lender != home && poolAccelerators[lender] == poolAccelerators[home] {
                guard lendingMaxAccelerators == 0 || lentMilli + held <= Int64(lendingMaxAccelerators) * 1000, pools[lender].capacity >= n else { continue }
                if !pools[lender].allocate(jobs.handle(slot: slot), count: n, milli: milli) {
                    makeRoom(pool: lender, accelerators: n, kernel: kernel)
                    guard pools[lender].allocate(jobs.handle(slot: slot), count: n, milli: milli) else { continue }
                }
                lentMilli += held
                startReplica(service: s, replica: i, pool: lender, borrowed: true, kernel: kernel)
                break
            }
        }
    }

    /// Frees `accelerators` in `pool` for a borrowed replica: elastic training jobs there give
    /// accelerators back first, newest first, down to their minimum (they slow down); then the
    /// newest running batch jobs are preempted, until enough are free or coming back (from
    /// jobs saving their checkpoint).
    mutating func makeRoom(pool p: Int, accelerators n: Int, kernel: Kernel) {
        var coming = saving.reduce(Int64(0)) { $0 + (jobs[jobs.slot(of: $1)].spec.pool == p ? heldMilli(jobs.slot(of: $1)) : 0) } / 1000
        guard Int64(pools[p].free) + coming < Int64(n) else { return }
        for job in elasticRunning[p].sorted(by: { jobs[$0].id > jobs[$1].id }) {
            let s = jobs.slot(of: job), short = Int64(n) - Int64(pools[p].free) - coming
            guard short > 0 else { return }
            let give = min(Int64(jobs[s].held - jobs[s].spec.minAccelerators), short)
            guard give > 0 else { continue }
            resize(slot: s, to: jobs[s].held - Int32(give), now: kernel.nowNs)
            shrunkForLending += 1
        }
        guard Int64(pools[p].free) + coming < Int64(n) else { return }
        let running = (0..<jobs.count).filter { jobs[$0].runStartNs >= 0 && jobs[$0].service < 0 && Int(jobs[$0].spec.pool) == p }
            .sorted { (jobs[$0].runStartNs, jobs[$0].id) > (jobs[$1].runStartNs, jobs[$1].id) }
        for v in running {
            guard Int64(pools[p].free) + coming < Int64(n) else { return }
            let held = heldMilli(v) / 1000
            policies[p].finished(jobs.handle(slot: v), nowNs: kernel.nowNs)
            preempt(slot: v, kernel: kernel)
            preemptedForLending += 1
            if preemptionCost.saveNs > 0 { coming += held }
        }
    }

    /// A placed replica holds its accelerators and starts its cold start: pulling the model
    /// file (through the storage system when there is one), then loading it onto the devices.
    mutating func startReplica(service s: Int, replica i: Int, pool p: Int, borrowed: Bool, kernel: Kernel) {
        let now = kernel.nowNs
        let slot = Int(services[s].replicas[i].slot)
        unplacedReplicas -= 1
        jobs[slot].spec.pool = Int16(p)
        jobs[slot].spec.submitNs = now
        jobs[slot].id = nextJobID
        nextJobID += 1
        jobs[slot].runStartNs = now
        jobs[slot].firstStartNs = now
        jobs[slot].borrowed = borrowed
        jobs[slot].held = jobs[slot].spec.accelerators
        jobs[slot].segmentStartNs = now
        let span = pools[p].span(of: jobs.handle(slot: slot))
        jobs[slot].serversSpanned = Int32(span.servers)
        jobs[slot].leavesSpanned = Int32(span.leaves)
        count(jobs[slot].spec, waiting: 0, running: 1, busyMilli: jobs[slot].spec.milliHeld)
        services[s].replicas[i].placed = true
        services[s].replicas[i].borrowed = borrowed
        services[s].replicas[i].pool = Int16(p)
        services[s].replicas[i].placedNs = now
        recordDeployment(service: s, replica: services[s].replicas[i], event: .placed, now: now)
        if storage != nil, storage!.start(slot: slot, demand: jobs[slot].spec.storage, computeNs: 0,
                                          nicBytesPerS: Double(span.servers) * poolServerNetworkBytesPerS[p], nowNs: now) {
            return  // ready after the pull (ingest), the runtime's start and the load
        }
        let pullNs = SimTimeNs((services[s].modelFileBytes / pullBytesPerS * 1e9).rounded(.up))
        scheduleReady(slot: slot, atNs: now + pullNs + loadNs(s), kernel: kernel)
    }

    /// Time from the model file's arrival to serving: the runtime's start and loading the
    /// weights onto the replica's devices.
    func loadNs(_ s: Int) -> SimTimeNs {
        release.startupTime.baseUnits + SimTimeNs((services[s].modelFileBytes / loadBytesPerS * 1e9).rounded(.up))
    }

    mutating func scheduleReady(slot: Int, atNs t: SimTimeNs, kernel: Kernel) {
        kernel.schedule(Event(kind: Kind.replicaReady.rawValue, subject: Int32(slot), tag: jobs[slot].id), atNs: t)
    }

    /// A replica finished its cold start and serves from now on.
    mutating func replicaReady(slot: Int, now: SimTimeNs) {
        let s = Int(jobs[slot].service)
        guard let i = services[s].replicas.firstIndex(where: { $0.slot == Int32(slot) }), services[s].replicas[i].placed, !services[s].replicas[i].ready else { return }
        feedRequests(service: s, upTo: now)
        services[s].replicas[i].ready = true
        services[s].coldStarts += 1
        services[s].coldStartSumNs += Double(now - services[s].replicas[i].placedNs)
        setReady(service: s, now: now)
        services[s].replicas[i].servedMark = services[s].ledger.perReplicaRequests
        recordDeployment(service: s, replica: services[s].replicas[i], event: .ready, now: now)
        services[s].dirty = true
    }

    /// The service's ready count changed at `now`: the ledger and the request engine follow.
    mutating func setReady(service s: Int, now: SimTimeNs) {
        let n = services[s].readyCount
        let started = services[s].ledger.fromNs >= 0
        services[s].ledger.setReady(n, atNs: now)
        if !started, services[s].ledger.fromNs >= 0, var r = services[s].request {
            r.start(atNs: now, ledger: services[s].ledger)
            services[s].request = r
        }
        services[s].request?.resize(to: n, atNs: now)
    }

    /// Retires replica `i`: it stops serving and gives its accelerators back (a job row ends).
    mutating func stopReplica(service s: Int, at i: Int, now: SimTimeNs) {
        let r = services[s].replicas[i]
        let slot = Int(r.slot)
        if r.ready { feedRequests(service: s, upTo: now) }
        services[s].replicas.remove(at: i)
        if r.ready { setReady(service: s, now: now) }
        if r.placed {
            let record = replicaRecord(service: s, replica: r, now: now, ended: true)
            let p = Int(jobs[slot].spec.pool)
            storage?.stop(slot: slot, nowNs: now)
            pools[p].release(jobs.handle(slot: slot))
            count(jobs[slot].spec, waiting: 0, running: -1, busyMilli: -heldMilli(slot))
            if r.borrowed { lentMilli -= heldMilli(slot) }
            sink.record(job: record)
            recordDeployment(service: s, replica: r, event: .stopped, now: now)
        } else {
            unplacedReplicas -= 1
        }
        jobs[slot].service = -1
        jobs[slot].runStartNs = -1
        activities.finish(FluidActivityID(raw: Int32(slot)))
    }

    /// The job row of a placed replica at `now` (ended: retired; else still running at the
    /// end of the run), after adding its accelerator time and delivered FLOPs to the totals.
    mutating func replicaRecord(service s: Int, replica r: ServiceReplica, now: SimTimeNs, ended: Bool) -> JobRecord {
        let slot = Int(r.slot)
        let spec = jobs[slot].spec
        let acceleratorNs = Double(now - r.placedNs) * spec.acceleratorShare
        let served = r.ready ? (services[s].ledger.perReplicaRequests - r.servedMark) : 0
        let flops = served * services[s].flopsPerRequest
        services[s].heldAcceleratorNs += acceleratorNs
        if r.borrowed { services[s].borrowedAcceleratorNs += acceleratorNs }
        services[s].deliveredFlops += flops
        breakdown.update(spec) { g in
            g.acceleratorNs += acceleratorNs
            g.borrowedAcceleratorNs += r.borrowed ? acceleratorNs : 0
            g.flops += flops
        }
        var record = JobRecord(id: jobs[slot].id, jobClass: -1, submitNs: spec.submitNs, startNs: r.placedNs, endNs: ended ? now : -1,
                               accelerators: spec.accelerators, state: ended ? .completed : .running)
        record.label(with: spec)
        record.flops = flops
        record.milli = spec.milli
        record.serversSpanned = jobs[slot].serversSpanned
        record.leavesSpanned = jobs[slot].leavesSpanned
        record.ingestNs = storage?.ingestNs(slot: slot) ?? 0
        return record
    }

    /// A replica placed, ready or stopped: one `/deployments` row.
    mutating func recordDeployment(service s: Int, replica r: ServiceReplica, event: DeploymentEvent.Kind, now: SimTimeNs) {
        let slot = Int(r.slot)
        var d = DeploymentEvent(timeNs: now, application: services[s].application, model: services[s].model, pool: r.pool,
                                job: jobs[slot].id, event: event.rawValue, replicas: Int32(services[s].readyCount))
        d.service = services[s].index
        d.version = r.version
        d.borrowed = r.borrowed
        d.coldStartNs = event == .ready ? now - r.placedNs : 0
        sink.record(deployment: d)
    }

    /// A model version was registered: services serving that model get it as their next
    /// version (and go live on it when they wait for a trained model).
    mutating func offer(_ v: ModelVersion) {
        guard v.form == .service, let list = servicesOfModel[ApplicationModelKey.of(application: v.application, model: v.model)] else { return }
        for s in list {
            services[s].offeredVersion = v.version
            services[s].dirty = true
        }
    }

    // MARK: Request level

    /// Simulates the service's requests that arrive before `t` on the replicas ready so far.
    mutating func feedRequests(service s: Int, upTo t: SimTimeNs) {
        guard var r = services[s].request, services[s].ledger.fromNs >= 0 else { return }
        r.submit(before: t, ledger: services[s].ledger)
        collect(&r, served: r.takeServed(upTo: t), service: s)
        services[s].request = r
    }

    /// Takes served requests into the statistics and `/requests`.
    mutating func collect(_ r: inout RequestLevelState, served: [ServedRequest], service s: Int) {
        let targetNs = SimTimeNs((services[s].targetS * 1e9).rounded())
        for q in served {
            let latency = q.endNs - q.arrivalNs, firstOutput = q.firstTokenNs - q.arrivalNs
            r.count += 1
            r.latencySumS += Double(latency) / 1e9
            r.firstOutputSumS += Double(firstOutput) / 1e9
            _ = r.latencies.record(UInt64(max(0, latency)))
            _ = r.firstOutputs.record(UInt64(max(0, firstOutput)))
            r.intervalServed += 1
            if latency <= targetNs { r.met += 1; r.intervalMet += 1 }
            if r.sampleEvery > 0 && r.sequence % r.sampleEvery == 0 {
                sink.record(request: RequestRecord(service: services[s].index, replica: q.replica, arrivalNs: q.arrivalNs, startNs: q.startNs,
                                                   firstOutputNs: q.firstTokenNs, endNs: q.endNs))
            }
            r.sequence += 1
        }
    }

    // MARK: End of run

    /// Closes every service's record at the end of the run and returns the rows of its
    /// replicas still running. Requests that arrived are served to completion on the replicas
    /// left (their ends may fall after the end of the run); those left with no replica count
    /// as unserved.
    mutating func finalizeServices(at endNs: SimTimeNs) -> [JobRecord] {
        var rows: [JobRecord] = []
        for s in services.indices {
            feedRequests(service: s, upTo: endNs)
            if var r = services[s].request {
                collect(&r, served: r.takeServed(upTo: nil), service: s)
                services[s].request = r
            }
            services[s].ledger.advance(to: endNs)
            for rep in services[s].replicas where rep.placed { rows.append(replicaRecord(service: s, replica: rep, now: endNs, ended: false)) }
        }
        return rows
    }
}
