import Components
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
    enum Kind: UInt16 { case sourceArrival = 0, listArrival, jobEnd, schedulingPass, wakeUp, checkpointSaved, serviceTick, replicaReady, serviceWake, capacityChange }
    /// Events of run component `i` have kind `componentKindBase + i`.
    static let componentKindBase: UInt16 = 16
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
    /// Jobs waiting and running and accelerators held, per center, pool and tenant.
    var occupancy: Occupancy
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
    /// ``CenterSetup/stopOnceStartedBeforeNs`` (never: no such stop), and the jobs submitted
    /// before it that have not started yet (counted only with such a stop).
    var stopOnceStartedBeforeNs = SimTime.never
    var waitingBeforeStop = 0
    /// The wake-up already scheduled per pool (SimTime.never: none).
    var wakeAtNs: [SimTimeNs]

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
    /// The run components (the shared fabric and storage system when the run has them), in
    /// registration order: a job starts with them in this order, and a component that gates
    /// it (an ingest) lets the later ones see it only when its gate opens.
    var components: [any RunComponent] = []
    /// Jobs whose gate (component index) opened at this instant.
    var gatesOpened: [(component: Int, job: JobHandle)] = []
    /// ``settleComponents()``'s lists (the jobs whose speed moved, the timers asked for), kept
    /// between instants so an instant's settle allocates nothing once they have grown.
    var settledJobs: [JobHandle] = []
    var settledTimers: [ComponentTimer] = []
    /// Servers going out of service or coming back at this instant (failures).
    var serverChangesNow: [ServerChange] = []
    /// A center built in phases: when servers enter and leave (nil: all in service throughout),
    /// this instant's changes, each server's out-of-service reasons (``outFailed``,
    /// ``outAbsent``; empty without phases) and the accelerators in the center per pool.
    var lifecycle: ServerLifecycle?
    var lifecycleNow: [ServerLifecycle.Step] = []
    var serverOut: [[UInt8]] = []
    var installedAccelerators: [Int]?
    /// Whether a component plans batch jobs' checkpoints (failures are modelled).
    var checkpointing = false
    /// Network bandwidth of one server of each pool (bytes/s), for a job's reach to storage.
    var poolServerNetworkBytesPerS: [Double] = []
    /// The model registry (versions from finished model-building jobs).
    var registry: ModelRegistry?

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
        occupancy = Occupancy(pools: poolCapacities.count, tenants: names.tenants.count)
        stats.poolPartialAreaNs = Array(repeating: 0, count: poolCapacities.count)
        stats.poolStrandedMilliAreaNs = Array(repeating: 0, count: poolCapacities.count)
        wakeAtNs = Array(repeating: SimTime.never, count: poolCapacities.count)
        elasticRunning = Array(repeating: [], count: poolCapacities.count)
        nextOfSource = Array(repeating: nil, count: sources.count)
    }

    var hasPendingWork: Bool { occupancy.waiting > 0 }

    /// Schedules the first arrival of every source, the services' go-live and the initial sample.
    mutating func prime() {
        withServices { c, m in c.prime(&m) }
        for (i, g) in sources.enumerated() {
            nextOfSource[i] = g.next()
            if let j = nextOfSource[i] { kernel.schedule(Event(kind: Kind.sourceArrival.rawValue, subject: Int32(i)), atNs: j.submitNs) }
        }
        if let first = listed.first {
            kernel.schedule(Event(kind: Kind.listArrival.rawValue, subject: 0), atNs: first.submitNs)
        }
        primeLifecycle()
        observe(at: 0)
    }

    mutating func handle(_ event: Event, kernel: Kernel) {
        guard event.kind < Self.componentKindBase else { return componentTimerFired(event, now: kernel.nowNs) }
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
            requestPass()
        case .listArrival:
            lastActivityNs = kernel.nowNs
            var i = Int(event.subject)
            let now = kernel.nowNs
            while i < listed.count, listed[i].submitNs == now {
                arrivalsNow.append(listed[i])
                i += 1
            }
            if i < listed.count { kernel.schedule(Event(kind: Kind.listArrival.rawValue, subject: Int32(i)), atNs: listed[i].submitNs) }
            requestPass()
        case .jobEnd:
            guard activities.isCurrent(FluidActivityID(raw: event.subject), generation: UInt32(truncatingIfNeeded: event.tag)) else { return }
            lastActivityNs = kernel.nowNs
            endedNow.append(event.subject)
            requestPass()
        case .schedulingPass:
            passScheduled = false
            schedulingPass()
        case .wakeUp:
            let p = Int(event.subject)
            if wakeAtNs[p] == kernel.nowNs { wakeAtNs[p] = SimTime.never }
            requestPass()
        case .checkpointSaved:
            let handle = JobHandle(slot: event.subject, generation: UInt32(truncatingIfNeeded: event.tag))
            // A failure may have cut the save short (the job waits again already).
            guard jobs.isCurrent(handle), saving.contains(handle) else { return }
            lastActivityNs = kernel.nowNs
            savedNow.append(event.subject)
            requestPass()
        case .serviceTick:
            let now = kernel.nowNs
            withServices { c, m in c.ticked(Int(event.subject), nowNs: now, broker: &m) }
            requestPass()
        case .serviceWake:
            // Subject -1: the keep-alive at the horizon (services serve until then).
            guard event.subject >= 0 else { return }
            services.woke(Int(event.subject))
            requestPass()
        case .capacityChange:
            capacityChangesDue(from: Int(event.subject), now: kernel.nowNs)
        case .replicaReady:
            let slot = Int(event.subject)
            guard jobs[slot].service >= 0, jobs[slot].id == event.tag else { return }
            services.replicaReady(jobs.handle(slot: slot), jobID: event.tag)
            requestPass()
        }
    }

    mutating func requestPass() {
        if !passScheduled {
            passScheduled = true
            kernel.schedule(Event(kind: Kind.schedulingPass.rawValue), atNs: kernel.nowNs, priority: Self.passPriority)
        }
    }

    mutating func advanceStatistics(to now: SimTimeNs) {
        stats.advance(to: now, busyAccelerators: Double(occupancy.busyMilli) / 1000, queued: occupancy.waiting,
                      poolBusyMilli: occupancy.poolBusyMilli, pools: pools, installed: installedAccelerators)
    }

    mutating func schedulingPass() {
        let now = kernel.nowNs
        advanceStatistics(to: now)
        settleInstant(now: now)
        if !serverChangesNow.isEmpty { applyServerChanges(now: now) }
        if !lifecycleNow.isEmpty { applyLifecycle(now: now) }
        if lifecycle != nil { finishDrains(now: now) }
        if services.needsStep { withServices { c, m in c.step(&m, nowNs: now) } }
        for p in policies.indices { dispatch(pool: p) }
        settleComponents()
        flushPendingEnds()
        observe(at: now)
    }

    /// Schedules the completion events of jobs whose speed changed this pass.
    mutating func flushPendingEnds() {
        for (slot, end, generation) in pendingEnds where end != SimTime.never {
            kernel.schedule(Event(kind: Kind.jobEnd.rawValue, subject: slot, tag: generation), atNs: end)
        }
        pendingEnds.removeAll(keepingCapacity: true)
    }

    /// Lets pool `p`'s policy start and preempt jobs, then resizes elastic jobs: they shrink
    /// towards their minimum while jobs wait (and the policy runs again), and grow towards their
    /// maximum into accelerators nobody waits for.
    mutating func dispatch(pool p: Int) {
        dispatchPolicy(pool: p)
        guard !elasticRunning[p].isEmpty else { return }
        if readPolicy(p, { $0.waiting }) > 0 {
            if shrinkElastic(pool: p, now: kernel.nowNs) { dispatchPolicy(pool: p) }
        }
        if readPolicy(p, { $0.waiting }) == 0 { growElastic(pool: p, now: kernel.nowNs) }
    }

    /// Reads pool `p`'s policy in place: `policies[p].waiting` copies the policy (retaining its
    /// box) at every pass, and so do a read through an immutable buffer pointer and a borrowed
    /// argument; only a mutable access reaches it without a copy, hence `mutating` and `inout`
    /// for a read.
    mutating func readPolicy<R>(_ p: Int, _ read: (inout any SchedulingPolicy) -> R) -> R {
        policies.withUnsafeMutableBufferPointer { read(&$0[p]) }
    }

    /// Lets pool `p`'s policy start and preempt jobs; runs it again after preemptions whose
    /// accelerators come back at once.
    mutating func dispatchPolicy(pool p: Int) {
        // Nothing waits and the policy would do nothing: skip moving the pool in and out.
        if readPolicy(p, { $0.waiting == 0 && $0.idleWhenEmpty }) { return }
        let now = kernel.nowNs
        for _ in 0..<8 {
            let context = SchedulingContext.dispatch(&policies[p], pool: &pools[p], nowNs: now)
            for job in context.started { start(job) }
            for job in context.started where job.milli < 1000 {
                for other in pools[p].coRunners(of: job.handle) { refreshRate(slot: Int(other.slot), now: now) }
                refreshRate(slot: Int(job.slot), now: now)
            }
            if context.wakeUpNs != SimTime.never, context.wakeUpNs > now, context.wakeUpNs < wakeAtNs[p] || wakeAtNs[p] <= now {
                wakeAtNs[p] = context.wakeUpNs
                kernel.schedule(Event(kind: Kind.wakeUp.rawValue, subject: Int32(p)), atNs: context.wakeUpNs)
            }
            guard !context.preempted.isEmpty else { return }
            for job in context.preempted { preempt(slot: jobs.slot(of: job)) }
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
        if !gatesOpened.isEmpty { openGates(now: now) }
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
}
