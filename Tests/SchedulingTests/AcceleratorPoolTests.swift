import SimKernel
import Testing
@testable import Scheduling

@Suite struct AcceleratorPoolTests {
    /// Property test: random gangs of whole devices and fractional slices, allocated and released
    /// in random order under every placement policy and two oversubscription ratios. After every
    /// step no device is booked beyond its sharing limit and every count agrees; a release returns
    /// exactly what the allocation took; allocation succeeds whenever enough whole devices are free.
    @Test(arguments: PlacementPolicy.allCases, [1.0, 1.5])
    func bookkeepingHoldsUnderRandomLoad(placement: PlacementPolicy, oversubscription: Double) {
        let layout = PoolLayout(devicesPerServer: [8, 8, 8, 8, 4, 4, 2, 1, 8, 8], leafOfServer: [0, 0, 0, 1, 1, 1, 2, 2, 2, 3])
        var pool = AcceleratorPool(layout: layout, placement: placement, sharing: SharingOptions(oversubscription: oversubscription))
        var rng = SplitMix64(seed: 7)
        var live: [(slot: Int32, count: Int, milli: Int32)] = []
        var nextSlot: Int32 = 0
        for step in 0..<20_000 {
            if live.isEmpty || rng.next() % 3 != 0 {
                let fractional = rng.next() % 2 == 0
                let count = fractional ? 1 : [1, 1, 2, 4, 8, 16][Int(rng.next() % 6)]
                let milli: Int32 = fractional ? Int32(100 + rng.next() % 800) : 1000
                let wholeFree = pool.free
                if pool.allocate(h(nextSlot), count: count, milli: milli) {
                    live.append((nextSlot, count, milli))
                    nextSlot += 1
                } else {
                    #expect(fractional || count > wholeFree, "a whole-device gang of \(count) failed with \(wholeFree) free")
                }
            } else {
                let i = Int(rng.next() % UInt64(live.count))
                let before = pool.free
                pool.release(h(live[i].slot))
                if live[i].milli >= 1000 { #expect(pool.free == before + live[i].count) }
                live.remove(at: i)
            }
            if let problem = pool.inconsistency() {
                Issue.record("step \(step): \(problem)")
                return
            }
        }
        for j in live { pool.release(h(j.slot)) }
        #expect(pool.free == pool.capacity && pool.strandedMilli == 0 && pool.partialDevices == 0)
    }

    /// Topology-aware placement keeps an 8-accelerator ring under one leaf when a leaf can hold
    /// it, even if that means crossing servers; pack takes the tightest server.
    @Test func topologyKeepsAGangUnderOneLeaf() {
        // Leaf 0: two servers with 4 free each after the set-up; leaf 1: one server with 8 free but
        // another of 2 free that pack would prefer for small jobs.
        let layout = PoolLayout(devicesPerServer: [8, 8, 8, 8], leafOfServer: [0, 0, 1, 1])
        var pool = AcceleratorPool(layout: layout, placement: .topology)
        do { let placed = pool.allocate(h(0), count: 4); #expect(placed) }   // fills half of a server in leaf 0 (the fullest leaf that fits)
        do { let placed = pool.allocate(h(1), count: 4); #expect(placed) }
        do { let placed = pool.allocate(h(2), count: 8); #expect(placed) }
        #expect(pool.span(of: h(2)).leaves == 1)
        do { let placed = pool.allocate(h(3), count: 12); #expect(placed) }  // 12 fit only across leaves
        #expect(pool.span(of: h(3)).leaves == 2 || pool.span(of: h(3)).servers >= 2)
        #expect(pool.inconsistency() == nil)
    }

    /// The placement hook: a preview shows where a gang would go (servers and leaves its ring
    /// would span) without placing it, and allocation then takes exactly those devices. On an
    /// empty 4-leaf pool a 16-accelerator gang stays in two servers of one leaf under `pack`
    /// and `topology`, and crosses two leaves under `spread`.
    @Test(arguments: PlacementPolicy.allCases)
    func previewShowsWhereARingWouldGo(_ placement: PlacementPolicy) {
        var pool = AcceleratorPool(layout: .uniform(servers: 16, devices: 8, serversPerLeaf: 4), placement: placement)
        let preview = pool.preview(count: 16)!
        #expect(preview.servers == 2)
        #expect(preview.leaves == (placement == .spread ? 2 : 1))
        #expect(pool.free == pool.capacity)
        let placed = pool.allocate(h(0), count: 16)
        #expect(placed)
        #expect(pool.devices(of: h(0)).sorted() == preview.devices.sorted())
        #expect(pool.preview(count: pool.free + 1) == nil)
    }

    /// Co-located fractional jobs see each other; whole-device jobs share with nobody.
    @Test func fractionalJobsShareDevices() {
        var pool = AcceleratorPool(layout: .uniform(servers: 1, devices: 2), placement: .pack)
        do { let placed = pool.allocate(h(0), count: 1, milli: 500); #expect(placed) }
        do { let placed = pool.allocate(h(1), count: 1, milli: 400); #expect(placed) }   // packs onto the same device
        #expect(pool.coRunners(of: h(0)) == [h(1)] && pool.coRunners(of: h(1)) == [h(0)])
        #expect(pool.free == 1 && pool.partialDevices == 1 && pool.strandedMilli == 100)
        do { let placed = pool.allocate(h(2), count: 2); #expect(!placed) }               // one whole device left
        do { let placed = pool.allocate(h(2), count: 1); #expect(placed) }
        #expect(pool.coRunners(of: h(2)).isEmpty)
        do { let placed = pool.allocate(h(3), count: 1, milli: 200); #expect(!placed) }   // 100 milli left on the shared device
        pool.release(h(0))
        do { let placed = pool.allocate(h(3), count: 1, milli: 200); #expect(placed) }
        #expect(pool.inconsistency() == nil)
    }
}

/// A handle of generation 0 for `slot` (each test job has its own slot).
func h<I: BinaryInteger>(_ slot: I) -> JobHandle { JobHandle(slot: Int32(slot), generation: 0) }

/// Handles: a stale one (its slot since given to another job) finds nothing.
@Suite struct JobHandleTests {
    @Test func aStaleHandleFindsNothingInRunningSetsAndPools() {
        let old = JobHandle(slot: 3, generation: 0), new = JobHandle(slot: 3, generation: 1)
        var running = RunningSet()
        running.insert(QueuedJob(handle: old, id: 1, accelerators: 2, submitNs: 0), at: 0)
        #expect(running.contains(old) && !running.contains(new))
        let none = running.remove(new)
        #expect(none == nil && running.count == 1)
        let removed = running.remove(old)
        #expect(removed?.job.id == 1)
        running.insert(QueuedJob(handle: new, id: 2, accelerators: 2, submitNs: 5), at: 5)
        #expect(!running.contains(old) && running.job(old) == nil && running.job(new)?.job.id == 2)

        var byEnd = RunningByEnd()
        byEnd.insert(QueuedJob(handle: new, id: 2, accelerators: 2, submitNs: 5, estimatedRemainingNs: 10), at: 5)
        byEnd.remove(old)
        #expect(byEnd.count == 1)
        byEnd.remove(new)
        #expect(byEnd.count == 0)

        var pool = AcceleratorPool(layout: .uniform(servers: 2, devices: 8, serversPerLeaf: 2), placement: .pack)
        let placed = pool.allocate(old, count: 4)
        #expect(placed)
        pool.release(old)
        #expect(pool.devices(of: old).isEmpty && pool.free == 16)
        pool.release(old)   // releasing twice gives nothing back twice
        #expect(pool.free == 16 && pool.inconsistency() == nil)
    }
}
