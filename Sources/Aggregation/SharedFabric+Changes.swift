import SimKernel

/// The changes a fabric collects for its next settle: flows attached, detached and replaced,
/// and links whose capacity changes.
extension SharedFabric {
    /// Puts `owner`'s flow of `streams` parallel streams on the fabric (priced at the next
    /// ``settle()``).
    public mutating func attach(_ owner: Int, flow f: MaxMinFairShare.Flow, streams count: Int = 1) {
        precondition(!isAttached(owner), "owner \(owner) is already attached")
        flows.growToInclude(owner, with: MaxMinFairShare.Flow(links: []))
        attached.growToInclude(owner, with: false)
        streams.growToInclude(owner, with: 1)
        flowBound.growToInclude(owner, with: 0)
        rates.growToInclude(owner, with: 0)
        flowStamp.growToInclude(owner, with: 0)
        sharedPositions.growToInclude(owner, with: [])
        keptPositions.growToInclude(owner, with: [])
        entryIndex.growToInclude(owner, with: [])
        isNew.growToInclude(owner, with: false)
        let bound = hold(owner, flow: f, streams: count)
        attached[owner] = true
        bundles.attach(owner, flow: f)
        // The owner's lists, left as they were at its detach (emptied here, where they are
        // written anyway: a slot's lists are cold by the time its job leaves), keep their
        // storage: an owner slot reused by the next job allocates nothing.
        sharedPositions[owner].empty()
        keptPositions[owner].empty()
        entryIndex[owner].empty()
        entryIndex[owner].reserveCapacity(f.links.count)
        for k in f.links.indices {
            let l = f.links[k], u = f.uses[k]
            if link[l].loadKept { keptPositions[owner].append(Int32(k)) }
            entryIndex[owner].append(Int32(linkFlows[l].count))
            linkFlows[l].append(LinkFlow(owner: Int32(owner), position: Int32(k), use: u))
            putOn(link: l, use: u, bound: bound)
            guard !bundles.contains(l) else { continue }
            let crossing = linkFlows[l].count
            if crossing == 2 { markShared(Int(linkFlows[l][0].owner), link: l, shared: true) }
            if crossing >= 2 { sharedPositions[owner].append(Int32(k)) }
        }
        for b in bundles.partlyUsed(by: owner) { reclassify(bundle: Int(b)) }
        markNew(owner)
    }

    /// Takes `owner`'s flow off the fabric (the others re-priced at the next ``settle()``).
    public mutating func detach(_ owner: Int) {
        guard isAttached(owner) else { return }
        // The owner's lists are read in place (copies held here would be retained and released).
        for k in flows[owner].links.indices {
            let l = flows[owner].links[k]
            takeOff(owner, link: l, use: flows[owner].uses[k])
            // The last entry takes this one's place.
            let i = Int(entryIndex[owner][k])
            if i != linkFlows[l].count - 1 { moveLastEntry(of: l, to: i) }
            linkFlows[l].removeLast()
            if linkFlows[l].count == 1 && !bundles.contains(l) { markShared(Int(linkFlows[l][0].owner), link: l, shared: false) }
        }
        let partlyUsed = bundles.partlyUsed(by: owner)
        bundles.detach(owner)
        for b in partlyUsed where bundles.partial[Int(b)] > 0 { reclassify(bundle: Int(b)) }
        // A copied flow's lists stay until the owner's next flow is held in them.
        if !copiesFlows { flows[owner] = MaxMinFairShare.Flow(links: []) }
        attached[owner] = false
        rates[owner] = 0
    }

    /// Puts `f` in place of `owner`'s flow, which crosses the same links (a storage transfer's
    /// ingest followed by its stream): the state a ``detach(_:)`` and an ``attach(_:flow:streams:)``
    /// leave, to the bit, without taking the owner out of its links' lists and putting it back
    /// (its entry trades places with each list's last, where the attach would append it; the
    /// same links carry as many flows, so its shared and kept links stay). On a fabric with
    /// bundles, or when the links differ, it is that detach and attach.
    public mutating func replace(_ owner: Int, flow f: MaxMinFairShare.Flow, streams count: Int = 1) {
        guard isAttached(owner), bundles.isEmpty, flows[owner].links == f.links else {
            detach(owner)
            attach(owner, flow: f, streams: count)
            return
        }
        // The owner's lists are read in place (a copy held here would make the write below copy
        // its entries).
        for k in flows[owner].links.indices {
            let l = flows[owner].links[k]
            takeOff(owner, link: l, use: flows[owner].uses[k])
            // The owner's entry goes last, the last takes its place.
            let i = Int(entryIndex[owner][k]), last = linkFlows[l].count - 1
            if i != last {
                moveLastEntry(of: l, to: i)
                entryIndex[owner][k] = Int32(last)
            }
        }
        let bound = hold(owner, flow: f, streams: count)
        for k in f.links.indices {
            let l = f.links[k]
            linkFlows[l][linkFlows[l].count - 1] = LinkFlow(owner: Int32(owner), position: Int32(k), use: f.uses[k])
            putOn(link: l, use: f.uses[k], bound: bound)
        }
        markNew(owner)
    }

    /// Link `l`'s last entry takes place `i` of its list (its owner's index in the list follows).
    mutating func moveLastEntry(of l: Int, to i: Int) {
        let moved = linkFlows[l][linkFlows[l].count - 1]
        linkFlows[l][i] = moved
        entryIndex[Int(moved.owner)][Int(moved.position)] = Int32(i)
    }

    /// Holds `f` as `owner`'s flow of `count` streams at rate 0 (in the owner's own arrays when
    /// the fabric copies flows); returns its standalone bound, now the owner's.
    mutating func hold(_ owner: Int, flow f: MaxMinFairShare.Flow, streams count: Int) -> Double {
        if copiesFlows {
            // Appended from the caller's buffers (no reference to its arrays taken).
            flows[owner].links.empty()
            f.links.withUnsafeBufferPointer { flows[owner].links.append(contentsOf: $0) }
            flows[owner].uses.empty()
            f.uses.withUnsafeBufferPointer { flows[owner].uses.append(contentsOf: $0) }
            flows[owner].limit = f.limit
        } else {
            flows[owner] = f
        }
        streams[owner] = Double(count)
        flowBound[owner] = standaloneBound(f)
        rates[owner] = 0
        return flowBound[owner]
    }

    /// The least of `f`'s limit and each link's capacity over its uses.
    func standaloneBound(_ f: MaxMinFairShare.Flow) -> Double {
        var bound = f.limit
        for k in f.links.indices { bound = min(bound, link[f.links[k]].capacity / f.uses[k]) }
        return bound
    }

    /// A flow of standalone `bound` crossing link `l` `u` times arrives on it (its load comes
    /// at the next settle).
    mutating func putOn(link l: Int, use u: Double, bound: Double) {
        link[l].boundSum += u * bound
        if link[l].newBoundLoad == 0 { newBoundLinks.append(l) }
        link[l].newBoundLoad += u * bound
    }

    /// `owner`'s flow, crossing link `l` `u` times, leaves it. Flows that shared a link that
    /// could fill may now go faster, those at its fill level; not if the link had room: it
    /// limited none of them, and max-min shares are set by the links that are full. The flow's
    /// load and bound leave the link (all of them where it was alone: an empty link's are 0).
    mutating func takeOff(_ owner: Int, link l: Int, use u: Double) {
        if isCoupling(l) && !bundles.standsInForFirst(l) && !hasRoom(l) {
            pendingLinks.append(l)
            pendingFloor = min(pendingFloor, isNew[owner] ? 0 : fillLevelNow(l))
        }
        let alone = linkFlows[l].count == 1
        if link[l].loadKept { link[l].load = alone ? 0 : link[l].load - rates[owner] * u }
        link[l].boundSum = alone ? 0 : link[l].boundSum - u * flowBound[owner]
    }

    /// `owner`'s flow is new: it is priced, with what it couples to, at the next settle.
    mutating func markNew(_ owner: Int) {
        pendingOwners.append(owner)
        pendingNew.append(owner)
        isNew[owner] = true
    }

    /// Sets link `l`'s capacity (a failed switch's links to 0, a storage tier that lost a
    /// server to what is left): the flows on it get new standalone bounds and are re-priced,
    /// with the flows coupled to them, at the next ``settle()``.
    public mutating func setCapacity(_ l: Int, to capacity: Double) {
        guard link[l].capacity != capacity else { return }
        pendingFloor = 0   // new bounds: every flow the change reaches is solved again
        bundles.breakBundle(of: l)
        if isCoupling(l) { pendingLinks.append(l) }
        link[l].setCapacity(capacity)
        if bundles.contains(l) { reclassify(bundle: Int(bundles.bundleOf[l])) }
        for e in linkFlows[l] {
            let owner = Int(e.owner), f = flows[owner]
            let bound = standaloneBound(f)
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
}
