import SimKernel
/// The pooled accelerators of the center (the guide's 池化): servers of devices under leaf
/// switches. Gang allocation places all of a job's accelerators at once or none, by the pool's
/// placement policy; jobs asking for a fraction of a device (`milli` < 1000, the `gpu_milli` of
/// the Alibaba trace) share devices up to the oversubscription limit.
///
/// `free` counts whole unused devices: what a whole-device job can take.
public struct AcceleratorPool: Sendable {
    /// All accelerators in the pool.
    public let capacity: Int
    public let placement: PlacementPolicy
    public let sharing: SharingOptions
    /// Host CPU (thousandths of a core) and memory (MiB) of the pool's servers (0: unknown).
    public let cpuMilliCapacity: Int64
    public let memoryMiBCapacity: Int64

    var storage: PoolStorage

    /// Whole devices not allocated to anyone.
    public var free: Int { storage.free }
    /// Σ free milli on partly booked devices: capacity no whole-device job can use.
    public var strandedMilli: Int { storage.strandedMilli }
    /// Partly booked devices.
    public var partialDevices: Int { storage.partial.count }

    /// Copies the state before the first change when another pool value shares it.
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// A pool of `capacity` accelerators in servers of 8 (or fewer), one leaf: the layout when
    /// placement does not matter.
    public init(capacity: Int) {
        precondition(capacity > 0, "a pool needs at least one accelerator")
        let full = capacity / 8, rest = capacity % 8
        var devices = Array(repeating: Int32(8), count: full)
        if rest > 0 { devices.append(Int32(rest)) }
        self.init(layout: PoolLayout(devicesPerServer: devices, leafOfServer: Array(repeating: 0, count: devices.count)))
    }

    public init(layout: PoolLayout, placement: PlacementPolicy = .pack, sharing: SharingOptions = SharingOptions()) {
        self.placement = placement
        self.sharing = sharing
        cpuMilliCapacity = layout.cpuMilli
        memoryMiBCapacity = layout.memoryMiB
        storage = PoolStorage()
        var first: Int32 = 0
        for (s, n) in layout.devicesPerServer.enumerated() {
            storage.serverFirstDevice.append(first)
            storage.serverDevices.append(n)
            storage.serverLeaf.append(layout.leafOfServer[s])
            storage.deviceServer.append(contentsOf: repeatElement(Int32(s), count: Int(n)))
            first += n
        }
        capacity = Int(first)
        storage.free = capacity
        storage.maxServerDevices = layout.devicesPerServer.max()!
        storage.leafFree = Array(repeating: 0, count: Int(layout.leafOfServer.max()!) + 1)
        for (s, n) in layout.devicesPerServer.enumerated() { storage.leafFree[Int(layout.leafOfServer[s])] += n }
        storage.deviceUsed = Array(repeating: 0, count: capacity)
        storage.deviceJobs = Array(repeating: [], count: capacity)
        storage.partialPosition = Array(repeating: -1, count: capacity)
        storage.serverFree = layout.devicesPerServer
        storage.serverDown = Array(repeating: false, count: layout.devicesPerServer.count)
        storage.buckets = Array(repeating: [], count: Int(storage.maxServerDevices) + 1)
        storage.bucketPosition = Array(repeating: 0, count: storage.serverFree.count)
        for s in storage.serverFree.indices { bucketInsert(Int32(s)) }
    }

    private init(unchecked capacity: Int) {
        self.capacity = capacity
        storage = PoolStorage()
        storage.free = capacity
        placement = .pack
        sharing = SharingOptions()
        cpuMilliCapacity = 0
        memoryMiBCapacity = 0
    }

    /// A stand-in with no accelerators, held in a pool's place while a scheduling context
    /// owns it (so the context's copy is unique and is not copied on write).
    public static let placeholder = AcceleratorPool(unchecked: 0)

    /// Accelerators allocated (whole, or partly to shared jobs); devices out of service are
    /// neither free nor busy.
    public var busy: Int { capacity - storage.free - storage.downDevices - storage.cordonIdleDevices }

    /// Whether a job of `count` accelerators could ever run here.
    public func canEverFit(_ count: Int) -> Bool { count <= capacity }

    // MARK: Buckets

    private mutating func bucketInsert(_ s: Int32) {
        let k = Int(storage.serverFree[Int(s)])
        storage.bucketPosition[Int(s)] = Int32(storage.buckets[k].count)
        storage.buckets[k].append(s)
    }

    private mutating func bucketRemove(_ s: Int32) {
        let k = Int(storage.serverFree[Int(s)])
        let i = Int(storage.bucketPosition[Int(s)])
        let last = storage.buckets[k].removeLast()
        if i < storage.buckets[k].count {
            storage.buckets[k][i] = last
            storage.bucketPosition[Int(last)] = Int32(i)
        }
    }

    /// Changes server `s`'s whole-free count by `delta`, keeping buckets, leaves and `free` in step.
    private mutating func adjustServerFree(_ s: Int32, by delta: Int32) {
        bucketRemove(s)
        storage.serverFree[Int(s)] += delta
        bucketInsert(s)
        storage.leafFree[Int(storage.serverLeaf[Int(s)])] += delta
        storage.free += Int(delta)
    }

    // MARK: Allocation

    /// Places a job of `count` accelerators (each `milli`/1000 of a device; 1000 = whole) for
    /// the job `handle` names (`.none`: book without recording, for tests); returns whether it could.
    public mutating func allocate(_ handle: JobHandle, count: Int, milli: Int32 = 1000) -> Bool {
        makeUnique()
        guard count > 0 else { return record(handle, devices: [], milli: 0) }
        if milli >= 1000 {
            guard count <= storage.free else { return false }
            return record(handle, devices: wholeDevices(count), milli: sharing.deviceCapacityMilli)
        }
        var devices: [Int32] = []
        for _ in 0..<count {
            guard let d = sharedDevice(milli, excluding: devices) else {
                for d in devices { book(d, -milli) }
                return false
            }
            book(d, milli)
            devices.append(d)
        }
        for d in devices { book(d, -milli) }   // booked for real below, once all fit
        return record(handle, devices: devices, milli: milli)
    }

    private mutating func record(_ handle: JobHandle, devices: [Int32], milli: Int32) -> Bool {
        for d in devices { book(d, milli) }
        guard handle.slot >= 0 else { return true }
        let s = Int(handle.slot)
        storage.slotDevices.growToInclude(s, with: [])
        storage.slotMilli.growToInclude(s, with: 0)
        storage.slotHandle.growToInclude(s, with: .none)
        storage.slotDevices[s] = devices
        storage.slotMilli[s] = milli
        storage.slotHandle[s] = handle
        if milli < sharing.deviceCapacityMilli { for d in devices { storage.deviceJobs[Int(d)].append(handle) } }
        return true
    }

    /// The slot of `handle` when it holds accelerators here; a stale handle (its slot since
    /// given to another job) is a programming error, caught here.
    private func heldSlot(_ handle: JobHandle) -> Int? {
        let s = Int(handle.slot)
        guard s >= 0, s < storage.slotHandle.count else { return nil }
        precondition(storage.slotHandle[s] == handle || storage.slotDevices[s].isEmpty, "stale \(handle): the pool holds \(storage.slotHandle[s])")
        return storage.slotHandle[s] == handle ? s : nil
    }

    /// Books (or, negative, unbooks) `milli` on device `d`, keeping the free counts and the
    /// partial set in step.
    mutating func book(_ d: Int32, _ milli: Int32) {
        let i = Int(d)
        let cap = sharing.deviceCapacityMilli
        let before = storage.deviceUsed[i]
        let after = before + milli
        storage.deviceUsed[i] = after
        if before == 0 && after > 0 { adjustServerFree(storage.deviceServer[i], by: -1) }
        if before > 0 && after == 0 { adjustServerFree(storage.deviceServer[i], by: 1) }
        let wasPartial = before > 0 && before < cap, isPartial = after > 0 && after < cap
        if wasPartial { storage.strandedMilli -= Int(cap - before) }
        if isPartial { storage.strandedMilli += Int(cap - after) }
        if isPartial && !wasPartial {
            storage.partialPosition[i] = Int32(storage.partial.count)
            storage.partial.append(d)
        } else if wasPartial && !isPartial {
            let p = Int(storage.partialPosition[i])
            let last = storage.partial.removeLast()
            if p < storage.partial.count {
                storage.partial[p] = last
                storage.partialPosition[Int(last)] = Int32(p)
            }
            storage.partialPosition[i] = -1
        }
    }

    /// `count` unused devices, chosen by the placement policy (caller checked `count <= free`).
    private func wholeDevices(_ count: Int) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(count)
        // Takes `n` unused devices of server `s`; every branch below visits a server once, so
        // a device is never taken twice.
        func take(_ s: Int32, _ n: Int) {
            var left = n
            let first = Int(storage.serverFirstDevice[Int(s)])
            for d in first..<first + Int(storage.serverDevices[Int(s)]) where left > 0 && storage.deviceUsed[d] == 0 {
                out.append(Int32(d))
                left -= 1
            }
        }
        /// `greedy(fullServers())` without sorting every server with a free device: the buckets
        /// from the most free devices down, each bucket's servers by ascending index (the same
        /// order as the sort: all of a bucket have the same free count), until the gang is
        /// placed. Only the servers taken are ordered: the smallest indices of the last bucket
        /// needed are selected, not the whole bucket sorted.
        func greedyFromBuckets() {
            var left = count - out.count
            var k = Int(storage.maxServerDevices)
            while left > 0 && k >= 1 {
                let bucket = storage.buckets[k]
                if !bucket.isEmpty {
                    let need = (left + k - 1) / k
                    for s in Self.smallest(need, of: bucket) where left > 0 {
                        let n = min(left, k)
                        take(s, n)
                        left -= n
                    }
                }
                k -= 1
            }
        }
        /// Greedy over servers with the most free devices first (few servers per gang).
        func greedy(_ servers: [Int32]) {
            var left = count - out.count
            for s in servers.sorted(by: { (storage.serverFree[Int($0)], -$0) > (storage.serverFree[Int($1)], -$1) }) where left > 0 {
                let n = min(left, Int(storage.serverFree[Int(s)]))
                if n > 0 { take(s, n); left -= n }
            }
        }
        switch placement {
        case .spread:
            // Balance load: the emptiest server when it holds the job; else the emptiest server
            // of each leaf in turn (then the second emptiest of each, ...), so a gang spreads
            // over servers and leaves alike.
            if let k = (1...Int(storage.maxServerDevices)).last(where: { !storage.buckets[$0].isEmpty }), k >= count {
                take(storage.buckets[k].last!, count)
            } else {
                var rankInLeaf = Array(repeating: 0, count: storage.leafFree.count)
                let servers = fullServers().map { s -> (Int32, Int) in
                    let leaf = Int(storage.serverLeaf[Int(s)])
                    defer { rankInLeaf[leaf] += 1 }
                    return (s, rankInLeaf[leaf])
                }
                var left = count
                for (s, _) in servers.sorted(by: { ($0.1, storage.serverLeaf[Int($0.0)]) < ($1.1, storage.serverLeaf[Int($1.0)]) }) where left > 0 {
                    let n = min(left, Int(storage.serverFree[Int(s)]))
                    take(s, n)
                    left -= n
                }
            }
        case .topology:
            // The fullest leaf that can hold the whole job, then the best-fitting servers in it.
            var bestLeaf = -1
            for (l, f) in storage.leafFree.enumerated() where Int(f) >= count && (bestLeaf < 0 || f < storage.leafFree[bestLeaf]) { bestLeaf = l }
            if bestLeaf >= 0 {
                let servers = storage.serverLeaf.indices.filter { Int(storage.serverLeaf[$0]) == bestLeaf && storage.serverFree[$0] > 0 }.map { Int32($0) }
                if let fit = servers.filter({ Int(storage.serverFree[Int($0)]) >= count }).min(by: { (storage.serverFree[Int($0)], $0) < (storage.serverFree[Int($1)], $1) }) {
                    take(fit, count)
                } else {
                    greedy(servers)
                }
            } else {
                greedyFromBuckets()
            }
        default:
            // Pack: the server whose storage.free count fits most tightly; a gang larger than any
            // server's storage.free count takes the emptiest servers first.
            if count <= Int(storage.maxServerDevices), let k = (count...Int(storage.maxServerDevices)).first(where: { !storage.buckets[$0].isEmpty }) {
                take(storage.buckets[k].last!, count)
            } else {
                greedyFromBuckets()
            }
        }
        return out
    }

    /// The `m` smallest of `ids`, ascending: one pass keeping the smallest `m` in order when
    /// few are wanted (insertion costs at most `m` per id), else a sort.
    static func smallest(_ m: Int, of ids: [Int32]) -> [Int32] {
        if m > 16 || m * 4 >= ids.count { return Array(ids.sorted().prefix(m)) }
        var kept: [Int32] = []
        kept.reserveCapacity(m + 1)
        for id in ids where kept.count < m || id < kept[m - 1] {
            var i = kept.count
            while i > 0 && kept[i - 1] > id { i -= 1 }
            kept.insert(id, at: i)
            if kept.count > m { kept.removeLast() }
        }
        return kept
    }

    /// Servers with at least one free device, from the buckets (highest first, stable order).
    private func fullServers() -> [Int32] {
        var out: [Int32] = []
        for k in stride(from: Int(storage.maxServerDevices), through: 1, by: -1) { out.append(contentsOf: storage.buckets[k]) }
        return out
    }

    /// A device with room for `milli` more, by the placement policy; nil if none.
    private func sharedDevice(_ milli: Int32, excluding: [Int32]) -> Int32? {
        let cap = sharing.deviceCapacityMilli
        var best: Int32? = nil
        var bestRoom = Int32.max
        func unused(mostFree: Bool) -> Int32? {
            let ks = mostFree ? Array(stride(from: Int(storage.maxServerDevices), through: 1, by: -1)) : Array(1...Int(storage.maxServerDevices))
            for k in ks {
                for s in storage.buckets[k].reversed() {
                    let first = Int(storage.serverFirstDevice[Int(s)])
                    for d in first..<first + Int(storage.serverDevices[Int(s)]) where storage.deviceUsed[d] == 0 && !excluding.contains(Int32(d)) { return Int32(d) }
                }
            }
            return nil
        }
        switch placement {
        case .spread:
            if let d = unused(mostFree: true) { return d }
            for d in storage.partial where !excluding.contains(d) {
                let room = cap - storage.deviceUsed[Int(d)]
                if room >= milli, best == nil || room > cap - storage.deviceUsed[Int(best!)] || (room == cap - storage.deviceUsed[Int(best!)] && d < best!) { best = d }
            }
            return best
        default:
            // Best fit among shared devices, else an unused device on the fullest server.
            for d in storage.partial where !excluding.contains(d) {
                let room = cap - storage.deviceUsed[Int(d)]
                if room >= milli, room < bestRoom || (room == bestRoom && d < best!) { best = d; bestRoom = room }
            }
            return best ?? unused(mostFree: false)
        }
    }

    /// Returns the accelerators of the job `handle` names.
    public mutating func release(_ handle: JobHandle) {
        makeUnique()
        guard let s = heldSlot(handle) else { return }
        let milli = storage.slotMilli[s]
        // Take the list out first, so the outer array stays uniquely referenced (no copy on write).
        let devices = storage.slotDevices[s]
        storage.slotDevices[s] = []
        for d in devices {
            if storage.cordonedServers > 0 && storage.serverCordoned[Int(storage.deviceServer[Int(d)])] {
                keepCordoned(d, milli)
            } else {
                book(d, -milli)
            }
            if milli < sharing.deviceCapacityMilli { storage.deviceJobs[Int(d)].removeAll { $0 == handle } }
        }
    }

    // MARK: Views

    /// Checks the pool's bookkeeping: no device booked beyond its sharing limit, whole-free counts,
    /// buckets, leaves, the partial set and the stranded capacity all agree. Returns the first
    /// inconsistency, or nil (for property tests).
    public func inconsistency() -> String? {
        let cap = sharing.deviceCapacityMilli
        var freeCount = 0, stranded = 0, partialCount = 0
        var leaf = Array(repeating: Int32(0), count: storage.leafFree.count)
        for s in storage.serverDevices.indices {
            var whole: Int32 = 0
            let first = Int(storage.serverFirstDevice[s])
            for d in first..<first + Int(storage.serverDevices[s]) {
                let u = storage.deviceUsed[d]
                if u < 0 || u > cap { return "device \(d) booked \(u) of \(cap) milli" }
                if u == 0 { whole += 1 }
                if u > 0 && u < cap { partialCount += 1; stranded += Int(cap - u) }
            }
            if whole != storage.serverFree[s] { return "server \(s) counts \(storage.serverFree[s]) storage.free devices, has \(whole)" }
            if storage.buckets[Int(whole)][Int(storage.bucketPosition[s])] != Int32(s) { return "server \(s) is not in bucket \(whole)" }
            leaf[Int(storage.serverLeaf[s])] += whole
            freeCount += Int(whole)
        }
        if freeCount != storage.free { return "storage.free is \(storage.free), devices say \(freeCount)" }
        if leaf != storage.leafFree { return "leaf free counts disagree" }
        if partialCount != storage.partial.count { return "\(storage.partial.count) storage.partial devices listed, \(partialCount) found" }
        if stranded != storage.strandedMilli { return "stranded \(storage.strandedMilli), devices say \(stranded)" }
        return nil
    }

    /// Where a whole-device job of `count` accelerators would go now, without placing it: the
    /// devices the placement policy would choose and the servers and leaves they span (nil when
    /// it does not fit). The placement hook: a policy sees before it starts a job whether its
    /// ring would stay in a server, under a leaf, or cross the spine.
    public func preview(count: Int) -> (devices: [Int32], servers: Int, leaves: Int)? {
        guard count > 0, count <= storage.free else { return nil }
        let devices = wholeDevices(count)
        let (servers, leaves) = span(devices: devices)
        return (devices, servers, leaves)
    }

    /// The devices (pool-local indices, numbered server by server) the job `handle` names holds.
    public func devices(of handle: JobHandle) -> [Int32] {
        heldSlot(handle).map { storage.slotDevices[$0] } ?? []
    }

    /// Servers and leaves the job `handle` names spans.
    public func span(of handle: JobHandle) -> (servers: Int, leaves: Int) {
        span(devices: devices(of: handle))
    }

    /// Servers and leaves `devices` span.
    public func span(devices: [Int32]) -> (servers: Int, leaves: Int) {
        // Distinct counts by sorting (a gang of thousands of devices spans hundreds of servers).
        func distinct(_ xs: [Int32]) -> Int {
            let sorted = xs.sorted()
            return sorted.indices.reduce(0) { $0 + ($1 == 0 || sorted[$1] != sorted[$1 - 1] ? 1 : 0) }
        }
        let servers = devices.map { storage.deviceServer[Int($0)] }
        return (distinct(servers), distinct(servers.map { storage.serverLeaf[Int($0)] }))
    }

    /// The other jobs sharing a device with the job `handle` names.
    public func coRunners(of handle: JobHandle) -> [JobHandle] {
        // A job holding whole devices shares none (only slices are listed on their devices).
        guard let s = heldSlot(handle), storage.slotMilli[s] < sharing.deviceCapacityMilli else { return [] }
        var out: [JobHandle] = []
        for d in storage.slotDevices[s] {
            for j in storage.deviceJobs[Int(d)] where j != handle && !out.contains(j) { out.append(j) }
        }
        return out
    }
}

/// The pool's state, shared copy-on-write: copying an `AcceleratorPool` (into a scheduling
/// context and back) costs one reference count, not one per array.
final class PoolStorage: @unchecked Sendable {
    @exclusivity(unchecked) var free: Int = 0
    // Layout.
    @exclusivity(unchecked) var serverFirstDevice: [Int32] = []
    @exclusivity(unchecked) var serverDevices: [Int32] = []
    @exclusivity(unchecked) var serverLeaf: [Int32] = []
    @exclusivity(unchecked) var deviceServer: [Int32] = []
    @exclusivity(unchecked) var leafFree: [Int32] = []
    @exclusivity(unchecked) var maxServerDevices: Int32 = 0

    // State.
    /// Milli-units booked on each device (0: unused; the device capacity when held whole).
    @exclusivity(unchecked) var deviceUsed: [Int32] = []
    /// Whole unused devices per server, and servers bucketed by that count.
    @exclusivity(unchecked) var serverFree: [Int32] = []
    @exclusivity(unchecked) var buckets: [[Int32]] = []
    @exclusivity(unchecked) var bucketPosition: [Int32] = []
    /// Devices booked partly (by fractional jobs), as a set with positions.
    @exclusivity(unchecked) var partial: [Int32] = []
    @exclusivity(unchecked) var partialPosition: [Int32] = []
    /// Jobs on each shared device (for interference), and each job's devices, milli and handle by slot.
    @exclusivity(unchecked) var deviceJobs: [[JobHandle]] = []
    @exclusivity(unchecked) var slotDevices: [[Int32]] = []
    @exclusivity(unchecked) var slotMilli: [Int32] = []
    @exclusivity(unchecked) var slotHandle: [JobHandle] = []

    /// Σ free milli on partly booked devices: capacity no whole-device job can use.
    @exclusivity(unchecked) var strandedMilli: Int = 0
    /// Servers out of service (their devices booked whole, with no job), and their devices.
    @exclusivity(unchecked) var serverDown: [Bool] = []
    @exclusivity(unchecked) var downDevices: Int = 0
    /// Servers draining before they retire (empty until the first): milli booked on each
    /// device to keep new jobs off it, devices booked by the drain alone, and how many drain.
    @exclusivity(unchecked) var serverCordoned: [Bool] = []
    @exclusivity(unchecked) var cordonMilli: [Int32] = []
    @exclusivity(unchecked) var cordonIdleDevices: Int = 0
    @exclusivity(unchecked) var cordonedServers: Int = 0
    /// Draining servers found empty (in the order they emptied), for the engine to take out.
    @exclusivity(unchecked) var drained: [Int32] = []


    init() {}

    func copy() -> PoolStorage {
        let c = PoolStorage()
        c.free = free
        c.serverFirstDevice = serverFirstDevice; c.serverDevices = serverDevices; c.serverLeaf = serverLeaf
        c.deviceServer = deviceServer; c.leafFree = leafFree; c.maxServerDevices = maxServerDevices
        c.deviceUsed = deviceUsed; c.serverFree = serverFree; c.buckets = buckets; c.bucketPosition = bucketPosition
        c.partial = partial; c.partialPosition = partialPosition; c.deviceJobs = deviceJobs
        c.slotDevices = slotDevices; c.slotMilli = slotMilli; c.slotHandle = slotHandle; c.strandedMilli = strandedMilli
        c.serverDown = serverDown; c.downDevices = downDevices
        c.serverCordoned = serverCordoned; c.cordonMilli = cordonMilli; c.cordonIdleDevices = cordonIdleDevices; c.cordonedServers = cordonedServers
        c.drained = drained
        return c
    }
}
