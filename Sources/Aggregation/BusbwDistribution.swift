import Foundation

/// The all-reduce bus bandwidth over a run, weighted by the time each stretch ran at it: its
/// mean and its time-weighted median, in memory that does not grow with the run.
///
/// Stretches are kept by their exact value (the time at each distinct bandwidth) while there are
/// at most `exactLimit` distinct values, so the median is exact then; beyond that, values are
/// kept in logarithmic bins 0.01% wide, each remembering the smallest value that fell in it, and
/// the median is that value of its bin (within 0.01% of the exact one). The mean is summed as
/// stretches end.
struct BusbwDistribution {
    /// Distinct values kept exactly before binning.
    static let exactLimit = 1 << 16
    /// Relative width of a bin once binned.
    static let binWidth = 1e-4

    private(set) var totalNs = 0.0
    private var weightedSum = 0.0
    /// Time at each distinct value (exact), or per bin: (smallest value, time).
    private var exact: [Double: Double] = [:]
    private var bins: [Int: (value: Double, ns: Double)] = [:]
    private var binned = false

    /// A stretch of `ns` at `busbwGBps`.
    mutating func add(busbwGBps v: Double, ns: Double) {
        totalNs += ns
        weightedSum += v * ns
        if binned { addToBin(v, ns); return }
        exact[v, default: 0] += ns
        if exact.count > Self.exactLimit {
            binned = true
            for (value, t) in exact { addToBin(value, t) }
            exact = [:]
        }
    }

    private mutating func addToBin(_ v: Double, _ ns: Double) {
        let b = v > 0 ? Int((log(v) / log1p(Self.binWidth)).rounded(.down)) : Int.min
        if let old = bins[b] { bins[b] = (min(old.value, v), old.ns + ns) } else { bins[b] = (v, ns) }
    }

    /// The time-weighted mean (0 without stretches).
    var meanGBps: Double { totalNs > 0 ? weightedSum / totalNs : 0 }

    /// The smallest value at or below which at least half the time was spent (0 without stretches).
    var medianGBps: Double {
        let values: [(Double, Double)] = binned ? bins.values.map { ($0.value, $0.ns) }.sorted { $0.0 < $1.0 }
                                                : exact.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var acc = 0.0
        for (v, ns) in values {
            acc += ns
            if acc >= totalNs / 2 { return v }
        }
        return 0
    }

    /// Distinct values (or bins) kept: the memory it holds.
    var kept: Int { binned ? bins.count : exact.count }
}
