/// What the center holds at a moment: jobs waiting and running and accelerators allocated (in
/// thousandths: a job on half a device counts 500), for the center, each pool and each tenant
/// (index tenant + 1; index 0 holds jobs of no tenant). The engine keeps it as jobs arrive,
/// start, stop and resize; components read it at the end of each scheduling pass
/// (``RunComponent/observe(_:nowNs:)``).
public struct Occupancy: Sendable {
    public private(set) var waiting = 0
    public private(set) var running = 0
    public private(set) var busyMilli: Int64 = 0
    public private(set) var poolWaiting: [Int32]
    public private(set) var poolRunning: [Int32]
    public private(set) var poolBusyMilli: [Int64]
    public private(set) var tenantWaiting: [Int32]
    public private(set) var tenantRunning: [Int32]
    public private(set) var tenantBusyMilli: [Int64]
    /// Devices with any job on them (a device shared by slices counts once), set by the engine
    /// before components observe.
    public var devicesInUse = 0
    /// Tenants (index tenant + 1) whose counts changed since the last pass, ascending when
    /// components observe.
    public private(set) var changedTenants: [Int] = []
    var tenantChanged: [Bool]

    public init(pools: Int, tenants: Int) {
        poolWaiting = Array(repeating: 0, count: pools)
        poolRunning = Array(repeating: 0, count: pools)
        poolBusyMilli = Array(repeating: 0, count: pools)
        tenantWaiting = Array(repeating: 0, count: tenants + 1)
        tenantRunning = Array(repeating: 0, count: tenants + 1)
        tenantBusyMilli = Array(repeating: 0, count: tenants + 1)
        tenantChanged = Array(repeating: false, count: tenants + 1)
    }

    /// Changes the waiting and running counts and the accelerators held, for the center, the
    /// job's pool and its tenant (-1: none) together.
    public mutating func count(pool p: Int, tenant: Int16, waiting dw: Int32, running dr: Int32, busyMilli db: Int64) {
        waiting += Int(dw)
        running += Int(dr)
        busyMilli += db
        let t = Int(tenant) + 1
        poolWaiting[p] += dw; poolRunning[p] += dr; poolBusyMilli[p] += db
        tenantWaiting[t] += dw; tenantRunning[t] += dr; tenantBusyMilli[t] += db
        if !tenantChanged[t] {
            tenantChanged[t] = true
            changedTenants.append(t)
        }
    }

    /// Puts the changed tenants in order (before components observe).
    public mutating func orderChangedTenants() {
        if changedTenants.count > 1 { changedTenants.sort() }
    }

    /// Forgets which tenants changed (after components observed).
    public mutating func clearChangedTenants() {
        for t in changedTenants { tenantChanged[t] = false }
        changedTenants.removeAll(keepingCapacity: true)
    }
}
