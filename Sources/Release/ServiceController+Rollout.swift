import SimKernel

/// Deciding what each service should run: go-live, the autoscaler, rollouts of new versions
/// (rolling, canary, recreate) and reconciliation of the replicas towards that.
extension ServiceController {
    /// The service step of a scheduling pass: replicas that finished pulling their model
    /// start loading it, ready replicas join, marked services decide and reconcile, and
    /// replicas waiting for accelerators are placed.
    public mutating func step(_ broker: inout some CapacityBroker, nowNs now: SimTimeNs) {
        guard !services.isEmpty else { return }
        if !pulledNow.isEmpty {
            pulledNow.sort { $0.0 < $1.0 }
            for (id, replica) in pulledNow {
                guard let s = service(of: replica) else { continue }
                broker.readyAt(replica, jobID: id, atNs: now + loadNs(s))
            }
            pulledNow.removeAll(keepingCapacity: true)
        }
        if !readyNow.isEmpty {
            readyNow.sort { $0.0 < $1.0 }
            for (_, replica) in readyNow {
                guard let s = service(of: replica) else { continue }
                ready(replica, service: s, now: now)
            }
            readyNow.removeAll(keepingCapacity: true)
        }
        marked = false
        for s in services.indices where services[s].dirty {
            services[s].dirty = false
            step(service: s, broker: &broker, now: now)
        }
        if unplacedReplicas > 0 {
            for s in services.indices where services[s].unplaced > 0 { place(service: s, broker: &broker, now: now) }
        }
    }

    /// Go-live, the autoscaler's decision, the start of a rollout, then reconciliation.
    mutating func step(service s: Int, broker: inout some CapacityBroker, now: SimTimeNs) {
        if !services[s].live {
            guard now >= services[s].startNs, settings.startsPreloaded || services[s].offeredVersion >= 1, services[s].desired >= 0 else { return }
            services[s].live = true
            services[s].targetVersion = settings.startsPreloaded ? 0 : services[s].offeredVersion
            services[s].lastRolloutNs = now
            services[s].lastTickNs = now
            let rate = services[s].ledger.rate(atNs: now)
            services[s].desired = min(maxReplicas[s], services[s].autoscale == nil ? services[s].peakReplicas
                                                                                   : services[s].replicasFor(observedRatePerS: rate, maximum: maxReplicas[s]))
        } else if services[s].ticked {
            autoscale(service: s, now: now)
        }
        services[s].ticked = false
        startRolloutIfDue(service: s, broker: &broker, now: now)
        reconcile(service: s, broker: &broker, now: now)
        place(service: s, broker: &broker, now: now)
        unstallRollout(service: s, broker: &broker, now: now)
    }

    /// A rolling update with no spare accelerators for its surge would never progress: then an
    /// old replica stops first to make room (Kubernetes' maxUnavailable), one per waiting new
    /// replica, at most `surge` at a time.
    mutating func unstallRollout(service s: Int, broker: inout some CapacityBroker, now: SimTimeNs) {
        // Nothing waits for a place: nothing to stop, nothing to place (the common case).
        guard settings.update != .recreate, services[s].unplaced > 0 else { return }
        let target = services[s].targetVersion
        var waiting = 0, cold = 0
        for r in services[s].replicas where r.version == target {
            if !r.placed { waiting += 1 } else if !r.ready { cold += 1 }
        }
        guard waiting > 0 else { return }
        var room = min(waiting, settings.surge - cold)
        while room > 0, services[s].replicas.contains(where: { $0.version != target }) {
            stopReplica(service: s, at: victim(service: s, oldOnly: true), broker: &broker, now: now)
            room -= 1
        }
        place(service: s, broker: &broker, now: now)
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
            if a.cooldownNs == 0 { services[s].desired = want; services[s].lowSinceNs = -1 }
        } else if now - services[s].lowSinceNs >= a.cooldownNs {
            services[s].desired = want
            services[s].lowSinceNs = -1
        }
    }

    /// A newer version waits for the release cadence, then becomes the target of the replicas.
    mutating func startRolloutIfDue(service s: Int, broker: inout some CapacityBroker, now: SimTimeNs) {
        guard settings.deploysVersions, services[s].live, services[s].offeredVersion > services[s].targetVersion else { return }
        let due = services[s].lastRolloutNs + settings.cadenceNs
        guard now >= due else {
            broker.wake(service: s, atNs: due, tick: false)
            return
        }
        services[s].targetVersion = services[s].offeredVersion
        services[s].lastRolloutNs = now
        services[s].rollouts += 1
        services[s].canaryReadyNs = -1
        services[s].canaryCount = max(1, Int((Double(services[s].desired) * settings.canaryShare).rounded(.up)))
    }

    /// Moves the replicas towards `desired` of the target version: scaling alone adds or
    /// retires replicas (unplaced, then cold, then borrowed, then newest first); an update
    /// replaces old replicas as its policy says (rolling: `surge` at a time, an old one
    /// retiring as each new one is ready; canary: a first share, then rolling after the soak;
    /// recreate: all at once).
    mutating func reconcile(service s: Int, broker: inout some CapacityBroker, now: SimTimeNs) {
        let target = services[s].targetVersion
        func counts() -> (old: Int, newReady: Int, newCold: Int) {
            var o = 0, r = 0, c = 0
            for x in services[s].replicas {
                if x.version != target { o += 1 } else if x.ready { r += 1 } else { c += 1 }
            }
            return (o, r, c)
        }
        let desired = services[s].desired
        assert(services[s].behind == services[s].replicas.count { $0.version != target }
               && services[s].unplaced == services[s].replicas.count { !$0.placed }, "a service's replica counts drifted")
        if services[s].behind == 0 {
            while services[s].replicas.count > desired { stopReplica(service: s, at: victim(service: s, oldOnly: false), broker: &broker, now: now) }
            while services[s].replicas.count < desired { addReplica(service: s, broker: &broker, now: now) }
            return
        }
        var k = counts()
        switch settings.update {
        case .recreate:
            while let i = services[s].replicas.lastIndex(where: { $0.version != target }) { stopReplica(service: s, at: i, broker: &broker, now: now) }
            while services[s].replicas.count < desired { addReplica(service: s, broker: &broker, now: now) }
            return
        case .rolling, .canary:
            while k.old > 0 && k.old + k.newReady > desired {
                stopReplica(service: s, at: victim(service: s, oldOnly: true), broker: &broker, now: now)
                k = counts()
            }
            guard k.old > 0 else { return }
            if settings.update == .canary {
                if k.newReady + k.newCold < services[s].canaryCount && services[s].canaryReadyNs < 0 {
                    for _ in 0..<min(k.old, services[s].canaryCount - k.newReady - k.newCold) { addReplica(service: s, broker: &broker, now: now) }
                    return
                }
                if services[s].canaryReadyNs < 0 {
                    guard k.newCold == 0 else { return }
                    services[s].canaryReadyNs = now
                    broker.wake(service: s, atNs: now + settings.canarySoakNs, tick: false)
                }
                guard now >= services[s].canaryReadyNs + settings.canarySoakNs else { return }
            }
            if k.newCold == 0 {
                for _ in 0..<min(settings.surge, k.old) { addReplica(service: s, broker: &broker, now: now) }
            }
            // Load grew during the update: add the gap in the new version.
            k = counts()
            while k.old + k.newReady + k.newCold < desired { addReplica(service: s, broker: &broker, now: now); k.newCold += 1 }
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
}
