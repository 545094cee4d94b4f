import Metrics
import SimKernel

/// The run's energy books: the total, what each pool, tenant and application was charged (index
/// 0 of tenants and applications: jobs of none), the idle and shared energy, and the cap's events.
struct EnergyLedger {
    var total = EnergyAccount()
    var idle = EnergyAccount()
    var shared = EnergyAccount()
    var jobs = EnergyAccount()
    var acceleratorJ = 0.0
    var pools: [EnergyAccount]
    var tenants: [EnergyAccount]
    var applications: [EnergyAccount]
    /// Accelerator-seconds each pool, tenant and application held (for their share of the fixed costs).
    var poolHeldS: [Double]
    var tenantHeldS: [Double]
    var applicationHeldS: [Double]
    /// Times the accelerators' limit was lowered or a job had to wait for power.
    var capEvents = 0
    /// Jobs that waited for power, and their waits.
    var jobsHeld = 0
    var waitNs: SimTimeNs = 0

    init(pools: Int, tenants: Int, applications: Int) {
        self.pools = Array(repeating: EnergyAccount(), count: pools)
        self.tenants = Array(repeating: EnergyAccount(), count: tenants + 1)
        self.applications = Array(repeating: EnergyAccount(), count: applications + 1)
        poolHeldS = Array(repeating: 0, count: pools)
        tenantHeldS = Array(repeating: 0, count: tenants + 1)
        applicationHeldS = Array(repeating: 0, count: applications + 1)
    }

    /// A job of these groups held `seconds` accelerator-seconds.
    mutating func held(_ seconds: Double, pool: Int, tenant: Int, application: Int) {
        poolHeldS[pool] += seconds
        tenantHeldS[tenant] += seconds
        applicationHeldS[application] += seconds
    }

    mutating func charge(_ e: EnergyAccount, pool: Int, tenant: Int, application: Int) {
        jobs += e
        pools[pool] += e
        tenants[tenant] += e
        applications[application] += e
    }
}

extension FacilityPower {
    /// The `power` section of the summary.
    public func summary(endNs: SimTimeNs) -> [(section: String, figures: [(String, SummaryValue)])] {
        let l = ledger
        let seconds = Double(max(1, endNs)) / 1e9
        let hours = seconds / 3600
        let capacity = settings.pools.reduce(0) { $0 + $1.accelerators }
        let tco = ownership(endNs: endNs)
        // The accelerator-seconds the center held: its capacity throughout, or, built in
        // phases, each pool's accelerators for the time they were in it.
        let capacityS = !builtInPhases ? Double(capacity) * seconds
            : settings.pools.indices.reduce(0.0) { $0 + inCenter($1, endNs: endNs).acceleratorNs / 1e9 }
        // A group's cost of ownership: its energy bill, and the fixed costs (capital, maintenance,
        // staff) in proportion to the accelerator-time its jobs held; the idle capacity's share
        // of the fixed costs is nobody's.
        let fixed = tco.total - tco.energy
        func energy(_ e: EnergyAccount, heldS: Double) -> SummaryValue {
            .object([(Metric.itEnergyKWh.key, .real(e.itKWh)), (Metric.facilityEnergyKWh.key, .real(e.facilityKWh)),
                     (Metric.energyCost.key, .real(e.cost)), (Metric.emissionsT.key, .real(e.co2Tonnes)),
                     (Metric.tco.key, .real(e.cost + (capacityS > 0 ? fixed * heldS / capacityS : 0)))])
        }
        var figures: [(String, SummaryValue)] = [
            (Metric.pueAchieved.key, .real(l.total.itJ > 0 ? l.total.facilityJ / l.total.itJ : 0)),
            (Metric.itEnergyKWh.key, .real(l.total.itKWh)),
            (Metric.facilityEnergyKWh.key, .real(l.total.facilityKWh)),
            (Metric.acceleratorEnergyShare.key, .real(l.total.itJ > 0 ? l.acceleratorJ / l.total.itJ : 0)),
            (Metric.itPowerMeanKW.key, .real(l.total.itJ / seconds / 1000)),
            (Metric.itPowerPeakKW.key, .real(peakITW / 1000)),
            (Metric.facilityPowerMeanKW.key, .real(l.total.facilityJ / seconds / 1000)),
            (Metric.facilityPowerPeakKW.key, .real(peakFacilityW / 1000)),
            (Metric.currency.key, .text(settings.tariff.currency)),
            (Metric.energyCost.key, .real(l.total.cost)),
            (Metric.emissionsT.key, .real(l.total.co2Tonnes)),
            (Metric.carbonIntensityKgPerKWh.key, .real(l.total.facilityJ > 0 ? l.total.co2Kg / l.total.facilityKWh : 0)),
            (Metric.idleEnergyShare.key, .real(l.total.facilityJ > 0 ? l.idle.facilityJ / l.total.facilityJ : 0)),
            (Metric.sharedEnergyShare.key, .real(l.total.facilityJ > 0 ? l.shared.facilityJ / l.total.facilityJ : 0)),
            (Metric.tco.key, .real(tco.total)),
            (Metric.tcoPerAcceleratorHour.key, .real(!builtInPhases ? (capacity > 0 ? tco.total / (Double(capacity) * hours) : 0)
                                                      : (capacityS > 0 ? tco.total / (capacityS / 3600) : 0))),
            (Metric.tcoPerUsedAcceleratorHour.key, .real(tco.usedAcceleratorHours > 0 ? tco.total / tco.usedAcceleratorHours : 0)),
            (Metric.tcoPerPflopDay.key, .real(tco.deliveredPflopDays > 0 ? tco.total / tco.deliveredPflopDays : 0)),
            ("tco_by_part", .object([("servers", .real(tco.servers)), ("network", .real(tco.network)), ("storage", .real(tco.storage)),
                                     ("building", .real(tco.building)), ("maintenance", .real(tco.maintenance)), ("staff", .real(tco.staff)),
                                     ("energy", .real(l.total.cost))])),
        ]
        if let cap = settings.capW {
            figures += [(Metric.powerCapKW.key, .real(cap / 1000)), (Metric.capEvents.key, .integer(Int64(l.capEvents))),
                        (Metric.jobsHeldForPower.key, .integer(Int64(l.jobsHeld))),
                        (Metric.powerWaitMeanS.key, .real(l.jobsHeld > 0 ? Double(l.waitNs) / 1e9 / Double(l.jobsHeld) : 0))]
        }
        figures.append(("pools", .object(settings.pools.indices.map { (settings.pools[$0].name, energy(l.pools[$0], heldS: l.poolHeldS[$0])) })))
        figures.append(("tenants", .object(settings.tenants.indices.map { (settings.tenants[$0], energy(l.tenants[$0 + 1], heldS: l.tenantHeldS[$0 + 1])) })))
        figures.append(("applications", .object(settings.applications.indices.map {
            (settings.applications[$0], energy(l.applications[$0 + 1], heldS: l.applicationHeldS[$0 + 1]))
        })))
        return [("power", figures)]
    }
}
