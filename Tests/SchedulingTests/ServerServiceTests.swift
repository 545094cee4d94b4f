import SimKernel
import Testing
import Scheduling

/// Servers out of service (a failure waiting for its repair): their devices are neither free
/// nor busy, no job is placed on them, and they come back whole.
@Suite struct ServerServiceTests {
    static func job(_ slot: Int32) -> JobHandle { JobHandle(slot: slot, generation: 0) }

    @Test func aServerDownHoldsNoJobAndComesBack() {
        var pool = AcceleratorPool(layout: PoolLayout(devicesPerServer: [8, 8], leafOfServer: [0, 0]))
        #expect(pool.servers == 2 && pool.devices(onServer: 1) == 8)
        pool.takeDown(server: 0)
        #expect(pool.free == 8 && pool.busy == 0 && pool.downDevices == 8 && pool.isDown(server: 0))
        let gang = pool.allocate(Self.job(0), count: 16)
        #expect(!gang, "a 16-device gang cannot fit on the one server up")
        let half = pool.allocate(Self.job(1), count: 8)
        #expect(half)
        #expect(pool.devices(of: Self.job(1)).allSatisfy { $0 >= 8 }, "placed on server 1 only")
        #expect(pool.busy == 8 && pool.inconsistency() == nil)
        pool.bringUp(server: 0)
        #expect(pool.free == 8 && pool.downDevices == 0 && !pool.isDown(server: 0))
        let again = pool.allocate(Self.job(0), count: 8)
        #expect(again && pool.inconsistency() == nil)
    }

    @Test func theJobsOnAServerAreFoundWholeAndShared() {
        var pool = AcceleratorPool(layout: PoolLayout(devicesPerServer: [4, 4], leafOfServer: [0, 0]), sharing: SharingOptions(oversubscription: 1))
        let placed = [pool.allocate(Self.job(0), count: 6),   // both servers
                      pool.allocate(Self.job(1), count: 1, milli: 500), pool.allocate(Self.job(2), count: 1, milli: 500)]
        #expect(placed == [true, true, true])
        let onBoth = (0..<2).map { pool.jobs(onServer: $0) }
        #expect(onBoth.allSatisfy { $0.contains(Self.job(0)) })
        let sliced = pool.devices(of: Self.job(1))[0]
        let server = Int(sliced) / 4
        #expect(pool.jobs(onServer: server).contains(Self.job(1)) && pool.jobs(onServer: server).contains(Self.job(2)))
        for j in pool.jobs(onServer: server) { pool.release(j) }
        pool.takeDown(server: server)
        #expect(pool.jobs(onServer: server).isEmpty && pool.inconsistency() == nil)
    }

    /// Property test: random gangs and slices, with servers taken down (after their jobs are
    /// released) and brought back at random: no job ever holds a device of a server that is
    /// down, and every count agrees after every step.
    @Test(arguments: PlacementPolicy.allCases)
    func noJobIsPlacedOnADownServer(placement: PlacementPolicy) {
        var pool = AcceleratorPool(layout: PoolLayout(devicesPerServer: [8, 8, 4, 8, 2], leafOfServer: [0, 0, 1, 1, 1]), placement: placement,
                                   sharing: SharingOptions(oversubscription: 1.5))
        var rng = SplitMix64(seed: 11)
        var live: [Int32] = [], next: Int32 = 0
        for step in 0..<5_000 {
            switch rng.next() % 5 {
            case 0, 1:
                let milli: Int32 = rng.next() % 2 == 0 ? 1000 : Int32(100 + rng.next() % 800)
                let count = milli == 1000 ? [1, 2, 4, 8, 12][Int(rng.next() % 5)] : 1
                if pool.allocate(Self.job(next), count: count, milli: milli) { live.append(next) }
                next += 1
            case 2:
                if !live.isEmpty { pool.release(Self.job(live.remove(at: Int(rng.next() % UInt64(live.count))))) }
            default:
                let s = Int(rng.next() % UInt64(pool.servers))
                if pool.isDown(server: s) {
                    pool.bringUp(server: s)
                } else {
                    for j in pool.jobs(onServer: s) {
                        pool.release(j)
                        live.removeAll { $0 == j.slot }
                    }
                    pool.takeDown(server: s)
                }
            }
            let down = (0..<pool.servers).filter { pool.isDown(server: $0) }
            if let s = down.first(where: { !pool.jobs(onServer: $0).isEmpty }) {
                Issue.record("step \(step): a job holds a device on server \(s), which is down")
                return
            }
            #expect(pool.downDevices == down.reduce(0) { $0 + pool.devices(onServer: $1) })
            if let problem = pool.inconsistency() {
                Issue.record("step \(step): \(problem)")
                return
            }
        }
    }
}

/// Servers draining before they retire (a center built in phases): a cordoned server takes no
/// new job while its jobs run on, is reported once it empties, and leaves service whole.
@Suite struct ServerDrainTests {
    static func job(_ slot: Int32) -> JobHandle { JobHandle(slot: slot, generation: 0) }

    @Test func aDrainingServerTakesNoNewJobAndEmpties() {
        var pool = AcceleratorPool(layout: PoolLayout(devicesPerServer: [4, 4], leafOfServer: [0, 0]), sharing: SharingOptions(oversubscription: 1))
        let placed = [pool.allocate(Self.job(0), count: 2), pool.allocate(Self.job(1), count: 1, milli: 500)]
        #expect(placed == [true, true])
        let server = Int(pool.devices(of: Self.job(0))[0]) / 4
        #expect(pool.devices(of: Self.job(1)).allSatisfy { Int($0) / 4 == server }, "packed on one server")
        pool.cordon(server: server)
        // Its idle devices are neither free nor busy; its jobs still hold theirs.
        #expect(pool.isCordoned(server: server) && !pool.isDrained(server: server))
        #expect(pool.free == 4 && pool.busy == 3 && pool.inconsistency() == nil, "free \(pool.free), busy \(pool.busy)")
        // New jobs go to the other server only, and nothing fits beyond it.
        let other = pool.allocate(Self.job(2), count: 4), beyond = pool.allocate(Self.job(3), count: 1)
        #expect(other && !beyond && pool.devices(of: Self.job(2)).allSatisfy { Int($0) / 4 != server })
        var drained = pool.takeDrained()
        #expect(drained.isEmpty)
        pool.release(Self.job(0))
        drained = pool.takeDrained()
        let slice = pool.allocate(Self.job(4), count: 1, milli: 500)
        #expect(pool.busy == 5 && pool.free == 0 && drained.isEmpty && !slice, "what a job gives back stays off limits")
        pool.release(Self.job(1))
        drained = pool.takeDrained()
        #expect(drained == [Int32(server)] && pool.isDrained(server: server) && pool.busy == 4)
        pool.uncordon(server: server)
        pool.takeDown(server: server)
        #expect(pool.isDown(server: server) && pool.downDevices == 4 && pool.free == 0 && pool.inconsistency() == nil)
    }

    @Test func anEmptyServerIsDrainedAtOnce() {
        var pool = AcceleratorPool(layout: PoolLayout(devicesPerServer: [8, 8], leafOfServer: [0, 0]))
        pool.cordon(server: 1)
        let drained = pool.takeDrained()
        #expect(drained == [1] && pool.free == 8 && pool.busy == 0)
        pool.uncordon(server: 1)
        #expect(pool.free == 16 && !pool.isCordoned(server: 1) && pool.inconsistency() == nil)
    }
}
