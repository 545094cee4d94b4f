import SimKernel

/// A fabric carrying the collectives of many jobs at once. Each job (an owner, named by a small
/// integer) puts one coupled flow on it (``FabricLinks/collectiveFlow(_:ringsPerReplica:)``);
/// attaches and detaches are collected and ``settle()`` re-solves the max-min shares of only
/// the flows coupled to them, once for a whole instant's changes, reporting whose bandwidth
/// may have changed. Link loads (Σ rate × uses) are kept for link utilisation.
///
/// Only what a change moves is solved again. Progressive filling raises every rate together
/// from zero, and a flow attached changes nothing below the level at which it first fills a
/// link, one detached nothing below the least level at which its full links filled (at or
/// above its own rate): every flow frozen lower keeps its rate exactly. So a
/// settle finds that level for the instant's changes, keeps the flows clearly below it at their
/// rates (their load taken off their links' capacity) and solves only the flows above it that
/// the changes reach. A link with room (its kept load clearly below its capacity) limits
/// nobody: a flow leaving it re-prices no one, and new flows that cannot fill any link they
/// share run at their standalone bounds without a search.
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
    /// Whether the fabric copies each flow attached into its owner's own arrays, kept from one
    /// attach to the next (for a caller that builds every flow in one workspace, as the
    /// storage system does at each ingest and stream: no allocation once they have grown),
    /// instead of holding the caller's arrays. Set before any flow is attached.
    public var copiesFlows = false {
        didSet { precondition(attached.allSatisfy { !$0 }, "copiesFlows set after flows were attached") }
    }
    var streams: [Double] = []
    var attached: [Bool] = []
    var flowBound: [Double] = []
    var rates: [Double] = []
    /// The flows on each link (unordered; solves sort what they gather): owner, the link's
    /// position in the owner's flow, and uses.
    var linkFlows: [[LinkFlow]]
    struct LinkFlow {
        var owner: Int32
        var position: Int32 = 0
        var use: Double
    }
    /// Where each owner's entry sits in each of its links' `linkFlows` (by position in its
    /// flow): a detach takes it out at once, not by searching a storage tier's hundreds.
    var entryIndex: [[Int32]] = []
    /// Each owner's shared links: the positions (ascending) in its flow of the links another
    /// flow also crosses. Only those can couple (a link one flow crosses never fills beyond that
    /// flow's own bound), so the searches and solves walk these, not every link of a ring.
    var sharedPositions: [[Int32]] = []
    /// What an attach, a detach and a search read of each link, together (where five arrays
    /// were five cache lines per link): its capacity, Σ uses × standalone bound of its flows,
    /// the sum above which it couples them (its capacity × (1 + 1e-12)), its load (bytes/s, when
    /// kept: ``keepLoad(only:)``, all by default), the load below which it has room (capacity ×
    /// (1 − 1e-6); −∞ when its load is not kept or it has no capacity), the search's stamp, and
    /// whether its load is kept.
    struct LinkState {
        var capacity: Double
        var boundSum = 0.0
        var couplesAbove: Double
        var load = 0.0
        var roomBelow: Double
        var stamp: Int32 = 0
        var loadKept = true

        init(capacity: Double, loadKept: Bool = true) {
            self.capacity = capacity
            couplesAbove = capacity * (1 + 1e-12)
            roomBelow = loadKept && capacity > 0 ? capacity * (1 - 1e-6) : -.infinity
            self.loadKept = loadKept
        }
    }
    var link: [LinkState]
    /// Each owner's positions in its flow of the links whose load is kept.
    var keptPositions: [[Int32]] = []
    /// Bundles of twin links (``declareBundles(_:)``); each owner's shared links above are its
    /// links outside them.
    var bundles: LinkBundles

    /// Changes not yet settled: owners attached (or whose bound changed), coupling links left
    /// by detached owners, the owners attached (also flagged in `isNew`), and the level below
    /// which the detaches and capacity changes leave every rate as it was.
    var pendingOwners: [Int] = []
    var pendingLinks: [Int] = []
    var pendingNew: [Int] = []
    var isNew: [Bool] = []
    var pendingFloor = Double.infinity
    /// Whether a settle keeps the flows below its changes' level at their rates (the default) or
    /// solves every flow the changes couple to, as from scratch (for tests).
    public var keepsFlowsBelowChanges = true
    /// The load of the flows a search keeps at their rates, on each link it stacked.
    var keptLoad: [Double]
    /// ``fillLevel(_:)``'s workspace.
    var levelScratch: [(stop: Double, use: Double)] = []
    /// Σ uses × bound of the flows attached since the last settle, on each link they cross (and
    /// the links with some): with a link's kept load, an upper bound of what it would carry with
    /// the new flows at their bounds and the others at their rates, so a link far from filling
    /// is known not to fill without walking its flows (``fillLevel(_:)``).
    var newBoundLoad: [Double]
    var newBoundLinks: [Int] = []
    /// Links on which a search found one flow to solve (stamped with the search's stamp), and
    /// each such flow's least level over them: a link where one flow rises among kept ones
    /// fills at that level exactly, so the solve takes it as the flow's bound instead.
    var soleStamp: [Int32]
    var soleBound: [Double] = []
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
        link = capacities.map { LinkState(capacity: $0) }
        bundles = LinkBundles(links: n)
        linkLocal = Array(repeating: 0, count: n)
        keptLoad = Array(repeating: 0, count: n)
        soleStamp = Array(repeating: 0, count: n)
        newBoundLoad = Array(repeating: 0, count: n)
    }

    /// Keeps the load of these links only (the ones a caller reads), so re-pricing a ring does
    /// not walk all its links; set before any flow is attached.
    public mutating func keepLoad(only links: [Int]) {
        precondition(attached.allSatisfy { !$0 }, "keepLoad(only:) after flows were attached")
        let kept = Set(links)
        link = capacities.indices.map { LinkState(capacity: capacities[$0], loadKept: kept.contains($0)) }
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

    /// Link `l`'s current load (bytes/s; 0 when its load is not kept).
    public func load(_ l: Int) -> Double { link[l].load }

    func isCoupling(_ l: Int) -> Bool { link[l].boundSum > link[l].couplesAbove }

    /// Whether link `l`'s kept load, with `extra` on it, is clearly below its capacity (the
    /// margin covers the load's rounding, which is summed as rates change); false when its load
    /// is not kept, and for a link of no capacity, which fills at 0 whatever it carries.
    func hasRoom(_ l: Int, adding extra: Double = 0) -> Bool {
        link[l].load + extra < link[l].roomBelow
    }

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
        entryIndex.growToInclude(owner, with: [])
        isNew.growToInclude(owner, with: false)
        var bound = f.limit
        for (l, u) in zip(f.links, f.uses) { bound = min(bound, link[l].capacity / u) }
        if copiesFlows {
            flows[owner].links.append(contentsOf: f.links)
            flows[owner].uses.append(contentsOf: f.uses)
            flows[owner].limit = f.limit
        } else {
            flows[owner] = f
        }
        attached[owner] = true
        flowBound[owner] = bound
        rates[owner] = 0
        bundles.attach(owner, flow: f)
        // The owner's lists were emptied at its detach, keeping their storage: an owner slot
        // reused by the next job allocates nothing.
        entryIndex[owner].reserveCapacity(f.links.count)
        for (k, (l, u)) in zip(f.links, f.uses).enumerated() {
            if link[l].loadKept { keptPositions[owner].append(Int32(k)) }
            entryIndex[owner].append(Int32(linkFlows[l].count))
            linkFlows[l].append(LinkFlow(owner: Int32(owner), position: Int32(k), use: u))
            link[l].boundSum += u * bound
            if newBoundLoad[l] == 0 { newBoundLinks.append(l) }
            newBoundLoad[l] += u * bound
            guard !bundles.contains(l) else { continue }
            let crossing = linkFlows[l].count
            if crossing == 2 { markShared(Int(linkFlows[l][0].owner), link: l, shared: true) }
            if crossing >= 2 { sharedPositions[owner].append(Int32(k)) }
        }
        for b in bundles.partialOf[owner] { reclassify(bundle: Int(b)) }
        pendingOwners.append(owner)
        pendingNew.append(owner)
        isNew[owner] = true
    }

    /// Takes `owner`'s flow off the fabric (the others re-priced at the next ``settle()``).
    public mutating func detach(_ owner: Int) {
        guard isAttached(owner) else { return }
        let f = flows[owner], entries = entryIndex[owner]
        for (k, (l, u)) in zip(f.links, f.uses).enumerated() {
            // Flows that shared a link that could fill may now go faster, those above its rate;
            // not if the link had room: it limited none of them, and max-min shares are set by
            // the links that are full.
            if isCoupling(l) && !bundles.standsInForFirst(l) && !hasRoom(l) {
                pendingLinks.append(l)
                pendingFloor = min(pendingFloor, isNew[owner] ? 0 : fillLevelNow(l))
            }
            if link[l].loadKept { link[l].load -= rates[owner] * u }
            link[l].boundSum -= u * flowBound[owner]
            // The last entry takes this one's place.
            let i = Int(entries[k]), last = linkFlows[l].count - 1
            if i != last {
                let moved = linkFlows[l][last]
                linkFlows[l][i] = moved
                entryIndex[Int(moved.owner)][Int(moved.position)] = Int32(i)
            }
            linkFlows[l].removeLast()
            if linkFlows[l].isEmpty { link[l].load = 0; link[l].boundSum = 0 }
            if linkFlows[l].count == 1 && !bundles.contains(l) { markShared(Int(linkFlows[l][0].owner), link: l, shared: false) }
        }
        sharedPositions[owner].removeAll(keepingCapacity: true)
        keptPositions[owner].removeAll(keepingCapacity: true)
        entryIndex[owner].removeAll(keepingCapacity: true)
        let partlyUsed = bundles.partialOf[owner]
        bundles.detach(owner)
        for b in partlyUsed where bundles.partial[Int(b)] > 0 { reclassify(bundle: Int(b)) }
        if copiesFlows {
            flows[owner].links.removeAll(keepingCapacity: true)
            flows[owner].uses.removeAll(keepingCapacity: true)
        } else {
            flows[owner] = MaxMinFairShare.Flow(links: [])
        }
        attached[owner] = false
        rates[owner] = 0
    }

    /// Puts `f` in place of `owner`'s flow, which crosses the same links (a storage transfer's
    /// ingest followed by its stream): the state a ``detach(_:)`` and an ``attach(_:flow:streams:)``
    /// leave, to the bit, without taking the owner out of its links' lists and putting it back
    /// (its entry trades places with each list's last, where the attach would append it). On a
    /// fabric with bundles, or when the links differ, it is that detach and attach.
    public mutating func replace(_ owner: Int, flow f: MaxMinFairShare.Flow, streams count: Int = 1) {
        guard isAttached(owner), bundles.partial.isEmpty, flows[owner].links == f.links else {
            detach(owner)
            attach(owner, flow: f, streams: count)
            return
        }
        // The detach's part: the links it frees are priced again; the old flow's load and bound
        // leave them (all of it where the owner is alone, as an empty list's are zeroed).
        for (k, l) in flows[owner].links.enumerated() {
            let u = flows[owner].uses[k]
            if isCoupling(l) && !hasRoom(l) {
                pendingLinks.append(l)
                pendingFloor = min(pendingFloor, isNew[owner] ? 0 : fillLevelNow(l))
            }
            let alone = linkFlows[l].count == 1
            if link[l].loadKept { link[l].load = alone ? 0 : link[l].load - rates[owner] * u }
            link[l].boundSum = alone ? 0 : link[l].boundSum - u * flowBound[owner]
            // The owner's entry goes last, the last takes its place.
            // (The owner's entries read in place: a copy held here would make the write below
            // copy its list.)
            let i = Int(entryIndex[owner][k]), last = linkFlows[l].count - 1
            if i != last {
                let moved = linkFlows[l][last]
                linkFlows[l][i] = moved
                entryIndex[Int(moved.owner)][Int(moved.position)] = Int32(i)
                entryIndex[owner][k] = Int32(last)
            }
        }
        // The attach's part: the same lists of shared and kept links (the same links carry as
        // many flows), the new uses, bound and rate 0.
        var bound = f.limit
        for (l, u) in zip(f.links, f.uses) { bound = min(bound, link[l].capacity / u) }
        streams[owner] = Double(count)
        if copiesFlows {
            for k in f.uses.indices { flows[owner].uses[k] = f.uses[k] }
            flows[owner].limit = f.limit
        } else {
            flows[owner] = f
        }
        flowBound[owner] = bound
        rates[owner] = 0
        for (k, (l, u)) in zip(f.links, f.uses).enumerated() {
            linkFlows[l][linkFlows[l].count - 1] = LinkFlow(owner: Int32(owner), position: Int32(k), use: u)
            link[l].boundSum += u * bound
            if newBoundLoad[l] == 0 { newBoundLinks.append(l) }
            newBoundLoad[l] += u * bound
        }
        pendingOwners.append(owner)
        pendingNew.append(owner)
        isNew[owner] = true
    }

    /// The level at which full link `l` filled: the highest rate of its flows (a flow on a full
    /// link is frozen at its fill level or, by its bound or another link, below it). A flow
    /// leaving changes nothing below the least fill level of its full links: up to that level
    /// progressive filling with and without it freezes the same flows at the same levels (its
    /// links have less load without it, and none of them filled lower).
    func fillLevelNow(_ l: Int) -> Double {
        var level = 0.0
        for e in linkFlows[l] { level = max(level, rates[Int(e.owner)]) }
        return level
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
        twinLeaders.removeAll(keepingCapacity: true)
        for l32 in bundles.links(ofBundle: b) {
            let l = Int(l32)
            markUses(on: l)
            var leader = l
            for c in twinLeaders where isTwinOfMarked(c, l) { leader = c; break }
            if leader == l { twinLeaders.append(l) }
            bundles.classFirst[l] = Int32(leader)
        }
    }

    /// ``reclassify(bundle:)``'s workspace: how many times each owner's flow crosses the link
    /// last marked (valid where `flowStamp` holds the mark's stamp), and the classes' first
    /// links so far. A flow crosses a link once in its list, so two links carry the same flows
    /// the same number of times when they carry as many and each of one's is marked with its
    /// uses on the other (a lookup by owner, where a search of each flow's links was a binary
    /// search per flow).
    var twinUse: [Double] = []
    var twinLeaders: [Int] = []

    /// Marks the uses of every flow on link `l` (stamped as a search stamps the flows it
    /// visits; a reclassification never runs inside a settle).
    mutating func markUses(on l: Int) {
        nextStamp()
        for e in linkFlows[l] {
            let o = Int(e.owner)
            twinUse.growToInclude(o, with: 0)
            flowStamp[o] = stamp
            twinUse[o] = e.use
        }
    }

    /// Whether link `a` is a twin of link `b`, whose flows' uses are marked: the same capacity,
    /// and the same flows crossing each the same number of times.
    func isTwinOfMarked(_ a: Int, _ b: Int) -> Bool {
        guard capacities[a] == capacities[b], linkFlows[a].count == linkFlows[b].count else { return false }
        for e in linkFlows[a] {
            let o = Int(e.owner)
            guard flowStamp[o] == stamp, twinUse[o] == e.use else { return false }
        }
        return true
    }

    /// Sets link `l`'s capacity (a failed switch's links to 0, a storage tier that lost a
    /// server to what is left): the flows on it get new standalone bounds and are re-priced,
    /// with the flows coupled to them, at the next ``settle()``.
    public mutating func setCapacity(_ l: Int, to capacity: Double) {
        guard capacities[l] != capacity else { return }
        pendingFloor = 0   // new bounds: every flow the change reaches is solved again
        bundles.breakBundle(of: l)
        if isCoupling(l) { pendingLinks.append(l) }
        capacities[l] = capacity
        var state = LinkState(capacity: capacity, loadKept: link[l].loadKept)
        state.boundSum = link[l].boundSum
        state.load = link[l].load
        state.stamp = link[l].stamp
        link[l] = state
        if bundles.contains(l) { reclassify(bundle: Int(bundles.bundleOf[l])) }
        for e in linkFlows[l] {
            let owner = Int(e.owner), f = flows[owner]
            var bound = f.limit
            for (k, u) in zip(f.links, f.uses) { bound = min(bound, link[k].capacity / u) }
            for (k, u) in zip(f.links, f.uses) {
                // A link that could fill may stop coupling with the new bound: its flows are
                // solved again too (otherwise one left alone on it would keep its old share).
                if isCoupling(k) { pendingLinks.append(k) }
                link[k].boundSum += u * (bound - flowBound[owner])
            }
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
        // Flows frozen clearly below the changes' level keep their rates (the margin covers the
        // rates' rounding); the others the changes reach are solved.
        let floor = keepsFlowsBelowChanges ? min(pendingFloor, attachedFloor()) : 0
        let keepBelow = floor.isFinite ? floor * (1 - 1e-9) : .infinity
        defer {
            for o in pendingNew { isNew[o] = false }
            pendingNew.removeAll(keepingCapacity: true)
            pendingFloor = .infinity
            for l in newBoundLinks { newBoundLoad[l] = 0 }
            newBoundLinks.removeAll(keepingCapacity: true)
        }
        // Only attaches, none of which can fill a link it shares (with every flow on it at its
        // rate and the new ones at their bounds): the others keep their rates and each new flow
        // runs at its bound, as a solve would give it, without searching the links' flows.
        if floor == .infinity && pendingLinks.isEmpty && keepsFlowsBelowChanges && pendingOwners.allSatisfy({ !attached[$0] || isNew[$0] }) {
            return settleAtBounds()
        }
        nextStamp()
        // The search's lists, kept between settles (taken out while it runs).
        var component = searchComponent, stack = searchStack
        searchComponent = []
        searchStack = []
        component.removeAll(keepingCapacity: true)
        stack.removeAll(keepingCapacity: true)
        defer { searchComponent = component; searchStack = stack }
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
            soleBound.growToInclude(owner, with: .infinity)
            soleBound[owner] = .infinity
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
            // The kept flows' load, added in the link's order, which the calls' order sets
            // (attaches and detaches come in the center's canonical order of an instant's events).
            var solvedHere = 0, sole = LinkFlow(owner: 0, use: 0), load = 0.0
            for e in linkFlows[l] {
                let o = Int(e.owner)
                if isNew[o] || rates[o] >= keepBelow {
                    visit(o)
                    solvedHere += 1
                    sole = e
                } else {
                    load += e.use * rates[o]
                }
            }
            keptLoad[l] = load
            if solvedHere == 1 {
                soleStamp[l] = stamp
                let o = Int(sole.owner)
                soleBound[o] = min(soleBound[o], max(0, link[l].capacity - load) / sole.use)
            }
        }
        guard !component.isEmpty else { return [] }
        component.sort()   // a fixed order: the solve's floating point never depends on arrival order
        // One flow: every link it was searched through is its alone, so its rate is its bound.
        let solved = component.count == 1 ? [min(flowBound[Int(component[0])], soleBound[Int(component[0])])]
            : solveCoupled(component, searchStamp: stamp)
        solves += 1
        flowsPriced += component.count
        for (k, o) in component.enumerated() { setRate(Int(o), to: solved[k]) }
        settled.removeAll(keepingCapacity: true)
        for o in component { settled.append(Int(o)) }
        return settled
    }

    /// ``settle()``'s lists, kept so a settle allocates nothing once they have grown: the flows
    /// its search reached, the links it stacked, and the owners it returns (the caller's copy
    /// shares the storage until the next settle).
    var searchComponent: [Int32] = []
    var searchStack: [Int] = []
    var settled: [Int] = []

    /// Prices the flows attached since the last settle at their standalone bounds (``settle()``
    /// when none of them can fill a link); returns them, ascending.
    mutating func settleAtBounds() -> [Int] {
        settled.removeAll(keepingCapacity: true)
        // Each once (an owner attached, detached and attached again in one instant is listed twice).
        pendingOwners.sort()
        for o in pendingOwners where attached[o] && settled.last != o { settled.append(o) }
        pendingOwners.removeAll(keepingCapacity: true)
        guard !settled.isEmpty else { return [] }
        solves += 1
        flowsPriced += settled.count
        for o in settled { setRate(o, to: flowBound[o]) }
        return settled
    }

    /// Sets `owner`'s rate, moving the kept loads of its links by the change.
    mutating func setRate(_ owner: Int, to rate: Double) {
        let delta = rate - rates[owner]
        rates[owner] = rate
        guard delta != 0 else { return }
        let f = flows[owner]
        for k in keptPositions[owner] { link[f.links[Int(k)]].load += delta * f.uses[Int(k)] }
    }

    /// Progressive filling over the coupling links of `component`, each flow limited by its
    /// standalone bound (the other links cannot fill): ``CoupledSolve``.
    mutating func solveCoupled(_ component: [Int32], searchStamp: Int32) -> [Double] {
        nextStamp()
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
                guard soleStamp[l] != searchStamp else { continue }
                if link[l].stamp != stamp {
                    link[l].stamp = stamp
                    linkLocal[l] = Int32(w.capacity.count)
                    w.capacity.append(link[l].capacity)
                    w.kept.append(keptLoad[l])
                }
                w.flowLink.append(linkLocal[l]); w.flowUse.append(f.uses[Int(k)])
            }
            w.flowFirst.append(Int32(w.flowLink.count))
            w.bound.append(min(flowBound[Int(id)], soleBound[Int(id)]))
        }
        linksSolved += w.capacity.count
        return w.solve()
    }

    /// The solve's buffers, kept between solves so a solve allocates little.
    var workspace = CoupledSolve()

    /// The next search stamp (every stamp cleared before it could wrap).
    mutating func nextStamp() {
        stamp &+= 1
        guard stamp >= Int32.max - 1 else { return }
        stamp = 1
        for i in link.indices { link[i].stamp = 0 }
        for i in flowStamp.indices { flowStamp[i] = 0 }
        for i in soleStamp.indices { soleStamp[i] = 0 }
    }

    /// The lowest level at which a coupling link of a flow attached since the last settle fills
    /// when the flows on it rise together from zero, each stopping at its last rate (a new one
    /// at its bound). Below it the new flows change nothing: the solves agree with the last one.
    mutating func attachedFloor() -> Double {
        guard !pendingNew.isEmpty else { return .infinity }
        nextStamp()
        var floor = Double.infinity
        for o in pendingNew where attached[o] {
            let links = flows[o].links
            for k in sharedPositions[o] { floor = min(floor, fillLevel(links[Int(k)])) }
            if !bundles.linksOf[o].isEmpty {
                bundles.forEachPositionToSearch(of: o, links: links) { k in floor = min(floor, fillLevel(links[Int(k)])) }
            }
        }
        return floor
    }

    /// The level at which link `l` fills (``attachedFloor()``); infinity when it cannot, or was
    /// measured already by this search.
    ///
    /// With the flows on it rising together, each stopping at its stop (its last rate; a new
    /// one's bound), the link holds g(L) = Σ uses × min(stop, L) at level L: continuous and
    /// rising, so the level is where g reaches the capacity. It is found by partitioning the
    /// flows around pivot stops (expected time linear in the flows, where sorting them was
    /// n log n: a storage tier carries hundreds of transfers and is re-measured at every new
    /// one). Only positive terms are added (no cancellation when the uses differ by orders of
    /// magnitude, as a tier's IOPS link's do).
    mutating func fillLevel(_ l: Int) -> Double {
        guard isCoupling(l), link[l].stamp != stamp else { return .infinity }
        link[l].stamp = stamp
        // Room left with the new flows at their bounds: it cannot fill.
        if hasRoom(l, adding: newBoundLoad[l]) { return .infinity }
        levelScratch.removeAll(keepingCapacity: true)
        for e in linkFlows[l] {
            let o = Int(e.owner)
            levelScratch.append((isNew[o] ? flowBound[o] : rates[o], e.use))
        }
        let capacity = link[l].capacity
        // Flows known to stop below the level (their load) and to rise through it (their uses).
        var stoppedLoad = 0.0, risingUses = 0.0
        var lo = 0, hi = levelScratch.count
        while lo < hi {
            // Three ways around the middle flow's stop: [lo, less) below, [less, more) at, [more, hi) above.
            let pivot = levelScratch[lo + (hi - lo) / 2].stop
            var less = lo, i = lo, more = hi
            while i < more {
                let stop = levelScratch[i].stop
                if stop < pivot {
                    levelScratch.swapAt(less, i)
                    less += 1
                    i += 1
                } else if stop > pivot {
                    more -= 1
                    levelScratch.swapAt(i, more)
                } else {
                    i += 1
                }
            }
            var loadLess = 0.0, usesAt = 0.0, usesAbove = 0.0
            for k in lo..<less { loadLess += levelScratch[k].use * levelScratch[k].stop }
            for k in less..<more { usesAt += levelScratch[k].use }
            for k in more..<hi { usesAbove += levelScratch[k].use }
            if stoppedLoad + loadLess + pivot * (risingUses + usesAt + usesAbove) >= capacity {
                // It fills at or below the pivot: the flows stopping there or above rise through.
                risingUses += usesAt + usesAbove
                hi = less
            } else {
                // It fills above the pivot: the flows stopping there or below stop under it.
                stoppedLoad += loadLess + pivot * usesAt
                lo = more
            }
        }
        guard risingUses > 0 else { return .infinity }
        return max(0, capacity - stoppedLoad) / risingUses
    }
}
