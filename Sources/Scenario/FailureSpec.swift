import Production
import SimKernel

/// Failures and recovery (`failures:`): which parts fail how often and for how long, how jobs
/// checkpoint, and each pool's hot spares. Absent: nothing fails. Every key is described in
/// `docs/scenario-reference.md`.
public struct FailureSpec: Codable, Sendable, Equatable {
    /// Multiplies every class's failure rate (2: twice as many failures).
    public var rateScale: Double
    /// The published server failure rate the server classes are scaled to (``FailureProfile``).
    public var profile: String
    /// Changes to the built-in failure model of each class (``ReliabilityCatalog``).
    public var classes: FailureClassesSpec
    /// Detection, requeue and restore of an interrupted job, done at the head of its next run.
    public var restart: TimeQuantity
    public var checkpoint: CheckpointSpec
    /// Hot-spare servers, per pool.
    public var hotSpares: [HotSpareSpec]
    /// Time to swap a hot spare in for a failed server (after detection).
    public var swap: TimeQuantity

    enum CodingKeys: String, CodingKey, CaseIterable { case rateScale, profile, classes, restart, checkpoint, hotSpares, swap }

    public init() {
        rateScale = 1
        profile = "llama3"
        classes = FailureClassesSpec()
        restart = TimeQuantity(baseUnits: 600_000_000_000)
        checkpoint = CheckpointSpec()
        hotSpares = []
        swap = TimeQuantity(baseUnits: 1_800_000_000_000)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = FailureSpec()
        rateScale = try c.decode(Double.self, forKey: .rateScale, default: d.rateScale) { $0 > 0 && $0.isFinite ? nil : "must be a positive number" }
        profile = try c.decode(String.self, forKey: .profile, default: d.profile) { p in
            FailureProfile.named(p) == nil ? "must be one of " + FailureProfile.builtIn.map(\.name).joined(separator: ", ") : nil
        }
        classes = try c.decode(FailureClassesSpec.self, forKey: .classes, default: d.classes)
        restart = try c.decode(TimeQuantity.self, forKey: .restart, default: d.restart)
        checkpoint = try c.decode(CheckpointSpec.self, forKey: .checkpoint, default: d.checkpoint)
        hotSpares = try c.decode([HotSpareSpec].self, forKey: .hotSpares, default: d.hotSpares)
        swap = try c.decode(TimeQuantity.self, forKey: .swap, default: d.swap) { $0.baseUnits > 0 ? nil : "must be positive" }
    }

    /// The run's failure settings for pools named `pools` (each class's model scaled by
    /// `rateScale`); jobs whose checkpoint size is known write it at `checkpointBandwidthBytesPerS`
    /// (0: every job writes for `checkpoint.write`).
    public func settings(pools: [String], checkpointBandwidthBytesPerS: Double = 0) -> FailureSettings {
        // The server's parts always fail; the switches and storage servers when the scenario names them.
        let profile = FailureProfile.named(profile)!
        let models = FailureComponent.allCases.filter { $0.isServerPart || classes.names($0) }.map { classes.model($0, rateScale: rateScale, profile: profile) }
        let spares = pools.map { p in hotSpares.filter { $0.pool == p }.reduce(0) { $0 + $1.servers } }
        var policy = CheckpointPolicy(interval: checkpoint.interval.rule, writeNs: checkpoint.write.baseUnits, asynchronous: checkpoint.asynchronous,
                                      restartNs: restart.baseUnits)
        policy.bandwidthBytesPerS = checkpointBandwidthBytesPerS
        return FailureSettings(models: models, checkpoint: policy, hotSpares: spares, swapNs: swap.baseUnits)
    }
}

/// Changes to the built-in failure models, class by class (`failures.classes`). The leaf and
/// spine switches and the storage servers fail only when named here (`leaf: {}` takes the
/// catalog's figures): the built-in `network` class already counts switch and cable failures
/// as one server's share, as the Llama 3 report counts them.
public struct FailureClassesSpec: Codable, Sendable, Equatable {
    public var accelerator: FailureClassSpec?
    public var host: FailureClassSpec?
    public var nic: FailureClassSpec?
    public var network: FailureClassSpec?
    public var software: FailureClassSpec?
    public var leaf: FailureClassSpec?
    public var spine: FailureClassSpec?
    public var storage: FailureClassSpec?

    enum CodingKeys: String, CodingKey, CaseIterable { case accelerator, host, nic, network, software, leaf, spine, storage }

    public init() {}

    /// This spec's changes to `component` (nil: none).
    func spec(_ component: FailureComponent) -> FailureClassSpec? {
        switch component {
        case .accelerator: return accelerator
        case .host: return host
        case .nic: return nic
        case .network: return network
        case .software: return software
        case .leaf: return leaf
        case .spine: return spine
        case .storage: return storage
        }
    }

    /// Whether the scenario names `component`.
    func names(_ component: FailureComponent) -> Bool { spec(component) != nil }

    /// The model of `component`: the built-in one (a server's part scaled to `profile`'s server
    /// rate) with this spec's changes, its rate scaled.
    func model(_ component: FailureComponent, rateScale: Double, profile: FailureProfile) -> FailureModel {
        var m = ReliabilityCatalog.model(component)
        if component.isServerPart && profile.name != FailureProfile.builtIn[0].name {
            m.mttfHours /= profile.rateFactor
            m.source = "profile \(profile.name) (×\(String(format: "%.3f", profile.rateFactor)) the Llama 3 rate): \(profile.source) Over: \(m.source)"
        }
        let spec = spec(component)
        if let s = spec {
            let hours = { (q: TimeQuantity) in Double(q.baseUnits) / 3.6e12 }
            if let v = s.mttf { m.mttfHours = hours(v) }
            if let v = s.shape { m.weibullShape = v }
            if let v = s.transientShare { m.transientShare = v }
            if let v = s.detect { m.detectHours = hours(v) }
            if let v = s.reboot { m.rebootHours = hours(v) }
            if let v = s.repair { m.repairHours = hours(v) }
            if spec != nil { m.source = "the scenario's failures.classes.\(component.rawValue), over: " + m.source }
        }
        m.mttfHours /= rateScale
        return m
    }
}

/// One class's changes (`failures.classes.accelerator` ...): every key is optional.
public struct FailureClassSpec: Codable, Sendable, Equatable {
    /// Mean time to failure of one unit (an accelerator, a server, a NIC).
    public var mttf: TimeQuantity?
    /// Weibull shape (1: exponential; below 1 infant mortality, above 1 wear-out).
    public var shape: Double?
    /// Share of failures a reboot clears.
    public var transientShare: Double?
    /// Time to detect a failure, to reboot, and to repair or replace the part.
    public var detect: TimeQuantity?
    public var reboot: TimeQuantity?
    public var repair: TimeQuantity?

    enum CodingKeys: String, CodingKey, CaseIterable { case mttf, shape, transientShare, detect, reboot, repair }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func positive(_ key: CodingKeys) throws -> TimeQuantity? {
            guard c.contains(key) else { return nil }
            return try c.decode(TimeQuantity.self, forKey: key) { $0.baseUnits > 0 ? nil : "must be positive" }
        }
        mttf = try positive(.mttf)
        shape = c.contains(.shape) ? try c.decode(Double.self, forKey: .shape) { $0 > 0 && $0.isFinite ? nil : "must be a positive number" } : nil
        transientShare = c.contains(.transientShare) ? try c.decode(Double.self, forKey: .transientShare) { (0...1).contains($0) ? nil : "must be between 0 and 1" } : nil
        detect = try c.decodeIfPresent(TimeQuantity.self, forKey: .detect)
        reboot = try positive(.reboot)
        repair = try positive(.repair)
    }
}

/// How jobs checkpoint (`failures.checkpoint`).
public struct CheckpointSpec: Codable, Sendable, Equatable {
    /// `daly` (the default), `young`, `none`, or a fixed compute time between checkpoints.
    public var interval: CheckpointIntervalSpec
    /// One checkpoint write of a job whose model size is unknown (job classes, listed jobs,
    /// traces); applications' jobs write their model's checkpoint at `io.storageBandwidthPerJob`.
    public var write: TimeQuantity
    /// Writes overlap training (the job does not pause; a checkpoint is durable one write later).
    public var asynchronous: Bool

    enum CodingKeys: String, CodingKey, CaseIterable { case interval, write, asynchronous }

    public init() {
        interval = .daly
        write = TimeQuantity(baseUnits: 60_000_000_000)
        asynchronous = false
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CheckpointSpec()
        interval = try c.decode(CheckpointIntervalSpec.self, forKey: .interval, default: d.interval)
        write = try c.decode(TimeQuantity.self, forKey: .write, default: d.write)
        asynchronous = try c.decode(Bool.self, forKey: .asynchronous, default: d.asynchronous)
    }
}

/// A checkpoint interval: a rule or a fixed duration.
public enum CheckpointIntervalSpec: Codable, Sendable, Equatable {
    case none, young, daly
    case every(TimeQuantity)

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch text {
        case "none": self = .none
        case "young": self = .young
        case "daly": self = .daly
        default:
            guard text.first.map({ $0.isNumber }) == true else {
                throw decoder.scenarioError("\(decoder.scenarioPath) must be daly, young, none or a duration (like 2h), got '\(text)'")
            }
            let q = try TimeQuantity(from: decoder)
            guard q.baseUnits > 0 else { throw decoder.scenarioError("\(decoder.scenarioPath) must be positive, got '\(text)'") }
            self = .every(q)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .none: try c.encode("none")
        case .young: try c.encode("young")
        case .daly: try c.encode("daly")
        case .every(let q): try c.encode(q.description)
        }
    }

    var rule: CheckpointPolicy.Interval {
        switch self {
        case .none: return .none
        case .young: return .young
        case .daly: return .daly
        case .every(let q): return .fixed(q.baseUnits)
        }
    }
}

/// Hot spares of one pool (`failures.hotSpares[i]`).
public struct HotSpareSpec: Codable, Sendable, Equatable {
    public var pool: String
    /// Spare servers (of the pool's kind) ready to be swapped in.
    public var servers: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case pool, servers }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pool = try c.decode(String.self, forKey: .pool)
        servers = try c.decode(Int.self, forKey: .servers) { $0 >= 0 ? nil : "must not be negative" }
    }
}
