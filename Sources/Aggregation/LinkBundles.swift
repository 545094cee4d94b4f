/// Bundles of twin links for ``SharedFabric``: links of equal capacity that flows often use all
/// together (a server's NIC rails under rings that take every rail). While every flow on a
/// bundle uses each of its links the same number of times, its links are twins (the same flows,
/// uses and capacity: the same level at every step of a solve), and the fabric's searches and
/// solves carry only the bundle's first link. A flow that uses a bundle partly (a ring through
/// each rank's own rail) splits it into classes of twins (the rails with the same flows, uses
/// and capacity), and each class's first link stands for the class until the flow leaves.
struct LinkBundles: Sendable {
    /// Each link's bundle (−1: none); each bundle's links, ascending and flat (bundle b's are
    /// `membersFirst[b]..<membersFirst[b + 1]`); how many attached flows use each bundle other
    /// than fully (each of its links, the same number of times).
    var bundleOf: [Int32]
    var members: [Int32] = [], membersFirst: [Int32] = [0]
    var partial: [Int32] = []
    /// Each bundle link's class: the first link of its twins (read while its bundle is partly
    /// used; ``SharedFabric/reclassify(bundle:)`` sets it).
    var classFirst: [Int32]
    /// Per owner: the bundles it uses other than fully, and its bundle links bundle by bundle,
    /// `[bundle, n, n positions in its flow, ...]`.
    var partialOf: [[Int32]] = []
    var linksOf: [[Int32]] = []
    // Per-attach tally (stamped by `serial` instead of cleared).
    var stamp: [Int32] = [], uses: [Int32] = [], use: [Double] = [], equal: [Bool] = []
    var serial: Int32 = 0

    init(links: Int) {
        bundleOf = Array(repeating: -1, count: links)
        classFirst = Array(0..<Int32(links))
    }

    /// Declares `bundles` (each of links of equal capacity, none in two bundles; others are
    /// skipped).
    mutating func declare(_ bundles: [[Int]], capacities: [Double]) {
        for links in bundles where links.count > 1 {
            let sorted = links.sorted()
            guard sorted.allSatisfy({ capacities[$0] == capacities[sorted[0]] && bundleOf[$0] < 0 }) else { continue }
            let b = Int32(partial.count)
            for l in sorted { bundleOf[l] = b; members.append(Int32(l)) }
            membersFirst.append(Int32(members.count))
            partial.append(0)
            stamp.append(0); uses.append(0); use.append(0); equal.append(true)
        }
    }

    /// Whether no bundle is declared (a storage system's tiers): flows are then not recorded,
    /// and no owner has bundle links.
    var isEmpty: Bool { partial.isEmpty }

    /// Whether `owner`'s flow crosses bundle links.
    func hasLinks(of owner: Int) -> Bool { !isEmpty && !linksOf[owner].isEmpty }

    /// The bundles `owner` uses other than fully (none when no bundle is declared).
    func partlyUsed(by owner: Int) -> [Int32] { isEmpty ? [] : partialOf[owner] }

    /// Whether link `l` belongs to a bundle.
    func contains(_ l: Int) -> Bool { bundleOf[l] >= 0 }

    /// The link that stands for bundle link `l` in searches and solves: its bundle's first while
    /// every flow uses the bundle fully, else the first of its class.
    func standIn(_ l: Int) -> Int {
        let b = Int(bundleOf[l])
        return Int(partial[b] == 0 ? links(ofBundle: b).first! : classFirst[l])
    }

    /// Whether link `l` is a twin another link of its bundle stands for.
    func standsInForFirst(_ l: Int) -> Bool { bundleOf[l] >= 0 && standIn(l) != l }

    /// The links of bundle `b`, ascending.
    func links(ofBundle b: Int) -> ArraySlice<Int32> { members[Int(membersFirst[b])..<Int(membersFirst[b + 1])] }

    /// Records `owner`'s flow: its bundle links, and the bundles it uses other than fully.
    mutating func attach(_ owner: Int, flow f: MaxMinFairShare.Flow) {
        guard !isEmpty else { return }
        partialOf.growToInclude(owner, with: [])
        linksOf.growToInclude(owner, with: [])
        serial &+= 1
        var touched: [Int32] = []
        var inBundles: [(bundle: Int32, position: Int32)] = []
        for (k, (l, u)) in zip(f.links, f.uses).enumerated() {
            let b = Int(bundleOf[l])
            guard b >= 0 else { continue }
            if stamp[b] != serial {
                stamp[b] = serial; uses[b] = 0; use[b] = u; equal[b] = true
                touched.append(Int32(b))
            }
            uses[b] += 1
            if u != use[b] { equal[b] = false }
            inBundles.append((Int32(b), Int32(k)))
        }
        inBundles.sort { ($0.bundle, $0.position) < ($1.bundle, $1.position) }
        var encoded: [Int32] = []
        var i = 0
        while i < inBundles.count {
            var j = i
            while j < inBundles.count, inBundles[j].bundle == inBundles[i].bundle { j += 1 }
            encoded.append(inBundles[i].bundle); encoded.append(Int32(j - i))
            for e in inBundles[i..<j] { encoded.append(e.position) }
            i = j
        }
        linksOf[owner] = encoded
        for b in touched where Int(uses[Int(b)]) != links(ofBundle: Int(b)).count || !equal[Int(b)] {
            partial[Int(b)] += 1
            partialOf[owner].append(b)
        }
    }

    /// Forgets `owner`'s flow.
    mutating func detach(_ owner: Int) {
        guard !isEmpty else { return }
        for b in partialOf[owner] { partial[Int(b)] -= 1 }
        partialOf[owner].removeAll()
        linksOf[owner].removeAll()
    }

    /// Link `l`'s capacity changed: its bundle's links are split by class for good (the classes
    /// then tell capacities apart too).
    mutating func breakBundle(of l: Int) {
        if bundleOf[l] >= 0 { partial[Int(bundleOf[l])] += 1 }
    }

    /// Calls `body` with the positions in `owner`'s flow (of `links`) of its bundle links a
    /// search must visit: the first of each bundle its twins stand for, the first of each class
    /// of the others.
    func forEachPositionToSearch(of owner: Int, links: [Int], _ body: (Int32) -> Void) {
        let bundles = linksOf[owner]
        var i = 0
        while i < bundles.count {
            let b = Int(bundles[i]), n = Int(bundles[i + 1])
            if partial[b] == 0 {
                body(bundles[i + 2])
            } else {
                for k in bundles[(i + 2)..<(i + 2 + n)] where Int(classFirst[links[Int(k)]]) == links[Int(k)] { body(k) }
            }
            i += 2 + n
        }
    }
}
