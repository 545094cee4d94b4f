import SimKernel

/// A fabric carrying the collectives of many jobs at once. Each job (an owner, named by a small
/// integer) puts one coupled flow on it (``FabricLinks/collectiveFlow(_:ringsPerReplica:)``);
/// attaches and detaches are collected and ``settle()`` re-solves the max-min shares of only
/// the flows coupled to them, once for a whole instant's changes, reporting whose bandwidth
/// may have changed. Link loads (Σ rate × uses) are kept for link utilisation.
///
/// Coupling: each flow has a standalone bound, the least of its limit and capacity / uses over
/// its links. A link whose flows' bounds (× uses) sum to no more than its capacity can never
/// fill, so it constrains nobody beyond those bounds: the solve drops it (keeping the bounds as
/// limits, an exactly equivalent problem) and the search for the flows a change touches does
/// not cross it. On a non-blocking fabric a job alone on its servers is priced alone; jobs
/// sharing NICs, or oversubscribed leaf uplinks, are solved together, as they must be.
public struct SharedFabric: Sendable {
    /// Capacity of every link (a fabric's, or a storage system's bandwidth and IOPS).
    public private(set) var capacities: [Double]

    /// Each owner's flow (no links: not attached), its streams, standalone bound and rate.
    var flows: [MaxMinFairShare.Flow] = []
    var streams: [Double] = []
    var attached: [Bool] = []
    var flowBound: [Double] = []
    var rates: [Double] = []
    /// Owners on each link (unordered; solves sort what they gather).
    var linkFlows: [[Int32]]
    /// Σ uses × standalone bound of the flows on each link.
    var boundSum: [Double]
    /// Current load of every link (bytes/s).
    public private(set) var load: [Double]
    /// Changes not yet settled: owners attached, coupling links left by detached owners.
    var pendingOwners: [Int] = []
    var pendingLinks: [Int] = []
    /// Solves run and flows priced (for benchmarks).
    public private(set) var solves = 0
    public private(set) var flowsPriced = 0

    // Workspace reused by every solve (stamps instead of clearing).
    var stamp: Int32 = 0
    var linkStamp: [Int32]
    var linkLocal: [Int32]
    var flowStamp: [Int32] = []

    public init(links: FabricLinks) { self.init(capacities: links.capacities) }

    public init(capacities: [Double]) {
        self.capacities = capacities
        let n = capacities.count
        linkFlows = Array(repeating: [], count: n)
        boundSum = Array(repeating: 0, count: n)
        load = Array(repeating: 0, count: n)
        linkStamp = Array(repeating: 0, count: n)
        linkLocal = Array(repeating: 0, count: n)
    }

    /// Whether `owner` has a flow on the fabric.
    public func isAttached(_ owner: Int) -> Bool { owner < attached.count && attached[owner] }

    /// The bandwidth per rank `owner` gets (bytes/s: streams × stream rate) as of the last
    /// ``settle()``; 0 when not attached.
    public func bandwidth(_ owner: Int) -> Double { isAttached(owner) ? rates[owner] * streams[owner] : 0 }

    func isCoupling(_ l: Int) -> Bool { boundSum[l] > capacities[l] * (1 + 1e-12) }

    /// Puts `owner`'s flow of `streams` parallel streams on the fabric (priced at the next
    /// ``settle()``).
    public mutating func attach(_ owner: Int, flow f: MaxMinFairShare.Flow, streams count: Int = 1) {
        precondition(!isAttached(owner), "owner \(owner) is already attached")
        flows.growToInclude(owner, with: MaxMinFairShare.Flow(links: []))
        attached.growToInclude(owner, with: false)
        streams.growToInclude(owner, with: 1)
        streams[owner] = Double(count)
        flowBound.growToInclude(owner, with: 0)
        rates.growToInclude(owner, with: 0)
        flowStamp.growToInclude(owner, with: 0)
        var bound = f.limit
        for (l, u) in zip(f.links, f.uses) { bound = min(bound, capacities[l] / u) }
        flows[owner] = f
        attached[owner] = true
        flowBound[owner] = bound
        rates[owner] = 0
        for (l, u) in zip(f.links, f.uses) {
            linkFlows[l].append(Int32(owner))
            boundSum[l] += u * bound
        }
        pendingOwners.append(owner)
    }

    /// Takes `owner`'s flow off the fabric (the others re-priced at the next ``settle()``).
    public mutating func detach(_ owner: Int) {
        guard isAttached(owner) else { return }
        let f = flows[owner]
        for (l, u) in zip(f.links, f.uses) {
            // Flows that shared a link that could fill may now go faster.
            if isCoupling(l) { pendingLinks.append(l) }
            load[l] -= rates[owner] * u
            boundSum[l] -= u * flowBound[owner]
            if let k = linkFlows[l].firstIndex(of: Int32(owner)) { linkFlows[l].swapAt(k, linkFlows[l].count - 1); linkFlows[l].removeLast() }
            if linkFlows[l].isEmpty { load[l] = 0; boundSum[l] = 0 }
        }
        flows[owner] = MaxMinFairShare.Flow(links: [])
        attached[owner] = false
        rates[owner] = 0
    }

    /// Sets link `l`'s capacity (a failed switch's links to 0, a storage tier that lost a
    /// server to what is left): the flows on it get new standalone bounds and are re-priced,
    /// with the flows coupled to them, at the next ``settle()``.
    public mutating func setCapacity(_ l: Int, to capacity: Double) {
        guard capacities[l] != capacity else { return }
        if isCoupling(l) { pendingLinks.append(l) }
        capacities[l] = capacity
        for o32 in linkFlows[l] {
            let owner = Int(o32), f = flows[owner]
            var bound = f.limit
            for (k, u) in zip(f.links, f.uses) { bound = min(bound, capacities[k] / u) }
            for (k, u) in zip(f.links, f.uses) { boundSum[k] += u * (bound - flowBound[owner]) }
            flowBound[owner] = bound
            pendingOwners.append(owner)
        }
        pendingLinks.append(l)
    }

    /// Re-solves the flows coupled to the changes since the last call; returns their owners
    /// (ascending).
    public mutating func settle() -> [Int] {
        guard !pendingOwners.isEmpty || !pendingLinks.isEmpty else { return [] }
        stamp &+= 1
        if stamp == Int32.max { stamp = 1; for i in linkStamp.indices { linkStamp[i] = 0 }; for i in flowStamp.indices { flowStamp[i] = 0 } }
        var component: [Int32] = []
        var stack: [Int] = []
        func visit(_ owner: Int) {
            guard flowStamp[owner] != stamp else { return }
            flowStamp[owner] = stamp
            component.append(Int32(owner))
            for l in flows[owner].links where isCoupling(l) { stack.append(l) }
        }
        for o in pendingOwners where attached[o] { visit(o) }
        stack.append(contentsOf: pendingLinks)
        pendingOwners.removeAll(keepingCapacity: true)
        pendingLinks.removeAll(keepingCapacity: true)
        while let l = stack.popLast() {
            guard linkStamp[l] != stamp else { continue }
            linkStamp[l] = stamp
            for o in linkFlows[l] { visit(Int(o)) }
        }
        guard !component.isEmpty else { return [] }
        component.sort()   // a fixed order: the solve's floating point never depends on arrival order
        let solved = solveCoupled(component)
        solves += 1
        flowsPriced += component.count
        for (k, o) in component.enumerated() {
            let delta = solved[k] - rates[Int(o)]
            rates[Int(o)] = solved[k]
            if delta != 0 { for (l, u) in zip(flows[Int(o)].links, flows[Int(o)].uses) { load[l] += delta * u } }
        }
        return component.map(Int.init)
    }

    /// Progressive filling over the coupling links of `component`, each flow limited by its
    /// standalone bound (the other links cannot fill). Event-driven: every unfrozen flow runs
    /// at the common level t; the next event is the lowest link level (capacity left by frozen
    /// flows / uses of unfrozen ones, from a heap) or the lowest unfrozen bound, and freezing a
    /// flow updates only its links' counts (heap keys are refreshed lazily). Cost: at most
    /// O(Σ link uses · log links) per solve.
    mutating func solveCoupled(_ component: [Int32]) -> [Double] {
        stamp &+= 1
        var local: [Int] = []       // global link of each local index
        var flowLinks: [[Int32]] = [], flowUses: [[Double]] = []
        flowLinks.reserveCapacity(component.count); flowUses.reserveCapacity(component.count)
        for id in component {
            let f = flows[Int(id)]
            var ls: [Int32] = [], us: [Double] = []
            for (l, u) in zip(f.links, f.uses) where isCoupling(l) {
                if linkStamp[l] != stamp {
                    linkStamp[l] = stamp
                    linkLocal[l] = Int32(local.count)
                    local.append(l)
                }
                ls.append(linkLocal[l]); us.append(u)
            }
            flowLinks.append(ls); flowUses.append(us)
        }
        var frozenLoad = Array(repeating: 0.0, count: local.count)
        var weight = Array(repeating: 0.0, count: local.count)
        var members = Array(repeating: [Int32](), count: local.count)
        for k in component.indices {
            for (l, u) in zip(flowLinks[k], flowUses[k]) {
                weight[Int(l)] += u
                members[Int(l)].append(Int32(k))
            }
        }
        var heap = LevelHeap()
        var version = Array(repeating: Int32(0), count: local.count)
        func level(_ l: Int) -> Double { max(0, capacities[local[l]] - frozenLoad[l]) / weight[l] }
        for l in local.indices where weight[l] > 0 { heap.push(level(l), link: Int32(l), version: 0) }
        let byBound = component.indices.sorted { (flowBound[Int(component[$0])], $0) < (flowBound[Int(component[$1])], $1) }
        var nextBound = 0
        var rate = Array(repeating: 0.0, count: component.count)
        var frozen = Array(repeating: false, count: component.count)
        var unfrozen = component.count
        func freeze(_ k: Int, at r: Double) {
            frozen[k] = true
            unfrozen -= 1
            rate[k] = r
            for (l32, u) in zip(flowLinks[k], flowUses[k]) {
                let l = Int(l32)
                frozenLoad[l] += u * r
                weight[l] -= u
                version[l] &+= 1
                if weight[l] <= 1e-12 { weight[l] = 0 }
            }
        }
        while unfrozen > 0 {
            // Levels only rise as flows freeze, so a stale key is a lower bound: re-key it when it
            // reaches the top (lazy), and the first fresh top is the true lowest level.
            while let top = heap.top {
                let l = Int(top.link)
                if weight[l] == 0 { heap.pop(); continue }
                guard top.version != version[l] else { break }
                heap.pop()
                heap.push(level(l), link: top.link, version: version[l])
            }
            while nextBound < byBound.count, frozen[byBound[nextBound]] { nextBound += 1 }
            let linkLevel = heap.top?.level ?? .infinity
            let bound = nextBound < byBound.count ? flowBound[Int(component[byBound[nextBound]])] : .infinity
            if bound <= linkLevel {
                guard bound.isFinite else { break }
                freeze(byBound[nextBound], at: bound)
            } else {
                let l = Int(heap.top!.link)
                heap.pop()
                for k in members[l] where !frozen[Int(k)] { freeze(Int(k), at: linkLevel) }
            }
        }
        for k in component.indices where !frozen[k] { rate[k] = .infinity }
        return rate
    }
}

/// A binary min-heap of link levels (ties: lower link index), with versions for lazy deletion.
struct LevelHeap {
    var items: [(level: Double, link: Int32, version: Int32)] = []

    var top: (level: Double, link: Int32, version: Int32)? { items.first }

    static func less(_ a: (level: Double, link: Int32, version: Int32), _ b: (level: Double, link: Int32, version: Int32)) -> Bool {
        a.level < b.level || (a.level == b.level && a.link < b.link)
    }

    mutating func push(_ level: Double, link: Int32, version: Int32) {
        items.append((level, link, version))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.less(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() {
        let last = items.removeLast()
        guard !items.isEmpty else { return }
        items[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count, Self.less(items[l], items[m]) { m = l }
            if r < items.count, Self.less(items[r], items[m]) { m = r }
            guard m != i else { return }
            items.swapAt(i, m)
            i = m
        }
    }
}
