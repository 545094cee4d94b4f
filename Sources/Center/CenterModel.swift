import Scheduling
import SimKernel
import Workloads

/// The center as a kernel model: jobs are submitted, queue under the scheduling policy, run on
/// pooled accelerators as fluid activities, and release them.
///
/// Order rule: arrivals and completions at one instant only buffer their effect; one scheduling
/// pass at the end of the instant (priority 255) assigns job ids in submission order
/// (``JobSpec/submissionOrder(_:_:)``), rejects jobs that can never fit, writes finished jobs in
/// id order, dispatches the queue and samples utilisation. Results therefore never depend on
/// the order of same-time events (checked by the kernel's tie-permutation mode).
struct CenterModel: EventHandler {
    enum Kind: UInt16 { case classArrival = 0, listArrival, jobEnd, schedulingPass }
    static let passPriority: UInt8 = 255

    var pool: AcceleratorPool
    var policy: any SchedulingPolicy
    let generators: [JobClassGenerator]
    var nextOfClass: [JobSpec?]
    let listed: [JobSpec]
    let sink: any RecordSink
    var stats = RunStatistics()

    // Jobs alive (queued or running). A job's slot is the id of its fluid activity, which
    // `activities` allocates and recycles; these arrays hold the rest of its state by slot.
    var activities = FluidActivities()
    var slotID: [Int64] = []
    var slotSource: [Int32] = []
    var slotSubmit: [SimTimeNs] = []
    var slotStart: [SimTimeNs] = []
    var slotAccelerators: [Int32] = []
    var running = 0

    // This instant's buffered effects.
    var arrivalsNow: [JobSpec] = []
    var finishedNow: [JobRecord] = []
    var startedNow: [QueuedJob] = []
    var passScheduled = false
    var nextJobID: Int64 = 0
    var lastSample = UtilizationSample(timeNs: -1, busyAccelerators: -1, queuedJobs: -1, runningJobs: -1)

    /// The first rejection messages, for the user.
    var rejectionMessages: [String] = []

    init(capacity: Int, policy: any SchedulingPolicy, generators: [JobClassGenerator], listed: [JobSpec], sink: any RecordSink) {
        pool = AcceleratorPool(capacity: capacity)
        self.policy = policy
        self.generators = generators
        self.listed = listed
        self.sink = sink
        nextOfClass = Array(repeating: nil, count: generators.count)
    }

    var hasPendingWork: Bool { policy.waiting > 0 }

    /// Schedules the first arrival of every source and the initial sample.
    mutating func prime(_ kernel: Kernel) {
        for (i, g) in generators.enumerated() {
            nextOfClass[i] = g.next()
            if let j = nextOfClass[i] { kernel.schedule(Event(kind: Kind.classArrival.rawValue, subject: Int32(i)), atNs: j.submitNs) }
        }
        if let first = listed.first {
            kernel.schedule(Event(kind: Kind.listArrival.rawValue, subject: 0), atNs: first.submitNs)
        }
        sample(at: 0)
    }

    mutating func handle(_ event: Event, kernel: Kernel) {
        switch Kind(rawValue: event.kind)! {
        case .classArrival:
            let i = Int(event.subject)
            arrivalsNow.append(nextOfClass[i]!)
            nextOfClass[i] = generators[i].next()
            if let j = nextOfClass[i] { kernel.schedule(event, atNs: j.submitNs) }
            requestPass(kernel)
        case .listArrival:
            // All listed jobs at this instant arrive together.
            var i = Int(event.subject)
            let now = kernel.nowNs
            while i < listed.count, listed[i].submitNs == now {
                arrivalsNow.append(listed[i])
                i += 1
            }
            if i < listed.count { kernel.schedule(Event(kind: Kind.listArrival.rawValue, subject: Int32(i)), atNs: listed[i].submitNs) }
            requestPass(kernel)
        case .jobEnd:
            let slot = Int(event.subject)
            guard activities.isCurrent(FluidActivityID(raw: event.subject), generation: UInt32(truncatingIfNeeded: event.tag)) else { return }
            finish(slot: slot, now: kernel.nowNs)
            requestPass(kernel)
        case .schedulingPass:
            passScheduled = false
            schedulingPass(kernel)
        }
    }

    mutating func requestPass(_ kernel: Kernel) {
        if !passScheduled {
            passScheduled = true
            kernel.schedule(Event(kind: Kind.schedulingPass.rawValue), atNs: kernel.nowNs, priority: Self.passPriority)
        }
    }

    mutating func finish(slot: Int, now: SimTimeNs) {
        stats.advance(to: now, busy: pool.busy, queued: policy.waiting)
        let acc = slotAccelerators[slot]
        pool.release(Int(acc))
        activities.finish(FluidActivityID(raw: Int32(slot)))
        running -= 1
        stats.jobCompleted(jctNs: now - slotSubmit[slot])
        finishedNow.append(JobRecord(id: slotID[slot], jobClass: classIndex(slotSource[slot]), submitNs: slotSubmit[slot],
                                     startNs: slotStart[slot], endNs: now, accelerators: acc, state: .completed))
    }

    func classIndex(_ source: Int32) -> Int32 { source == JobSpec.listSource ? -1 : source }

    mutating func schedulingPass(_ kernel: Kernel) {
        let now = kernel.nowNs
        stats.advance(to: now, busy: pool.busy, queued: policy.waiting)
        settleInstant()
        policy.dispatch(pool: &pool, started: &startedNow)
        for job in startedNow { start(job, kernel: kernel) }
        startedNow.removeAll(keepingCapacity: true)
        sample(at: now)
    }

    /// Applies this instant's buffered effects in the documented order: arrivals get ids in
    /// submission order, finished jobs are written in id order.
    mutating func settleInstant() {
        if !arrivalsNow.isEmpty {
            if arrivalsNow.count > 1 { arrivalsNow.sort(by: JobSpec.submissionOrder) }
            for spec in arrivalsNow { submit(spec) }
            arrivalsNow.removeAll(keepingCapacity: true)
        }
        if !finishedNow.isEmpty {
            if finishedNow.count > 1 { finishedNow.sort { $0.id < $1.id } }
            for r in finishedNow { sink.record(job: r) }
            finishedNow.removeAll(keepingCapacity: true)
        }
    }

    mutating func submit(_ spec: JobSpec) {
        let id = nextJobID
        nextJobID += 1
        stats.submitted += 1
        guard pool.canEverFit(Int(spec.accelerators)) else {
            stats.rejected += 1
            if rejectionMessages.count < 10 {
                rejectionMessages.append("job \(id) asks for \(spec.accelerators) accelerators but the cluster has \(pool.capacity)")
            }
            sink.record(job: JobRecord(id: id, jobClass: classIndex(spec.source), submitNs: spec.submitNs, startNs: -1, endNs: -1,
                                       accelerators: spec.accelerators, state: .rejected, rejectReason: .largerThanCluster))
            return
        }
        // The job's work is its duration at rate 1 (one ns of work per ns); it waits at rate 0.
        let (activity, _) = activities.start(work: Double(spec.durationNs), ratePerNs: 0, nowNs: spec.submitNs)
        let slot = Int(activity.raw)
        if slot == slotID.count {
            slotID.append(0); slotSource.append(0); slotSubmit.append(0); slotStart.append(-1); slotAccelerators.append(0)
        }
        slotID[slot] = id
        slotSource[slot] = spec.source
        slotSubmit[slot] = spec.submitNs
        slotStart[slot] = -1
        slotAccelerators[slot] = spec.accelerators
        policy.enqueue(QueuedJob(slot: Int32(slot), id: id, accelerators: spec.accelerators, submitNs: spec.submitNs))
    }

    mutating func start(_ job: QueuedJob, kernel: Kernel) {
        let slot = Int(job.slot)
        let now = kernel.nowNs
        slotStart[slot] = now
        running += 1
        stats.jobStarted(waitNs: now - job.submitNs)
        let activity = FluidActivityID(raw: job.slot)
        let end = activities.setRate(activity, ratePerNs: 1, nowNs: now)
        let gen = Int64(activities.generation(activity))
        kernel.schedule(Event(kind: Kind.jobEnd.rawValue, subject: job.slot, tag: gen), atNs: end)
    }

    mutating func sample(at now: SimTimeNs) {
        let s = UtilizationSample(timeNs: now, busyAccelerators: Int32(pool.busy), queuedJobs: Int32(policy.waiting),
                                  runningJobs: Int32(running))
        if (s.busyAccelerators, s.queuedJobs, s.runningJobs) != (lastSample.busyAccelerators, lastSample.queuedJobs, lastSample.runningJobs) {
            sink.record(utilization: s)
            lastSample = s
        }
    }

    /// Records every job still alive at the end of the run, in id order.
    mutating func finalize(at endNs: SimTimeNs) {
        settleInstant()  // effects buffered by a run that stopped mid-instant
        stats.advance(to: endNs, busy: pool.busy, queued: policy.waiting)
        var alive: [JobRecord] = []
        for q in policy.waitingJobs() {
            let s = Int(q.slot)
            alive.append(JobRecord(id: q.id, jobClass: classIndex(slotSource[s]), submitNs: q.submitNs, startNs: -1, endNs: -1,
                                   accelerators: q.accelerators, state: .queued))
        }
        for s in 0..<slotID.count where slotStart[s] >= 0 && activities.isLive(FluidActivityID(raw: Int32(s))) {
            alive.append(JobRecord(id: slotID[s], jobClass: classIndex(slotSource[s]), submitNs: slotSubmit[s], startNs: slotStart[s],
                                   endNs: -1, accelerators: slotAccelerators[s], state: .running))
        }
        alive.sort { $0.id < $1.id }
        for r in alive { sink.record(job: r) }
    }
}
