import Aggregation
import SimKernel

/// Storage that grows with the build-out: a phase's `storage` adds servers to tiers of
/// `io.storage` from its first day of service until its retire date (storage servers leave on
/// the date: their data is on the others). A tier's `bandwidth` and `iops` are for its declared
/// `servers`; each added server brings as much again per server.
extension Scenario {
    /// Servers of each tier (in `io.storage.tiers` order) in the center on `date`: its declared
    /// servers plus those of the phases in service then (0 for a tier that declares none).
    public func storageServers(on date: CivilDate) -> [Int] {
        (io.storage?.tiers ?? []).map { tier in
            guard let declared = tier.servers else { return 0 }
            return cluster.phases.reduce(declared) { n, phase in
                phase.isInService(on: date) ? n + phase.storage.filter { $0.tier == tier.name }.reduce(0) { $0 + $1.servers } : n
            }
        }
    }

    /// The run's storage growth (nil: no phase adds storage, or no start date).
    public var storageGrowth: StorageGrowth? {
        guard let tiers = io.storage?.tiers, let start = start?.date, cluster.phases.contains(where: { !$0.storage.isEmpty }) else { return nil }
        // The days a phase with storage enters service or retires, after the start.
        var days: [Int] = []
        for phase in cluster.phases where !phase.storage.isEmpty {
            days.append(phase.inServiceFrom.dayNumber - start.dayNumber)
            if let r = phase.retire { days.append(r.date.dayNumber - start.dayNumber) }
        }
        let atStart = storageServers(on: start)
        var current = atStart
        var changes: [StorageServerChange] = []
        for day in Set(days).filter({ $0 > 0 }).sorted() {
            let now = storageServers(on: start.adding(days: day))
            for t in tiers.indices where now[t] != current[t] {
                changes.append(StorageServerChange(atNs: Int64(day) * SimTime.nsPerDay, tier: t, servers: now[t]))
            }
            current = now
        }
        return StorageGrowth(declaredServers: tiers.map { $0.servers ?? 0 }, serversAtStart: atStart, changes: changes)
    }
}
