import Foundation

/// A run's trace as CSV files, one per table (`iccsim export csv`): columns in the writer's
/// declared order, integers exact, reals in their shortest round-trip form, and columns coded by
/// a dictionary written as their names (an empty cell for -1, none).
public enum TraceCSV {
    /// Every table of the trace at `trace` as (table name, CSV text), in the schema's order.
    public static func tables(trace path: String) throws -> [(name: String, csv: String)] {
        let reader = try TraceReader(path: path)
        var out: [(String, String)] = []
        for (table, declared) in TraceColumns.tables where reader.has(table) {
            let present = try reader.members(table)
            let columns = declared.filter { present.contains($0.name) }
            var cells: [[String]] = []
            var rows = 0
            for c in columns {
                let at = "\(table)/\(c.name)"
                var column: [String]
                if let dictionary = Self.dictionary(of: c) {
                    let names = try reader.dictionary(dictionary)
                    column = try reader.int64s(at).map { names[Int($0)].map(quote) ?? "" }
                } else if reader.isInteger(at) {
                    column = try reader.int64s(at).map { String($0) }
                } else {
                    column = try reader.doubles(at).map { $0.isNaN ? "" : "\($0)" }
                }
                rows = max(rows, column.count)
                cells.append(column)
            }
            var text = columns.map(\.name).joined(separator: ",") + "\n"
            text.reserveCapacity(rows * columns.count * 8)
            for r in 0..<rows {
                text += cells.map { r < $0.count ? $0[r] : "" }.joined(separator: ",")
                text += "\n"
            }
            out.append((table, text))
        }
        return out
    }

    /// The dictionary a coded column is decoded by (its long name says so), if any.
    static func dictionary(of column: any AnyColumnSpec) -> String? {
        guard let r = column.longName.range(of: "decoded by /dictionaries/") else { return nil }
        return String(column.longName[r.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
    }

    /// A CSV cell: quoted when it holds a comma, a quote or a line break.
    static func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
