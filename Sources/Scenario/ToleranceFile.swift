import Foundation
import Metrics

extension MetricDirection: ScenarioEnum {}

/// One rule of a tolerance file: the metrics it applies to and how much worsening is allowed.
public struct ToleranceRule: Codable, Sendable, Equatable {
    /// A dotted metric name; `*` matches any run of characters (`pools.*.utilization_mean`); `*` when absent.
    public var metric: String
    /// Allowed worsening as a fraction of the baseline value.
    public var relative: Double?
    /// Allowed worsening in the metric's own units.
    public var absolute: Double?
    /// Which way is better (default: the metric registry's).
    public var better: MetricDirection?
    /// Leave the metric out of the comparison.
    public var ignore: Bool

    enum CodingKeys: String, CodingKey, CaseIterable { case metric, relative, absolute, better, ignore }

    public init(metric: String, relative: Double? = nil, absolute: Double? = nil, better: MetricDirection? = nil, ignore: Bool = false) {
        self.metric = metric
        self.relative = relative
        self.absolute = absolute
        self.better = better
        self.ignore = ignore
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metric = try c.decode(String.self, forKey: .metric, default: "*") { $0.isEmpty ? "must not be empty" : nil }
        relative = try c.decodeIfPresent(Double.self, forKey: .relative)
        absolute = try c.decodeIfPresent(Double.self, forKey: .absolute)
        // `either`, the name before `neutral`, is still read.
        if c.contains(.better), let word = try? c.decode(String.self, forKey: .better), word == "either" {
            better = .neutral
        } else {
            better = try c.decodeIfPresent(MetricDirection.self, forKey: .better)
        }
        ignore = try c.decode(Bool.self, forKey: .ignore, default: false)
        for (key, v) in [(CodingKeys.relative, relative), (.absolute, absolute)] {
            if let v, v < 0 { throw try c.superDecoder(forKey: key).scenarioError("\(key.stringValue) must not be negative, got \(v)") }
        }
    }

    /// Whether `name` matches this rule's pattern.
    public func matches(_ name: String) -> Bool { Self.glob(Array(metric.utf8)[...], Array(name.utf8)[...]) }

    static func glob(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
        guard let first = p.first else { return s.isEmpty }
        if first == UInt8(ascii: "*") {
            var rest = s
            while true {
                if glob(p.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let c = s.first, c == first else { return false }
        return glob(p.dropFirst(), s.dropFirst())
    }
}

/// A tolerance file for `iccsim compare --tolerances`: a default rule and per-metric rules
/// (the first matching rule wins). Documented in `docs/ci.md`.
public struct ToleranceFile: Codable, Sendable, Equatable {
    public var `default`: ToleranceRule
    public var metrics: [ToleranceRule]

    enum CodingKeys: String, CodingKey, CaseIterable { case `default`, metrics }

    /// The built-in tolerances: 2% relative worsening, no ignored metrics but `events_processed`.
    public static let standard = ToleranceFile(default: ToleranceRule(metric: "*", relative: 0.02, absolute: 0),
                                               metrics: [ToleranceRule(metric: "events_processed", ignore: true)])

    public init(default d: ToleranceRule, metrics: [ToleranceRule]) {
        self.default = d
        self.metrics = metrics
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.default) {
            let d = try c.superDecoder(forKey: .default)
            if try d.container(keyedBy: ToleranceRule.CodingKeys.self).contains(.metric) {
                throw try d.container(keyedBy: ToleranceRule.CodingKeys.self).superDecoder(forKey: .metric)
                    .scenarioError("the default rule applies to every metric; remove 'metric'")
            }
            `default` = try ToleranceRule(from: d)
        } else {
            `default` = Self.standard.default
        }
        metrics = try c.decode([ToleranceRule].self, forKey: .metrics, default: Self.standard.metrics)
    }

    /// The rule for metric `name`.
    public func rule(for name: String) -> ToleranceRule { metrics.first { $0.matches(name) } ?? self.default }

}
