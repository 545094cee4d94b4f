import Center
import Components
import Configuration
import Metrics
import Records
import SimKernel
import Testing

/// A component plugged into a run by one registration line: the engine calls its hooks, runs
/// its timers, opens its gates and writes its summary section, without naming it.
@Suite struct RunComponentHookTests {
    /// Holds every job for `delayNs` before it computes (a gate opened by its own timer), and
    /// counts the hooks it saw.
    struct Delay: RunComponent {
        var delayNs: SimTimeNs
        var started = 0, stopped = 0
        var waiting: [JobHandle] = []
        var opened = 0

        mutating func jobStarted(_ job: StartingJob, nowNs: SimTimeNs) -> StartEffect {
            started += 1
            waiting.append(job.handle)
            return .gated
        }
        mutating func jobStopped(_ job: JobHandle, reason: JobStop, nowNs: SimTimeNs) {
            #expect(reason == .completed)
            stopped += 1
        }
        mutating func settle(nowNs: SimTimeNs, changed: inout [JobHandle], timers: inout [ComponentTimer]) {
            for h in waiting { timers.append(ComponentTimer(atNs: nowNs + delayNs, subject: h.slot, tag: Int64(h.generation))) }
            waiting.removeAll()
        }
        mutating func fired(_ timer: ComponentTimer, nowNs: SimTimeNs) -> ComponentRequest? {
            .openGate(JobHandle(slot: timer.subject, generation: UInt32(timer.tag)))
        }
        mutating func openGate(_ job: JobHandle, nowNs: SimTimeNs) { opened += 1 }
        func summary(endNs: SimTimeNs) -> [(section: String, figures: [(String, SummaryValue)])] {
            [("delay", [("started", .integer(Int64(started))), ("stopped", .integer(Int64(stopped))), ("opened", .integer(Int64(opened)))])]
        }
    }

    /// Reference: a gate of 1 min before each job computes adds exactly 1 min to every job's run
    /// and, under FIFO, starts no job earlier, so every job's time in system grows by at least
    /// 1 min (the mean by at least 60 s). The five listed jobs of `listed-jobs.yaml` all complete,
    /// and each hook fired once per job.
    @Test func aRegisteredComponentGatesEveryJobAndWritesItsSection() throws {
        let s = try shippedScenario("Scenarios/examples/listed-jobs.yaml")
        let plain = try CenterRun.run(s, sink: NullSink()).summary
        var setup = try CenterRun.configure(s, sink: NullSink(), streams: RandomStreams(masterSeed: s.seed)).center
        setup.components.append(Delay(delayNs: 60_000_000_000))   // the one registration line
        let delayed = CenterEngine.run(setup, sink: NullSink()).summary
        #expect(delayed.jobsCompleted == plain.jobsCompleted && plain.jobsCompleted == 5)
        // Each job runs 1 min longer: its own run, and the jobs it waited for.
        #expect(delayed.jctMeanS >= plain.jctMeanS + 60 - 1e-9)
        #expect(delayed.makespanS > plain.makespanS)
        guard case .object(let f)? = delayed.fields.first(where: { $0.0 == "delay" })?.1 else { Issue.record("no delay section"); return }
        #expect(figure(f, "started") == 5 && figure(f, "stopped") == 5 && figure(f, "opened") == 5)
    }
}
