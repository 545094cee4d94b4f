import Foundation
import Metrics

/// A capacity-planning targets file (`iccsim plan --targets`): the figures a configuration must
/// meet in every replicate seed, and optionally a cost model to pick the cheapest.
public struct PlanTargets: Codable, Sendable, Equatable {
    public var targets: [PlanTarget]
    /// Replicate seeds each configuration is run with (the scenario's seed, +1, ...).
    public var seeds: Int
    public var cost: CostModel?

    enum CodingKeys: String, CodingKey, CaseIterable { case targets, seeds, cost }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        targets = try c.decode([PlanTarget].self, forKey: .targets) { $0.isEmpty ? "must list at least one target" : nil }
        seeds = try c.decode(Int.self, forKey: .seeds, default: 2) { $0 < 1 || $0 > 100 ? "must be between 1 and 100" : nil }
        cost = try c.decodeIfPresent(CostModel.self, forKey: .cost)
    }

}

/// One target: a summary figure (dotted, as `iccsim compare` names them: `wait_p99_s`,
/// `pools.training-h100.utilization_mean`, `network.exposed_communication_fraction`) and its bounds.
public struct PlanTarget: Codable, Sendable, Equatable {
    public var metric: String
    public var min: Double?
    public var max: Double?

    enum CodingKeys: String, CodingKey, CaseIterable { case metric, min, max }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metric = try c.decode(String.self, forKey: .metric) { name in
            guard !name.isEmpty else { return "must name a summary figure" }
            guard let m = MetricRegistry.metric(for: name) else {
                let known = MetricRegistry.all.flatMap(\.paths)
                return "is not a figure of summary.json\(didYouMean(name, among: known)); see iccsim compare --explain or docs/trace-schema.md"
            }
            return m.unit == "text" ? "is a name, not a figure that can be bounded" : nil
        }
        min = try c.decodeIfPresent(Double.self, forKey: .min)
        max = try c.decodeIfPresent(Double.self, forKey: .max)
        guard min != nil || max != nil else { throw decoder.scenarioError("target '\(metric)' needs min, max or both") }
    }

    /// The margin of `value` (positive: met by that much; negative: missed).
    public func margin(_ value: Double) -> Double {
        Swift.min(max.map { $0 - value } ?? .infinity, min.map { value - $0 } ?? .infinity)
    }
}

/// What a configuration costs over `years`: servers (capital cost per server, by server group
/// name), switch ports (one per NIC, and as many again on the spine side), and the accelerators'
/// energy at `pue` and `pricePerKWh`, scaled from the run's length to the period.
public struct CostModel: Codable, Sendable, Equatable {
    public var serverCost: [String: Double]
    public var portCost: Double
    public var pricePerKWh: Double
    public var pue: Double
    public var years: Double

    enum CodingKeys: String, CodingKey, CaseIterable { case serverCost, portCost, pricePerKWh, pue, years }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        serverCost = try c.decode([String: Double].self, forKey: .serverCost, default: [:])
        portCost = try c.decode(Double.self, forKey: .portCost, default: 0) { $0 < 0 ? "must not be negative" : nil }
        pricePerKWh = try c.decode(Double.self, forKey: .pricePerKWh, default: 0) { $0 < 0 ? "must not be negative" : nil }
        pue = try c.decode(Double.self, forKey: .pue, default: 1.3) { $0 < 1 ? "must be at least 1" : nil }
        years = try c.decode(Double.self, forKey: .years, default: 5) { $0 <= 0 ? "must be positive" : nil }
    }

    /// The cost of `scenario` whose run drew `energyKWh` over `makespanS`.
    public func cost(of scenario: Scenario, energyKWh: Double, makespanS: Double) -> Double {
        var capital = 0.0, ports = 0.0
        for g in scenario.cluster.servers {
            capital += Double(g.count) * (serverCost[g.name] ?? 0)
            ports += Double(g.count * g.nics.count) * 2
        }
        let periodS = years * 365.25 * 86_400
        let energy = makespanS > 0 ? energyKWh * periodS / makespanS * pue * pricePerKWh : 0
        return capital + ports * portCost + energy
    }
}
