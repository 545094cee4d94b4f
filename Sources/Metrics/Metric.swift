/// Which way a figure is better, for comparisons and capacity planning.
public enum MetricDirection: String, Sendable, CaseIterable {
    /// Smaller is better (waits, completion times, energy, what services cost).
    case lower
    /// Larger is better (utilisation, completed jobs, delivered FLOPs, SLO attainment).
    case higher
    /// Neither: a figure of the workload or the setup (jobs submitted, accelerators,
    /// accelerator-hours), or a name; any change beyond a tolerance counts.
    case neutral
}

/// One figure of `summary.json`, declared once: its key, where it appears, its unit, which way
/// is better and what it means. A key means the same thing (and is better the same way)
/// wherever it appears: `wait_mean_s` at the top level and per pool, application and tenant.
public struct Metric: Sendable, Equatable, CustomStringConvertible {
    /// The key as written in `summary.json` (the last part of its dotted path); `*` for the
    /// members of a map (their names are the run's: job kinds, pools...).
    public let key: String
    /// The objects it appears in, as dotted paths with `*` for a named member (`""`: the top
    /// level; `pools.*`: each pool; `delivered.flop_by_kind`: a map whose members are kinds).
    public let scopes: [String]
    /// What a planner calls it ("mean wait", "SLO attainment"): the row and column heads of
    /// `summary.md`, `iccsim diff` and reports.
    public let label: String
    /// Unit of the value (`s`, `1` for counts and ratios, `share` for a part of a whole between
    /// 0 and 1, shown as a percentage; `GB/s`, `B`, ...; `text` for names).
    public let unit: String
    public let direction: MetricDirection
    /// One line for `compare --explain`, the reference tables and reports.
    public let summary: String

    public init(_ key: String, label: String, in scopes: [String], unit: String, _ direction: MetricDirection, _ summary: String) {
        self.key = key
        self.label = label
        self.scopes = scopes
        self.unit = unit
        self.direction = direction
        self.summary = summary
    }

    /// Its dotted paths in `summary.json` (`pools.*.utilization_mean`).
    public var paths: [String] { scopes.map { $0.isEmpty ? key : "\($0).\(key)" } }

    /// Whether the flattened key `path` (`pools.training-h100.utilization_mean`) is this figure.
    public func matches(_ path: String) -> Bool {
        let parts = Self.split(path)
        return paths.contains { Self.pattern(Self.split($0), matches: parts) }
    }

    /// A dotted path's parts (`pools.*.wait_mean_s`: `pools`, `*`, `wait_mean_s`).
    static func split(_ path: String) -> [Substring] { path.split(separator: ".", omittingEmptySubsequences: false) }

    /// Whether the parts of a path match those of a pattern (`*` matches any one part).
    static func pattern(_ pattern: [Substring], matches parts: [Substring]) -> Bool {
        pattern.count == parts.count && zip(pattern, parts).allSatisfy { $0 == "*" || $0 == $1 }
    }

    public var description: String {
        "\(paths.joined(separator: ", ")) [\(unit)], \(direction == .neutral ? "neutral" : "better \(direction.rawValue)"): \(summary)"
    }
}
