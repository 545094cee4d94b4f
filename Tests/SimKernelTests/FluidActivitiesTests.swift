import Testing
@testable import SimKernel

@Suite struct FluidActivitiesTests {
    @Test func completionFollowsRateChanges() {
        // Reference: piecewise integration by hand. 100 units at 1/ns; at t=40 the rate halves:
        // 60 units left at 0.5/ns take 120 ns, so completion at 160 ns.
        var a = FluidActivities()
        let (id, first) = a.start(work: 100, ratePerNs: 1, nowNs: 0)
        #expect(first == 100)
        let g0 = a.generation(id)
        let second = a.setRate(id, ratePerNs: 0.5, nowNs: 40)
        #expect(second == 160)
        #expect(!a.isCurrent(id, generation: g0), "the old completion event is stale")
        #expect(a.isCurrent(id, generation: a.generation(id)))
        #expect(abs(a.remainingWork(id, nowNs: 100) - 30) < 1e-9)
        // Paused (rate 0) never completes; resumed it does.
        #expect(a.setRate(id, ratePerNs: 0, nowNs: 100) == SimTime.never)
        #expect(a.setRate(id, ratePerNs: 3, nowNs: 200) == 210)
        a.finish(id)
        #expect(a.liveCount == 0)
        let (id2, _) = a.start(work: 1, ratePerNs: 1, nowNs: 0)
        #expect(id2 == id, "slots are reused")
    }

    @Test func durationRoundsUpOnce() {
        #expect(SimTime.durationNs(work: 10, ratePerNs: 3) == 4)
        #expect(SimTime.durationNs(work: 9, ratePerNs: 3) == 3)
        #expect(SimTime.ns(seconds: 1.5) == 1_500_000_000)
        #expect(SimTime.ns(seconds: 0.1) == 100_000_000)
        #expect(SimTime.ns(seconds: -2) == 0)
    }
}

@Suite struct DurationRoundingTests {
    @Test func largeExactDurationsStayExact() {
        // Two hours of work at rate 1 is exactly 7.2e12 ns; after a rate change and back it still is.
        #expect(SimTime.durationNs(work: 7.2e12, ratePerNs: 1) == 7_200_000_000_000)
        #expect(SimTime.durationNs(work: 30 * 86_400e9, ratePerNs: 1) == 2_592_000_000_000_000)
        #expect(SimTime.durationNs(work: 7.2e12 + 0.5, ratePerNs: 1) == 7_200_000_000_001)
    }
}
