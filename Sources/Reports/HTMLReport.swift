import Foundation

/// One self-contained HTML page: a title, a table of key figures, and sections of tables and
/// inline SVG plots. No scripts, fonts or images from anywhere else, so it opens offline and
/// archives.
public struct HTMLReport: Sendable {
    /// A titled part of the page: a note, an optional table (a header row, then rows), plots.
    public struct Section: Sendable {
        public var title: String
        public var note: String?
        public var table: [[String]]
        public var plots: [SVGPlot]
        public init(title: String, note: String? = nil, table: [[String]] = [], plots: [SVGPlot]) {
            self.title = title
            self.note = note
            self.table = table
            self.plots = plots
        }
    }

    public var title: String
    public var subtitle: String
    /// The summary table: a header row, then rows.
    public var table: [[String]]
    public var sections: [Section]

    public init(title: String, subtitle: String, table: [[String]], sections: [Section]) {
        self.title = title
        self.subtitle = subtitle
        self.table = table
        self.sections = sections
    }

    public func html() -> String {
        let e = SVGPlot.escape
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="generator" content="iccsim"><title>\(e(title))</title>
            <style>
            body { font-family: sans-serif; margin: 24px; color: #222; }
            table { border-collapse: collapse; margin: 8px 0 24px; font-size: 13px; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
            th:first-child, td:first-child, td.t { text-align: left; }
            .plots { display: flex; flex-wrap: wrap; gap: 12px; }
            .note { color: #666; font-size: 13px; }
            .header { font-size: 14px; }
            </style></head><body>
            <h1>\(e(title))</h1>
            <p class="header">\(e(subtitle))</p>

            """
        out += Self.table(table)
        for s in sections {
            out += "<h2>\(e(s.title))</h2>\n"
            if let n = s.note { out += "<p class=\"note\">\(e(n))</p>\n" }
            out += Self.table(s.table)
            if !s.plots.isEmpty { out += "<div class=\"plots\">\n" + s.plots.map { $0.svg() }.joined(separator: "\n") + "\n</div>\n" }
        }
        return out + "</body></html>\n"
    }

    /// A table: its first row is the header; nothing when empty.
    static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        let e = SVGPlot.escape
        var out = "<table><tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
        // Figures align right, words left.
        func numeric(_ cell: String) -> Bool { cell.first.map { $0.isNumber || "-+—.".contains($0) } ?? true }
        for row in rows.dropFirst() { out += "<tr>" + row.map { numeric($0) ? "<td>\(e($0))</td>" : "<td class=\"t\">\(e($0))</td>" }.joined() + "</tr>\n" }
        return out + "</table>\n"
    }
}
