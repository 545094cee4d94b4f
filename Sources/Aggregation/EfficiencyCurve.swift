import Foundation

/// Achieved fraction of a ring's bandwidth by message size and number of servers, as measured
/// tables give it (SimAI's `*_ratio.csv` in data/calibration: rows of sizes, columns
/// `1 Node`, `2Node-16GPU`, ... `128Node-1024GPU`). Between sizes the fraction is interpolated
/// linearly in log(size); between server counts in log(servers); outside the table it is clamped.
public struct EfficiencyCurve: Sendable, Equatable {
    /// Message sizes (bytes), ascending.
    public var sizes: [Double]
    /// Server counts of the columns, ascending.
    public var servers: [Double]
    /// `fraction[size][server column]`; nil where the table has no measurement.
    public var fraction: [[Double?]]

    /// Reads a table; errors name the line.
    public static func parse(_ text: String) throws -> EfficiencyCurve {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else {
            throw CurveError(line: 1, message: "empty efficiency table")
        }
        // Columns whose name starts with a server count: "1 Node...", "2Node-16GPU...".
        var columns: [(index: Int, servers: Double)] = []
        for (i, name) in header.enumerated().dropFirst() {
            let digits = name.prefix { $0.isNumber }
            if let n = Double(digits), name.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("node") {
                columns.append((i, n))
            }
        }
        guard !columns.isEmpty else { throw CurveError(line: 1, message: "no 'N Node' columns in the header") }
        var sizes: [Double] = [], fraction: [[Double?]] = []
        for (n, line) in lines.enumerated().dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let size = Double(f[0]), size > 0 else { throw CurveError(line: n + 1, message: "size '\(f[0])' is not a positive number") }
            sizes.append(size)
            fraction.append(try columns.map { c in
                guard c.index < f.count, !f[c.index].isEmpty else { return nil }
                guard let v = Double(f[c.index]), v > 0, v <= 1.5 else { throw CurveError(line: n + 1, message: "fraction '\(f[c.index])' is not in (0, 1.5]") }
                return v
            })
        }
        guard zip(sizes, sizes.dropFirst()).allSatisfy({ $0 < $1 }) else { throw CurveError(line: 2, message: "sizes must ascend") }
        return EfficiencyCurve(sizes: sizes, servers: columns.map(\.servers), fraction: fraction)
    }

    /// A bad table: its 1-based line and what is wrong.
    public struct CurveError: Error, Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    /// The fraction at `bytes` over `serverCount` servers.
    public func at(bytes: Double, servers serverCount: Int) -> Double {
        func interpolate(_ xs: [Double], _ x: Double) -> (Int, Int, Double) {
            if x <= xs[0] { return (0, 0, 0) }
            if x >= xs[xs.count - 1] { return (xs.count - 1, xs.count - 1, 0) }
            let j = xs.firstIndex { $0 >= x }!
            let t = (log(x) - log(xs[j - 1])) / (log(xs[j]) - log(xs[j - 1]))
            return (j - 1, j, t)
        }
        /// The fraction for size row `r` at the server count, from the measured columns only.
        func row(_ r: Int) -> Double {
            let cols = servers.indices.filter { fraction[r][$0] != nil }
            guard !cols.isEmpty else { return 1 }
            let xs = cols.map { servers[$0] }
            let (a, b, t) = interpolate(xs, Double(max(1, serverCount)))
            return fraction[r][cols[a]]! * (1 - t) + fraction[r][cols[b]]! * t
        }
        let (a, b, t) = interpolate(sizes, bytes)
        return row(a) * (1 - t) + row(b) * t
    }
}
