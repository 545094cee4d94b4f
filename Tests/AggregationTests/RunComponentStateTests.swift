import Aggregation
import Components
import Production
import Records
import Scheduling
import SimKernel
import Testing
import Workloads

/// The shared fabric and storage system as run components: their per-job state belongs to a
/// job's handle, so a job that reuses a slot sees none of its previous job's state (speed, ring,
/// communication share, ingest time), and a stale handle reads nothing.
@Suite struct RunComponentStateTests {
    static let first = JobHandle(slot: 0, generation: 0)
    static let second = JobHandle(slot: 0, generation: 1)

    static func job(_ handle: JobHandle, id: Int64, pool: AcceleratorPool, communication: CommunicationDemand? = nil,
                    storage: StorageDemand? = nil) -> StartingJob {
        let spec = JobSpec(submitNs: 0, accelerators: 16, durationNs: 3_600_000_000_000, source: 0, sequence: id, kind: .training, flops: 0)
            .withCommunication(communication).withStorage(storage)
        return StartingJob(handle: handle, id: id, spec: spec, pool: 0, acceleratorPool: pool, serversSpanned: 2, networkBytesPerS: 100e9,
                           computeNs: spec.durationNs, isReplica: false, heldMilli: spec.milliHeld)
    }

    static func pool(holding handles: [JobHandle]) -> AcceleratorPool {
        var pool = AcceleratorPool(layout: PoolLayout(devicesPerServer: [8, 8], leafOfServer: [0, 0]))
        for h in handles {
            let placed = pool.allocate(h, count: 16)
            #expect(placed)
        }
        return pool
    }

    /// Reference: the ring all-reduce's exposed share, compute / (compute + exposed), is below 1
    /// for a job whose 1 GB per iteration does not hide behind 10 ms of compute; a job that does
    /// not communicate runs at full speed with a share of 0.
    @Test func aReusedSlotCarriesNothingOfItsPreviousJobOnTheFabric() {
        let links = FabricLinks(preset: FabricPreset.named("hgx-h100-400g-rail")!, servers: 2)
        var fabric = FabricComponent(fabrics: [links], poolNames: ["p"], sampleIntervalNs: 60_000_000_000, busiestLinks: 0, sink: nil)
        let demand = CommunicationDemand(bytesPerIteration: 1e9, dataParallel: 16, computeSPerIteration: 0.01, overlap: 0)
        var changed: [JobHandle] = [], timers: [ComponentTimer] = []
        #expect(fabric.jobStarted(Self.job(Self.first, id: 1, pool: Self.pool(holding: [Self.first]), communication: demand), nowNs: 0) == .pricedAtSettle)
        fabric.settle(nowNs: 0, changed: &changed, timers: &timers)
        #expect(changed == [Self.first] && timers.isEmpty)
        let speed = fabric.speed(of: Self.first)
        #expect(speed > 0 && speed < 1)
        fabric.jobStopped(Self.first, reason: .completed, nowNs: 1_000_000_000)
        let share = fabric.communicationShare(of: Self.first)
        #expect(abs(share - (1 - speed)) < 1e-12)

        // The slot's next job does not communicate.
        #expect(fabric.jobStarted(Self.job(Self.second, id: 2, pool: Self.pool(holding: [Self.second])), nowNs: 1_000_000_000) == .unaffected)
        var row = JobRecord(id: 2, jobClass: -1, submitNs: 0, startNs: 0, endNs: 2, accelerators: 16, state: .completed)
        fabric.annotate(&row, of: Self.second)
        #expect(fabric.speed(of: Self.second) == 1 && row.communicationShare == 0)
        #expect(fabric.communicationShare(of: Self.first) == 0, "a stale handle reads nothing")
    }

    /// Reference: an ingest of 10 GB alone on a 1 GB/s tier takes 10 s (the job is held, its
    /// gate opens when the transfer's timer comes due); the slot's next job, with no storage
    /// traffic, has no ingest time and full speed.
    @Test func aReusedSlotCarriesNothingOfItsPreviousJobInStorage() {
        let tier = StorageTier(name: "hot", bandwidthBytesPerS: 1e9, iops: 1e9, keepForNs: nil)
        let system = StorageSystem(tiers: [tier], smallFileBytes: 0, smallFileAggregation: 1, initialTier: 0, checkpointTier: 0)
        var storage = StorageComponent(system: system)
        let ingest = StorageDemand(dataset: 1, ingestBytes: 10e9, streamReadBytes: 0, writeBytes: 0, fileBytes: 1e9)
        var changed: [JobHandle] = [], timers: [ComponentTimer] = []
        #expect(storage.jobStarted(Self.job(Self.first, id: 1, pool: Self.pool(holding: []), storage: ingest), nowNs: 0) == .gated)
        #expect(storage.speed(of: Self.first) == 0)
        storage.settle(nowNs: 0, changed: &changed, timers: &timers)
        #expect(timers.count == 1 && timers[0].atNs == 10_000_000_000)
        #expect(storage.fired(timers[0], nowNs: timers[0].atNs) == .openGate(Self.first))
        storage.openGate(Self.first, nowNs: timers[0].atNs)
        storage.jobStopped(Self.first, reason: .completed, nowNs: 20_000_000_000)
        #expect(storage.ingestNs(of: Self.first) == 10_000_000_000)

        #expect(storage.jobStarted(Self.job(Self.second, id: 2, pool: Self.pool(holding: [])), nowNs: 20_000_000_000) == .unaffected)
        var row = JobRecord(id: 2, jobClass: -1, submitNs: 0, startNs: 0, endNs: 2, accelerators: 16, state: .completed)
        storage.annotate(&row, of: Self.second)
        #expect(row.ingestNs == 0 && storage.speed(of: Self.second) == 1)
        #expect(storage.ingestNs(of: Self.first) == 0, "a stale handle reads nothing")
        #expect(storage.fired(timers[0], nowNs: 30_000_000_000) == nil, "a stale timer opens no gate")
    }
}
