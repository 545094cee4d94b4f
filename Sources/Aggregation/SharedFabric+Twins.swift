import SimKernel

/// Which of an owner's links it shares with other flows, and which links of a bundle are twins
/// (the same flows, uses and capacity): the searches and solves walk only shared links and
/// one link of each class of twins.
extension SharedFabric {
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
        guard link[a].capacity == link[b].capacity, linkFlows[a].count == linkFlows[b].count else { return false }
        for e in linkFlows[a] {
            let o = Int(e.owner)
            guard flowStamp[o] == stamp, twinUse[o] == e.use else { return false }
        }
        return true
    }
}
