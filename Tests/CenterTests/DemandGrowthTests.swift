import Configuration
import Records
import Foundation
import Scenario
import SimKernel
import Testing
import Workloads

/// Demand over the years: growth paths, seasons, holidays and city drivers. Each count of jobs
/// submitted per period is checked against the integral of the stated rate over the period
/// (computed here from the path's formula, not from the simulator's day-by-day table) within
/// Poisson confidence: |N − E| ≤ 4·√E (a 4-sigma band; a fixed seed makes the test
/// deterministic, and at this width twelve honest quarters fail together about once in 1,300
/// seeds).
@Suite struct DemandGrowthTests {
    static let perDay = 400.0

    /// A one-application scenario with a flat cycle and `extra` (growth, season, start, city).
    static func scenarioText(horizon: String, app extra: String = "", workload: String = "", top: String = "") -> String {
        """
        name: growth
        seed: 11
        horizon: \(horizon)
        \(top)
        cluster:
          servers:
            - {name: hgx, preset: hgx-a100-8, count: 4}
        workload:
        \(workload)
          applications:
            - name: vision
              tenants: [{name: city, type: government}]
              models: [{name: cnn, family: cnn, parameters: 25M, trainFlopsPerSample: 24.6GFLOP}]
              jobs:
                - {kind: training, model: cnn, perDay: \(perDay), accelerators: 1, samples: 1000}
        \(extra)
        """
    }

    /// Submission times (days) of every job the scenario's demand generates.
    static func submissionDays(_ text: String) throws -> [Double] {
        let s = try ScenarioLoader.load(text: text, file: "growth.yaml", defaultName: "growth").scenario
        let plan = try DemandPlan(s, streams: RandomStreams(masterSeed: s.seed), horizonNs: s.horizon!.baseUnits)
        var days: [Double] = []
        for source in plan.sources {
            while let j = source.next() { days.append(Double(j.submitNs) / Double(SimTime.nsPerDay)) }
        }
        return days
    }

    /// Counts in `[edges[i], edges[i+1])` days.
    static func counts(_ days: [Double], edges: [Double]) -> [Int] {
        (0..<edges.count - 1).map { i in days.filter { $0 >= edges[i] && $0 < edges[i + 1] }.count }
    }

    /// Each count within 4 √E of its expectation.
    static func expectPoisson(_ n: [Int], _ e: [Double], _ what: String) {
        for i in n.indices {
            #expect(abs(Double(n[i]) - e[i]) <= 4 * e[i].squareRoot(), "\(what) period \(i): \(n[i]) jobs, expected \(e[i]) ± \(4 * e[i].squareRoot())")
        }
    }

    static let quarterEdges = (0...12).map { Double($0) * 365.0 / 4 }

    @Test func compoundGrowthMatchesItsIntegralEveryQuarter() throws {
        let days = try Self.submissionDays(Self.scenarioText(horizon: "3y", workload: "  growth: {cagr: 40%}"))
        // E over [a, b] days = r ∫ 1.4^(t/365) dt = r · 365/ln 1.4 · (1.4^(b/365) − 1.4^(a/365)).
        let e = (0..<12).map { q in
            Self.perDay * 365 / log(1.4) * (pow(1.4, Self.quarterEdges[q + 1] / 365) - pow(1.4, Self.quarterEdges[q] / 365))
        }
        Self.expectPoisson(Self.counts(days, edges: Self.quarterEdges), e, "cagr 40%")
        // The last quarter offers 1.4^2.75 = 2.52 times the first.
        let n = Self.counts(days, edges: Self.quarterEdges)
        #expect(abs(Double(n[11]) / Double(n[0]) - pow(1.4, 2.75)) < 0.08, "\(n)")
    }

    @Test func adoptionCurveAndQuarterlyTableMatchTheirIntegrals() throws {
        let adoption = try Self.submissionDays(Self.scenarioText(horizon: "3y", app: "      growth: {adoption: {saturation: 4, midpoint: 540d, width: 120d}}"))
        // The logistic's integral by the midpoint rule at 0.01-day steps (independent of the
        // simulator's day-by-day factor).
        func factor(_ t: Double) -> Double {
            func l(_ x: Double) -> Double { 1 / (1 + exp(-(x - 540) / 120)) }
            return 1 + 3 * (l(t) - l(0)) / (1 - l(0))
        }
        let e = (0..<12).map { q -> Double in
            let a = Self.quarterEdges[q], b = Self.quarterEdges[q + 1], steps = Int((b - a) * 100)
            return (0..<steps).reduce(0) { $0 + factor(a + (Double($1) + 0.5) / 100) } / 100 * Self.perDay
        }
        Self.expectPoisson(Self.counts(adoption, edges: Self.quarterEdges), e, "adoption")

        let table = [1.0, 1.2, 0.8, 2.0]
        let quarterly = try Self.submissionDays(Self.scenarioText(horizon: "1y", app: "      growth: {quarterly: [1, 1.2, 0.8, 2]}"))
        let q4 = Array(Self.quarterEdges.prefix(5))
        Self.expectPoisson(Self.counts(quarterly, edges: q4), table.map { $0 * Self.perDay * 365 / 4 }, "quarterly")
    }

    @Test func seasonsAndHolidaysFollowTheCalendar() throws {
        // From 2027-01-01 (a Friday), a season doubling demand in July and August (normalised),
        // and a week of Spring Festival (2027-02-06 to 02-12) at a fifth of the demand.
        let monthly = [1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1.0]
        let mean = monthly.reduce(0, +) / 12
        let text = Self.scenarioText(horizon: "365d", app: """
              seasonality:
                monthly: [1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1]
                holidays: [{name: spring-festival, from: 2027-02-06, to: 2027-02-12, factor: 0.2}]
        """, top: "start: 2027-01-01")
        let days = try Self.submissionDays(text)
        let monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var edges = [0.0]
        for d in monthDays { edges.append(edges.last! + Double(d)) }
        let e = (0..<12).map { m -> Double in
            let holiday = m == 1 ? 7 * (0.2 - 1) : 0  // seven days of February at 0.2 instead of 1
            return Self.perDay * monthly[m] / mean * (Double(monthDays[m]) + holiday)
        }
        Self.expectPoisson(Self.counts(days, edges: edges), e, "season")
        // The holiday itself: 7 days at a fifth of February's rate.
        let festival = days.filter { $0 >= 36 && $0 < 43 }.count
        Self.expectPoisson([festival], [Self.perDay / mean * 0.2 * 7], "festival")
    }

    @Test func cityFiguresDriveDemandThroughTheDriversFactor() throws {
        // Rates written for 50,000 cameras, in a city of 200,000: four times the jobs.
        let text = Self.scenarioText(horizon: "30d", app: "      driver: {unit: cameras, reference: 50000, source: test}",
                                     workload: "  city: {cameras: 200000}")
        let n = try Self.submissionDays(text).count
        Self.expectPoisson([n], [4 * Self.perDay * 30], "driver")
        let s = try ScenarioLoader.load(text: text, file: "growth.yaml", defaultName: "growth").scenario
        #expect(s.workload.applications[0].rateScale == 4)
    }

    /// The shipped application files state their drivers with a source, for the reference city
    /// of 3 million people; the example city of 8 million scales each application by its own
    /// count over that reference (200,000 cameras over 165,000; 8 million residents over 3), and
    /// an application whose unit the city does not give keeps its written rates.
    @Test func shippedApplicationsCarrySourcedDriversAndTheExampleCityScalesThem() throws {
        let path = repositoryRoot.appendingPathComponent("Scenarios/examples/city-drivers.yaml").path
        let s = try ScenarioLoader.load(path: path).scenario
        #expect(s.workload.applications.count == 11)
        for app in s.workload.applications {
            let d = try #require(app.driver, "\(app.name) has no driver")
            #expect(d.reference > 0 && d.source.count > 20, "\(app.name): \(d)")
        }
        func factor(_ name: String) -> Double? { s.workload.applications.first { $0.name == name }?.rateScale }
        #expect(abs(try #require(factor("recognition-detection")) - 200_000.0 / 165_000) < 1e-12)
        #expect(abs(try #require(factor("voice-interaction")) - 8.0 / 3) < 1e-12)
        #expect(abs(try #require(factor("smart-logistics")) - 2_000_000.0 / 770_000) < 1e-12)
        // Without the city's figures the same files keep their written rates.
        let city = try ScenarioLoader.load(path: repositoryRoot.appendingPathComponent("Scenarios/city-center.yaml").path).scenario
        #expect(city.workload.applications.allSatisfy { $0.rateScale == $0.scale })
    }

    @Test func badTrendInputIsLocated() {
        let cases: [(String, String)] = [
            (Self.scenarioText(horizon: "3y", workload: "  growth: {cagr: -250%}"),
             "growth.yaml:9:18: workload.growth.cagr must be above -100% (demand cannot fall below zero) and at most 10000% a year, got -250%"),
            (Self.scenarioText(horizon: "3y", workload: "  growth: {cagr: 5%, quarterly: [1]}"), "needs exactly one of cagr"),
            (Self.scenarioText(horizon: "3y", workload: "  growth: {cagr: fast}"), "expected a fraction (0.4) or a percentage (40%), found 'fast'"),
            (Self.scenarioText(horizon: "3y", app: "      seasonality: {monthly: [1, 2]}", top: "start: 2027-01-01"), "needs 12 non-negative numbers"),
            (Self.scenarioText(horizon: "3y", app: "      seasonality: {monthly: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]}"),
             "has a seasonality, which follows the calendar: give the scenario a 'start' date"),
            (Self.scenarioText(horizon: "3y", top: "start: 2027-02-30"), "start must be a date YYYY-MM-DD, got '2027-02-30'"),
            (Self.scenarioText(horizon: "3y", app: "      seasonality: {holidays: [{from: 13-01, factor: 0.5}]}", top: "start: 2027-01-01"),
             "from must be a date MM-DD (every year) or YYYY-MM-DD"),
            (Self.scenarioText(horizon: "3y", app: "      driver: {unit: cameras}"), "has no factor: give 'reference'"),
            (Self.scenarioText(horizon: "3y", app: "      driver: {unit: cameras, reference: 10}", workload: "  city: {camera: 5}"),
             "workload.city.camera drives no application (did you mean 'cameras'?)"),
        ]
        for (text, expected) in cases {
            do {
                _ = try ScenarioLoader.load(text: text, file: "growth.yaml", defaultName: "growth")
                Issue.record("accepted: \(expected)")
            } catch {
                let message = "\(error)"
                #expect(message.contains(expected), "\(message)")
                #expect(message.contains("growth.yaml:"), "not located: \(message)")
            }
        }
    }

    @Test func civilDatesAndWeekdays() {
        #expect(CivilDate("2026-12-02")?.weekday == 2)  // a Wednesday
        #expect(CivilDate("2024-02-29")?.adding(days: 1).description == "2024-03-01")
        #expect(CivilDate("2023-02-29") == nil && CivilDate("2026-13-01") == nil && CivilDate("26-01-01") == nil)
        #expect(CivilDate(dayNumber: 0).description == "1970-01-01")
        for n in stride(from: -800_000, through: 2_900_000, by: 997) { #expect(CivilDate(dayNumber: n).dayNumber == n) }
    }
}

/// The sampled mode: one window per period, the center in service then, the period's mean demand.
@Suite struct SampledRunTests {
    static let text = DemandGrowthTests.scenarioText(horizon: "1y", app: "", workload: "  growth: {cagr: 100%}", top: "start: 2027-01-01")
        .replacingOccurrences(of: "    - {name: hgx, preset: hgx-a100-8, count: 4}", with: """
            - {name: hgx, preset: hgx-a100-8, count: 4}
            - {name: more, preset: hgx-a100-8, count: 4, phase: second}
          phases:
            - {name: second, arrive: 2027-06-01, commissioning: 10d}
        """)

    @Test func periodsFollowPhasesAndGrowthAndDoNotDependOnWorkers() throws {
        let s = try ScenarioLoader.load(text: Self.text, file: "sampled.yaml", defaultName: "sampled").scenario
        let o = try #require(SampledRun.Options(period: "quarter", lengthNs: 2 * SimTime.nsPerDay, warmupNs: SimTime.nsPerDay))
        let one = try SampledRun.run(s, o, workers: 1), two = try SampledRun.run(s, o, workers: 2)
        #expect(one.count == 4)
        // Phase 2 is in service from 2027-06-11: quarters 3 and 4 (windows in mid-August and
        // mid-November) have 64 accelerators, the first two 32.
        #expect(one.map(\.accelerators) == [32, 32, 64, 64])
        // Demand doubles a year: each quarter's jobs a day against the period's mean factor,
        // r · ∫ 2^t over the quarter / its length, within Poisson confidence over the window.
        for p in one {
            let a = Double(p.periodStartNs) / Double(SimTime.nsPerDay) / 365, b = Double(p.periodEndNs) / Double(SimTime.nsPerDay) / 365
            let factor = (pow(2, b) - pow(2, a)) / log(2) / (b - a)
            let expected = DemandGrowthTests.perDay * factor * 2, n = Double(p.days.reduce(0) { $0 + $1.jobsSubmitted })
            #expect(abs(n - expected) <= 4 * expected.squareRoot(), "period \(p.index): \(n) jobs, expected \(expected)")
            #expect(p.utilization.mean >= 0 && p.utilization.mean <= 1 && p.utilization.ci95 >= 0)
        }
        // Same figures whether the periods ran one or two at a time.
        #expect(one.map { $0.days.map(\.utilization) } == two.map { $0.days.map(\.utilization) })
        #expect(one.map { $0.days.map(\.waitSumS) } == two.map { $0.days.map(\.waitSumS) })
        // Two windows a period, a quarter apart: twice the days, pooled, at the same demand.
        var o2 = o
        o2.windows = 2
        let two2 = try SampledRun.run(s, o2, workers: 2)
        #expect(two2.map(\.days.count) == [4, 4, 4, 4] && two2.map(\.accelerators) == [32, 32, 64, 64])
        for (p2, p) in zip(two2, one) {
            let n = Double(p2.days.reduce(0) { $0 + $1.jobsSubmitted }), e = p.jobsPerDay.mean * 4
            #expect(abs(n - e) <= 4 * e.squareRoot() + 0.05 * e, "period \(p.index): \(n) jobs in two windows, about \(e) expected")
        }
        // The full job-level run through the phases, quarter by quarter, agrees with the
        // samples: jobs a day and utilisation within the sample's 95% half-width (plus 2
        // points for the days' correlation), the accelerators in the middle of each quarter.
        let full = try RunPeriods.run(s, sink: NullSink(), o).periods
        #expect(full.map(\.accelerators) == [32, 32, 64, 64])
        for (f, p) in zip(full, one) {
            #expect(abs(f.jobsPerDay.mean - p.jobsPerDay.mean) <= p.jobsPerDay.ci95 + 0.02 * p.jobsPerDay.mean, "quarter \(p.index): \(f.jobsPerDay) vs \(p.jobsPerDay)")
            #expect(abs(f.utilization.mean - p.utilization.mean) <= p.utilization.ci95 + 0.02, "quarter \(p.index): \(f.utilization) vs \(p.utilization)")
        }
    }

    /// A period's further windows are independent replications: under steady demand (no growth,
    /// season or cycle) the first window draws the same jobs as a one-window run (the scenario's
    /// seed), the second others; and with two windows each half-width is Student's t with one
    /// degree of freedom on the spread of the two windows' means (12.706 × |m0 − m1| / 2).
    @Test func furtherWindowsAreIndependentReplicationsAndSetTheInterval() throws {
        let text = DemandGrowthTests.scenarioText(horizon: "180d", top: "start: 2027-01-01")
        let s = try ScenarioLoader.load(text: text, file: "windows.yaml", defaultName: "windows").scenario
        var o = try #require(SampledRun.Options(period: "quarter", lengthNs: 3 * SimTime.nsPerDay, warmupNs: SimTime.nsPerDay))
        let one = try SampledRun.run(s, o, workers: 2)
        o.windows = 2
        let two = try SampledRun.run(s, o, workers: 2)
        for (p1, p2) in zip(one, two) {
            #expect(p2.windows == 2 && p2.days.count == 6)
            let first = p2.days.prefix(3).map(\.jobsSubmitted), second = p2.days.suffix(3).map(\.jobsSubmitted)
            #expect(first == p1.days.map(\.jobsSubmitted), "window 0 keeps the scenario's seed")
            #expect(first != second, "window 1 draws its own jobs: \(first) and \(second)")
            for (figure, value) in [(p2.utilization, { (d: PeriodFigures.Day) in d.utilization }),
                                    (p2.offeredLoad, { (d: PeriodFigures.Day) in d.offeredLoad })] {
                let m0 = p2.days.prefix(3).map(value).reduce(0, +) / 3, m1 = p2.days.suffix(3).map(value).reduce(0, +) / 3
                #expect(abs(figure.mean - (m0 + m1) / 2) < 1e-12)
                #expect(abs(figure.ci95 - 12.706 * abs(m0 - m1) / 2) < 1e-12, "\(figure) from window means \(m0), \(m1)")
            }
        }
    }

    /// Every sample follows the scenario's calendar: a season three times as heavy in January
    /// shows in the January sample only (each period's jobs a day against the mean factor over
    /// the period's days, from the calendar, within Poisson confidence), not in a sample six
    /// months on (which read the season at dates shifted by its own offset).
    @Test func seasonsFollowTheScenarioCalendarInEverySample() throws {
        let text = DemandGrowthTests.scenarioText(horizon: "365d", workload: "  seasonality: {monthly: [3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}",
                                                  top: "start: 2027-01-01")
        let s = try ScenarioLoader.load(text: text, file: "season.yaml", defaultName: "season").scenario
        let o = try #require(SampledRun.Options(period: "month", lengthNs: 7 * SimTime.nsPerDay, warmupNs: 7 * SimTime.nsPerDay))
        let periods = try SampledRun.run(s, o, workers: 2)
        #expect(periods.count == 12)
        for p in periods {
            let from = Int(p.periodStartNs / SimTime.nsPerDay), to = Int((p.periodEndNs + SimTime.nsPerDay - 1) / SimTime.nsPerDay)
            // January (days 0-30) weighs 3, the other months 1; the months' mean is 14 / 12.
            let factor = Double((from..<to).reduce(0) { $0 + ($1 < 31 ? 3 : 1) }) / Double(to - from) / (14.0 / 12)
            let expected = DemandGrowthTests.perDay * factor * 7, n = Double(p.days.reduce(0) { $0 + $1.jobsSubmitted })
            #expect(abs(n - expected) <= 4 * expected.squareRoot(), "period \(p.index) (days \(from)-\(to)): \(n) jobs, expected \(expected)")
        }
    }

    @Test func badPhasesAreLocated() {
        let retired = Self.text.replacingOccurrences(of: "commissioning: 10d}", with: "commissioning: 10d, retire: 2027-06-05}")
        let undated = Self.text.replacingOccurrences(of: "start: 2027-01-01", with: "")
        let unknown = Self.text.replacingOccurrences(of: "phase: second}", with: "phase: secnd}")
        for (text, expected) in [(retired, "phase 'second' retires on 2027-06-05, before it enters service on 2027-06-11"),
                                 (undated, "cluster.phases arrive and retire on dates: give the scenario a 'start' date"),
                                 (unknown, "names phase 'secnd' (did you mean 'second'?)")] {
            do {
                _ = try ScenarioLoader.load(text: text, file: "sampled.yaml", defaultName: "sampled")
                Issue.record("accepted: \(expected)")
            } catch {
                #expect("\(error)".contains(expected) && "\(error)".contains("sampled.yaml:"), "\(error)")
            }
        }
    }
}
