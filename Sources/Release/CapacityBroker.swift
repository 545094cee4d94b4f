import Records
import SimKernel
import Workloads

/// What the service controller asks of the run engine, which owns the accelerators, the job
/// table and the clock. Replicas are jobs to the engine (they hold accelerators, are counted
/// in utilisation and written to `/jobs`), but the controller decides when they come and go.
public protocol CapacityBroker {
    /// Opens a job-table entry for a new replica of `service`, waiting to be placed (it gets
    /// a job id when placed).
    mutating func openReplica(_ spec: JobSpec, service: Int16, nowNs: SimTimeNs) -> JobHandle
    /// Places the replica on `count` devices of `pool`, `milli` thousandths of each; false
    /// when they are not free.
    mutating func allocate(_ replica: JobHandle, pool: Int, count: Int, milli: Int32) -> Bool
    /// Accelerators in `pool`.
    func capacity(ofPool pool: Int) -> Int
    /// Frees `accelerators` in the lending `pool` for a borrowed replica (elastic jobs give
    /// accelerators back, then the newest batch jobs are preempted); returns how many jobs it
    /// preempted and how many elastic jobs shrank.
    mutating func makeRoom(pool: Int, accelerators: Int, nowNs: SimTimeNs) -> (preempted: Int64, shrunk: Int64)
    /// The placed replica holds its accelerators from now: returns its job id, and whether it
    /// pulls its model file through the storage system (then ``ServiceController/replicaPulled(_:jobID:)``
    /// follows when the pull ends).
    mutating func startReplica(_ replica: JobHandle, pool: Int, borrowed: Bool, nowNs: SimTimeNs) -> (jobID: Int64, throughStorage: Bool)
    /// The replica's `/jobs` row as the engine writes any job's: ended at `endNs` (-1: still
    /// serving) in `state`, having delivered `flops`, with its placement and the run
    /// components' fields (its model pull's time).
    func replicaRow(_ replica: JobHandle, endNs: SimTimeNs, state: JobState, flops: Double) -> JobRecord
    /// The replica stops: a placed one gives its accelerators back; its entry closes.
    mutating func stopReplica(_ replica: JobHandle, placed: Bool, nowNs: SimTimeNs)
    /// Adds a replica's accelerator time and delivered FLOPs to the run's breakdowns.
    mutating func account(_ replica: JobHandle, acceleratorNs: Double, borrowed: Bool, flops: Double)
    /// Calls the controller back at `atNs` for `service` (an autoscaler tick when `tick`).
    mutating func wake(service: Int, atNs: SimTimeNs, tick: Bool)
    /// Calls ``ServiceController/replicaReady(_:jobID:)`` at `atNs`.
    mutating func readyAt(_ replica: JobHandle, jobID: Int64, atNs: SimTimeNs)
}
