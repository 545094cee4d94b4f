import Center
import Records
import Scenario
import SimKernel

/// A job-level run's figures period by period (`iccsim run --periods quarter`): the run's own
/// records, kept day by day (``PeriodTap``) beside its trace, summed over each quarter (or
/// month) of its horizon, with the same figures as a sampled run's periods (the 95% half-widths
/// from the period's daily means), so a sampled run can be set against the full one. The
/// accelerators of a day are those in the center at its start (``CapacitySchedule``; all of
/// them without phases); the SLO attainment is the services' over the period (met requests over
/// requests arriving in it, priced per period as the run's is: ``ServiceController/periodSLOAttainment()``).
public enum RunPeriods {
    /// Runs `scenario` (its horizon whole days) sending records to `sink`, and returns the run
    /// and each period's figures.
    public static func run(_ scenario: Scenario, sink: any RecordSink, kernelOptions: KernelOptions = KernelOptions(),
                           _ o: SampledRun.Options) throws -> (result: RunResult, periods: [PeriodFigures]) {
        guard let horizon = scenario.horizon?.baseUnits, horizon >= SimTime.nsPerDay else {
            throw ScenarioError("--periods needs a scenario with a horizon of a day or more")
        }
        let day = SimTime.nsPerDay
        let bounds = SampledRun.periods(horizonNs: horizon, o)
        let days = Int(horizon / day)
        let periodOfDay = (0..<days).map { d in bounds.lastIndex { $0.startNs <= SimTimeNs(d) * day }! }
        let costing = PeriodCosting(scenario)
        let pools = scenario.cluster.poolNames
        let tap = PeriodTap(windowStartNs: 0, days: days, pools: pools.count, periodOfDay: periodOfDay, costing: costing)
        let result = try CenterRun.run(scenario, sink: RecordTee(sink, tap), kernelOptions: kernelOptions, periodStartsNs: bounds.map(\.startNs),
                                       drawDemandAhead: true, observeDemand: { tap.submitted($0) })
        tap.finish(atNs: SimTimeNs(days) * day)
        let center = CenterOverTime(scenario, costing: costing)
        let inCenter = (0..<days).map { center.accelerators(atNs: SimTimeNs($0) * day) }
        let inPool = pools.map { name in (0..<days).map { center.accelerators(ofPool: name, atNs: SimTimeNs($0) * day) } }
        let all = tap.dayFigures(accelerators: { inCenter[$0] }, fixedCost: { center.fixedCost(atNs: SimTimeNs($0) * day) }, poolAccelerators: { inPool[$0][$1] })
        let periods = bounds.enumerated().compactMap { i, b -> PeriodFigures? in
            let mine = periodOfDay.indices.filter { periodOfDay[$0] == i }
            guard let first = mine.first else { return nil }
            let middle = mine[mine.count / 2]
            var figures = PeriodFigures(index: i, periodStartNs: b.startNs, periodEndNs: b.endNs, windowStartNs: SimTimeNs(first) * day,
                                        days: mine.map { all[$0] }, accelerators: inCenter[middle], sloAttainment: i < result.sloAttainmentByPeriod.count ? result.sloAttainmentByPeriod[i] : .nan,
                                        waitP99S: tap.waitP99S(period: i))
            figures.poolAccelerators = inPool.map { $0[middle] }
            return figures
        }
        return (result, periods)
    }
}
