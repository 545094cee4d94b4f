import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reports
import Scenario
import Testing

/// `iccsim compare`'s machine and review formats: every figure, the same verdicts as the text.
@Suite struct ComparisonReportTests {
    static let base = #"{"scenario": "s<&>", "wait_mean_s": 100.0, "utilization_mean": 0.8, "jobs_submitted": 10, "latency_p99_s": "NaN"}"#
    static let cand = #"{"scenario": "s<&>", "wait_mean_s": 150.0, "utilization_mean": 0.9, "jobs_submitted": 99, "latency_p99_s": "NaN", "new_figure": 1}"#

    static func pairs() throws -> [ComparedPair] {
        let rules = ToleranceFile(default: ToleranceRule(metric: "*", relative: 0.1, absolute: 0), metrics: [ToleranceRule(metric: "jobs_*", ignore: true)])
        let rows = SummaryComparison.compare(baseline: try OrderedJSON.parse(base), candidate: try OrderedJSON.parse(cand), tolerances: rules)
        return [ComparedPair(baseline: "a/summary.json", candidate: "b \"x\"/summary.json", rows: rows)]
    }

    /// Reference: the text verdicts. wait_mean_s +50% regresses (better lower), utilization
    /// +12.5% improves, jobs_submitted is ignored, new_figure is new, the rest are ok.
    @Test func jsonHoldsEveryRowWithItsVerdict() throws {
        let doc = ComparisonReport.json(try Self.pairs(), exact: false)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(doc.utf8)) as? [String: Any])
        #expect(parsed["failing"] as? Int == 1 && parsed["exact"] as? Bool == false)
        let metrics = try #require(((parsed["summaries"] as? [[String: Any]])?.first?["metrics"]) as? [[String: Any]])
        let status = Dictionary(uniqueKeysWithValues: metrics.map { ($0["metric"] as! String, $0["status"] as! String) })
        #expect(status == ["scenario": "ok", "wait_mean_s": "regressed", "utilization_mean": "improved", "jobs_submitted": "ignored",
                           "latency_p99_s": "ok", "new_figure": "new"])
        #expect(metrics.first { $0["metric"] as? String == "wait_mean_s" }?["better"] as? String == "lower")
    }

    @Test func junitHasOneCasePerFigureAndFailsTheRegression() throws {
        let doc = ComparisonReport.junit(try Self.pairs(), exact: false)
        final class Counter: NSObject, XMLParserDelegate {
            var cases = 0, failures: [String] = [], skipped = 0, suiteAttributes: [String: String] = [:]
            func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                switch name {
                case "testcase": cases += 1
                case "failure": failures.append(attributes["message"] ?? "")
                case "skipped": skipped += 1
                case "testsuite": suiteAttributes = attributes
                default: break
                }
            }
        }
        let counter = Counter()
        let parser = XMLParser(data: Data(doc.utf8))
        parser.delegate = counter
        #expect(parser.parse(), "well-formed XML")
        #expect(counter.cases == 6 && counter.skipped == 1)
        #expect(counter.failures == ["regressed: 100 -> 150 (+50.00%), allowed 10, better lower"])
        #expect(counter.suiteAttributes["name"] == "a/summary.json -> b \"x\"/summary.json" && counter.suiteAttributes["failures"] == "1")
    }

    @Test func markdownShowsWhatChanged() throws {
        let doc = ComparisonReport.markdown(try Self.pairs(), exact: false, all: false)
        #expect(doc.contains("**1 of 6 figures regressed**, 1 improved."))
        #expect(doc.contains("| `wait_mean_s` | 100 | 150 | +50.00% | 10 | lower | **regressed** |"))
        #expect(!doc.contains("`scenario`"), "unchanged figures are left out without all")
        #expect(ComparisonReport.markdown(try Self.pairs(), exact: false, all: true).contains("| `scenario` | s<&> | s<&> |"))
    }
}
