import SimKernel

/// Latency statistics of served requests: exact means, percentiles from the sorted values.
public struct ServingStatistics: Sendable {
    public var count: Int
    public var waitS: [Double] = []
    public var ttftS: [Double] = []
    public var tpotS: [Double] = []
    public var e2eS: [Double] = []
    public var lastEndNs: Int64 = 0

    public init() { count = 0 }

    /// Adds a served request that produced `outputTokens` (the first at its prefill's end; time
    /// per output token is over the others).
    public mutating func add(_ r: ServedRequest, outputTokens: Double) {
        count += 1
        waitS.append(Double(r.waitNs) / 1e9)
        ttftS.append(Double(r.timeToFirstTokenNs) / 1e9)
        tpotS.append(outputTokens > 1 ? Double(r.endNs - r.firstTokenNs) / 1e9 / (outputTokens - 1) : 0)
        e2eS.append(Double(r.endNs - r.arrivalNs) / 1e9)
        lastEndNs = max(lastEndNs, r.endNs)
    }

    /// The `q`-quantile (nearest rank) of `values`.
    public static func quantile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let s = values.sorted()
        return s[min(s.count - 1, max(0, Int((q * Double(s.count)).rounded(.up)) - 1))]
    }

    public static func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
}
