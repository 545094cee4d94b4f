import Power
import Scenario
import SimKernel

/// What a day of the center costs, for the period series of a run with `power` (the same
/// model as the run's cost of ownership): the energy at the tariff of each hour, each pool's
/// server capital and maintenance for its accelerators in the center that day (in a center built
/// in phases, with their switch ports), each storage tier's capital and maintenance for its
/// servers in the center that day (where phases add storage servers), and the rest of the fixed
/// costs (switch ports otherwise, storage otherwise, building, their maintenance, staff) a day.
struct PeriodCosting {
    /// The tariff by hour of day, and the hour of day at time 0.
    let pricePerKWhByHour: [Double]
    let startHourOfDay: Int
    /// Per pool (the cluster's order): server capital written off and maintained, per
    /// accelerator in the center per day.
    let perAcceleratorDay: [Double]
    let poolNames: [String]
    /// Per storage tier, where phases add storage servers: capital written off and maintained,
    /// per server in the center per day (empty: the storage is in the other fixed costs).
    let perStorageServerDay: [Double]
    /// The other fixed costs per day.
    let otherPerDay: Double

    /// The costing of `scenario` (nil: it has no `power`).
    init?(_ scenario: Scenario) {
        let names = scenario.cluster.poolNames
        guard let s = PowerPlan.settings(scenario, poolNames: names, tenants: [], applications: [], horizonNs: SimTime.nsPerDay) else { return nil }
        let p = s.prices, daysPerYear = 365.25
        pricePerKWhByHour = s.tariff.pricePerKWhByHour
        startHourOfDay = s.startHourOfYear % 24
        poolNames = names
        // In a center built in phases the switch ports come and go with their servers, so they
        // are priced per accelerator in the center with the servers; otherwise with the rest.
        let phased = !scenario.cluster.phases.isEmpty
        let networkPerPortDay = p.switchPortPrice * (1 / p.networkLifeYears + p.maintenanceSharePerYear) / daysPerYear
        perAcceleratorDay = s.pools.indices.map { i in
            let pool = s.pools[i], price = p.serverPrice.indices.contains(i) ? p.serverPrice[i] : 0
            guard pool.accelerators > 0 else { return 0 }
            let servers = price * Double(pool.servers) / Double(pool.accelerators) * (1 / p.serverLifeYears + p.maintenanceSharePerYear) / daysPerYear
            return phased ? servers + Double(pool.switchPorts) / Double(pool.accelerators) * networkPerPortDay : servers
        }
        let network = phased ? 0 : Double(p.switchPorts) * p.switchPortPrice
        let storageYearly = 1 / p.storageLifeYears + p.maintenanceSharePerYear
        perStorageServerDay = s.storagePricePerServer.map { $0 * storageYearly / daysPerYear }
        let storage = s.storagePricePerServer.isEmpty ? p.storagePrice : s.storagePriceThroughout
        otherPerDay = (network * (1 / p.networkLifeYears + p.maintenanceSharePerYear) + storage * storageYearly
            + s.maxITW / 1000 * p.buildingPricePerKW / p.buildingLifeYears + p.staffPerYear) / daysPerYear
    }

    /// The price per kWh at time `t`.
    func pricePerKWh(atNs t: SimTimeNs) -> Double {
        pricePerKWhByHour[(startHourOfDay + Int(t / 3_600_000_000_000)) % 24]
    }

    /// The fixed costs of a day on which pool `i` has `accelerators(i)` accelerators in the center
    /// and storage tier `t` `storageServers[t]` servers (where phases add storage servers).
    func fixedPerDay(accelerators: (Int) -> Int, storageServers: [Int] = []) -> Double {
        let storage = zip(perStorageServerDay, storageServers).reduce(0.0) { $0 + $1.0 * Double($1.1) }
        return perAcceleratorDay.indices.reduce(otherPerDay + storage) { $0 + Double(accelerators($1)) * perAcceleratorDay[$1] }
    }
}
