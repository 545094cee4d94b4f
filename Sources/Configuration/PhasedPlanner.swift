import Dispatch
import Foundation
import Records
import Scenario
import SimKernel

/// Phased capacity planning (`iccsim plan --phased quarter`): when must each phase of the
/// center come online, how big must it be, and of which server type, so that every period's
/// targets are met, cheapest first.
///
/// The center as it stands is the scenario's groups without a phase (its own phases are
/// replaced by the plan's). The periods are those of a sampled run (``SampledRun``): one
/// window a period with the servers in service on its first day and the demand of that period.
/// Going forward in time, a period that misses a target gets a new phase in service from the
/// period's first day: for each candidate server type that can be ordered (from the targets'
/// `orderFrom`, else the start), delivered and commissioned by then, the fewest servers (whole steps, by bisection: more servers never make
/// a target harder to meet) that meet the targets in every seed in that period and in the
/// periods a phase covers (`phaseCovers` in the targets file: one period unless given); the
/// cheapest of them (servers × price) is chosen. So every phase comes as late and as small as
/// the targets allow.
/// When no single type is enough, the one coming closest is added and the search goes on in
/// the same period (at most one phase per candidate per period).
///
/// Periods are independent runs, so a phase changes only the periods from its first day on;
/// the figures of each (period, servers in service, seed) are computed once. The plan is then
/// checked: each phase removed, and each delayed by one period, must make some period miss.
public struct PhasedPlanner: Sendable {
    /// The scenario without its phases (the center as it stands).
    public let base: Scenario
    /// The names of the scenario's own phases, which the plan replaces.
    public let replacedPhases: [String]
    public let targets: PlanTargets
    public let options: SampledRun.Options
    /// Samples running at once (the results do not depend on it).
    public var workers = ProcessInfo.processInfo.activeProcessorCount
    /// Hears a line for people as the search goes (from any thread); never changes a result.
    public var progress: (@Sendable (String) -> Void)?

    /// Each period's first window.
    let windows: [SampledRun.Sample]
    let start: CivilDate
    /// The first day orders can be placed, from the start (negative: before it).
    let orderDay: Int
    let prices: [Double]
    /// Each (period, servers in service) outcome, computed once, shared across threads.
    let cache = Locked<[String: PeriodOutcome]>([:])

    /// A phase of the plan.
    public struct Phase: Sendable, Equatable {
        public var name: String
        /// Index into the targets' candidates.
        public var candidate: Int
        public var servers: Int
        /// Days from the plan's start: in service from, arrival, latest order.
        public var inServiceDay: Int, arriveDay: Int, orderDay: Int
        public var cost: Double
    }

    /// One period's outcome under a plan: each target's worst value and margin over the seeds.
    public struct PeriodOutcome: Sendable {
        public var index: Int
        public var label: String
        public var accelerators: Int
        public var worst: [Double]
        public var margins: [Double]
        /// Met when every margin is non-negative (a figure that is undefined, as the SLO
        /// attainment without services, bounds nothing).
        public var meets: Bool { margins.allSatisfy { $0.isNaN || $0 >= 0 } }
        /// How far from meeting, on one scale: the sum of the misses relative to their bounds.
        var shortfall: Double {
            zip(margins, bounds).reduce(0) { acc, mb in mb.0.isNaN || mb.0 >= 0 ? acc : acc - mb.0 / max(abs(mb.1), 1e-9) }
        }
        var bounds: [Double]
    }

    /// What removing or delaying one phase does: the first period that then misses (nil: none
    /// does, so the phase is not needed as planned).
    public struct Check: Sendable {
        public var phase: String
        public var change: String
        public var miss: (period: String, target: Int, value: Double)?
    }

    /// The planner's answer.
    public struct Plan: Sendable {
        public var phases: [Phase]
        public var periods: [PeriodOutcome]
        public var checks: [Check]
        /// The resolved scenario: the center as it stands plus the plan's phases.
        public var scenario: Scenario
        /// (Period, servers in service) configurations run, each in every seed.
        public var configurations: Int
        public var meets: Bool { periods.allSatisfy(\.meets) }
    }

    /// A planner for `scenario` (which needs a start date and a horizon of whole periods).
    public init(scenario: Scenario, targets: PlanTargets, options: SampledRun.Options) throws {
        guard let start = scenario.start?.date else {
            throw ScenarioError("a phased plan needs the scenario's start date (start: YYYY-MM-DD): phases arrive on dates")
        }
        guard targets.isPhased else { throw ScenarioError("a phased plan needs candidates (server types it may add) in its targets file") }
        var base = scenario
        base.cluster.servers = scenario.cluster.servers.filter { $0.phase == nil }
        base.cluster.phases = []
        guard !base.cluster.servers.isEmpty else {
            throw ScenarioError("every server group of the scenario belongs to a phase: a phased plan starts from the groups without one (the center as it stands)")
        }
        self.base = base
        replacedPhases = scenario.cluster.phases.map(\.name)
        self.targets = targets
        self.options = options
        self.start = start
        orderDay = targets.orderFrom.map { $0.date.dayNumber - start.dayNumber } ?? 0
        windows = try SampledRun.samples(base, options).filter { $0.window == 0 }
        prices = try targets.candidates.map { c in
            if let p = c.price { return p }
            guard let p = scenario.power?.prices?.servers.first(where: { $0.pool == c.server.pool })?.price else {
                throw ScenarioError("candidate '\(c.server.name)' has no price and the scenario's power.prices has none for pool '\(c.server.pool)': give the candidate a price")
            }
            return p
        }
    }

    /// The period's label (`2027-Q3`).
    public func label(_ p: Int) -> String {
        let w = windows[p]
        return SampledRun.label(index: p, periodStartNs: w.periodStartNs, periodEndNs: w.periodEndNs, start: start, options)
    }

    /// The date of day `day` from the plan's start.
    public func date(_ day: Int) -> CivilDate { start.adding(days: day) }

    /// The first day of period `p` (days from the start, rounded up).
    func firstDay(_ p: Int) -> Int { Int((windows[p].periodStartNs + SimTime.nsPerDay - 1) / SimTime.nsPerDay) }

    /// The base scenario with `phases` added.
    public func scenario(with phases: [Phase]) -> Scenario {
        var s = base
        for ph in phases {
            var g = targets.candidates[ph.candidate].server
            g.name = "\(g.name)-\(ph.name)"
            g.count = ph.servers
            g.phase = ph.name
            s.cluster.servers.append(g)
            s.cluster.phases.append(PhaseSpec(name: ph.name, arrive: start.adding(days: ph.arriveDay),
                                              commissioning: TimeQuantity(baseUnits: SimTimeNs(ph.inServiceDay - ph.arriveDay) * SimTime.nsPerDay)))
        }
        return s
    }

    /// A phase of `servers` of candidate `c` in service from day `day`.
    func phase(named name: String, candidate c: Int, servers: Int, inServiceDay day: Int) -> Phase {
        let cand = targets.candidates[c], dayNs = SimTime.nsPerDay
        let arrive = day - Int((cand.commissioning.baseUnits + dayNs - 1) / dayNs)
        return Phase(name: name, candidate: c, servers: servers, inServiceDay: day, arriveDay: arrive,
                     orderDay: arrive - Int((cand.leadTime.baseUnits + dayNs - 1) / dayNs), cost: Double(servers) * prices[c])
    }

    /// Period `p`'s outcome with `phases` (worst over the seeds).
    public func evaluate(_ p: Int, _ phases: [Phase]) throws -> PeriodOutcome {
        let windowDay = Int(windows[p].windowStartNs / SimTime.nsPerDay)
        let live = phases.filter { $0.inServiceDay <= windowDay }
        // A sample goes through its phases' dates, so a phase's day is part of what is simulated.
        let key = "\(p)|" + live.map { "\($0.candidate)x\($0.servers)@\($0.inServiceDay)" }.sorted().joined(separator: ",")
        if let hit = cache.value[key] { return hit }
        let scenario = scenario(with: live)
        var worst = Array(repeating: Double.nan, count: targets.targets.count)
        var margins = worst
        var accelerators = 0
        for seed in 0..<targets.seeds {
            var s = scenario
            s.seed = base.seed &+ UInt64(seed)
            let figures = try SampledRun.runPeriod(try SampledRun.samples(s, options, period: p), options)
            accelerators = figures.accelerators
            for (i, t) in targets.targets.enumerated() {
                let v = figures.figure(t.metric)
                let m = v.isNaN ? Double.nan : t.margin(v)
                if !m.isNaN && (margins[i].isNaN || m < margins[i]) { margins[i] = m; worst[i] = v }
            }
        }
        let outcome = PeriodOutcome(index: p, label: label(p), accelerators: accelerators, worst: worst, margins: margins,
                                    bounds: targets.targets.map { $0.max ?? $0.min ?? 1 })
        cache.mutate { $0[key] = outcome }
        progress?("plan: \(label(p)) with \(describe(live)): \(outcome.meets ? "meets" : "misses") the targets")
        return outcome
    }

    /// The phases in people's words (`2 phases: 120 × h100, 40 × a100`, or `the center as it stands`).
    public func describe(_ phases: [Phase]) -> String {
        phases.isEmpty ? "the center as it stands"
            : "the center as it stands + " + phases.map { "\($0.servers) × \(targets.candidates[$0.candidate].server.name)" }.joined(separator: " + ")
    }

    /// The fewest servers of candidate `c` (whole steps) in service from period `p`'s first day
    /// that meet the targets in period `p` and the periods a phase covers after it
    /// (``PlanTargets/phaseCovers``); when even `max` does not, `max` and how far it falls short.
    func fewest(_ c: Int, period p: Int, after phases: [Phase], name: String) throws -> (phase: Phase, meets: Bool, shortfall: Double) {
        let cand = targets.candidates[c], day = firstDay(p)
        let covered = p..<min(windows.count, p + coveredPeriods)
        func run(_ k: Int) throws -> (phase: Phase, meets: Bool, shortfall: Double) {
            let ph = phase(named: name, candidate: c, servers: k * cand.step, inServiceDay: day)
            var shortfall = 0.0
            for q in covered {
                let o = try evaluate(q, phases + [ph])
                shortfall += o.shortfall
                // Bisection needs only whether k meets; the shortfall is for a `max` that does not.
                if !o.meets && k < cand.max / cand.step { return (ph, false, shortfall) }
            }
            return (ph, shortfall == 0, shortfall)
        }
        var best = try run(cand.max / cand.step)
        guard best.meets else { return best }
        var lo = 1, hi = cand.max / cand.step
        while lo < hi {
            let mid = (lo + hi) / 2
            let r = try run(mid)
            if r.meets { best = r; hi = mid } else { lo = mid + 1 }
        }
        return best
    }

    /// Periods a phase is sized for: its first and those it covers after it.
    var coveredPeriods: Int {
        guard let cover = targets.phaseCovers?.baseUnits, cover > 0 else { return 1 }
        return max(1, Int((cover + options.periodNs - 1) / options.periodNs))
    }

    /// Searches the plan.
    public func plan() throws -> Plan {
        var phases: [Phase] = []
        for p in windows.indices {
            var outcome = try evaluate(p, phases)
            var tried = Set<Int>()
            while !outcome.meets {
                let day = firstDay(p)
                let usable = targets.candidates.indices.filter { !tried.contains($0) && targets.candidates[$0].earliestServiceDay(orderDay: orderDay) <= day }
                guard !usable.isEmpty else { break }
                let name = "phase-\(phases.count + 2)"
                let before = phases
                let found = try parallelMap(usable, workers: workers) { c in try fewest(c, period: p, after: before, name: name) }
                // Cheapest of those that meet; else the one coming closest (then the cheaper).
                let pick = found.filter(\.meets).min { ($0.phase.cost, $0.phase.candidate) < ($1.phase.cost, $1.phase.candidate) }
                    ?? found.min { ($0.shortfall, $0.phase.cost) < ($1.shortfall, $1.phase.cost) }!
                phases.append(pick.phase)
                tried.insert(pick.phase.candidate)
                outcome = try evaluate(p, phases)
            }
        }
        let chosen = phases
        let periods = try parallelMap(Array(windows.indices), workers: workers) { p in try evaluate(p, chosen) }
        var checks: [Check] = []
        for (k, ph) in phases.enumerated() {
            var without = phases
            without.remove(at: k)
            checks.append(Check(phase: ph.name, change: "removed", miss: try firstMiss(without, from: ph)))
            var delayed = phases
            let p = windows.indices.first { firstDay($0) > ph.inServiceDay }
            if let p {
                delayed[k] = phase(named: ph.name, candidate: ph.candidate, servers: ph.servers, inServiceDay: firstDay(p))
            } else {
                delayed.remove(at: k)
            }
            checks.append(Check(phase: ph.name, change: "delayed a \(options.periodName)", miss: try firstMiss(delayed, from: ph)))
        }
        return Plan(phases: phases, periods: periods, checks: checks, scenario: scenario(with: phases), configurations: cache.value.count)
    }

    /// The first period from `ph`'s first day that misses a target with `phases`.
    func firstMiss(_ phases: [Phase], from ph: Phase) throws -> (period: String, target: Int, value: Double)? {
        for p in windows.indices where windows[p].windowStartNs >= SimTimeNs(ph.inServiceDay) * SimTime.nsPerDay {
            let o = try evaluate(p, phases)
            if let i = o.margins.indices.first(where: { !o.margins[$0].isNaN && o.margins[$0] < 0 }) { return (o.label, i, o.worst[i]) }
        }
        return nil
    }
}

extension PeriodFigures {
    /// The figure named as in `summary.json`'s `periods` (``PlanTargets/periodFigures``); NaN
    /// when undefined or unknown.
    public func figure(_ name: String) -> Double {
        for (k, v) in fields where k == name {
            switch v {
            case .real(let d): return d
            case .integer(let i): return Double(i)
            default: return .nan
            }
        }
        return .nan
    }
}
