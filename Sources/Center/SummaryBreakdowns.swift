import Metrics
import SimKernel
import Workloads

/// Fills a summary's nested figures: delivered compute by kind of work, and per-pool,
/// per-application and per-tenant breakdowns. Keys appear in the order the scenario names
/// them, so summaries are deterministic and comparable.
enum SummaryBreakdowns {
    static func group(_ g: GroupFigures) -> [(String, SummaryValue)] {
        [(Metric.jobsSubmitted.key, .integer(g.submitted)), (Metric.jobsCompleted.key, .integer(g.completed)),
         (Metric.waitMeanS.key, .real(g.waitMeanS)), (Metric.jctMeanS.key, .real(g.jctMeanS)), (Metric.slowdownMean.key, .real(g.slowdownMean)),
         (Metric.acceleratorHours.key, .real(g.acceleratorHours)), (Metric.borrowedAcceleratorHours.key, .real(g.borrowedAcceleratorNs / 3.6e12)),
         (Metric.flop.key, .real(g.flops))]
    }

    static func fill(_ s: inout RunSummary, breakdown b: Breakdown, stats: RunStatistics, pools: [PoolView], names: DemandNames, endNs: SimTimeNs,
                     sharingCapacities: [Double], quotaShares: [Double]) {
        // Delivered compute by category (data_processing, training, inference, generic).
        var categories: [String] = []
        var hours: [String: Double] = [:], flops: [String: Double] = [:]
        for k in JobKind.allCases {
            let c = k.category
            if !categories.contains(c) { categories.append(c) }
            hours[c, default: 0] += b.kinds[Int(k.rawValue)].acceleratorHours
            flops[c, default: 0] += b.kinds[Int(k.rawValue)].flops
        }
        // Accelerator energy: idle power for every device all the time, plus (max − idle) for
        // busy device-time (the catalog's linear power model; hosts, network and cooling excluded).
        // In a center built in phases, the accelerator-time in the center replaces capacity × time.
        let installedNs = stats.poolInstalledAreaNs
        let energyKWh = pools.indices.map { i -> Double in
            let a = pools[i].accelerator
            let idleJ = installedNs.map { a.idlePowerW * $0[i] / 1e9 } ?? a.idlePowerW * Double(pools[i].capacity) * Double(endNs) / 1e9
            return (idleJ + (a.maxPowerW - a.idlePowerW) * stats.poolBusyAreaNs[i] / 1e9) / 3.6e6
        }
        s.delivered = [(Metric.flop.key, .real(b.kinds.reduce(0) { $0 + $1.flops })),
                       (Metric.acceleratorHours.key, .real(b.kinds.reduce(0) { $0 + $1.acceleratorHours })),
                       (Metric.acceleratorHoursByKindKey, .object(categories.map { ($0, .real(hours[$0]!)) })),
                       (Metric.flopByKindKey, .object(categories.map { ($0, .real(flops[$0]!)) })),
                       (Metric.jobsByKindKey, .object(JobKind.allCases.map { ($0.name, .integer(b.kinds[Int($0.rawValue)].submitted)) })),
                       (Metric.acceleratorEnergyKWh.key, .real(energyKWh.reduce(0, +)))]
        let end = Double(max(1, endNs))
        let capacityMilli = pools.indices.map { Double(pools[$0].capacity) * 1000 * sharingCapacities[$0] }
        // ∫ capacity dt in milli-units, per pool (capacity × the run's length without phases).
        let capacityMilliNs = pools.indices.map { i in installedNs.map { $0[i] * 1000 * sharingCapacities[i] } ?? end * capacityMilli[i] }
        s.strandedCapacityMean = endNs > 0 ? stats.poolStrandedMilliAreaNs.reduce(0, +) / (installedNs == nil ? end * capacityMilli.reduce(0, +) : max(1, capacityMilliNs.reduce(0, +))) : 0
        s.pools = pools.enumerated().map { i, p in
            let util = endNs > 0 ? stats.poolBusyAreaNs[i] / (installedNs.map { max(1, $0[i]) } ?? Double(endNs) * Double(p.capacity)) : 0
            let fragmentation: [(String, SummaryValue)] = [
                (Metric.fragmentedDevicesMean.key, .real(stats.poolPartialAreaNs[i] / end)),
                (Metric.fragmentationStrandedMean.key, .real(endNs > 0 ? stats.poolStrandedMilliAreaNs[i] / max(1, capacityMilliNs[i]) : 0))]
            return (p.name, .object([(Metric.accelerator.key, .text(p.accelerator.name)), (Metric.role.key, .text(p.role.rawValue)),
                                     (Metric.accelerators.key, .integer(Int64(p.capacity))), (Metric.utilizationMean.key, .real(util)),
                                     (Metric.acceleratorEnergyKWh.key, .real(energyKWh[i]))]
                                    + fragmentation + group(b.pools[i])))
        }
        s.applications = names.applications.enumerated().map { i, name in (name, .object(group(b.applications[i + 1]))) }
        // Jain's index over the tenants' mean slowdowns (tenants with completed jobs).
        let x = names.tenants.indices.map { b.tenants[$0 + 1] }.filter { $0.completed > 0 }.map(\.slowdownMean)
        let sumSquares = x.reduce(0) { $0 + $1 * $1 }
        s.fairnessJain = x.isEmpty || sumSquares == 0 ? 1 : x.reduce(0, +) * x.reduce(0, +) / (Double(x.count) * sumSquares)
        s.tenants = names.tenants.enumerated().map { i, name in
            let type = names.tenantTypes[i]
            let share = i < quotaShares.count ? quotaShares[i] : 0
            return (name, .object([(Metric.tenantType.key, .text(type.rawValue)), (Metric.quotaShare.key, .real(share))] + group(b.tenants[i + 1])))
        }
    }
}
