import Foundation
import Testing

/// A job-level run of a center built in phases through the CLI, reported quarter by quarter
/// (`--periods quarter`) with its `/jobs` thinned (`--jobs-sample`): the periods follow the
/// phases, the run is deterministic, and bad values of the new flags are refused.
@Suite struct MultiYearRunTests {
    static let scenario = """
        name: years
        seed: 3
        horizon: 1y
        start: 2027-01-01
        cluster:
          servers:
            - {name: hgx, preset: hgx-a100-8, count: 4}
            - {name: more, preset: hgx-a100-8, count: 4, phase: second}
          phases:
            - {name: second, arrive: 2027-06-01, commissioning: 10d}
        workload:
          growth: {cagr: 100%}
        \(vision)
        """

    /// One application: 100 small CNN trainings a day.
    static let vision = vision(jobs: ["{kind: training, model: cnn, perDay: 100, accelerators: 1, samples: 20M}"])

    /// One application, a city's CNN, with these job-mix lines (`applications:` and below, indented
    /// to sit under `workload:`).
    static func vision(jobs: [String]) -> String {
        """
          applications:
            - name: vision
              tenants: [{name: city, type: government}]
              models: [{name: cnn, family: cnn, parameters: 25M, trainFlopsPerSample: 24.6GFLOP}]
              jobs:
        """ + jobs.map { "\n        - \($0)" }.joined()
    }

    @Test func periodsOfAFullRunFollowThePhasesAndRepeat() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let file = tmp.appendingPathComponent("years.yaml")
        try Self.scenario.write(to: file, atomically: true, encoding: .utf8)
        let a = tmp.appendingPathComponent("a"), b = tmp.appendingPathComponent("b")
        for dir in [a, b] {
            let r = try iccsim(["run", file.path, "--periods", "quarter", "--jobs-sample", "10%", "--out", dir.path, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        for name in ["summary.json", "trace.h5", "summary.md"] {
            #expect(fileData(a.appendingPathComponent(name)) == fileData(b.appendingPathComponent(name)), "same seed, same \(name)")
        }
        let s = try JSONSerialization.jsonObject(with: fileData(a.appendingPathComponent("summary.json"))!) as! [String: Any]
        let periods = try #require(s["periods"] as? [String: [String: Any]])
        #expect(periods.keys.sorted() == ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"])
        // Phase 2 is in service from 2027-06-11: 32 accelerators in the first two quarters' middles, 64 after.
        #expect(periods.keys.sorted().map { periods[$0]!["accelerators"] as? Int } == [32, 32, 64, 64])
        // The quarters' jobs add up to the run's (every job is submitted in some quarter's day).
        let days = periods.values.map { ($0["end_day"] as! Double) - ($0["start_day"] as! Double) }
        let jobs = zip(periods.keys.sorted().map { periods[$0]!["jobs_submitted_per_day"] as! Double }, periods.keys.sorted().map { periods[$0]! })
            .reduce(0.0) { $0 + $1.0 * Double($1.1["window_days"] as! Int) }
        #expect(abs(jobs - Double(s["jobs_submitted"] as! Int)) < 0.5, "\(jobs) vs \(s["jobs_submitted"]!)")
        #expect(days.allSatisfy { $0 > 90 && $0 < 92 })
        let md = String(decoding: fileData(a.appendingPathComponent("summary.md"))!, as: UTF8.self)
        #expect(md.contains("# years: by quarter") && md.contains("| 2027-Q3 | 64 |"), "\(md.suffix(800))")
        // The report puts the years on one page first: the periods' table and four plots of them.
        let page = tmp.appendingPathComponent("years.html")
        #expect(try iccsim(["report", a.path, "--out", page.path]).status == 0)
        let html = String(decoding: fileData(page)!, as: UTF8.self)
        let years = try #require(html.range(of: "<h2>The years, period by period</h2>"))
        #expect(html.range(of: "<h2>Utilisation and queue over time</h2>")!.lowerBound > years.lowerBound)
        #expect(html.contains("<td class=\"t\">2027-Q3</td>") || html.contains("<td>2027-Q3</td>"), "the periods' table")
        #expect(html.components(separatedBy: "2027-Q4").count > 4, "each plot's categories name the quarters")
        // A sampled run's page is its years alone.
        let sampled = tmp.appendingPathComponent("s"), sampledPage = tmp.appendingPathComponent("s.html")
        #expect(try iccsim(["run", file.path, "--sampled", "quarter", "--sample-length", "2d", "--sample-warmup", "1d", "--out", sampled.path, "--quiet"]).status == 0)
        #expect(try iccsim(["report", sampled.path, "--out", sampledPage.path]).status == 0)
        let sp = String(decoding: fileData(sampledPage)!, as: UTF8.self)
        #expect(sp.contains("sampled by quarter: 4 periods") && sp.contains("<h2>The years, period by period</h2>") && !sp.contains("<h2>Utilisation and queue"))
        #expect(sp.components(separatedBy: "<svg").count == 5)
        // Bad values are refused before anything is written.
        for bad in [["--jobs-sample", "0"], ["--jobs-sample", "150%"], ["--periods", "week"]] {
            let c = tmp.appendingPathComponent("bad")
            let r = try iccsim(["run", file.path, "--out", c.path, "--quiet"] + bad)
            #expect(r.status == 2 && !FileManager.default.fileExists(atPath: c.path), "\(bad): \(r.status) \(r.stderr)")
        }
    }
}

extension MultiYearRunTests {
    /// Reference: the run's own cost of ownership. A 60-day run with a price list and a
    /// time-of-use tariff, reported month by month: the months' costs (a day's mean × the days)
    /// add up to the run's `power.tco` (to 1e-6: the energy at each hour's tariff, and the
    /// capital, maintenance and staff a day), every month costs something, and `summary.md`
    /// shows the cost a day in the currency.
    @Test func periodsCarryTheirCost() throws {
        let text = """
            name: costs
            seed: 2
            horizon: 60d
            cluster:
              servers:
                - {name: hgx, preset: hgx-a100-8, count: 4, pool: train}
            workload:
            \(Self.vision)
            power:
              pue: 1.3
              interval: 15min
              tariff: {currency: CNY, flat: 0.65, peak: 1.04, valley: 0.26, peakHours: [10, 11, 18, 19], valleyHours: [0, 1, 2, 3]}
              prices: {currency: CNY, servers: [{pool: train, price: 1500000}], switchPort: 6000, storage: 200000, buildingPerKW: 30000,
                       maintenance: 0.05, staffPerYear: 500000}
            """
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let file = tmp.appendingPathComponent("costs.yaml"), out = tmp.appendingPathComponent("run")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = try iccsim(["run", file.path, "--periods", "month", "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try JSONSerialization.jsonObject(with: fileData(out.appendingPathComponent("summary.json"))!) as! [String: Any]
        let periods = try #require(s["periods"] as? [String: [String: Any]])
        let tco = try #require((s["power"] as? [String: Any])?["tco"] as? Double)
        let costs = periods.values.map { ($0["cost_per_day"] as? Double ?? .nan) * Double($0["window_days"] as! Int) }
        #expect(costs.allSatisfy { $0 > 0 } && abs(costs.reduce(0, +) / tco - 1) < 1e-6, "\(costs) vs \(tco)")
        let md = String(decoding: fileData(out.appendingPathComponent("summary.md"))!, as: UTF8.self)
        #expect(md.contains("cost a day") && md.contains("Costs in CNY a day"))
    }

    /// Reference: Erlang C (rate level), per period. A service capped at the 8 replicas one
    /// server holds (its peak needs 22) under a demand that triples in the third quarter: each
    /// quarter's SLO attainment is its own requests' (Q1 about 1; Q3 and Q4 0, an overloaded
    /// queue never meets a target), the run's lies between, and keeping periods changes nothing
    /// of the run's own figures.
    @Test func periodsCarryTheirServicesAttainment() throws {
        let text = """
            name: serving-years
            seed: 3
            horizon: 1y
            start: 2027-01-01
            cluster:
              servers:
                - {name: hgx, preset: hgx-a100-8, count: 1}
            workload:
              growth: {quarterly: [1, 1, 3, 3]}
              applications:
                - name: vision
                  tenants: [{name: city, type: government}]
                  models: [{name: cnn, family: cnn, parameters: 25M, trainFlopsPerSample: 24.6GFLOP}]
                  jobs: []
                  services:
                    - {name: cameras, model: cnn, requestsPerSecond: 2000, tokensPerRequest: 100, flopsPerPass: 4GFLOP, latencyTarget: 50ms}
            """
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let file = tmp.appendingPathComponent("serving.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        var summaries: [[String: Any]] = []
        for (name, flags) in [("periods", ["--periods", "quarter"]), ("whole", [])] {
            let out = tmp.appendingPathComponent(name)
            let r = try iccsim(["run", file.path, "--out", out.path, "--quiet"] + flags)
            #expect(r.status == 0, "\(r.stderr)")
            summaries.append(try JSONSerialization.jsonObject(with: fileData(out.appendingPathComponent("summary.json"))!) as! [String: Any])
        }
        let periods = try #require(summaries[0]["periods"] as? [String: [String: Any]])
        let slo = periods.keys.sorted().map { periods[$0]!["slo_attainment"] as? Double ?? .nan }
        let whole = try #require((summaries[0]["serving"] as? [String: Any])?["slo_attainment"] as? Double)
        #expect(slo.count == 4 && slo[0] > 0.99 && slo[2] == 0 && slo[3] == 0, "\(slo)")
        #expect(whole > slo.min()! && whole < slo.max()!, "\(whole) within \(slo)")
        let serving = { (s: [String: Any]) in try JSONSerialization.data(withJSONObject: s["serving"]!, options: .sortedKeys) }
        #expect(try serving(summaries[0]) == serving(summaries[1]), "the run's serving figures with and without periods")
    }
}

extension MultiYearRunTests {
    /// A sampled run of `Scenarios/examples/saturated-quarter.yaml` (a pool offered 1.3 times its
    /// capacity for a quarter, then 0.7 times):
    /// `summary.json` says which periods started with a queue carried in (the second quarter's,
    /// about 34 days of its demand: the first quarter's 27 days of capacity left over, less the
    /// warm-up's first two weeks of draining, over 0.7 of a day's capacity a day; the first's
    /// about 3 days: 14 days of 0.3 over 1.3) and `summary.md` lists them; with `--sample-queue
    /// empty` none does; its one pool's figures under `pools` are the period's; a bad value is
    /// refused before anything is written.
    @Test func sampledRunsSayWhichPeriodsCarriedAQueue() throws {
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let file = repositoryRoot.appendingPathComponent("Scenarios/examples/saturated-quarter.yaml")
        func periods(_ dir: URL) throws -> [String: [String: Any]] {
            let s = try JSONSerialization.jsonObject(with: try #require(fileData(dir.appendingPathComponent("summary.json")))) as! [String: Any]
            return try #require(s["periods"] as? [String: [String: Any]])
        }
        let carried = tmp.appendingPathComponent("carried"), empty = tmp.appendingPathComponent("empty")
        #expect(try iccsim(["run", file.path, "--sampled", "quarter", "--out", carried.path, "--quiet"]).status == 0)
        let q = try periods(carried)
        let first = try #require((q["2027-Q1"]?["carried_queue_days"] as? [String: Double])?["training"])
        let second = try #require((q["2027-Q2"]?["carried_queue_days"] as? [String: Double])?["training"])
        #expect(abs(first - 0.3 * 14 / 1.3) < 0.5 && abs(second - (0.3 * 91 - 0.3 * 14) / 0.7) < 4, "\(first) \(second)")
        // Its one pool's figures are the center's.
        for (label, p) in q {
            let pool = try #require((p["pools"] as? [String: [String: Any]])?["training"], "\(label)")
            for key in ["accelerators", "jobs_submitted_per_day", "offered_load", "utilization", "wait_mean_s", "wait_mean_s_ci95", "queued_jobs"] {
                let a = try #require(pool[key] as? Double, "\(label) \(key)"), b = try #require(p[key] as? Double, "\(label) \(key)")
                #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(label) \(key): \(a) vs \(b)")
            }
        }
        let md = String(decoding: try #require(fileData(carried.appendingPathComponent("summary.md"))), as: UTF8.self)
        #expect(md.contains("started with the queue the center carried in") && md.contains("2027-Q2 (training "), "\(md)")
        #expect(md.contains("| 2027-Q2 | training | 32 |"), "\(md)")
        #expect(try iccsim(["run", file.path, "--sampled", "quarter", "--sample-queue", "empty", "--out", empty.path, "--quiet"]).status == 0)
        #expect(try periods(empty).values.allSatisfy { $0["carried_queue_days"] == nil })
        let bad = tmp.appendingPathComponent("bad")
        let r = try iccsim(["run", file.path, "--sampled", "quarter", "--sample-queue", "full", "--out", bad.path, "--quiet"])
        #expect(r.status == 2 && r.stderr.contains("--sample-queue expects carried or empty, got 'full'") && !FileManager.default.fileExists(atPath: bad.path), "\(r.stderr)")
    }
}

extension MultiYearRunTests {
    /// Reference: the run's own `/jobs` and `/utilization_pools`, read from its CSV export. A
    /// 60-day run of two pools (a job-mix line pinned to each, the smaller one loaded to about
    /// 87% so its jobs wait), reported month by month: each pool's jobs a day, mean wait,
    /// utilisation and jobs waiting in each month are those of its rows (job counts and waits,
    /// and the time-weighted busy accelerators and jobs waiting, to 1e-9), the pools' offered
    /// work adds up to the center's, `/period_pools` holds what `summary.json` says, and the
    /// report plots the pools.
    @Test func periodsReportEachPool() throws {
        let text = """
            name: pools
            seed: 5
            horizon: 60d
            cluster:
              servers:
                - {name: big, preset: hgx-a100-8, count: 4, pool: big}
                - {name: small, preset: hgx-a100-8, count: 1, pool: small}
            workload:
            \(Self.vision(jobs: ["{kind: training, model: cnn, perDay: 100, accelerators: 1, samples: 20M, pool: big}",
                                 "{kind: training, model: cnn, perDay: 65, accelerators: 2, samples: 40M, pool: small}"]))
            """
        let tmp = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let file = tmp.appendingPathComponent("pools.yaml"), out = tmp.appendingPathComponent("run"), csv = tmp.appendingPathComponent("csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = try iccsim(["run", file.path, "--periods", "month", "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try iccsim(["export", "csv", out.path, "--out", csv.path]).status == 0)
        let s = try JSONSerialization.jsonObject(with: fileData(out.appendingPathComponent("summary.json"))!) as! [String: Any]
        let periods = try #require(s["periods"] as? [String: [String: Any]])
        #expect(periods.count == 2)
        let jobs = try csvRows(csv.appendingPathComponent("jobs.csv"))
        let busy = try csvRows(csv.appendingPathComponent("utilization_pools.csv"))
        let table = try csvRows(csv.appendingPathComponent("period_pools.csv"))
        let day = 86_400e9
        for (label, p) in periods {
            let pools = try #require(p["pools"] as? [String: [String: Any]], "\(label)")
            #expect(pools.keys.sorted() == ["big", "small"])
            // A full run's period counts the whole days that start in it.
            let days = Double(p["window_days"] as! Int), from = (p["window_start_day"] as! Double) * day, to = from + days * day
            var offered = 0.0
            for (name, capacity) in [("big", 32.0), ("small", 8.0)] {
                let f = pools[name]!
                #expect(f["accelerators"] as? Int == Int(capacity))
                let mine = jobs.filter { $0["pool"] == name && Double($0["submit_ns"]!)! >= from && Double($0["submit_ns"]!)! < to }
                #expect(abs((f["jobs_submitted_per_day"] as! Double) * days - Double(mine.count)) < 1e-9, "\(label) \(name) jobs")
                // A job still waiting at the end (`start_ns` -1) has waited until then.
                let wait = mine.reduce(0.0) { $0 + (Double($1["start_ns"]!)! >= 0 ? Double($1["wait_ns"]!)! : 60 * day - Double($1["submit_ns"]!)!) } / Double(mine.count) / 1e9
                #expect(abs((f["wait_mean_s"] as! Double) - wait) <= 1e-9 * wait, "\(label) \(name): wait \(f["wait_mean_s"]!) vs \(wait)")
                // The time-weighted busy accelerators and jobs waiting of the pool's samples over the month.
                let samples = busy.filter { $0["pool"] == name }.map { (Double($0["time_ns"]!)!, Double($0["busy_accelerators"]!)!, Double($0["queued_jobs"]!)!) }
                var held = 0.0, queued = 0.0
                for (k, x) in samples.enumerated() {
                    let span = max(0, min(k + 1 < samples.count ? samples[k + 1].0 : to, to) - max(x.0, from))
                    held += span * x.1
                    queued += span * x.2
                }
                let util = f["utilization"] as! Double
                #expect(abs(util - held / (capacity * (to - from))) < 1e-9, "\(label) \(name): utilisation \(util) vs \(held / (capacity * (to - from)))")
                #expect(abs((f["queued_jobs"] as! Double) - queued / (to - from)) < 1e-9, "\(label) \(name): jobs waiting")
                offered += (f["offered_load"] as! Double) * capacity
                let row = try #require(table.first { $0["pool"] == name && $0["period"] == String(Int(p["period"] as! Int)) })
                #expect(abs(Double(row["utilization"]!)! / util - 1) < 1e-12 && abs(Double(row["queued_jobs"]!)! - (f["queued_jobs"] as! Double)) < 1e-12)
            }
            #expect(abs(offered / (p["offered_load"] as! Double) / 40 - 1) < 1e-9, "\(label): the pools' offered work is the center's")
            #expect((pools["small"]!["utilization"] as! Double) > 0.5 && (pools["small"]!["wait_mean_s"] as! Double) > 0, "\(label): the small pool is loaded")
        }
        let md = String(decoding: fileData(out.appendingPathComponent("summary.md"))!, as: UTF8.self)
        #expect(md.contains("## By pool") && md.contains("| small | 8 |"), "\(md.suffix(600))")
        // The report plots each pool's utilisation and, the small pool's jobs waiting, their mean waits.
        let page = tmp.appendingPathComponent("pools.html")
        #expect(try iccsim(["report", out.path, "--out", page.path]).status == 0)
        let html = String(decoding: try #require(fileData(page)), as: UTF8.self)
        #expect(html.contains("Utilisation by pool") && html.contains("Mean wait by pool"))
    }

    /// The rows of a CSV file with a header (no quoted commas), as column → text.
    func csvRows(_ url: URL) throws -> [[String: String]] {
        let lines = String(decoding: try #require(fileData(url), "\(url.path)"), as: UTF8.self).split(separator: "\n").map(String.init)
        let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) ?? []
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
    }
}
