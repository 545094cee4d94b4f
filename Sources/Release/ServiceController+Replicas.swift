import Records
import SimKernel

/// A replica's life: added, placed (at home or on a lending pool), cold-started (model pull,
/// runtime start, weights load), ready, and retired; its `/jobs` and `/deployments` rows.
extension ServiceController {
    /// The service whose replicas include `replica` (nil: it has been retired).
    func service(of replica: JobHandle) -> Int? {
        services.indices.first { s in services[s].replicas.contains { $0.job == replica } }
    }

    /// A new replica of the target version, waiting to be placed.
    mutating func addReplica(service s: Int, broker: inout some CapacityBroker, now: SimTimeNs) {
        let spec = services[s].replicaSpec(submitNs: now, horizonNs: horizonNs, modelFromStorage: modelFromStorage)
        let job = broker.openReplica(spec, service: Int16(s), nowNs: now)  // the job id comes with its placement
        services[s].addReplica(job: job)
        unplacedReplicas += 1
    }

    /// Places the service's waiting replicas: in its own pool, else on a lending pool
    /// (preempting the newest running jobs there when it is full).
    mutating func place(service s: Int, broker: inout some CapacityBroker, now: SimTimeNs) {
        guard services[s].unplaced > 0 else { return }
        for i in services[s].replicas.indices where !services[s].replicas[i].placed {
            let job = services[s].replicas[i].job
            let n = Int(services[s].acceleratorsPerReplica)
            let home = Int(services[s].pool)
            let milli = services[s].sliceMilli
            if broker.allocate(job, pool: home, count: n, milli: milli) {
                startReplica(service: s, replica: i, pool: home, borrowed: false, broker: &broker, now: now)
                continue
            }
            let held = Int64(n) * Int64(milli)
            for lender in settings.lendingPools where lender != home && poolAccelerators[lender] == poolAccelerators[home] {
                guard settings.lendingMaxAccelerators == 0 || lentMilli + held <= Int64(settings.lendingMaxAccelerators) * 1000,
                      broker.capacity(ofPool: lender) >= n else { continue }
                if !broker.allocate(job, pool: lender, count: n, milli: milli) {
                    let made = broker.makeRoom(pool: lender, accelerators: n, nowNs: now)
                    preemptedForLending += made.preempted
                    shrunkForLending += made.shrunk
                    guard broker.allocate(job, pool: lender, count: n, milli: milli) else { continue }
                }
                lentMilli += held
                startReplica(service: s, replica: i, pool: lender, borrowed: true, broker: &broker, now: now)
                break
            }
        }
    }

    /// A placed replica holds its accelerators and starts its cold start: pulling the model
    /// file (through the storage system when there is one), then loading it onto the devices.
    mutating func startReplica(service s: Int, replica i: Int, pool p: Int, borrowed: Bool, broker: inout some CapacityBroker, now: SimTimeNs) {
        unplacedReplicas -= 1
        services[s].unplaced -= 1
        let job = services[s].replicas[i].job
        let started = broker.startReplica(job, pool: p, borrowed: borrowed, nowNs: now)
        services[s].replicas[i].jobID = started.jobID
        services[s].replicas[i].placed = true
        services[s].replicas[i].borrowed = borrowed
        services[s].replicas[i].pool = Int16(p)
        services[s].replicas[i].placedNs = now
        recordDeployment(service: s, replica: services[s].replicas[i], event: .placed, now: now)
        guard !started.throughStorage else { return }  // ready after the pull (ingest), the runtime's start and the load
        let pullNs = SimTimeNs((services[s].modelFileBytes / settings.pullBytesPerS * 1e9).rounded(.up))
        broker.readyAt(job, jobID: started.jobID, atNs: now + pullNs + loadNs(s))
    }

    /// Time from the model file's arrival to serving: the runtime's start and loading the
    /// weights onto the replica's devices.
    func loadNs(_ s: Int) -> SimTimeNs {
        settings.startupNs + SimTimeNs((services[s].modelFileBytes / settings.loadBytesPerS * 1e9).rounded(.up))
    }

    /// A replica finished its cold start and serves from now on.
    mutating func ready(_ replica: JobHandle, service s: Int, now: SimTimeNs) {
        guard let i = services[s].replicas.firstIndex(where: { $0.job == replica }), services[s].replicas[i].placed, !services[s].replicas[i].ready else { return }
        feedRequests(service: s, upTo: now)
        services[s].replicas[i].ready = true
        services[s].coldStarts += 1
        services[s].coldStartSumNs += Double(now - services[s].replicas[i].placedNs)
        setReady(service: s, now: now)
        services[s].replicas[i].servedMark = services[s].ledger.perReplicaRequests
        recordDeployment(service: s, replica: services[s].replicas[i], event: .ready, now: now)
        mark(s)
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
    mutating func stopReplica(service s: Int, at i: Int, broker: inout some CapacityBroker, now: SimTimeNs) {
        if services[s].replicas[i].ready { feedRequests(service: s, upTo: now) }
        let r = services[s].removeReplica(at: i)
        if r.ready { setReady(service: s, now: now) }
        if r.placed {
            let record = replicaRecord(service: s, replica: r, broker: &broker, now: now, ended: true)
            broker.stopReplica(r.job, placed: true, nowNs: now)
            if r.borrowed { lentMilli -= Int64(services[s].acceleratorsPerReplica) * Int64(services[s].sliceMilli) }
            sink.record(job: record)
            recordDeployment(service: s, replica: r, event: .stopped, now: now)
        } else {
            unplacedReplicas -= 1
            broker.stopReplica(r.job, placed: false, nowNs: now)
        }
    }

    /// A failure took the replica's server out of service: the replica is gone (its row ends)
    /// and its service places a replacement, with a cold start, at this instant's step.
    public mutating func replicaLost(_ replica: JobHandle, broker: inout some CapacityBroker, nowNs now: SimTimeNs) {
        guard let s = service(of: replica), let i = services[s].replicas.firstIndex(where: { $0.job == replica }) else { return }
        stopReplica(service: s, at: i, broker: &broker, now: now)
        mark(s)
    }

    /// The job row of a placed replica at `now` (ended: retired; else still running at the
    /// end of the run), after adding its accelerator time and delivered FLOPs to the totals.
    mutating func replicaRecord(service s: Int, replica r: ServiceReplica, broker: inout some CapacityBroker, now: SimTimeNs, ended: Bool) -> JobRecord {
        let acceleratorNs = Double(now - r.placedNs) * services[s].acceleratorsHeldPerReplica
        let served = r.ready ? (services[s].ledger.perReplicaRequests - r.servedMark) : 0
        let flops = served * services[s].flopsPerRequest
        services[s].heldAcceleratorNs += acceleratorNs
        if r.borrowed { services[s].borrowedAcceleratorNs += acceleratorNs }
        services[s].deliveredFlops += flops
        broker.account(r.job, acceleratorNs: acceleratorNs, borrowed: r.borrowed, flops: flops)
        return broker.replicaRow(r.job, endNs: ended ? now : -1, state: ended ? .completed : .running, flops: flops)
    }

    /// A replica placed, ready or stopped: one `/deployments` row.
    func recordDeployment(service s: Int, replica r: ServiceReplica, event: DeploymentEvent.Kind, now: SimTimeNs) {
        var d = DeploymentEvent(timeNs: now, application: services[s].application, model: services[s].model, pool: r.pool,
                                job: r.jobID, event: event.rawValue, replicas: Int32(services[s].readyCount))
        d.service = services[s].index
        d.version = r.version
        d.borrowed = r.borrowed
        d.coldStartNs = event == .ready ? now - r.placedNs : 0
        sink.record(deployment: d)
    }
}
