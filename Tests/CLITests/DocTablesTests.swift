import Foundation
import Testing

/// Tables in docs/ generated from the code stay equal to it (`make doc-tables` rewrites them).
@Suite struct DocTablesTests {
    /// The text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` of a document.
    static func section(_ name: String, of document: String) throws -> String {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent(document), encoding: .utf8)
        let begin = try #require(text.range(of: "<!-- \(name):begin -->\n")), end = try #require(text.range(of: "<!-- \(name):end -->"))
        return String(text[begin.upperBound..<end.lowerBound])
    }

    @Test func summaryFiguresTableMatchesTheRegistry() throws {
        let r = try iccsim(["compare", "--list-metrics"])
        #expect(r.status == 0)
        #expect(try Self.section("metrics", of: "docs/trace-schema.md") == r.stdout, "docs/trace-schema.md is stale: run make doc-tables")
    }
}

extension DocTablesTests {
    /// Every trace table's column list in docs/trace-schema.md is the writer's declaration.
    @Test func traceColumnTablesMatchTheWriter() throws {
        let names = ["jobs", "failures", "power", "collectives", "models", "deployments", "requests", "links", "utilization", "utilization_pools", "utilization_tenants", "periods", "period_pools"]
        for t in names {
            let r = try iccsim(["export", "trace-schema", "--table", t])
            #expect(r.status == 0, "\(t): \(r.stderr)")
            #expect(try Self.section("columns-\(t)", of: "docs/trace-schema.md") == r.stdout, "docs/trace-schema.md /\(t) is stale: run make doc-tables")
        }
        let all = try iccsim(["export", "trace-schema"])
        #expect(names.allSatisfy { all.stdout.contains("## /\($0)\n") })
    }
}
