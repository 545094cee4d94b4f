import Testing
@testable import SimKernel

/// Records the order events are handled in.
private struct Recorder: EventHandler {
    var seen: [(SimTimeNs, Int32)] = []
    mutating func handle(_ event: Event, kernel: Kernel) { seen.append((kernel.nowNs, event.subject)) }
}

@Suite struct EventOrderTests {
    @Test func heapPopsInTimeThenOrder() {
        // Reference: a sort of the same keys. 10,000 random keys with many ties.
        let q = EventQueue(initialCapacity: 4)
        var sm = SplitMix64(seed: 3)
        var keys: [(Int64, UInt64)] = []
        for i in 0..<10_000 {
            let t = Int64(sm.next() % 100)
            let o = UInt64(i)
            keys.append((t, o))
            q.push(ScheduledEvent(timeNs: t, order: o, event: Event(kind: 0, subject: Int32(i))))
        }
        keys.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var popped: [(Int64, UInt64)] = []
        while let e = q.popFirst() { popped.append((e.timeNs, e.order)) }
        #expect(popped.count == keys.count)
        #expect(zip(popped, keys).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 })
    }

    @Test func sameTimeEventsRunByPriorityThenSchedulingOrder() {
        let k = Kernel()
        k.schedule(Event(kind: 0, subject: 1), atNs: 10, priority: 5)
        k.schedule(Event(kind: 0, subject: 2), atNs: 10, priority: 1)
        k.schedule(Event(kind: 0, subject: 3), atNs: 10, priority: 5)
        k.schedule(Event(kind: 0, subject: 4), atNs: 5, priority: 200)
        var r = Recorder()
        let reason = k.run(&r)
        #expect(reason == .queueEmpty)
        #expect(r.seen.map(\.1) == [4, 2, 1, 3])
        #expect(r.seen.map(\.0) == [5, 10, 10, 10])
        #expect(k.eventsProcessed == 4)
    }

    @Test func permutedTiesKeepTimeAndPriorityButShuffleSequence() {
        func order(permute: Bool, seed: UInt64) -> [Int32] {
            let k = Kernel(options: KernelOptions(permuteTies: permute, permutationSeed: seed))
            for i in 0..<50 { k.schedule(Event(kind: 0, subject: Int32(i)), atNs: 7) }
            k.schedule(Event(kind: 0, subject: 99), atNs: 7, priority: 255)
            k.schedule(Event(kind: 0, subject: -1), atNs: 3)
            var r = Recorder()
            _ = k.run(&r)
            return r.seen.map(\.1)
        }
        let plain = order(permute: false, seed: 0)
        let shuffled = order(permute: true, seed: 1)
        #expect(plain == [-1] + Array(0..<50) + [99])
        #expect(shuffled.first == -1 && shuffled.last == 99)
        #expect(Set(shuffled) == Set(plain))
        #expect(shuffled != plain)
        #expect(order(permute: true, seed: 1) == shuffled, "the permutation is seeded, not random")
    }

    @Test func stopsAtHorizonWithClockAtHorizon() {
        let k = Kernel()
        k.schedule(Event(kind: 0, subject: 1), atNs: 10)
        k.schedule(Event(kind: 0, subject: 2), atNs: 100)
        var r = Recorder()
        #expect(k.run(&r, untilNs: 50) == .horizonReached)
        #expect(k.nowNs == 50)
        #expect(r.seen.map(\.1) == [1])
        #expect(k.pendingEvents == 1)
    }

    @Test func watchdogReportsPendingWorkWithEmptyQueue() {
        struct Stuck: EventHandler {
            mutating func handle(_ event: Event, kernel: Kernel) {}
            var hasPendingWork: Bool { true }
        }
        let k = Kernel()
        k.schedule(Event(kind: 0), atNs: 1)
        var m = Stuck()
        guard case .noProgress = k.run(&m) else { Issue.record("expected noProgress"); return }
    }

    @Test func watchdogStopsLivelockAtOneInstant() {
        struct Spinner: EventHandler {
            mutating func handle(_ event: Event, kernel: Kernel) { kernel.schedule(event, afterNs: 0) }
        }
        let k = Kernel(options: KernelOptions(maxEventsPerInstant: 1000))
        k.schedule(Event(kind: 0), atNs: 0)
        var m = Spinner()
        guard case .noProgress(let why) = k.run(&m) else { Issue.record("expected noProgress"); return }
        #expect(why.contains("without the clock advancing"))
        #expect(k.eventsProcessed == 1000)
    }

    @Test func holdModelProcessesTheRequestedEvents() {
        var (k, m) = HoldModel.prime(pending: 100, events: 5_000)
        #expect(k.run(&m) == .stopped)
        #expect(k.eventsProcessed == 5_000)
        #expect(k.pendingEvents == 99)
    }
}
