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
    public var capacities: [Double] { link.map(\.capacity) }

    /// Each owner's flow, its streams, standalone bound and rate. A detached owner's flow has no
    /// links, or, when the fabric copies flows, is its last one's until its next is held.
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
    /// (1 − 1e-6); −∞ when its load is not kept or it has no capacity), the search's stamp,
    /// whether its load is kept, and the bound load of the flows attached since the last settle.
    struct LinkState {
        var capacity = 0.0
        var boundSum = 0.0
        var couplesAbove = 0.0
        var load = 0.0
        var roomBelow = -Double.infinity
        var stamp: Int32 = 0
        var loadKept = true
        /// Σ uses × bound of the flows attached since the last settle: with the link's kept load,
        /// an upper bound of what it would carry with the new flows at their bounds and the
        /// others at their rates, so a link far from filling is known not to fill without
        /// walking its flows (``fillLevel(_:)``).
        var newBoundLoad = 0.0

        init(capacity: Double, loadKept: Bool = true) {
            self.loadKept = loadKept
            setCapacity(capacity)
        }

        /// Sets the capacity and the two thresholds that follow from it.
        mutating func setCapacity(_ c: Double) {
            capacity = c
            couplesAbove = c * (1 + 1e-12)
            roomBelow = loadKept && c > 0 ? c * (1 - 1e-6) : -.infinity
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

    /// The links with flows attached since the last settle (their `LinkState.newBoundLoad`).
    var newBoundLinks: [Int] = []

    /// Links on which a search found one flow to solve (stamped with the search's stamp), and
    /// each such flow's least level over them: a link where one flow rises among kept ones
    /// fills at that level exactly, so the solve takes it as the flow's bound instead.
    var soleStamp: [Int32]
    var soleBound: [Double] = []

    /// Solves run and flows priced (for benchmarks).
    public internal(set) var solves = 0
    public internal(set) var flowsPriced = 0

    /// Links the solves carried (before twins were dropped), for tests and benchmarks.
    public internal(set) var linksSolved = 0

    // Workspace reused by every solve (stamps instead of clearing).
    var stamp: Int32 = 0
    var linkLocal: [Int32]
    var flowStamp: [Int32] = []

    /// ``reclassify(bundle:)``'s workspace: how many times each owner's flow crosses the link
    /// last marked (valid where `flowStamp` holds the mark's stamp), and the classes' first
    /// links so far. A flow crosses a link once in its list, so two links carry the same flows
    /// the same number of times when they carry as many and each of one's is marked with its
    /// uses on the other (a lookup by owner, where a search of each flow's links was a binary
    /// search per flow).
    var twinUse: [Double] = []
    var twinLeaders: [Int] = []

    /// The coupling links the last search found, per flow (positions in its flow from
    /// `coupledFirst[owner]`, ending at −1): the solve reads them instead of testing again.
    var coupledFirst: [Int32] = []
    var coupledPositions: [Int32] = []

    /// ``settle()``'s lists, kept so a settle allocates nothing once they have grown: the flows
    /// its search reached, the links it stacked, the flows reached through the link it walks,
    /// and the owners it returns (the caller's copy shares the storage until the next settle).
    var searchComponent: [Int32] = []
    var searchStack: [Int] = []
    var searchReached: [Int32] = []
    var settled: [Int] = []

    /// The solve's buffers, kept between solves so a solve allocates little.
    var workspace = CoupledSolve()

    public init(links: FabricLinks) { self.init(capacities: links.capacities) }

    public init(capacities: [Double]) {
        let n = capacities.count
        linkFlows = Array(repeating: [], count: n)
        link = capacities.map { LinkState(capacity: $0) }
        bundles = LinkBundles(links: n)
        linkLocal = Array(repeating: 0, count: n)
        keptLoad = Array(repeating: 0, count: n)
        soleStamp = Array(repeating: 0, count: n)
    }

    /// Keeps the load of these links only (the ones a caller reads), so re-pricing a ring does
    /// not walk all its links; set before any flow is attached.
    public mutating func keepLoad(only links: [Int]) {
        precondition(attached.allSatisfy { !$0 }, "keepLoad(only:) after flows were attached")
        let kept = Set(links)
        link = link.indices.map { LinkState(capacity: link[$0].capacity, loadKept: kept.contains($0)) }
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
}
