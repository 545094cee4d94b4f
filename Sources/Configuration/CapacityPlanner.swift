import Foundation
import Metrics
import Records
import SimKernel
import Scenario
import Workloads

/// Capacity planning (`iccsim plan`): the smallest (or cheapest) configuration of the varied
/// keys that meets every target in every replicate seed. Runs are in-process and trace-free.
///
/// One varied key: its values are searched by bisection, assuming a larger value never makes
/// the targets harder to meet (more servers, faster NICs); the value below the answer is run
/// too, so the report shows it misses. Several keys: every combination is run (a grid), and
/// the one meeting the targets with the least objective wins.
public struct CapacityPlanner {
    public var basePath: String
    public var overrides: [String]
    public var vary: [(key: String, values: [String])]
    public var targets: PlanTargets
    public var cheapest: Bool
    /// The trace files the configurations name, read once for all of them.
    let files = TraceFiles()
    /// The kernel's options for every run (its progress hook shows a run's simulated time).
    public var kernelOptions = KernelOptions()
    /// Called before each run with the configuration's values and the replicate (0-based), for
    /// progress; it never changes a result.
    public var runStarting: ((_ values: [String], _ replicate: Int) -> Void)?

    public init(basePath: String, overrides: [String], vary: [(key: String, values: [String])], targets: PlanTargets, cheapest: Bool) {
        self.basePath = basePath
        self.overrides = overrides
        self.vary = vary
        self.targets = targets
        self.cheapest = cheapest
    }

    /// One configuration's outcome over the seeds.
    public struct Point: Sendable {
        public var values: [String]
        /// Per target, the worst margin over the seeds (negative: missed in some seed).
        public var margins: [Double]
        /// Per target, the worst value over the seeds.
        public var worst: [Double]
        public var cost: Double?
        public var meets: Bool { margins.allSatisfy { $0 >= 0 } }
        public var resolvedYAML: String
    }

    /// Runs one configuration in every seed.
    public func evaluate(_ values: [String]) throws -> Point {
        let sets = overrides + zip(vary.map(\.key), values).map { "\($0)=\($1)" }
        let base = try ScenarioLoader.load(path: basePath, overrides: sets, files: files)
        var margins = Array(repeating: Double.infinity, count: targets.targets.count)
        var worst = Array(repeating: Double.nan, count: targets.targets.count)
        var cost: Double? = nil
        for s in 0..<targets.seeds {
            var scenario = base.scenario
            scenario.seed = base.scenario.seed &+ UInt64(s)
            runStarting?(values, s)
            let summary = try CenterRun.run(scenario, sink: NullSink(), kernelOptions: kernelOptions).summary
            let figures = Self.figures(summary.fields)
            for (i, t) in targets.targets.enumerated() {
                guard let v = figures.first(where: { $0.0 == t.metric })?.1 else {
                    throw ScenarioError("target '\(t.metric)' is not a figure of summary.json (for example: \(figures.prefix(6).map(\.0).joined(separator: ", ")))")
                }
                let m = t.margin(v)
                if m < margins[i] { margins[i] = m; worst[i] = v }
            }
            if let model = targets.cost {
                guard let perHour = figures.first(where: { $0.0 == "power.\(Metric.tcoPerAcceleratorHour.key)" })?.1,
                      let accelerators = figures.first(where: { $0.0 == Metric.accelerators.key })?.1 else {
                    throw ScenarioError("the targets' cost needs the scenario's power model: give the scenario a 'power' section with its prices (power.prices) and tariff")
                }
                cost = max(cost ?? 0, model.cost(tcoPerAcceleratorHour: perHour, accelerators: accelerators))
            }
        }
        return Point(values: values, margins: margins, worst: worst, cost: cost, resolvedYAML: base.resolvedYAML)
    }

    /// Numeric figures of a summary, dotted (`pools.training-h100.wait_mean_s`).
    static func figures(_ fields: [(String, SummaryValue)], prefix: String = "") -> [(String, Double)] {
        fields.flatMap { k, v -> [(String, Double)] in
            let name = prefix.isEmpty ? k : "\(prefix).\(k)"
            switch v {
            case .integer(let i): return [(name, Double(i))]
            case .unsigned(let u): return [(name, Double(u))]
            case .real(let d): return [(name, d)]
            case .object(let inner): return figures(inner, prefix: name)
            case .text: return []
            }
        }
    }

    /// How many configurations the search runs: every combination of a grid; for one key, the
    /// bisection's steps, the largest value and the one below the answer (an estimate: more
    /// when the targets are not monotone in the key).
    public var plannedConfigurations: Int {
        if vary.count == 1 {
            let n = vary[0].values.count
            return min(n, Int(ceil(log2(Double(max(n, 1))))) + 1)
        }
        return vary.reduce(1) { $0 * $1.values.count }
    }

    /// The points explored, in the order they were run, and the recommended one (nil: none met).
    public func search() throws -> (explored: [Point], best: Point?) {
        var explored: [Point] = []
        if vary.count == 1 {
            let values = vary[0].values
            var lo = 0, hi = values.count - 1
            let top = try evaluate([values[hi]])
            explored.append(top)
            guard top.meets else { return (explored, nil) }
            var best = top
            while lo < hi {
                let mid = (lo + hi) / 2
                let p = try evaluate([values[mid]])
                explored.append(p)
                if p.meets { best = p; hi = mid } else { lo = mid + 1 }
            }
            // The answer's predecessor must miss in the same seeds: run it, and while it meets
            // (the targets are not quite monotone in this key), step down, at most 64 times.
            var i = values.firstIndex(of: best.values[0])!
            for _ in 0..<64 where i > 0 {
                let below = try explored.first { $0.values == [values[i - 1]] } ?? evaluate([values[i - 1]])
                if !explored.contains(where: { $0.values == below.values }) { explored.append(below) }
                guard below.meets else { break }
                best = below
                i -= 1
            }
            return (explored, best)
        }
        var combos: [[String]] = [[]]
        for axis in vary { combos = combos.flatMap { prefix in axis.values.map { prefix + [$0] } } }
        for c in combos { explored.append(try evaluate(c)) }
        func objective(_ p: Point) -> Double {
            if cheapest, let c = p.cost { return c }
            return p.values.reduce(0) { $0 + (Double($1) ?? 0) }
        }
        let best = explored.filter(\.meets).min { (objective($0), $0.values.joined(separator: ",")) < (objective($1), $1.values.joined(separator: ",")) }
        return (explored, best)
    }
}
