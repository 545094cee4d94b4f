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
    /// Each owner's shared links: the positions (ascending) in its flow of the links another
    /// flow also crosses. Only those can couple (a link one flow crosses never fills beyond that
    /// flow's own bound), so the searches and solves walk these, not every link of a ring.
    var sharedPositions: [[Int32]] = []
    /// What a search reads of each link, together (one cache line, not three arrays): Σ uses ×
    /// standalone bound of its flows, the sum above which it couples them (its capacity ×
    /// (1 + 1e-12)), and the search's stamp.
    struct LinkState {
        var boundSum = 0.0
        var couplesAbove: Double
        var stamp: Int32 = 0
        /// The sum of bounds above which a link of `capacity` couples its flows.
        static func couplesAbove(_ capacity: Double) -> Double { capacity * (1 + 1e-12) }
    }
    var link: [LinkState]
    /// Current load (bytes/s) of every link whose load is kept (``keepLoad(only:)``; all by default).
    public private(set) var load: [Double]
    /// Whether each link's load is kept, and each owner's positions of such links in its flow.
    var loadKept: [Bool]
    var keptPositions: [[Int32]] = []
    /// Bundles of twin links (``declareBundles(_:)``); each owner's shared links above are its
    /// links outside them.
    var bundles: LinkBundles

    /// Changes not yet settled: owners attached, coupling links left by detached owners.
    var pendingOwners: [Int] = []
    var pendingLinks: [Int] = []
    /// Solves run and flows priced (for benchmarks).
    public private(set) var solves = 0
    public private(set) var flowsPriced = 0
    /// Links the solves carried (before twins were dropped), for tests and benchmarks.
    public private(set) var linksSolved = 0

    // Workspace reused by every solve (stamps instead of clearing).
    var stamp: Int32 = 0
    var linkLocal: [Int32]
    var flowStamp: [Int32] = []

    public init(links: FabricLinks) { self.init(capacities: links.capacities) }

    public init(capacities: [Double]) {
        self.capacities = capacities
        let n = capacities.count
        linkFlows = Array(repeating: [], count: n)
        link = capacities.map { LinkState(couplesAbove: LinkState.couplesAbove($0)) }
        load = Array(repeating: 0, count: n)
        loadKept = Array(repeating: true, count: n)
        bundles = LinkBundles(links: n)
        linkLocal = Array(repeating: 0, count: n)
    }

    /// Keeps the load of these links only (the ones a caller reads), so re-pricing a ring does
    /// not walk all its links; set before any flow is attached.
    public mutating func keepLoad(only links: [Int]) {
        precondition(attached.allSatisfy { !$0 }, "keepLoad(only:) after flows were attached")
        loadKept = Array(repeating: false, count: capacities.count)
        for l in links { loadKept[l] = true }
    }

    /// Declares bundles of links of equal capacity that flows often use all together (a
    /// server's NIC rails under a ring that takes every rail). While every flow on a bundle
    /// uses each of its links the same number of times, its links are twins (the same flows,
    /// uses and capacity: the same level at every step of a solve), and the searches and solves
    /// carry only its first link. Set before any flow is attached.
    public mutating func declareBundles(_ links: [[Int]]) {
        precondition(attached.allSatisfy { !$0 }, "declareBundles(_:) after flows were attached")
        bundles.declare(links, capacities: capacities)
    }

    /// Whether `owner` has a flow on the fabric.
    public func isAttached(_ owner: Int) -> Bool { owner < attached.count && attached[owner] }

    /// The bandwidth per rank `owner` gets (bytes/s: streams × stream rate) as of the last
    /// ``settle()``; 0 when not attached.
    public func bandwidth(_ owner: Int) -> Double { isAttached(owner) ? rates[owner] * streams[owner] : 0 }

    func isCoupling(_ l: Int) -> Bool { link[l].boundSum > link[l].couplesAbove }

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
        sharedPositions.growToInclude(owner, with: [])
        keptPositions.growToInclude(owner, with: [])
        var bound = f.limit
        for (l, u) in zip(f.links, f.uses) { bound = min(bound, capacities[l] / u) }
        flows[owner] = f
        attached[owner] = true
        flowBound[owner] = bound
        rates[owner] = 0
        bundles.attach(owner, flow: f)
        var shared: [Int32] = [], kept: [Int32] = []
        for (k, (l, u)) in zip(f.links, f.uses).enumerated() {
            if loadKept[l] { kept.append(Int32(k)) }
            linkFlows[l].append(Int32(owner))
            link[l].boundSum += u * bound
            guard !bundles.contains(l) else { continue }
            let crossing = linkFlows[l].count
            if crossing == 2 { markShared(Int(linkFlows[l][0]), link: l, shared: true) }
            if crossing >= 2 { shared.append(Int32(k)) }
        }
        sharedPositions[owner] = shared
        keptPositions[owner] = kept
        for b in bundles.partialOf[owner] { reclassify(bundle: Int(b)) }
        pendingOwners.append(owner)
    }

    /// Takes `owner`'s flow off the fabric (the others re-priced at the next ``settle()``).
    public mutating func detach(_ owner: Int) {
        guard isAttached(owner) else { return }
        let f = flows[owner]
        for (l, u) in zip(f.links, f.uses) {
            // Flows that shared a link that could fill may now go faster.
            if isCoupling(l) && !bundles.standsInForFirst(l) { pendingLinks.append(l) }
            if loadKept[l] { load[l] -= rates[owner] * u }
            link[l].boundSum -= u * flowBound[owner]
            if let k = linkFlows[l].firstIndex(of: Int32(owner)) { linkFlows[l].swapAt(k, linkFlows[l].count - 1); linkFlows[l].removeLast() }
            if linkFlows[l].isEmpty { load[l] = 0; link[l].boundSum = 0 }
            if linkFlows[l].count == 1 && !bundles.contains(l) { markShared(Int(linkFlows[l][0]), link: l, shared: false) }
        }
        sharedPositions[owner].removeAll()
        keptPositions[owner].removeAll()
        let partlyUsed = bundles.partialOf[owner]
        bundles.detach(owner)
        for b in partlyUsed where bundles.partial[Int(b)] > 0 { reclassify(bundle: Int(b)) }
        flows[owner] = MaxMinFairShare.Flow(links: [])
        attached[owner] = false
        rates[owner] = 0
    }

    /// Adds link `l` to (or removes it from) `owner`'s shared links, keeping them ascending.
    mutating func markShared(_ owner: Int, link l: Int, shared: Bool) {
        let position = Int32(flows[owner].links.lowerBound(of: l))
        let at = sharedPositions[owner].lowerBound(of: position)
        if shared {
            sharedPositions[owner].insert(position, at: at)
        } else if at < sharedPositions[owner].count, sharedPositions[owner][at] == position {
            sharedPositions[owner].remove(at: at)
        }
    }

    /// Splits bundle `b` into classes of twins (links of the same capacity carrying the same flows
    /// the same number of times), each led by its first link. Only flows that use the bundle
    /// partly tell its links apart, so this runs when one comes or goes (or a capacity changes).
    mutating func reclassify(bundle b: Int) {
        var leaders: [Int] = []
        for l32 in bundles.links(ofBundle: b) {
            let l = Int(l32)
            var leader = l
            for c in leaders where twins(c, l) { leader = c; break }
            if leader == l { leaders.append(l) }
            bundles.classFirst[l] = Int32(leader)
        }
    }

    /// Whether links `a` and `b` have the same capacity and carry the same flows the same number
    /// of times.
    func twins(_ a: Int, _ b: Int) -> Bool {
        guard capacities[a] == capacities[b], linkFlows[a].count == linkFlows[b].count else { return false }
        for o in linkFlows[a] {
            guard let ua = uses(Int(o), on: a), let ub = uses(Int(o), on: b), ua == ub else { return false }
        }
        return true
    }

    /// How many times `owner`'s flow crosses link `l` (nil: it does not).
    func uses(_ owner: Int, on l: Int) -> Double? {
        let f = flows[owner], k = f.links.lowerBound(of: l)
        return k < f.links.count && f.links[k] == l ? f.uses[k] : nil
    }

    /// Sets link `l`'s capacity (a failed switch's links to 0, a storage tier that lost a
    /// server to what is left): the flows on it get new standalone bounds and are re-priced,
    /// with the flows coupled to them, at the next ``settle()``.
    public mutating func setCapacity(_ l: Int, to capacity: Double) {
        guard capacities[l] != capacity else { return }
        bundles.breakBundle(of: l)
        if isCoupling(l) { pendingLinks.append(l) }
        capacities[l] = capacity
        link[l].couplesAbove = LinkState.couplesAbove(capacity)
        if bundles.contains(l) { reclassify(bundle: Int(bundles.bundleOf[l])) }
        for o32 in linkFlows[l] {
            let owner = Int(o32), f = flows[owner]
            var bound = f.limit
            for (k, u) in zip(f.links, f.uses) { bound = min(bound, capacities[k] / u) }
            for (k, u) in zip(f.links, f.uses) { link[k].boundSum += u * (bound - flowBound[owner]) }
            flowBound[owner] = bound
            pendingOwners.append(owner)
        }
        pendingLinks.append(l)
    }

    /// The coupling links the last search found, per flow (positions in its flow from
    /// `coupledFirst[owner]`, ending at −1): the solve reads them instead of testing again.
    var coupledFirst: [Int32] = []
    var coupledPositions: [Int32] = []

    /// Re-solves the flows coupled to the changes since the last call; returns their owners
    /// (ascending).
    public mutating func settle() -> [Int] {
        guard !pendingOwners.isEmpty || !pendingLinks.isEmpty else { return [] }
        stamp &+= 1
        if stamp >= Int32.max - 1 { stamp = 1; for i in link.indices { link[i].stamp = 0 }; for i in flowStamp.indices { flowStamp[i] = 0 } }
        var component: [Int32] = []
        var stack: [Int] = []
        coupledPositions.removeAll(keepingCapacity: true)
        // A link is stacked once: its flows are visited once.
        @inline(__always) func push(_ l: Int) {
            guard link[l].stamp != stamp else { return }
            link[l].stamp = stamp
            stack.append(l)
        }
        @inline(__always) func visit(_ owner: Int) {
            guard flowStamp[owner] != stamp else { return }
            flowStamp[owner] = stamp
            component.append(Int32(owner))
            let links = flows[owner].links
            coupledFirst.growToInclude(owner, with: 0)
            coupledFirst[owner] = Int32(coupledPositions.count)
            let start = coupledPositions.count
            for k in sharedPositions[owner] where isCoupling(links[Int(k)]) {
                push(links[Int(k)])
                coupledPositions.append(k)
            }
            if !bundles.linksOf[owner].isEmpty {
                bundles.forEachPositionToSearch(of: owner, links: links) { k in
                    guard isCoupling(links[Int(k)]) else { return }
                    push(links[Int(k)])
                    coupledPositions.append(k)
                }
                // Ascending, as the solve numbers links in the order it meets them.
                coupledPositions[start...].sort()
            }
            coupledPositions.append(-1)
        }
        for o in pendingOwners where attached[o] { visit(o) }
        for l in pendingLinks { push(l) }
        pendingOwners.removeAll(keepingCapacity: true)
        pendingLinks.removeAll(keepingCapacity: true)
        while let l = stack.popLast() {
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
            guard delta != 0 else { continue }
            let f = flows[Int(o)]
            for k in keptPositions[Int(o)] { load[f.links[Int(k)]] += delta * f.uses[Int(k)] }
        }
        return component.map(Int.init)
    }

    /// Progressive filling over the coupling links of `component`, each flow limited by its
    /// standalone bound (the other links cannot fill): ``CoupledSolve``.
    mutating func solveCoupled(_ component: [Int32]) -> [Double] {
        stamp &+= 1
        var w = workspace
        workspace = CoupledSolve()
        defer { workspace = w }
        w.reset()
        // Each flow's coupling links as local indices (flat: flow k's are flowFirst[k]..<flowFirst[k+1]).
        for id in component {
            let f = flows[Int(id)]
            var at = Int(coupledFirst[Int(id)])
            while coupledPositions[at] >= 0 {
                let k = coupledPositions[at]
                at += 1
                let l = f.links[Int(k)]
                if link[l].stamp != stamp {
                    link[l].stamp = stamp
                    linkLocal[l] = Int32(w.capacity.count)
                    w.capacity.append(capacities[l])
                }
                w.flowLink.append(linkLocal[l]); w.flowUse.append(f.uses[Int(k)])
            }
            w.flowFirst.append(Int32(w.flowLink.count))
            w.bound.append(flowBound[Int(id)])
        }
        linksSolved += w.capacity.count
        return w.solve()
    }

    /// The solve's buffers, kept between solves so a solve allocates little.
    var workspace = CoupledSolve()
}

