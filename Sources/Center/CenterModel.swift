import Scheduling
import SimKernel
import Workloads

/// The center as a kernel model: jobs are submitted to their pool, queue under that pool's
/// scheduling policy, run on its accelerators as fluid activities, and release them.
///
/// Order rule: arrivals and completions at one instant only buffer their effect; one scheduling
/// pass at the end of the instant (priority 255) assigns job ids in submission order
/// (``JobSpec/submissionOrder(_:_:)``), rejects jobs that can never fit, writes finished jobs in
/// id order, dispatches every pool's queue in pool order and samples utilisation. Results
/// therefore never depend on the order of same-time events (checked by the kernel's
/// tie-permutation mode).
struct CenterModel: EventHandler {
    enum Kind: UInt16 { case sourceArrival = 0, listArrival, jobEnd, schedulingPass }
    static let passPriority: UInt8 = 255

    var pools: [AcceleratorPool]
    var policies: [any SchedulingPolicy]
    let sources: [any JobSource]
    var nextOfSource: [JobSpec?]
    let listed: [JobSpec]
    let sink: any RecordSink
    var stats = RunStatistics()
    var breakdown: Breakdown

    // Jobs alive (queued or running). A job's slot is the id of its fluid activity, which
    // `activities` allocates and recycles; these arrays hold the rest of its state by slot.
    var activities = FluidActivities()
    var slotSpec: [JobSpec] = []
    var slotID: [Int64] = []
    var slotStart: [SimTimeNs] = []
    var running = 0
    var waiting = 0
    var busy = 0

    // This instant's buffered effects.
    var arrivalsNow: [JobSpec] = []
    /// Slots of jobs whose completion event fired at this instant.
    var endedNow: [Int32] = []
    var startedNow: [QueuedJob] = []
    var passScheduled = false
    var nextJobID: Int64 = 0
    var lastSample = UtilizationSample(timeNs: -1, busyAccelerators: -1, queuedJobs: -1, runningJobs: -1)

    /// The first rejection messages, for the user.
    var rejectionMessages: [String] = []
    let poolNames: [String]

    init(poolCapacities: [Int], poolNames: [String], policy make: () -> any SchedulingPolicy, sources: [any JobSource],
         listed: [JobSpec], names: DemandNames, sink: any RecordSink) {
        pools = poolCapacities.map { AcceleratorPool(capacity: $0) }
        policies = poolCapacities.map { _ in make() }
        self.poolNames = poolNames
        self.sources = sources
        self.listed = listed
        self.sink = sink
        breakdown = Breakdown(names: names)
        stats.poolBusyAreaNs = Array(repeating: 0, count: poolCapacities.count)
        nextOfSource = Array(repeating: nil, count: sources.count)
    }

    var hasPendingWork: Bool { waiting > 0 }

    /// Schedules the first arrival of every source and the initial sample.
    mutating func prime(_ kernel: Kernel) {
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
            endedNow.append(event.subject)
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

    mutating func advanceStatistics(to now: SimTimeNs) {
        stats.advance(to: now, busy: busy, queued: waiting, pools: pools)
    }

    mutating func finish(slot: Int, now: SimTimeNs) {
        let spec = slotSpec[slot]
        pools[Int(spec.pool)].release(Int(spec.accelerators))
        busy -= Int(spec.accelerators)
        activities.finish(FluidActivityID(raw: Int32(slot)))
        running -= 1
        let jct = now - spec.submitNs
        stats.jobCompleted(jctNs: jct)
        let runNs = Double(now - slotStart[slot]) * Double(spec.accelerators)
        breakdown.update(spec) { g in
            g.completed += 1
            g.jctSumNs += Double(jct)
            g.acceleratorNs += runNs
            g.flops += spec.flops
        }
        var r = JobRecord(id: slotID[slot], jobClass: classIndex(spec), submitNs: spec.submitNs, startNs: slotStart[slot], endNs: now,
                          accelerators: spec.accelerators, state: .completed)
        r.label(with: spec)
        r.flops = spec.flops
        sink.record(job: r)
    }

    /// The job class index of a job, or -1 when it did not come from a job class.
    func classIndex(_ spec: JobSpec) -> Int32 { spec.kind == .generic && spec.source != JobSpec.listSource ? spec.source : -1 }

    mutating func schedulingPass(_ kernel: Kernel) {
        let now = kernel.nowNs
        advanceStatistics(to: now)
        settleInstant(now: now)
        for p in policies.indices {
            policies[p].dispatch(pool: &pools[p], started: &startedNow)
            for job in startedNow { start(job, kernel: kernel) }
            startedNow.removeAll(keepingCapacity: true)
        }
        sample(at: now)
    }

    /// Applies this instant's buffered effects in the documented order: finished jobs release
    /// their accelerators, are counted and written in id order (so floating-point sums never
    /// depend on event order); then arrivals get ids in submission order.
    mutating func settleInstant(now: SimTimeNs) {
        if !endedNow.isEmpty {
            if endedNow.count > 1 { endedNow.sort { slotID[Int($0)] < slotID[Int($1)] } }
            for slot in endedNow { finish(slot: Int(slot), now: now) }
            endedNow.removeAll(keepingCapacity: true)
        }
        if !arrivalsNow.isEmpty {
            if arrivalsNow.count > 1 { arrivalsNow.sort(by: JobSpec.submissionOrder) }
            for spec in arrivalsNow { submit(spec) }
            arrivalsNow.removeAll(keepingCapacity: true)
        }
    }

    mutating func submit(_ spec: JobSpec) {
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
        // The job's work is its duration at rate 1 (one ns of work per ns); it waits at rate 0.
        let (activity, _) = activities.start(work: Double(spec.durationNs), ratePerNs: 0, nowNs: spec.submitNs)
        let slot = Int(activity.raw)
        if slot == slotID.count {
            slotID.append(0); slotSpec.append(spec); slotStart.append(-1)
        }
        slotID[slot] = id
        slotSpec[slot] = spec
        slotStart[slot] = -1
        waiting += 1
        policies[p].enqueue(QueuedJob(slot: Int32(slot), id: id, accelerators: spec.accelerators, submitNs: spec.submitNs))
    }

    mutating func start(_ job: QueuedJob, kernel: Kernel) {
        let slot = Int(job.slot)
        let now = kernel.nowNs
        slotStart[slot] = now
        running += 1
        waiting -= 1
        busy += Int(job.accelerators)
        let wait = now - job.submitNs
        stats.jobStarted(waitNs: wait)
        breakdown.update(slotSpec[slot]) { g in
            g.started += 1
            g.waitSumNs += Double(wait)
        }
        let activity = FluidActivityID(raw: job.slot)
        let end = activities.setRate(activity, ratePerNs: 1, nowNs: now)
        let gen = Int64(activities.generation(activity))
        kernel.schedule(Event(kind: Kind.jobEnd.rawValue, subject: job.slot, tag: gen), atNs: end)
    }

    mutating func sample(at now: SimTimeNs) {
        let s = UtilizationSample(timeNs: now, busyAccelerators: Int32(busy), queuedJobs: Int32(waiting), runningJobs: Int32(running))
        if (s.busyAccelerators, s.queuedJobs, s.runningJobs) != (lastSample.busyAccelerators, lastSample.queuedJobs, lastSample.runningJobs) {
            sink.record(utilization: s)
            lastSample = s
        }
    }

    /// Records every job still alive at the end of the run, in id order; running jobs are
    /// credited the accelerator time and FLOPs of the part they did.
    mutating func finalize(at endNs: SimTimeNs) {
        advanceStatistics(to: endNs)
        settleInstant(now: endNs)  // effects buffered by a run that stopped mid-instant
        var alive: [JobRecord] = []
        for policy in policies {
            for q in policy.waitingJobs() {
                let spec = slotSpec[Int(q.slot)]
                var r = JobRecord(id: q.id, jobClass: classIndex(spec), submitNs: q.submitNs, startNs: -1, endNs: -1,
                                  accelerators: q.accelerators, state: .queued)
                r.label(with: spec)
                alive.append(r)
            }
        }
        // Running jobs in id order (slot order depends on which slots were freed first).
        let runningSlots = (0..<slotID.count).filter { slotStart[$0] >= 0 && activities.isLive(FluidActivityID(raw: Int32($0))) }
        for s in runningSlots.sorted(by: { slotID[$0] < slotID[$1] }) {
            let spec = slotSpec[s]
            let doneNs = Double(endNs - slotStart[s])
            let done = spec.durationNs > 0 ? min(1, doneNs / Double(spec.durationNs)) : 1
            breakdown.update(spec) { g in
                g.acceleratorNs += doneNs * Double(spec.accelerators)
                g.flops += spec.flops * done
            }
            var r = JobRecord(id: slotID[s], jobClass: classIndex(spec), submitNs: spec.submitNs, startNs: slotStart[s],
                              endNs: -1, accelerators: spec.accelerators, state: .running)
            r.label(with: spec)
            r.flops = spec.flops * done
            alive.append(r)
        }
        alive.sort { $0.id < $1.id }
        for r in alive { sink.record(job: r) }
    }
}
