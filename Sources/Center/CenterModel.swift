import Records
import Production
import Release
import Scheduling
import SimKernel
import Workloads

/// The center as a kernel model: jobs are submitted to their pool, queue under that pool's
/// scheduling policy, run on its accelerators as fluid activities (paused when preempted), and
/// release them.
///
/// Order rule: arrivals and completions at one instant only buffer their effect; one scheduling
/// pass at the end of the instant (priority 255) settles finished jobs in id order, assigns job
/// ids to arrivals in submission order (``JobSpec/submissionOrder(_:_:)``), rejects jobs that can
/// never fit, lets every pool's policy dispatch in pool order (again after preemptions that free
/// accelerators at once) and samples utilisation. Results therefore never depend on the order of
/// same-time events (checked by the kernel's tie-permutation mode).
struct CenterModel: EventHandler {
    enum Kind: UInt16 { case sourceArrival = 0, listArrival, jobEnd, schedulingPass, wakeUp, checkpointSaved, ingestDone, serviceTick, replicaReady, serviceWake }
    static let passPriority: UInt8 = 255

    var pools: [AcceleratorPool]
    var policies: [any SchedulingPolicy]
    let sources: [any JobSource]
    var nextOfSource: [JobSpec?]
    let listed: [JobSpec]
    let sink: any RecordSink
    var stats = RunStatistics()
    var breakdown: Breakdown
    let preemptionCost: PreemptionCost
    /// Whether policies see true run times or history estimates.
    let trueDurations: Bool
    var estimator = DurationEstimator()

    // Jobs alive (queued, running, or saving a checkpoint). A job's slot is the id of its fluid
    // activity, which `activities` allocates and recycles; the job table holds the rest by slot.
    var activities = FluidActivities()
    var jobs = JobTable()
    /// Jobs saving a checkpoint after preemption (neither waiting nor running).
    var saving: [JobHandle] = []
    var running = 0
    var waiting = 0
    /// Accelerators allocated, in thousandths (a job on half a device counts 500).
    var busyMilli: Int64 = 0
    var poolBusyMilli: [Int64]
    /// Per pool and per tenant (index + 1): waiting and running jobs, accelerators held (milli),
    /// and the last sample written.
    var poolWaiting: [Int32], poolRunning: [Int32], poolLast: [GroupSample]
    var tenantBusyMilli: [Int64], tenantWaiting: [Int32], tenantRunning: [Int32], tenantLast: [GroupSample]
    /// Tenants whose counts changed since the last sample (so a sample looks at those only).
    var tenantDirty: [Bool], dirtyTenants: [Int] = []
    var preemptionsTotal: Int64 = 0

    // This instant's buffered effects.
    var arrivalsNow: [JobSpec] = []
    /// Slots of jobs whose completion event fired at this instant.
    var endedNow: [Int32] = []
    var savedNow: [Int32] = []
    var passScheduled = false
    /// Time of the last arrival, completion or checkpoint (stale completion events and wake-ups
    /// that find nothing to do do not count): the end of a run that drains.
    var lastActivityNs: SimTimeNs = 0
    /// Completion events to schedule after rate changes (slot, time, generation).
    var pendingEnds: [(Int32, SimTimeNs, Int64)] = []
    var nextJobID: Int64 = 0
    /// The wake-up already scheduled per pool (SimTime.never: none).
    var wakeAtNs: [SimTimeNs]
    var lastSample = UtilizationSample(timeNs: -1, busyAccelerators: -1, queuedJobs: -1, runningJobs: -1)

    /// The first rejection messages, for the user.
    var rejectionMessages: [String] = []
    let poolNames: [String]
    let tenantPriorities: [Int8]
    /// Pools (and speed factors) jobs with an acceptance set may run in.
    let acceptance: [[AcceptedPool]]
    /// Accelerators asked for by waiting jobs, per pool (to steer jobs that accept several).
    var poolQueuedDemand: [Int64]

    /// Running elastic jobs per pool.
    var elasticRunning: [[JobHandle]]
    /// The shared fabric pricing jobs' all-reduces (`io.model: fabric`); nil otherwise.
    var network: NetworkModel?
    /// The shared storage system pricing ingests, epochs and checkpoints (`io.storage`); nil otherwise.
    var storage: StorageModel?
    /// Network bandwidth of one server of each pool (bytes/s), for a job's reach to storage.
    var poolServerNetworkBytesPerS: [Double] = []
    /// The model registry (versions from finished model-building jobs).
    var registry: ModelRegistry?
    /// Slots whose ingest completed at this instant.
    var ingestedNow: [Int32] = []

    /// The release side: online services and their replicas (``ServiceController``, with this
    /// engine as its capacity broker).
    var services: ServiceController
    /// The kernel running this model (the broker schedules the controller's wake-ups on it).
    let kernel: Kernel

    init(pools: [AcceleratorPool], poolNames: [String], policy make: () -> any SchedulingPolicy, sources: [any JobSource],
         listed: [JobSpec], names: DemandNames, sink: any RecordSink, preemptionCost: PreemptionCost = PreemptionCost(),
         trueDurations: Bool = true, kernel: Kernel) {
        let poolCapacities = pools.map(\.capacity)
        self.pools = pools
        policies = poolCapacities.map { _ in make() }
        self.poolNames = poolNames
        self.sources = sources
        self.listed = listed
        self.sink = sink
        self.kernel = kernel
        services = ServiceController(sink: sink)
        self.preemptionCost = preemptionCost
        self.trueDurations = trueDurations
        tenantPriorities = names.tenantPriorities
        acceptance = names.acceptance
        poolQueuedDemand = Array(repeating: 0, count: poolCapacities.count)
        breakdown = Breakdown(names: names)
        stats.poolBusyAreaNs = Array(repeating: 0, count: poolCapacities.count)
        poolBusyMilli = Array(repeating: 0, count: poolCapacities.count)
        poolWaiting = Array(repeating: 0, count: poolCapacities.count)
        poolRunning = Array(repeating: 0, count: poolCapacities.count)
        poolLast = (0..<poolCapacities.count).map { GroupSample(timeNs: -1, group: Int16($0), busyAccelerators: 0, queuedJobs: 0, runningJobs: 0) }
        let tenants = names.tenants.count + 1
        tenantBusyMilli = Array(repeating: 0, count: tenants)
        tenantWaiting = Array(repeating: 0, count: tenants)
        tenantRunning = Array(repeating: 0, count: tenants)
        tenantDirty = Array(repeating: false, count: tenants)
        tenantLast = (0..<tenants).map { GroupSample(timeNs: -1, group: Int16($0 - 1), busyAccelerators: 0, queuedJobs: 0, runningJobs: 0) }
        stats.poolPartialAreaNs = Array(repeating: 0, count: poolCapacities.count)
        stats.poolStrandedMilliAreaNs = Array(repeating: 0, count: poolCapacities.count)
        wakeAtNs = Array(repeating: SimTime.never, count: poolCapacities.count)
        elasticRunning = Array(repeating: [], count: poolCapacities.count)
        nextOfSource = Array(repeating: nil, count: sources.count)
    }

    var hasPendingWork: Bool { waiting > 0 }

    /// Schedules the first arrival of every source, the services' go-live and the initial sample.
    mutating func prime(_ kernel: Kernel) {
        withServices { c, m in c.prime(&m) }
        for (i, g) in sources.enumerated() {
            nextOfSource[i] = g.next()
            if let j = nextOfSource[i] { kernel.schedule(Event(kind: Kind.sourceArrival.rawValue, subject: Int32(i)), atNs: j.submitNs) }
        }
        if let first = listed.first {
            kernel.schedule(Event(kind: Kind.listArrival.rawValue, subject: 0), atNs: first.submitNs)
        }
        sample(at: 0)
    }

    mutating func handle(_ event: Event, kernel: Kernel) {
        switch Kind(rawValue: event.kind)! {
        case .sourceArrival:
            lastActivityNs = kernel.nowNs
            // Every job of this source at this instant arrives together.
            let i = Int(event.subject)
            let now = kernel.nowNs
            while let j = nextOfSource[i], j.submitNs == now {
                arrivalsNow.append(j)
                nextOfSource[i] = sources[i].next()
            }
            if let j = nextOfSource[i] { kernel.schedule(event, atNs: j.submitNs) }
            requestPass(kernel)
        case .listArrival:
            lastActivityNs = kernel.nowNs
            var i = Int(event.subject)
            let now = kernel.nowNs
            while i < listed.count, listed[i].submitNs == now {
                arrivalsNow.append(listed[i])
                i += 1
            }
            if i < listed.count { kernel.schedule(Event(kind: Kind.listArrival.rawValue, subject: Int32(i)), atNs: listed[i].submitNs) }
            requestPass(kernel)
        case .jobEnd:
            guard activities.isCurrent(FluidActivityID(raw: event.subject), generation: UInt32(truncatingIfNeeded: event.tag)) else { return }
            lastActivityNs = kernel.nowNs
            endedNow.append(event.subject)
            requestPass(kernel)
        case .schedulingPass:
            passScheduled = false
            schedulingPass(kernel)
        case .wakeUp:
            let p = Int(event.subject)
            if wakeAtNs[p] == kernel.nowNs { wakeAtNs[p] = SimTime.never }
            requestPass(kernel)
        case .checkpointSaved:
            guard jobs.isCurrent(JobHandle(slot: event.subject, generation: UInt32(truncatingIfNeeded: event.tag))) else { return }
            lastActivityNs = kernel.nowNs
            savedNow.append(event.subject)
            requestPass(kernel)
        case .ingestDone:
            guard storage?.isCurrentIngest(slot: Int(event.subject), generation: event.tag) == true else { return }
            lastActivityNs = kernel.nowNs
            ingestedNow.append(event.subject)
            requestPass(kernel)
        case .serviceTick:
            let now = kernel.nowNs
            withServices { c, m in c.ticked(Int(event.subject), nowNs: now, broker: &m) }
            requestPass(kernel)
        case .serviceWake:
            // Subject -1: the keep-alive at the horizon (services serve until then).
            guard event.subject >= 0 else { return }
            services.woke(Int(event.subject))
            requestPass(kernel)
        case .replicaReady:
            let slot = Int(event.subject)
            guard jobs[slot].service >= 0, jobs[slot].id == event.tag else { return }
            services.replicaReady(jobs.handle(slot: slot), jobID: event.tag)
            requestPass(kernel)
        }
    }

    mutating func requestPass(_ kernel: Kernel) {
        if !passScheduled {
            passScheduled = true
            kernel.schedule(Event(kind: Kind.schedulingPass.rawValue), atNs: kernel.nowNs, priority: Self.passPriority)
        }
    }

    mutating func advanceStatistics(to now: SimTimeNs) {
        stats.advance(to: now, busyAccelerators: Double(busyMilli) / 1000, queued: waiting, poolBusyMilli: poolBusyMilli, pools: pools)
    }

    /// The job in `slot` completed at `now`.
    mutating func finish(slot: Int, now: SimTimeNs) {
        let spec = jobs[slot].spec
        let p = Int(spec.pool)
        let sharers = pools[p].coRunners(of: jobs.handle(slot: slot))
        network?.stop(slot: slot, nowNs: now)
        storage?.stop(slot: slot, nowNs: now)
        pools[p].release(jobs.handle(slot: slot))
        policies[p].finished(jobs.handle(slot: slot), nowNs: now)
        count(spec, waiting: 0, running: -1, busyMilli: -heldMilli(slot))
        if spec.isElastic {
            let handle = jobs.handle(slot: slot)
            elasticRunning[p].removeAll { $0 == handle }
        }
        activities.finish(FluidActivityID(raw: Int32(slot)))
        let jct = now - spec.submitNs
        stats.jobCompleted(jctNs: jct, workNs: spec.durationNs, runNs: jobs[slot].servedNs + (now - jobs[slot].runStartNs))
        estimator.record(tenant: spec.tenant, runNs: spec.durationNs)
        let acceleratorNs = Double(now - jobs[slot].segmentStartNs) * heldShare(slot)
        let borrowedNs = jobs[slot].borrowed ? acceleratorNs : 0
        breakdown.update(spec) { g in
            g.borrowedAcceleratorNs += borrowedNs
            g.completed += 1
            g.jctSumNs += Double(jct)
            g.slowdownSum += spec.durationNs > 0 ? Double(jct) / Double(spec.durationNs) : 1
            g.acceleratorNs += acceleratorNs
            g.flops += spec.flops
        }
        var r = JobRecord(id: jobs[slot].id, jobClass: classIndex(spec), submitNs: spec.submitNs, startNs: jobs[slot].firstStartNs, endNs: now,
                          accelerators: spec.accelerators, state: .completed)
        r.label(with: spec)
        r.flops = spec.flops
        r.preemptions = jobs[slot].preemptions
        r.serversSpanned = jobs[slot].serversSpanned
        r.leavesSpanned = jobs[slot].leavesSpanned
        r.communicationShare = network?.communicationShare(slot: slot) ?? 0
        r.ingestNs = storage?.ingestNs(slot: slot) ?? 0
        sink.record(job: r)
        let builds = spec.kind == .training || spec.kind == .fineTuning || spec.kind == .compression || spec.isSearchWinner
        if var v = registry?.register(application: spec.application, model: spec.model, isModelBuilding: builds, job: jobs[slot].id, atNs: now) {
            services.describe(&v)
            sink.record(model: v)
            services.offer(v)
        }
        for other in sharers { refreshRate(slot: Int(other.slot), now: now) }
    }

    /// The job class index of a job, or -1 when it did not come from a job class.
    func classIndex(_ spec: JobSpec) -> Int32 { spec.kind == .generic && spec.source != JobSpec.listSource ? spec.source : -1 }

    mutating func schedulingPass(_ kernel: Kernel) {
        let now = kernel.nowNs
        advanceStatistics(to: now)
        settleInstant(now: now)
        withServices { c, m in c.step(&m, nowNs: now) }
        for p in policies.indices { dispatch(pool: p, kernel: kernel) }
        settleSharedResources(kernel)
        flushPendingEnds(kernel)
        sample(at: now)
    }

    /// Schedules the completion events of jobs whose speed changed this pass.
    mutating func flushPendingEnds(_ kernel: Kernel) {
        for (slot, end, generation) in pendingEnds where end != SimTime.never {
            kernel.schedule(Event(kind: Kind.jobEnd.rawValue, subject: slot, tag: generation), atNs: end)
        }
        pendingEnds.removeAll(keepingCapacity: true)
    }

    /// Lets pool `p`'s policy start and preempt jobs, then resizes elastic jobs: they shrink
    /// towards their minimum while jobs wait (and the policy runs again), and grow towards their
    /// maximum into accelerators nobody waits for.
    mutating func dispatch(pool p: Int, kernel: Kernel) {
        dispatchPolicy(pool: p, kernel: kernel)
        guard !elasticRunning[p].isEmpty else { return }
        if policies[p].waiting > 0 {
            if shrinkElastic(pool: p, now: kernel.nowNs) { dispatchPolicy(pool: p, kernel: kernel) }
        }
        if policies[p].waiting == 0 { growElastic(pool: p, now: kernel.nowNs) }
    }

    /// Lets pool `p`'s policy start and preempt jobs; runs it again after preemptions whose
    /// accelerators come back at once.
    mutating func dispatchPolicy(pool p: Int, kernel: Kernel) {
        let now = kernel.nowNs
        for _ in 0..<8 {
            let context = SchedulingContext.dispatch(&policies[p], pool: &pools[p], nowNs: now)
            for job in context.started { start(job, kernel: kernel) }
            for job in context.started where job.milli < 1000 {
                for other in pools[p].coRunners(of: job.handle) { refreshRate(slot: Int(other.slot), now: now) }
                refreshRate(slot: Int(job.slot), now: now)
            }
            if context.wakeUpNs != SimTime.never, context.wakeUpNs > now, context.wakeUpNs < wakeAtNs[p] || wakeAtNs[p] <= now {
                wakeAtNs[p] = context.wakeUpNs
                kernel.schedule(Event(kind: Kind.wakeUp.rawValue, subject: Int32(p)), atNs: context.wakeUpNs)
            }
            guard !context.preempted.isEmpty else { return }
            for job in context.preempted { preempt(slot: jobs.slot(of: job), kernel: kernel) }
            if preemptionCost.saveNs > 0 { return }
        }
    }

    /// Applies this instant's buffered effects in the documented order: finished jobs release
    /// their accelerators, are counted and written in id order (so floating-point sums never
    /// depend on event order); checkpoints saved release theirs; then arrivals get ids in
    /// submission order.
    mutating func settleInstant(now: SimTimeNs) {
        if !endedNow.isEmpty {
            if endedNow.count > 1 { endedNow.sort { jobs[Int($0)].id < jobs[Int($1)].id } }
            for slot in endedNow { finish(slot: Int(slot), now: now) }
            endedNow.removeAll(keepingCapacity: true)
        }
        if !ingestedNow.isEmpty {
            if ingestedNow.count > 1 { ingestedNow.sort { jobs[Int($0)].id < jobs[Int($1)].id } }
            for slot in ingestedNow {
                storage?.finishIngest(slot: Int(slot), nowNs: now)
                if jobs[Int(slot)].service >= 0 {
                    services.replicaPulled(jobs.handle(slot: Int(slot)), jobID: jobs[Int(slot)].id)
                    continue
                }
                if !startCommunicating(slot: Int(slot), now: now) { refreshRate(slot: Int(slot), now: now) }
            }
            ingestedNow.removeAll(keepingCapacity: true)
        }
        if !savedNow.isEmpty {
            if savedNow.count > 1 { savedNow.sort { jobs[Int($0)].id < jobs[Int($1)].id } }
            for slot in savedNow {
                let handle = jobs.handle(slot: Int(slot))
                saving.removeAll { $0 == handle }
                releaseAndRequeue(slot: Int(slot), now: now)
            }
            savedNow.removeAll(keepingCapacity: true)
        }
        if !arrivalsNow.isEmpty {
            if arrivalsNow.count > 1 { arrivalsNow.sort(by: JobSpec.submissionOrder) }
            for spec in arrivalsNow { submit(spec) }
            arrivalsNow.removeAll(keepingCapacity: true)
        }
    }

    mutating func submit(_ arrival: JobSpec) {
        var spec = arrival
        if spec.priority == 0, spec.tenant >= 0, Int(spec.tenant) < tenantPriorities.count { spec.priority = tenantPriorities[Int(spec.tenant)] }
        if spec.acceptance >= 0 { chooseAcceptedPool(&spec) }
        let id = nextJobID
        nextJobID += 1
        stats.submitted += 1
        breakdown.update(spec) { $0.submitted += 1 }
        let p = Int(spec.pool)
        guard pools[p].canEverFit(Int(spec.accelerators)) else {
            stats.rejected += 1
            if rejectionMessages.count < 10 {
                rejectionMessages.append("job \(id) asks for \(spec.accelerators) accelerators but pool '\(poolNames[p])' has \(pools[p].capacity)")
            }
            var r = JobRecord(id: id, jobClass: classIndex(spec), submitNs: spec.submitNs, startNs: -1, endNs: -1,
                              accelerators: spec.accelerators, state: .rejected, rejectReason: .largerThanPool)
            r.label(with: spec)
            sink.record(job: r)
            return
        }
        let slot = openSlot(spec, id: id, nowNs: spec.submitNs)
        count(spec, waiting: 1, running: 0, busyMilli: 0)
        policies[p].enqueue(queuedJob(slot: slot, now: spec.submitNs), nowNs: spec.submitNs)
    }

    mutating func start(_ job: QueuedJob, kernel: Kernel) {
        let slot = Int(job.slot)
        let now = kernel.nowNs
        jobs[slot].runStartNs = now
        count(jobs[slot].spec, waiting: -1, running: 1, busyMilli: jobs[slot].spec.milliHeld)
        jobs[slot].borrowed = job.borrowed
        jobs[slot].held = job.accelerators
        jobs[slot].segmentStartNs = now
        if jobs[slot].spec.isElastic { elasticRunning[Int(jobs[slot].spec.pool)].append(job.handle) }
        let span = pools[Int(jobs[slot].spec.pool)].span(of: job.handle)
        jobs[slot].serversSpanned = Int32(span.servers)
        jobs[slot].leavesSpanned = Int32(span.leaves)
        if jobs[slot].firstStartNs < 0 {
            jobs[slot].firstStartNs = now
            let wait = now - job.submitNs
            stats.jobStarted(waitNs: wait)
            breakdown.update(jobs[slot].spec) { g in
                g.started += 1
                g.waitSumNs += Double(wait)
            }
        }
        // A job that ingests first, or whose all-reduce goes on the fabric, waits (rate 0) for
        // the instant's settle to price it.
        let p = Int(jobs[slot].spec.pool)
        if storage != nil, storage!.start(slot: slot, demand: jobs[slot].spec.storage, computeNs: jobs[slot].spec.durationNs,
                                          nicBytesPerS: Double(span.servers) * poolServerNetworkBytesPerS[p], nowNs: now) {
            return
        }
        guard !startCommunicating(slot: slot, now: now) else { return }
        let activity = FluidActivityID(raw: job.slot)
        let end = activities.setRate(activity, ratePerNs: 1, nowNs: now)
        let gen = Int64(activities.generation(activity))
        kernel.schedule(Event(kind: Kind.jobEnd.rawValue, subject: job.slot, tag: gen), atNs: end)
    }


    /// Puts the job's all-reduce on the fabric when it has one; returns whether it did (its
    /// speed then comes from the instant's settle).
    mutating func startCommunicating(slot: Int, now: SimTimeNs) -> Bool {
        guard network != nil, !jobs[slot].spec.isElastic else { return false }
        let p = Int(jobs[slot].spec.pool)
        return network!.start(slot: slot, job: jobs[slot].id, pool: p, devices: pools[p].devices(of: jobs.handle(slot: slot)),
                              demand: jobs[slot].spec.communication, nowNs: now)
    }

    /// Prices this instant's changes on the fabric and the storage system (one solve each,
    /// over what the changes touch), sets the speeds that moved and schedules ingest ends.
    mutating func settleSharedResources(_ kernel: Kernel) {
        let now = kernel.nowNs
        var changed = network?.settle(nowNs: now) ?? []
        if storage != nil {
            let s = storage!.settle(nowNs: now)
            changed += s.changed
            for (slot, end, generation) in s.ingestEnds where end != SimTime.never {
                kernel.schedule(Event(kind: Kind.ingestDone.rawValue, subject: slot, tag: generation), atNs: end)
            }
            if !s.changed.isEmpty { changed.sort() }
        }
        var last = -1
        for slot in changed where slot != last {
            last = slot
            refreshRate(slot: slot, now: now)
        }
    }

    /// A fluid activity for a new job (or service replica) and its slot's state: its work is
    /// its duration at rate 1 (one ns of work per ns); it waits at rate 0.
    mutating func openSlot(_ spec: JobSpec, id: Int64, nowNs: SimTimeNs) -> Int {
        let (activity, _) = activities.start(work: Double(spec.durationNs), ratePerNs: 0, nowNs: nowNs)
        let slot = Int(activity.raw)
        jobs.open(slot: slot, JobEntry(spec: spec, id: id))
        return slot
    }
}
