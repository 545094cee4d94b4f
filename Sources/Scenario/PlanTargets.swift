import Foundation
import Metrics
import SimKernel

/// A capacity-planning targets file (`iccsim plan --targets`): the figures a configuration must
/// meet in every replicate seed, and optionally a cost model to pick the cheapest.
public struct PlanTargets: Codable, Sendable, Equatable {
    public var targets: [PlanTarget]
    /// Replicate seeds each configuration is run with (the scenario's seed, +1, ...).
    public var seeds: Int
    public var cost: CostModel?
    /// The server types a phased plan may add (a phased targets file: its targets are each
    /// period's figures, ``periodFigures``).
    public var candidates: [PhaseCandidate]
    /// How long a phased plan's phase must meet the targets from its first day (without later
    /// phases): one period when nil; `1y` sizes each phase for a year, so phases come yearly.
    public var phaseCovers: TimeQuantity?
    /// The first day a phased plan's orders can be placed (nil: the scenario's start): a plan
    /// made before the center opens can have servers arriving in its first periods.
    public var orderFrom: DateSpec?

    enum CodingKeys: String, CodingKey, CaseIterable { case targets, seeds, cost, candidates, phaseCovers, orderFrom }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        candidates = try c.decode([PhaseCandidate].self, forKey: .candidates, default: [])
        phaseCovers = try c.decodeIfPresent(TimeQuantity.self, forKey: .phaseCovers)
        if let t = phaseCovers, t.baseUnits <= 0 || t.baseUnits > 10 * 365 * SimTime.nsPerDay {
            throw try c.superDecoder(forKey: .phaseCovers).scenarioError("phaseCovers must be above 0 and at most 10y, got \(t)")
        }
        orderFrom = try c.decodeIfPresent(DateSpec.self, forKey: .orderFrom)
        if orderFrom != nil && !c.contains(.candidates) {
            throw try c.superDecoder(forKey: .orderFrom).scenarioError("orderFrom dates the orders of a phased plan: give candidates too")
        }
        if phaseCovers != nil && !c.contains(.candidates) {
            throw try c.superDecoder(forKey: .phaseCovers).scenarioError("phaseCovers sizes the phases of a phased plan: give candidates too")
        }
        if c.contains(.candidates) && candidates.isEmpty { throw try c.superDecoder(forKey: .candidates).scenarioError("candidates must list at least one server type") }
        targets = try c.decode([PlanTarget].self, forKey: .targets) { $0.isEmpty ? "must list at least one target" : nil }
        seeds = try c.decode(Int.self, forKey: .seeds, default: 2) { $0 < 1 || $0 > 100 ? "must be between 1 and 100" : nil }
        cost = try c.decodeIfPresent(CostModel.self, forKey: .cost)
        // A phased file bounds each period's figures; a plain one, the run's summary figures.
        for (i, t) in targets.enumerated() {
            let periodic = Self.periodFigures.contains(t.metric), known = MetricRegistry.metric(for: t.metric) != nil
            let problem: String? = isPhased
                ? (periodic ? nil : "a phased plan (with candidates) bounds each period's figures: \(Self.periodFigures.joined(separator: ", "))\(didYouMean(t.metric, among: Self.periodFigures))")
                : (known ? nil : "'\(t.metric)' is a period's figure: bound it in a phased plan (give candidates and iccsim plan --phased quarter)")
            if let problem {
                throw try c.superDecoder(forKey: .targets, item: i).container(keyedBy: PlanTarget.CodingKeys.self).superDecoder(forKey: .metric).scenarioError(problem)
            }
        }
        if isPhased, c.contains(.cost) {
            throw try c.superDecoder(forKey: .cost).scenarioError("a phased plan prices its phases from its candidates: cost is not read")
        }
    }

    /// Whether the file plans phases (it lists candidates).
    public var isPhased: Bool { !candidates.isEmpty }

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
            if PlanTargets.periodFigures.contains(name) { return nil }
            guard let m = MetricRegistry.metric(for: name) else {
                let known = MetricRegistry.all.flatMap(\.paths) + PlanTargets.periodFigures
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

/// What a configuration costs (`cost` in a targets file): its cost of ownership as the
/// scenario's power model prices it (`power.prices` and `power.tariff`: capital written off over
/// its life, maintenance, staff and the energy bill; one cost model for runs and plans), scaled
/// from the run's length to `years`.
public struct CostModel: Codable, Sendable, Equatable {
    public var years: Double

    enum CodingKeys: String, CodingKey, CaseIterable { case years, serverCost, portCost, pricePerKWh, pue }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        for old in [CodingKeys.serverCost, .portCost, .pricePerKWh, .pue] where c.contains(old) {
            throw try c.superDecoder(forKey: old).scenarioError(
                "cost.\(old.stringValue) is no longer read: a plan's costs come from the scenario's power model (power.prices for equipment, power.tariff for energy, power.pue or power.cooling); cost takes only 'years'")
        }
        years = try c.decode(Double.self, forKey: .years, default: 5) { $0 <= 0 || $0 > 100 ? "must be a number of years above 0" : nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(years, forKey: .years)
    }

    /// The cost over `years` of a center whose run cost `tcoPerAcceleratorHour` for each of its
    /// `accelerators` (the run's `power` figures).
    public func cost(tcoPerAcceleratorHour: Double, accelerators: Double) -> Double {
        tcoPerAcceleratorHour * accelerators * years * 365.25 * 24
    }
}
