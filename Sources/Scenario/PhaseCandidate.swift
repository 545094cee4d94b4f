import SimKernel

/// A server type a phased plan (`iccsim plan --phased`) may add to the center (`candidates` item
/// of a targets file): the servers of one order (`server`, a server group whose `count` is the
/// step: phases hold whole multiples of it), what one server costs, how long an order takes to
/// arrive and to be commissioned, and the most a phase may hold.
public struct PhaseCandidate: Codable, Sendable, Equatable {
    /// The group a phase of this type adds (its `count` is the step).
    public var server: ServerGroupSpec
    /// Capital cost of one server; nil: the scenario's `power.prices` for its pool.
    public var price: Double?
    /// From order to arrival at the site.
    public var leadTime: TimeQuantity
    /// From arrival to service (racking, burn-in, acceptance).
    public var commissioning: TimeQuantity
    /// The most servers one phase of this type may hold.
    public var max: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case server, price, leadTime, commissioning, max }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        server = try c.decode(ServerGroupSpec.self, forKey: .server)
        if server.phase != nil { throw try c.superDecoder(forKey: .server).scenarioError("a candidate's server takes no 'phase': the plan names its phases") }
        price = try c.decodeIfPresent(Double.self, forKey: .price)
        if let p = price, !(p >= 0 && p.isFinite) { throw try c.superDecoder(forKey: .price).scenarioError("price must be a price, not negative, got \(p)") }
        let span = { (t: TimeQuantity) in t.baseUnits >= 0 && t.baseUnits <= 3650 * SimTime.nsPerDay ? nil : "must be from 0 to 3650d" }
        leadTime = try c.decode(TimeQuantity.self, forKey: .leadTime, default: TimeQuantity(baseUnits: 0), check: span)
        commissioning = try c.decode(TimeQuantity.self, forKey: .commissioning, default: TimeQuantity(baseUnits: 0), check: span)
        let step = server.count
        max = try c.decode(Int.self, forKey: .max, default: step * 16) {
            $0 < step ? "must be at least the server's count (\(step), the step)" : ($0 > InputLimits.maxServers ? "must be at most \(InputLimits.maxServers)" : nil)
        }
    }

    /// Servers in one step.
    public var step: Int { server.count }

    /// The first day (from the plan's start) servers ordered on day `orderDay` can be in service.
    public func earliestServiceDay(orderDay: Int = 0) -> Int {
        let day = SimTime.nsPerDay
        return orderDay + Int((leadTime.baseUnits + commissioning.baseUnits + day - 1) / day)
    }
}

extension PlanTargets {
    /// The figures a phased plan can bound: each period's, as `summary.json` of a sampled run
    /// writes them under `periods` (`cost_per_day` with `power`).
    public static let periodFigures = ["utilization", "offered_load", "wait_mean_s", "wait_p99_s", "slo_attainment",
                                       "jobs_submitted_per_day", "energy_kwh_per_day", "cost_per_day"]
}
