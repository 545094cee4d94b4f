import Foundation
import SimKernel
import Testing

/// `iccsim plan --phased` through the CLI, on a one-year center whose demand quadruples
/// (300% a year) from a third of its 32 accelerators. Checked independently with
/// `iccsim run --sampled` on the scenario the plan wrote: every quarter meets the target; each
/// phase removed, delayed a quarter or one server smaller makes its first quarter miss; the
/// cheapest candidate that can arrive in time is the one chosen.
@Suite struct PhasedPlanTests {
    static let scenario = """
        name: phased
        seed: 11
        horizon: 1y
        start: 2027-01-01
        cluster:
          servers:
            - {name: hgx, preset: hgx-a100-8, count: 4}
        workload:
          growth: {cagr: 300%}
          applications:
            - name: vision
              tenants: [{name: city, type: government}]
              models: [{name: cnn, family: cnn, parameters: 25M, trainFlopsPerSample: 24.6GFLOP}]
              jobs:
                - {kind: training, model: cnn, perDay: 200, accelerators: 1, samples: 40M}
        """

    /// Three candidates of the same server: `dear` at three times the price, `cheap` with a
    /// 30-day lead time, `late` the cheapest but a 400-day lead time (never in time).
    static let targets = """
        seeds: 1
        targets:
          - {metric: wait_mean_s, max: 1800}
        candidates:
          - server: {name: dear, preset: hgx-a100-8, count: 1}
            price: 3
            max: 12
          - server: {name: cheap, preset: hgx-a100-8, count: 1}
            price: 1
            leadTime: 30d
            max: 12
          - server: {name: late, preset: hgx-a100-8, count: 1}
            price: 0.5
            leadTime: 400d
        """

    static let window = ["--sample-length", "2d", "--sample-warmup", "1d"]

    /// Each quarter's mean wait of a sampled run of `scenario` with `sets`.
    static func waits(_ scenario: URL, _ sets: [String], in tmp: URL) throws -> [Double] {
        let dir = tmp.appendingPathComponent("run-\(UUID().uuidString)")
        let r = try iccsim(["run", scenario.path, "--sampled", "quarter", "--out", dir.path, "--quiet"] + window + sets.flatMap { ["--set", $0] })
        #expect(r.status == 0, "\(r.stderr)")
        let s = try JSONSerialization.jsonObject(with: fileData(dir.appendingPathComponent("summary.json"))!) as! [String: Any]
        let periods = s["periods"] as! [String: [String: Any]]
        // No services: the SLO attainment is undefined (null), not 0.
        #expect(periods.values.allSatisfy { $0["slo_attainment"] is NSNull })
        return periods.keys.sorted().map { periods[$0]!["wait_mean_s"] as! Double }
    }

    @Test func phasesComeAsLateAndSmallAsTheTargetAllowsFromTheCheapestCandidate() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let scenario = tmp.appendingPathComponent("phased.yaml"), targets = tmp.appendingPathComponent("targets.yaml")
        let out = tmp.appendingPathComponent("plan.yaml")
        try Self.scenario.write(to: scenario, atomically: true, encoding: .utf8)
        try Self.targets.write(to: targets, atomically: true, encoding: .utf8)
        let r = try iccsim(["plan", scenario.path, "--phased", "quarter", "--targets", targets.path, "--out", out.path, "--progress"] + Self.window)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("plan: 2027-Q2 with the center as it stands: misses the targets"), "\(r.stderr)")
        // The written scenario names its phases on its first line: "phase-2 1 × cheap from 2027-04-03; ...".
        let written = try String(contentsOf: out, encoding: .utf8)
        let header = try #require(written.split(separator: "\n").first)
        let phases = header.split(separator: ": ").last!.split(separator: "; ").map { $0.split(separator: " ").map(String.init) }
        #expect(phases.count >= 2, "\(header)")
        for p in phases {
            // The cheapest in time: never the dearer one, never the one that cannot arrive.
            #expect(p[3] == "cheap", "\(header)")
        }
        #expect(!r.stdout.contains("**no**"))
        // Independently: the plan's scenario meets the target in every quarter.
        let planned = try Self.waits(out, [], in: tmp)
        #expect(planned.count == 4 && planned.allSatisfy { $0 <= 1800 }, "\(planned)")
        for p in phases {
            let name = p[0], servers = Int(p[1])!, day = try #require(CivilDate(p[5]))
            let quarter = Int((Double(day.dayNumber - CivilDate("2027-01-01")!.dayNumber) / 91.25).rounded())
            // Removed (arriving after the horizon), delayed a quarter, one server fewer: its first quarter misses.
            let removed = try Self.waits(out, ["cluster.phases[\(name)].arrive=2099-01-01"], in: tmp)
            let delayed = try Self.waits(out, ["cluster.phases[\(name)].arrive=\(day.adding(days: 92))"], in: tmp)
            #expect(removed[quarter] > 1800 && delayed[quarter] > 1800, "\(name): \(removed) \(delayed)")
            if servers > 1 {
                let smaller = try Self.waits(out, ["cluster.servers[cheap-\(name)].count=\(servers - 1)"], in: tmp)
                #expect(smaller[quarter] > 1800, "\(name) with \(servers - 1) servers: \(smaller)")
            }
        }
        #expect(r.stdout.contains("| phase-2 | removed | 2027-Q"))
    }

    @Test func whatCannotArriveInTimeIsReportedAndBadTargetsAreLocated() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let scenario = tmp.appendingPathComponent("phased.yaml"), targets = tmp.appendingPathComponent("targets.yaml")
        try Self.scenario.write(to: scenario, atomically: true, encoding: .utf8)
        // Only the late candidate: every quarter that needs more servers misses; exit 1, said.
        let lateOnly = Self.targets.replacingOccurrences(of: "price: 3\n    max: 12", with: "price: 3\n    leadTime: 400d")
            .replacingOccurrences(of: "leadTime: 30d", with: "leadTime: 500d")
        try lateOnly.write(to: targets, atomically: true, encoding: .utf8)
        let late = try iccsim(["plan", scenario.path, "--phased", "quarter", "--targets", targets.path, "--out", tmp.appendingPathComponent("p.yaml").path] + Self.window)
        #expect(late.status == 1 && late.stdout.contains("**no**") && late.stdout.contains("can be ordered, delivered and commissioned in time"), "\(late.stdout)")
        // Orders placed a year before the start: the cheapest candidate, with its 400-day lead
        // time, can now arrive in time, and every phase is of it.
        try ("orderFrom: 2026-01-01\n" + Self.targets).write(to: targets, atomically: true, encoding: .utf8)
        let early = try iccsim(["plan", scenario.path, "--phased", "quarter", "--targets", targets.path, "--out", tmp.appendingPathComponent("e.yaml").path] + Self.window)
        #expect(early.status == 0 && early.stdout.contains("× late (") && !early.stdout.contains("× cheap (") && early.stdout.contains("| 2026-"), "\(early.stdout)")
        // A phased plan bounds a period's figures: a summary-only figure is located.
        try Self.targets.replacingOccurrences(of: "wait_mean_s", with: "jobs_rejected").write(to: targets, atomically: true, encoding: .utf8)
        let bad = try iccsim(["plan", scenario.path, "--phased", "quarter", "--targets", targets.path])
        #expect(bad.status == 2 && bad.stderr.contains("targets.yaml:3:") && bad.stderr.contains("each period's figures"), "\(bad.stderr)")
        // A scenario without a start date cannot date phases: located at its top level.
        let undated = tmp.appendingPathComponent("undated.yaml")
        try Self.scenario.replacingOccurrences(of: "start: 2027-01-01\n", with: "").write(to: undated, atomically: true, encoding: .utf8)
        try Self.targets.write(to: targets, atomically: true, encoding: .utf8)
        let noStart = try iccsim(["plan", undated.path, "--phased", "quarter", "--targets", targets.path])
        #expect(noStart.status == 2 && noStart.stderr.contains("undated.yaml:1:") && noStart.stderr.contains("start date"), "\(noStart.stderr)")
        // Candidates without --phased, and --phased without candidates, are refused.
        try Self.targets.write(to: targets, atomically: true, encoding: .utf8)
        let noFlag = try iccsim(["plan", scenario.path, "--targets", targets.path, "--vary", "cluster.servers.0.count=4,8"])
        #expect(noFlag.status != 0 && noFlag.stderr.contains("give --phased"), "\(noFlag.stderr)")
        try "seeds: 1\ntargets: [{metric: wait_mean_s, max: 60}]\n".write(to: targets, atomically: true, encoding: .utf8)
        let noCandidates = try iccsim(["plan", scenario.path, "--phased", "quarter", "--targets", targets.path])
        #expect(noCandidates.status != 0 && noCandidates.stderr.contains("lists no candidates"), "\(noCandidates.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "Results/plan-phased-phased.yaml"))
    }
}
