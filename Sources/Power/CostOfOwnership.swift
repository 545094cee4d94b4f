import SimKernel

/// What owning and running the center cost over a run: each kind of capital written off
/// linearly over its life, maintenance and staff by the year, and the energy bill.
struct CostOfOwnership {
    var servers = 0.0
    var network = 0.0
    var storage = 0.0
    var building = 0.0
    var maintenance = 0.0
    var staff = 0.0
    var energy = 0.0
    /// Accelerator-hours busy, and PFLOP-days delivered by jobs that completed.
    var usedAcceleratorHours = 0.0
    var deliveredPflopDays = 0.0

    var total: Double { servers + network + storage + building + maintenance + staff + energy }
}

extension FacilityPower {
    /// The cost of owning the center for the run's `endNs`.
    func ownership(endNs: SimTimeNs) -> CostOfOwnership {
        let prices = settings.prices
        let years = Double(endNs) / 1e9 / (365.25 * 86_400)
        var c = CostOfOwnership()
        let price = { (p: Int) in prices.serverPrice.indices.contains(p) ? prices.serverPrice[p] : 0 }
        let serverCapital = settings.pools.indices.reduce(0.0) { $0 + Double(settings.pools[$1].servers) * price($1) }
        let networkCapital = Double(prices.switchPorts) * prices.switchPortPrice
        // The capital-years of the servers and of their switch ports: all of them throughout,
        // or, in a center built in phases, each server and its ports for the time it was in the
        // center.
        let phased = builtInPhases
        let serverYears = phased ? settings.pools.indices.map { inCenter($0, endNs: endNs).serverNs / 1e9 / (365.25 * 86_400) } : []
        let serverCapitalYears = phased ? settings.pools.indices.reduce(0.0) { $0 + serverYears[$1] * price($1) } : serverCapital * years
        let networkCapitalYears = phased
            ? settings.pools.indices.reduce(0.0) { $0 + serverYears[$1] * portsPerServer[$1] } * prices.switchPortPrice : networkCapital * years
        c.servers = serverCapitalYears / prices.serverLifeYears
        c.network = networkCapitalYears / prices.networkLifeYears
        // The storage's capital-years: all of it throughout, or, where phases add storage
        // servers, each server for its time in the center.
        let storageGrows = settings.storagePricePerServer.count == storageServers.count && !storageServers.isEmpty
        let storageCapitalYears = storageGrows
            ? zip(settings.storagePricePerServer, storageInCenter(endNs: endNs)).reduce(settings.storagePriceThroughout * years) { $0 + $1.0 * $1.1 / 1e9 / (365.25 * 86_400) }
            : prices.storagePrice * years
        c.storage = storageCapitalYears / prices.storageLifeYears
        c.building = settings.maxITW / 1000 * prices.buildingPricePerKW * years / prices.buildingLifeYears
        c.maintenance = phased ? (serverCapitalYears + networkCapitalYears + storageCapitalYears) * prices.maintenanceSharePerYear
            : storageGrows ? (serverCapital + networkCapital) * prices.maintenanceSharePerYear * years + storageCapitalYears * prices.maintenanceSharePerYear
            : (serverCapital + networkCapital + prices.storagePrice) * prices.maintenanceSharePerYear * years
        c.staff = prices.staffPerYear * years
        c.energy = ledger.total.cost
        c.usedAcceleratorHours = busyMilliSeconds / 1000 / 3600
        c.deliveredPflopDays = completedFlop / 1e15 / 86_400
        return c
    }
}
