import Production
import SimKernel
import Workloads

/// One live job of a run (queued, running, saving a checkpoint, or a service replica): its
/// demand and everything the engine tracks about it. A slot's entry is replaced whole when the
/// slot is reused, so nothing of the previous job can be read by the next one.
struct JobEntry {
    var spec: JobSpec
    /// Job id, in submission order.
    var id: Int64
    /// Start of the current run, or -1 when not running.
    var runStartNs: SimTimeNs = -1
    /// First start, or -1 if it never started.
    var firstStartNs: SimTimeNs = -1
    /// Accelerator·ns served before its latest preemption (least attained service).
    var attainedService: Double = 0
    /// Run time served before its latest preemption.
    var servedNs: SimTimeNs = 0
    var preemptions: Int32 = 0
    /// Servers and leaves its accelerators span (at its latest start).
    var serversSpanned: Int32 = 0
    var leavesSpanned: Int32 = 0
    /// Whether its current run is on capacity lent by another pool.
    var borrowed = false
    /// Accelerators it holds now (elastic jobs: between their minimum and maximum).
    var held: Int32 = 0
    /// When its current allocation began (its start, or its latest resize).
    var segmentStartNs: SimTimeNs = 0
    /// The service whose replica it is, or -1 for a batch job.
    var service: Int16 = -1
    /// Its checkpoints, when the run models failures (nil: it keeps all its work when stopped).
    var resilience: JobResilience?

    init(spec: JobSpec, id: Int64) {
        self.spec = spec
        self.id = id
    }
}

/// A batch job's checkpoint state when the run models failures: its plan, the compute not yet
/// kept, and the layout of its current run (its work at the start, the restore at its head).
struct JobResilience {
    var plan: CheckpointPlan
    /// Compute not yet kept by a checkpoint (or a completed run).
    var computeLeftNs: SimTimeNs
    /// Remaining work when the current run started, and the restore at its head.
    var runWorkNs: SimTimeNs = 0
    var restoreNs: SimTimeNs = 0
    /// The restore the next run begins with, and whether it restores after a failure (the
    /// storage system, when modelled, reads its checkpoint back).
    var nextRestoreNs: SimTimeNs = 0
    var restoresAfterFailure = false
}

/// The run's live jobs, one ``JobEntry`` per slot. Slots are the ids of the jobs' fluid
/// activities (allocated and recycled by ``FluidActivities``); each reuse of a slot bumps its
/// generation, so a ``JobHandle`` kept past its job's end is recognised as stale.
struct JobTable {
    private var entries: [JobEntry] = []
    private var generations: [UInt32] = []

    /// Slots ever used (live or free).
    var count: Int { entries.count }

    /// Puts a new job in `slot` (one assignment: the previous occupant's state is gone) and
    /// returns its handle.
    @discardableResult
    mutating func open(slot: Int, _ entry: JobEntry) -> JobHandle {
        if slot == entries.count {
            entries.append(entry)
            generations.append(0)
        } else {
            entries[slot] = entry
            generations[slot] &+= 1
        }
        return JobHandle(slot: Int32(slot), generation: generations[slot])
    }

    /// The entry in `slot` (the engine's own indexing, for slots it knows are live).
    subscript(slot: Int) -> JobEntry {
        _read { yield entries[slot] }
        _modify { yield &entries[slot] }
    }

    /// The handle of the job now in `slot`.
    func handle(slot: Int) -> JobHandle { JobHandle(slot: Int32(slot), generation: generations[slot]) }

    /// Whether `handle` still names the job in its slot.
    func isCurrent(_ handle: JobHandle) -> Bool {
        Int(handle.slot) < generations.count && generations[Int(handle.slot)] == handle.generation
    }

    /// The slot `handle` names; a stale handle is a programming error, caught here.
    func slot(of handle: JobHandle) -> Int {
        precondition(isCurrent(handle), "stale job handle \(handle)")
        return Int(handle.slot)
    }

    /// The entry `handle` names; a stale handle is a programming error, caught here.
    subscript(handle: JobHandle) -> JobEntry {
        precondition(isCurrent(handle), "stale job handle \(handle)")
        return entries[Int(handle.slot)]
    }
}
