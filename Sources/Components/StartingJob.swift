import Scheduling
import SimKernel
import Workloads

/// A job starting on its accelerators, as a ``RunComponent`` sees it.
public struct StartingJob {
    public var handle: JobHandle
    public var id: Int64
    public var spec: JobSpec
    /// Its pool (and the pool's accelerators, for ``devices``).
    public var pool: Int
    let acceleratorPool: AcceleratorPool
    /// Servers its accelerators span, and their network bandwidth together (bytes per second).
    public var serversSpanned: Int
    public var networkBytesPerS: Double
    /// Time it computes at full speed (0 for a service replica, which serves until retired).
    public var computeNs: SimTimeNs
    /// Whether it is a service replica rather than a batch job.
    public var isReplica: Bool
    /// Thousandths of accelerators it holds (a job on two half devices: 1000).
    public var heldMilli: Int64
    /// Bytes of checkpoint it reads back before it computes: its checkpoint's size when it
    /// restarts after a failure with a checkpoint kept, else 0.
    public var restoreBytes: Double = 0
    /// The mean rate its checkpoint writes need over its run (bytes/s), when it has a
    /// checkpoint plan and a known checkpoint size, else 0.
    public var checkpointWriteBytesPerS: Double = 0

    public init(handle: JobHandle, id: Int64, spec: JobSpec, pool: Int, acceleratorPool: AcceleratorPool, serversSpanned: Int,
                networkBytesPerS: Double, computeNs: SimTimeNs, isReplica: Bool, heldMilli: Int64) {
        self.handle = handle
        self.id = id
        self.spec = spec
        self.pool = pool
        self.acceleratorPool = acceleratorPool
        self.serversSpanned = serversSpanned
        self.networkBytesPerS = networkBytesPerS
        self.computeNs = computeNs
        self.isReplica = isReplica
        self.heldMilli = heldMilli
    }

    /// The devices it holds in its pool (ranks in device order).
    public func devices() -> [Int32] { acceleratorPool.devices(of: handle) }

    /// The leaf switches above the servers it spans.
    public func leavesSpanned() -> Int { acceleratorPool.span(devices: devices()).leaves }
}
