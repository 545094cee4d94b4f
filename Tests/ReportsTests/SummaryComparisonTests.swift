import Reports
import Scenario
import Testing

@Suite struct SummaryComparisonTests {
    let base = #"{"scenario": "s", "wait_mean_s": 100.0, "utilization_mean": 0.8, "jobs_submitted": 10, "pools": {"a": {"wait_mean_s": 50}}}"#

    @Test func parsesInOrderAndFlattens() throws {
        let v = try OrderedJSON.parse(base)
        #expect(v.flattened().map(\.0) == ["scenario", "wait_mean_s", "utilization_mean", "jobs_submitted", "pools.a.wait_mean_s"])
        #expect(throws: OrderedJSON.ParseError.self) { try OrderedJSON.parse("{\"a\": 1,\n \"b\": }") }
        do { _ = try OrderedJSON.parse("{\"a\": 1,\n \"b\": }") } catch { #expect(error.line == 2 && error.column == 7) }
        #expect(try OrderedJSON.parse(#"["x\n\u00e9", -1.5e3, true, null]"#) == .array([.string("x\né"), .number(-1500), .bool(true), .null]))
    }

    /// Directions come from the metric registry; a key means the same everywhere, and a key the
    /// registry does not know is neutral (never guessed from its name).
    @Test func directionsComeFromTheRegistry() {
        #expect(SummaryComparison.direction(of: "wait_p99_s") == .lower)
        #expect(SummaryComparison.direction(of: "pools.x.utilization_mean") == .higher)
        #expect(SummaryComparison.direction(of: "jobs_submitted") == .neutral)
        #expect(SummaryComparison.direction(of: "fairness_jain") == .higher)
        #expect(SummaryComparison.direction(of: "services.chat.replica_hours") == .lower)
        #expect(SummaryComparison.direction(of: "services.chat.latency_p99_s") == .lower)
        #expect(SummaryComparison.direction(of: "services.chat.slo_attainment") == .higher)
        #expect(SummaryComparison.direction(of: "serving.accelerator_hours") == SummaryComparison.direction(of: "delivered.accelerator_hours"))
        #expect(SummaryComparison.direction(of: "made_up_wait_s") == .neutral)
    }

    /// Worse beyond max(absolute, relative × |baseline|) regresses; within it is ok; better is an improvement.
    @Test func tolerancesDecide() throws {
        let rules = ToleranceFile(default: ToleranceRule(metric: "*", relative: 0.1, absolute: 0),
                                  metrics: [ToleranceRule(metric: "pools.*.wait_mean_s", absolute: 100), ToleranceRule(metric: "jobs_*", ignore: true)])
        func status(_ candidate: String) throws -> [String: ComparisonStatus] {
            let rows = SummaryComparison.compare(baseline: try OrderedJSON.parse(base), candidate: try OrderedJSON.parse(candidate), tolerances: rules)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0.metric, $0.status) })
        }
        let same = try status(base)
        #expect(same.values.allSatisfy { $0 == .ok || $0 == .ignored })
        let worse = try status(#"{"scenario": "s", "wait_mean_s": 111, "utilization_mean": 0.75, "jobs_submitted": 99, "pools": {"a": {"wait_mean_s": 149}}}"#)
        #expect(worse["wait_mean_s"] == .regressed)          // +11% > 10%
        #expect(worse["utilization_mean"] == .ok)            // −6.25% within 10%
        #expect(worse["jobs_submitted"] == .ignored)
        #expect(worse["pools.a.wait_mean_s"] == .ok)         // +99 within the absolute 100
        let better = try status(#"{"scenario": "t", "wait_mean_s": 50, "utilization_mean": 0.9, "jobs_submitted": 10, "pools": {"a": {"wait_mean_s": 50}}, "new_key": 1}"#)
        #expect(better["wait_mean_s"] == .improved && better["utilization_mean"] == .improved)
        #expect(better["scenario"] == .regressed)            // a text value changed
        #expect(better["new_key"] == .new)
        let missing = try status(#"{"scenario": "s", "utilization_mean": 0.8, "jobs_submitted": 10, "pools": {"a": {"wait_mean_s": 50}}}"#)
        #expect(missing["wait_mean_s"] == .regressed)
    }

    @Test func globMatchesAcrossDots() {
        #expect(ToleranceRule(metric: "*wait*_s").matches("pools.a.wait_p99_s"))
        #expect(ToleranceRule(metric: "pools.*.wait_mean_s").matches("pools.training-h100.wait_mean_s"))
        #expect(!ToleranceRule(metric: "pools.*.wait_mean_s").matches("tenants.a.wait_mean_s"))
        #expect(ToleranceRule(metric: "jct_mean_s").matches("jct_mean_s") && !ToleranceRule(metric: "jct_mean_s").matches("jct_mean_s2"))
    }
}
