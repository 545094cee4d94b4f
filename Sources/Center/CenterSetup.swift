import Components
import Release
import Scheduling
import SimKernel
import Workloads

/// How preemption costs: a preempted job keeps its accelerators while it saves a checkpoint,
/// and needs `restoreNs` more work when it restarts.
public struct PreemptionCost: Sendable {
    public var saveNs: SimTimeNs = 0
    public var restoreNs: SimTimeNs = 0

    public init(saveNs: SimTimeNs = 0, restoreNs: SimTimeNs = 0) {
        self.saveNs = saveNs
        self.restoreNs = restoreNs
    }
}

/// Everything one run of the engine needs, as domain values (the configuration layer builds it
/// from a scenario): the pools and their policies, the job sources, the run components (the
/// shared fabric and storage), the release side, and what the summary names the run.
public struct CenterSetup {
    /// The run's name, seed and policy as the summary shows them.
    public var name: String
    public var seed: UInt64
    public var policyName: String
    /// The end of the run (SimTime.never: until all work is done).
    public var horizonNs: SimTimeNs
    /// The warm-up (0: none): job statistics cover jobs submitted after it, time averages the
    /// time after it.
    public var warmupNs: SimTimeNs = 0
    /// When set, the run stops once every job submitted before this time has started (at the
    /// first arrival after it that finds none of them waiting), or at the horizon: a sampled
    /// run's window measures the whole waits of its jobs, not waits cut at the window's end.
    public var stopOnceStartedBeforeNs: SimTimeNs? = nil
    /// The pools (accelerator model, role, capacity) and their accelerators as the scheduler sees them.
    public var pools: [PoolView]
    public var acceleratorPools: [AcceleratorPool]
    /// A new scheduling policy (one per pool).
    public var makePolicy: () -> any SchedulingPolicy
    /// Job sources in tie-rule order, and listed jobs in submission order.
    public var sources: [any JobSource]
    public var listed: [JobSpec]
    public var names: DemandNames
    public var preemption = PreemptionCost()
    /// Whether policies see true run times (else history estimates).
    public var trueDurations = true
    /// The run components in registration order (a job starts with them in this order): the
    /// shared storage system and the shared fabric when the run has them.
    public var components: [any RunComponent] = []
    /// The I/O model's name, the `network` section when no component writes it.
    public var ioModelName: String
    /// The model registry (versions from finished model-building jobs).
    public var registry: ModelRegistry?
    /// The release side: online services and how versions reach them (nil: none).
    public var services: ServiceController?
    /// Each tenant's guaranteed share of every pool (for the summary; 0: none).
    public var tenantQuotaShares: [Double] = []
    /// When servers enter and leave the center (nil: all in service for the whole run).
    public var lifecycle: ServerLifecycle?

    public init(name: String, seed: UInt64, policyName: String, horizonNs: SimTimeNs, pools: [PoolView], acceleratorPools: [AcceleratorPool],
                makePolicy: @escaping () -> any SchedulingPolicy, sources: [any JobSource], listed: [JobSpec], names: DemandNames,
                ioModelName: String) {
        self.name = name
        self.seed = seed
        self.policyName = policyName
        self.horizonNs = horizonNs
        self.pools = pools
        self.acceleratorPools = acceleratorPools
        self.makePolicy = makePolicy
        self.sources = sources
        self.listed = listed
        self.names = names
        self.ioModelName = ioModelName
    }
}
