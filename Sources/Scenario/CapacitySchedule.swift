import SimKernel

/// When each server group of a center built in phases (`cluster.phases`) is in service, in the
/// run's time (nanoseconds from `start`): from the first day of its phase's service (arrival
/// plus commissioning) until its retire date, when it starts to drain, and removed when the
/// drain ends. Groups without a phase are in service for the whole run.
public struct CapacitySchedule: Sendable, Equatable {
    /// One server group's life in the run.
    public struct Window: Sendable, Equatable {
        /// In service from (0: from the start of the run).
        public var fromNs: SimTimeNs
        /// Takes no new job from (SimTime.never: never retires).
        public var retireNs: SimTimeNs
        /// Out of the center from (the end of its drain; SimTime.never: never).
        public var removeNs: SimTimeNs

        /// Whether the group takes jobs at `t` (in service and not retiring).
        public func isInService(atNs t: SimTimeNs) -> Bool { fromNs <= t && t < retireNs }
        /// Whether the group is in the center at `t` (in service or draining).
        public func isInCenter(atNs t: SimTimeNs) -> Bool { fromNs <= t && t < removeNs }
    }

    /// Per server group, in the cluster's order.
    public var groups: [Window]
    /// The times after 0 at which a group enters service or retires, ascending, without repeats.
    public var changeTimesNs: [SimTimeNs]

    /// Accelerators of `cluster` (of its pool `pool` only, when given) taking jobs at `t`, or,
    /// with `draining`, in the center at `t` (draining ones counted).
    public func accelerators(of cluster: ClusterSpec, pool: String? = nil, atNs t: SimTimeNs, draining: Bool = false) -> Int {
        zip(cluster.servers, groups).reduce(0) { acc, gw in
            let counted = pool.map { gw.0.pool == $0 } ?? true
            return counted && (draining ? gw.1.isInCenter(atNs: t) : gw.1.isInService(atNs: t)) ? acc + gw.0.count * gw.0.acceleratorsPerServer : acc
        }
    }
}

extension ClusterSpec {
    /// The schedule of a center built in phases, with time 0 on `start` (nil: no phases, or no
    /// start date, which validation requires with phases).
    public func capacitySchedule(start: CivilDate?) -> CapacitySchedule? {
        guard !phases.isEmpty, let start else { return nil }
        func ns(_ date: CivilDate) -> SimTimeNs { SimTimeNs(max(0, date.dayNumber - start.dayNumber)) * SimTime.nsPerDay }
        let windows = servers.map { g -> CapacitySchedule.Window in
            guard let ph = phase(of: g) else { return .init(fromNs: 0, retireNs: SimTime.never, removeNs: SimTime.never) }
            let retire = ph.retire.map { ns($0.date) } ?? SimTime.never
            let remove = retire == SimTime.never ? SimTime.never : retire + ph.drain.baseUnits
            return .init(fromNs: ns(ph.inServiceFrom), retireNs: retire, removeNs: remove)
        }
        let times = Set(windows.flatMap { [$0.fromNs, $0.retireNs] }).filter { $0 > 0 && $0 != SimTime.never }.sorted()
        return CapacitySchedule(groups: windows, changeTimesNs: times)
    }
}
