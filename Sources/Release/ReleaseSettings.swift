import SimKernel

/// How a run releases compute to its online services: how new model versions reach the
/// replicas, what a replica's cold start costs, and which pools lend accelerators to services.
public struct ReleaseSettings: Sendable, Equatable {
    /// How replicas move to a new model version.
    public enum Update: Sendable, Equatable {
        /// `surge` new replicas at a time, an old one retiring as each new one is ready.
        case rolling
        /// A first share of new replicas, a soak, then rolling.
        case canary
        /// Every old replica stops, then the new ones start.
        case recreate
    }

    /// Whether trained versions are deployed to the services serving their model (else they
    /// are offered as an API or a model file and the services keep what they serve).
    public var deploysVersions = true
    public var update = Update.rolling
    /// Whether services start on a preloaded version 0 (else they wait for a trained one).
    public var startsPreloaded = true
    /// New replicas at a time during a rolling update.
    public var surge = 1
    /// Canary: the share of replicas that goes first, and how long it soaks.
    public var canaryShare = 0.1
    public var canarySoakNs: SimTimeNs = 3_600_000_000_000
    /// Least time between two rollouts of one service.
    public var cadenceNs: SimTimeNs = 86_400_000_000_000
    /// Model file pull (from the registry) and load (onto the devices), bytes per second.
    public var pullBytesPerS = 10e9
    public var loadBytesPerS = 50e9
    /// The serving runtime's start before it loads the weights.
    public var startupNs: SimTimeNs = 30_000_000_000
    /// Pools (indices) whose accelerators services may borrow, and the most lent at once (0: no limit).
    public var lendingPools: [Int] = []
    public var lendingMaxAccelerators = 0

    public init() {}
}

/// A service's autoscaler: every `intervalNs` it sizes the service for the rate it saw (plus
/// `headroom`) so that its metric meets `target`, between `minReplicas` and `maxReplicas`;
/// it scales up at once and down after `cooldownNs`.
public struct AutoscalePolicy: Sendable, Equatable {
    /// What the autoscaler holds to its target.
    public enum Metric: Sendable, Equatable {
        /// The share of requests within the latency target.
        case latency
        /// Busy share of the ready replicas.
        case utilization
        /// Requests waiting per replica.
        case queue
    }

    public var metric: Metric
    public var target: Double
    public var minReplicas: Int
    public var maxReplicas: Int
    public var intervalNs: SimTimeNs
    public var headroom: Double
    public var cooldownNs: SimTimeNs

    public init(metric: Metric, target: Double, minReplicas: Int, maxReplicas: Int, intervalNs: SimTimeNs, headroom: Double, cooldownNs: SimTimeNs) {
        self.metric = metric
        self.target = target
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.intervalNs = intervalNs
        self.headroom = headroom
        self.cooldownNs = cooldownNs
    }
}
