import Production
import SimKernel

/// What the facility power model needs to know, in the run's terms (the configuration layer
/// builds it from the scenario's `power` section and the center's pools).
public struct FacilitySettings: Sendable {
    /// One pool's power: its servers and accelerators at rest, and what each busy accelerator adds.
    public struct Pool: Sendable, Equatable {
        public var name: String
        public var servers: Int
        /// Accelerators in the pool.
        public var accelerators: Int
        public var acceleratorIdleW: Double
        /// A busy accelerator's draw uncapped (its TDP times `power.acceleratorDraw`).
        public var acceleratorBusyW: Double
        /// One server's host power (a pool of several server designs: their mean).
        public var host: HostPower
        /// Switch ports its servers' NICs use (a leaf port and a spine-side port each), and one
        /// port's draw, W: they enter and leave the center with the servers (a phase brings its
        /// leaves). 0: the ports are not known per pool (``FacilitySettings/networkW`` is then
        /// the network's constant draw).
        public var switchPorts = 0
        public var switchPortW = 0.0

        public init(name: String, servers: Int, accelerators: Int, acceleratorIdleW: Double, acceleratorBusyW: Double, host: HostPower) {
            self.name = name
            self.servers = servers
            self.accelerators = accelerators
            self.acceleratorIdleW = acceleratorIdleW
            self.acceleratorBusyW = acceleratorBusyW
            self.host = host
        }

        /// Power with nothing busy: every server's host and accelerator at rest, W.
        public var restW: Double { Double(servers) * host.idleW + Double(accelerators) * acceleratorIdleW }
        /// Host power each busy accelerator adds (its share of its server's load), W.
        public var hostPerBusyW: Double { accelerators > 0 ? (host.maxW - host.idleW) * Double(servers) / Double(accelerators) : 0 }
        /// The pool's share of rest power per accelerator held (its device and its host share at rest), W.
        public var restPerAcceleratorW: Double { accelerators > 0 ? restW / Double(accelerators) : 0 }
        /// Power at full load uncapped, W.
        public var maxW: Double { Double(servers) * host.maxW + Double(accelerators) * acceleratorBusyW }
    }

    /// What happens above the power cap.
    public enum CapPolicy: String, Sendable, CaseIterable {
        /// Accelerators are power-capped (slowed by ``PowerPerformance``); new jobs wait only
        /// when even the lowest limit would not keep the center under its cap.
        case throttle
        /// New jobs wait until starting them at full power keeps the center under its cap.
        case hold
    }

    public var pools: [Pool]
    /// Switches (ports with optics) and storage servers at the start of the run, W (the ports
    /// follow the servers in the center, ``Pool/switchPorts``; the storage servers follow their
    /// tiers' phases, ``storageWPerServer``).
    public var networkW: Double
    public var storageW: Double
    /// In a center whose phases add storage servers: per storage tier, one server's draw, W,
    /// and the tier's servers at the start (empty: the storage draw is constant).
    public var storageWPerServer: [Double] = []
    public var storageServersAtStart: [Int] = []
    /// In such a center, the storage's capital: per tier, one server's (the tier's share of
    /// ``PriceList/storagePrice`` by bandwidth, over its declared servers; 0 for a tier that
    /// declares none), priced for each server's time in the center, and the part priced
    /// throughout (the tiers that declare no servers). Empty: the storage is priced whole,
    /// throughout.
    public var storagePricePerServer: [Double] = []
    public var storagePriceThroughout = 0.0
    public var cooling: CoolingCurve
    /// The site's climate (nil: only with a fixed PUE).
    public var climate: Climate?
    /// Hour of the year at which the run starts (0: 1 January 00:00), for the climate and tariff.
    public var startHourOfYear: Int
    public var tariff: Tariff
    public var carbon: CarbonIntensity
    /// The site's contracted maximum facility power, W (nil: none).
    public var capW: Double?
    public var capPolicy: CapPolicy
    public var powerPerformance: PowerPerformance
    /// How often a power-capped center looks again whether it may raise its limit.
    public var capReviewNs: SimTimeNs
    /// Length of a `/power` row.
    public var sampleNs: SimTimeNs
    /// The run's horizon (for the worst PUE a capped run must admit jobs against).
    public var horizonNs: SimTimeNs
    public var prices: PriceList
    /// Names of tenants and applications (for the summary's breakdowns).
    public var tenants: [String]
    public var applications: [String]

    public init(pools: [Pool], networkW: Double, storageW: Double, cooling: CoolingCurve, climate: Climate?, startHourOfYear: Int, tariff: Tariff,
                carbon: CarbonIntensity, capW: Double?, capPolicy: CapPolicy, powerPerformance: PowerPerformance, capReviewNs: SimTimeNs,
                sampleNs: SimTimeNs, horizonNs: SimTimeNs, prices: PriceList, tenants: [String], applications: [String]) {
        self.pools = pools
        self.networkW = networkW
        self.storageW = storageW
        self.cooling = cooling
        self.climate = climate
        self.startHourOfYear = startHourOfYear
        self.tariff = tariff
        self.carbon = carbon
        self.capW = capW
        self.capPolicy = capPolicy
        self.powerPerformance = powerPerformance
        self.capReviewNs = capReviewNs
        self.sampleNs = sampleNs
        self.horizonNs = horizonNs
        self.prices = prices
        self.tenants = tenants
        self.applications = applications
    }

    /// The PUE in hour `hour` of the run.
    public func pue(hourOfRun hour: Int) -> Double {
        guard cooling.followsWeather, let climate else { return cooling.pue(atC: 20) }
        return cooling.pue(atC: climate.temperatureC(hourOfYear: (startHourOfYear + hour) % 8760))
    }

    /// Hour of the day of hour `hour` of the run (the run starts at midnight).
    public func hourOfDay(hourOfRun hour: Int) -> Int { (startHourOfYear + hour) % 24 }

    /// IT power with nothing busy, W.
    public var restW: Double { pools.reduce(0) { $0 + $1.restW } + networkW + storageW }
    /// IT power at full load uncapped, W.
    public var maxITW: Double { pools.reduce(0) { $0 + $1.maxW } + networkW + storageW }
}

/// What the center's equipment costs to own: capital amortised over its life, maintenance and
/// staff, in `currency` (energy is priced by the ``Tariff``).
public struct PriceList: Sendable, Equatable {
    public var currency: String
    /// Capital cost of one server of each pool.
    public var serverPrice: [Double]
    /// Capital cost per switch port (with optics).
    public var switchPortPrice: Double
    public var switchPorts: Int
    /// Capital cost of the storage system.
    public var storagePrice: Double
    /// Capital cost of the building, power and cooling plant per kW of IT capacity.
    public var buildingPricePerKW: Double
    /// Years over which each kind of capital is written off.
    public var serverLifeYears: Double
    public var networkLifeYears: Double
    public var storageLifeYears: Double
    public var buildingLifeYears: Double
    /// Maintenance per year as a share of the equipment's capital (servers, network, storage).
    public var maintenanceSharePerYear: Double
    public var staffPerYear: Double
    public var source: String

    public init(currency: String, serverPrice: [Double], switchPortPrice: Double, switchPorts: Int, storagePrice: Double, buildingPricePerKW: Double,
                serverLifeYears: Double, networkLifeYears: Double, storageLifeYears: Double, buildingLifeYears: Double,
                maintenanceSharePerYear: Double, staffPerYear: Double, source: String) {
        self.currency = currency
        self.serverPrice = serverPrice
        self.switchPortPrice = switchPortPrice
        self.switchPorts = switchPorts
        self.storagePrice = storagePrice
        self.buildingPricePerKW = buildingPricePerKW
        self.serverLifeYears = serverLifeYears
        self.networkLifeYears = networkLifeYears
        self.storageLifeYears = storageLifeYears
        self.buildingLifeYears = buildingLifeYears
        self.maintenanceSharePerYear = maintenanceSharePerYear
        self.staffPerYear = staffPerYear
        self.source = source
    }
}
