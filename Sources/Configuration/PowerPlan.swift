import Components
import Power
import Production
import Records
import Scenario
import SimKernel

/// Builds the facility power model (``FacilityPower``) from a scenario's `power` section and
/// its center: pools from ``Scenario/powerPools``, switches from their ports, storage servers
/// from `power.storage` (or estimated from the storage tiers' bandwidth), the site's climate
/// and cooling, tariff, carbon intensity and price list.
enum PowerPlan {
    /// A storage server's bandwidth and power when `power.storage` is not given (estimate: a 2U
    /// NVMe server delivering about 20 GB/s at about 1.2 kW).
    static let storageServerBytesPerS = 20e9, storageServerW = 1_200.0

    /// The storage servers a tier's bandwidth takes by the estimate (whole servers).
    static func estimatedStorageServers(_ tier: StorageTierSpec) -> Double {
        tier.bandwidth.baseUnits > 0 ? (Double(tier.bandwidth.baseUnits) / 8 / storageServerBytesPerS).rounded(.up) : 0
    }

    static func component(_ scenario: Scenario, demand: DemandPlan, sink: any RecordSink, horizonNs: SimTimeNs) -> FacilityPower? {
        guard let settings = settings(scenario, poolNames: demand.pools.map(\.name), tenants: demand.names.tenants,
                                      applications: demand.names.applications, horizonNs: horizonNs) else { return nil }
        return FacilityPower(settings: settings, sink: sink)
    }

    /// The facility's settings for pools `poolNames` (nil: the scenario has no `power`).
    static func settings(_ scenario: Scenario, poolNames: [String], tenants: [String], applications: [String], horizonNs: SimTimeNs) -> FacilitySettings? {
        guard let spec = scenario.power else { return nil }
        let figures = scenario.powerPools
        let pools = poolNames.map { name -> FacilitySettings.Pool in
            let f = figures.first { $0.name == name }!
            let servers = max(1, f.servers)
            var pool = FacilitySettings.Pool(name: f.name, servers: f.servers, accelerators: f.accelerators, acceleratorIdleW: f.acceleratorIdleW,
                                             acceleratorBusyW: f.acceleratorBusyW,
                                             host: HostPower(idleW: f.hostIdleW / Double(servers), maxW: f.hostMaxW / Double(servers), source: "pool mean"))
            pool.switchPorts = f.switchPorts
            pool.switchPortW = SwitchPortPower.watts(gbps: f.nicGbps)
            return pool
        }
        let networkW = figures.reduce(0.0) { $0 + Double($1.switchPorts) * SwitchPortPower.watts(gbps: $1.nicGbps) }
        var storageW: Double
        if let s = spec.storage {
            storageW = Double(s.baseUnits)
        } else if let tiers = scenario.io.storage?.tiers {
            storageW = tiers.reduce(0.0) { $0 + estimatedStorageServers($1) } * storageServerW
        } else {
            storageW = 0
        }
        let tariff = spec.tariff?.tariff ?? .flatDefault
        let prices = spec.prices.map { p in
            PriceList(currency: p.currency, serverPrice: poolNames.map { name in p.servers.first { $0.pool == name }?.price ?? 0 },
                      switchPortPrice: p.switchPort, switchPorts: figures.reduce(0) { $0 + $1.switchPorts }, storagePrice: p.storage,
                      buildingPricePerKW: p.buildingPerKW, serverLifeYears: p.life.servers, networkLifeYears: p.life.network,
                      storageLifeYears: p.life.storage, buildingLifeYears: p.life.building, maintenanceSharePerYear: p.maintenance,
                      staffPerYear: p.staffPerYear, source: p.source)
        } ?? PriceList(currency: tariff.currency, serverPrice: [], switchPortPrice: 0, switchPorts: 0, storagePrice: 0, buildingPricePerKW: 0,
                       serverLifeYears: 5, networkLifeYears: 5, storageLifeYears: 5, buildingLifeYears: 15, maintenanceSharePerYear: 0,
                       staffPerYear: 0, source: "none given: energy only")
        // Storage that grows with the phases: each tier's draw (its share of `power.storage` by
        // bandwidth, or its estimate) and its capital (its share of the storage price by
        // bandwidth) are its declared servers'; each server in the center draws and costs its
        // share of them. A tier that declares no servers is there throughout.
        var storagePerServer: [Double] = [], storageAtStart: [Int] = []
        var storagePricePerServer: [Double] = [], storagePriceThroughout = 0.0
        if let growth = scenario.storageGrowth, let tiers = scenario.io.storage?.tiers {
            let totalBits = Double(tiers.reduce(Int64(0)) { $0 + $1.bandwidth.baseUnits })
            let declared = growth.declaredServers
            func perDeclaredServer(_ perTier: [Double]) -> [Double] { tiers.indices.map { declared[$0] > 0 ? perTier[$0] / Double(declared[$0]) : 0 } }
            let tierW = tiers.map { t in spec.storage.map { Double($0.baseUnits) * Double(t.bandwidth.baseUnits) / totalBits }
                ?? estimatedStorageServers(t) * storageServerW }
            storagePerServer = perDeclaredServer(tierW)
            storageAtStart = growth.serversAtStart
            storageW = tiers.indices.reduce(0.0) { $0 + (declared[$1] > 0 ? storagePerServer[$1] * Double(storageAtStart[$1]) : tierW[$1]) }
            let tierPrice = tiers.map { prices.storagePrice * Double($0.bandwidth.baseUnits) / totalBits }
            storagePricePerServer = perDeclaredServer(tierPrice)
            storagePriceThroughout = tiers.indices.reduce(0.0) { $0 + (declared[$1] > 0 ? 0 : tierPrice[$1]) }
        }
        var settings = FacilitySettings(
            pools: pools, networkW: networkW, storageW: storageW, cooling: spec.coolingCurve, climate: spec.site.flatMap(ClimateCatalog.named),
            startHourOfYear: spec.startHourOfYear, tariff: tariff, carbon: spec.carbon?.carbonIntensity ?? .chinaGrid,
            capW: spec.cap.map { Double($0.baseUnits) }, capPolicy: spec.capPolicy == .hold ? .hold : .throttle,
            powerPerformance: .calibrated, capReviewNs: spec.capReview.baseUnits, sampleNs: spec.interval.baseUnits, horizonNs: horizonNs,
            prices: prices, tenants: tenants, applications: applications)
        settings.storageWPerServer = storagePerServer
        settings.storageServersAtStart = storageAtStart
        settings.storagePricePerServer = storagePricePerServer
        settings.storagePriceThroughout = storagePriceThroughout
        return settings
    }
}
