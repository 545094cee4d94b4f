import Production
import SimKernel
import Testing
import Workloads
@testable import Center

/// The job table: a reused slot starts with nothing of its previous job, and a handle to the
/// previous job is recognised as stale.
@Suite struct JobTableTests {
    static func spec(_ n: Int32) -> JobSpec {
        JobSpec(submitNs: Int64(n) * 10, accelerators: n, durationNs: Int64(n) * 1000, source: n, sequence: Int64(n), application: Int16(n),
                tenant: Int16(n), model: Int16(n), pool: Int16(n), kind: .training, flops: Double(n))
    }

    /// Every stored property of an entry, by name, as text (Mirror: a field added later is covered too).
    static func fields(_ e: JobEntry) -> [String: String] {
        Dictionary(uniqueKeysWithValues: Mirror(reflecting: e).children.map { ($0.label!, String(describing: $0.value)) })
    }

    @Test func aReusedSlotStartsWithNoStateOfItsPreviousJob() {
        var table = JobTable()
        let first = table.open(slot: 0, JobEntry(spec: Self.spec(3), id: 7))
        // The first job's life: it starts, is preempted, borrowed, resized, becomes a replica...
        table[0].runStartNs = 100
        table[0].firstStartNs = 90
        table[0].attainedService = 5
        table[0].servedNs = 60
        table[0].preemptions = 2
        table[0].serversSpanned = 4
        table[0].leavesSpanned = 2
        table[0].borrowed = true
        table[0].held = 6
        table[0].segmentStartNs = 80
        table[0].service = 1
        table[0].resilience = JobResilience(plan: CheckpointPlan(intervalNs: 10, writeNs: 1, restartNs: 2), computeLeftNs: 50)
        let used = Self.fields(table[0])
        let fresh = JobEntry(spec: Self.spec(5), id: 8)
        // Every field of the used entry differs from a fresh one, so the check below sees each.
        for (name, value) in Self.fields(fresh) { #expect(used[name] != value, "field \(name) is not exercised") }

        let second = table.open(slot: 0, fresh)
        #expect(Self.fields(table[0]) == Self.fields(fresh))
        #expect(!table.isCurrent(first) && table.isCurrent(second))
        #expect(table.count == 1)
        #expect(table[second].id == 8)
    }

    @Test func slotsGrowInOrderAndKeepTheirGenerations() {
        var table = JobTable()
        let a = table.open(slot: 0, JobEntry(spec: Self.spec(1), id: 1))
        let b = table.open(slot: 1, JobEntry(spec: Self.spec(2), id: 2))
        #expect(a.generation == 0 && b.generation == 0 && table.count == 2)
        let c = table.open(slot: 1, JobEntry(spec: Self.spec(3), id: 3))
        #expect(c.slot == 1 && c.generation == 1 && table.isCurrent(a) && !table.isCurrent(b))
        #expect(table.handle(slot: 1) == c)
    }
}
