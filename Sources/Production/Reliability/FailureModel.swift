import Foundation

/// A class of parts whose failures interrupt the jobs on them, and what one unit of it is: a
/// rate is per accelerator, per server, per NIC, per server's share of the network, or per
/// switch or storage server of the center's fabric and storage.
public enum FailureComponent: String, CaseIterable, Sendable {
    /// An accelerator with its memory (GPU/NPU, HBM, SRAM, its system processor, thermal
    /// interface; silent data corruption). Per accelerator.
    case accelerator
    /// A server's host parts (CPU, memory, SSD, power supply, chassis, I/O boards) and its
    /// unplanned maintenance. Per server.
    case host
    /// A network interface card and its optics. Per NIC.
    case nic
    /// Leaf and spine switches and cables, as seen from one server. Per server.
    case network
    /// The software stack a job runs on (framework, driver, collective library watchdogs). Per
    /// server a job spans.
    case software
    /// A leaf (top-of-rack) switch: its servers lose the fabric until it is back, and the jobs
    /// on them stop. Per leaf.
    case leaf
    /// A spine switch: its links go down and traffic between leaves spreads over the spines
    /// left (ECMP). Per spine, in each pool's fabric.
    case spine
    /// A storage server of a tier that declares its servers: the tier's bandwidth and IOPS
    /// shrink by its share while it is down. Per storage server.
    case storage

    /// What one unit is, for people.
    public var unit: String {
        switch self {
        case .accelerator: return "accelerator"
        case .nic: return "NIC"
        case .host, .network, .software: return "server"
        case .leaf: return "leaf switch"
        case .spine: return "spine switch"
        case .storage: return "storage server"
        }
    }

    /// The class's number in traces (`/failures` `component`, ``FailureComponent`` order).
    public var code: Int8 { Int8(Self.allCases.firstIndex(of: self)!) }

    /// Whether the class is a part of a server (its units are counted on each server); the
    /// others are the fabric's switches and the storage servers.
    public var isServerPart: Bool { ![.leaf, .spine, .storage].contains(self) }
}

/// How one class of parts fails: its time to failure (exponential, or Weibull for infant
/// mortality and wear-out), how many failures a reboot clears, and how long detection, a
/// reboot and a repair take. Each built-in entry carries its source.
public struct FailureModel: Sendable, Equatable {
    public var component: FailureComponent
    /// Mean time to failure of one unit, hours.
    public var mttfHours: Double
    /// Weibull shape of the time to failure: 1 is exponential (a constant rate), below 1 the
    /// rate falls with age (infant mortality), above 1 it rises (wear-out).
    public var weibullShape: Double
    /// Share of failures a reboot clears; the rest need a repair (or a spare).
    public var transientShare: Double
    /// Time to notice a failure and stop the jobs it hit.
    public var detectHours: Double
    /// Time a reboot takes, and time a repair (or a swap of the part) takes.
    public var rebootHours: Double
    public var repairHours: Double
    /// Where the figures come from.
    public var source: String

    public init(component: FailureComponent, mttfHours: Double, weibullShape: Double = 1, transientShare: Double, detectHours: Double,
                rebootHours: Double, repairHours: Double, source: String) {
        self.component = component
        self.mttfHours = mttfHours
        self.weibullShape = weibullShape
        self.transientShare = transientShare
        self.detectHours = detectHours
        self.rebootHours = rebootHours
        self.repairHours = repairHours
        self.source = source
    }

    /// Failures per unit per hour in the long run (1 / MTTF, whatever the shape).
    public var ratePerHour: Double { 1 / mttfHours }

    /// The Weibull scale that gives this MTTF at this shape: MTTF / Γ(1 + 1/k).
    public var weibullScaleHours: Double { mttfHours / tgamma(1 + 1 / weibullShape) }

    /// Mean time a failure keeps its unit down: detection, then a reboot or a repair.
    public var meanDownHours: Double { detectHours + transientShare * rebootHours + (1 - transientShare) * repairHours }
}

/// What a job (or a group of servers) is exposed to: its accelerators, the servers they span,
/// the NICs of those servers and the leaf switches above them.
public struct FailureExposure: Sendable, Equatable {
    public var accelerators: Int
    public var servers: Int
    public var nicsPerServer: Int
    public var leaves: Int

    public init(accelerators: Int, servers: Int, nicsPerServer: Int, leaves: Int = 0) {
        self.accelerators = accelerators
        self.servers = servers
        self.nicsPerServer = nicsPerServer
        self.leaves = leaves
    }

    /// Units of `component` in this exposure.
    public func units(of component: FailureComponent) -> Int {
        switch component {
        case .accelerator: return accelerators
        case .nic: return servers * nicsPerServer
        case .host, .network, .software: return servers
        case .leaf: return leaves
        // A spine's failure slows the traffic between leaves; a storage server's, the tier.
        case .spine, .storage: return 0
        }
    }
}

extension Array where Element == FailureModel {
    /// Interruptions per hour of a job with `exposure` when any failure of any of its parts
    /// stops it (independent parts: the rates add, so the job's MTTF is the parts' over their count).
    public func interruptionsPerHour(_ exposure: FailureExposure) -> Double {
        reduce(0) { $0 + Double(exposure.units(of: $1.component)) * $1.ratePerHour }
    }

    /// The job's mean time between interruptions, hours.
    public func mtbfHours(_ exposure: FailureExposure) -> Double { 1 / interruptionsPerHour(exposure) }
}
