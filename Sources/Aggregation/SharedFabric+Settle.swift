import SimKernel

/// Settling the instant's changes: the search for the flows they reach from the level below
/// which nothing moves, the flows priced at their bounds without a search, and the coupled
/// solve (``CoupledSolve``) of the others.
extension SharedFabric {
    /// Re-solves the flows coupled to the changes since the last call; returns their owners
    /// (ascending).
    public mutating func settle() -> [Int] {
        guard !pendingOwners.isEmpty || !pendingLinks.isEmpty else { return [] }
        // Flows frozen clearly below the changes' level keep their rates (the margin covers the
        // rates' rounding); the others the changes reach are solved.
        let floor = keepsFlowsBelowChanges ? min(pendingFloor, attachedFloor()) : 0
        let keepBelow = floor.isFinite ? floor * (1 - 1e-9) : .infinity
        defer {
            for i in pendingNew.indices { isNew[pendingNew[i]] = false }
            pendingNew.empty()
            pendingFloor = .infinity
            for i in newBoundLinks.indices { link[newBoundLinks[i]].newBoundLoad = 0 }
            newBoundLinks.empty()
        }
        // Only attaches, none of which can fill a link it shares (with every flow on it at its
        // rate and the new ones at their bounds): the others keep their rates and each new flow
        // runs at its bound, as a solve would give it, without searching the links' flows.
        if floor == .infinity && pendingLinks.isEmpty && keepsFlowsBelowChanges && pendingOwners.allSatisfy({ !attached[$0] || isNew[$0] }) {
            return settleAtBounds()
        }
        nextStamp()
        // The search's lists, kept between settles (taken out while it runs).
        var component = searchComponent, stack = searchStack, reached = searchReached
        searchComponent = []
        searchStack = []
        searchReached = []
        component.empty()
        stack.empty()
        defer { searchComponent = component; searchStack = stack; searchReached = reached }
        coupledPositions.empty()
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
            coupledFirst.growToInclude(owner, with: 0)
            coupledFirst[owner] = Int32(coupledPositions.count)
            let start = coupledPositions.count
            for i in sharedPositions[owner].indices {
                let k = sharedPositions[owner][i], l = flows[owner].links[Int(k)]
                guard isCoupling(l) else { continue }
                push(l)
                coupledPositions.append(k)
            }
            if bundles.hasLinks(of: owner) {
                let links = flows[owner].links
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
        pendingOwners.empty()
        pendingLinks.empty()
        while let l = stack.popLast() {
            // The kept flows' load, added in the link's order, which the calls' order sets
            // (attaches and detaches come in the center's canonical order of an instant's events).
            // The link's flows are read through buffers (no check per flow) and the ones it
            // reaches visited after it, in the same order (a visit changes no rate).
            var sole = LinkFlow(owner: 0, use: 0), load = 0.0
            reached.empty()
            readingFlows(on: l) { entries, owners in
                for e in entries {
                    let o = Int(e.owner)
                    if owners.isNew[o] || owners.rates[o] >= keepBelow {
                        reached.append(e.owner)
                        sole = e
                    } else {
                        load += e.use * owners.rates[o]
                    }
                }
            }
            for o in reached { visit(Int(o)) }
            keptLoad[l] = load
            if reached.count == 1 {
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
        settled.empty()
        for o in component { settled.append(Int(o)) }
        return settled
    }

    /// Prices the flows attached since the last settle at their standalone bounds (``settle()``
    /// when none of them can fill a link); returns them, ascending.
    mutating func settleAtBounds() -> [Int] {
        settled.empty()
        // Each once (an owner attached, detached and attached again in one instant is listed twice).
        pendingOwners.sort()
        for i in pendingOwners.indices {
            let o = pendingOwners[i]
            if attached[o] && settled.last != o { settled.append(o) }
        }
        pendingOwners.empty()
        guard !settled.isEmpty else { return [] }
        solves += 1
        flowsPriced += settled.count
        for i in settled.indices { setRate(settled[i], to: flowBound[settled[i]]) }
        return settled
    }

    /// Sets `owner`'s rate, moving the kept loads of its links by the change.
    mutating func setRate(_ owner: Int, to rate: Double) {
        let delta = rate - rates[owner]
        rates[owner] = rate
        guard delta != 0 else { return }
        // The owner's lists read in place: copies would be retained and released at every rate.
        for i in keptPositions[owner].indices {
            let k = Int(keptPositions[owner][i])
            link[flows[owner].links[k]].load += delta * flows[owner].uses[k]
        }
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

    /// The next search stamp (every stamp cleared before it could wrap).
    mutating func nextStamp() {
        stamp &+= 1
        guard stamp >= Int32.max - 1 else { return }
        stamp = 1
        for i in link.indices { link[i].stamp = 0 }
        for i in flowStamp.indices { flowStamp[i] = 0 }
        for i in soleStamp.indices { soleStamp[i] = 0 }
    }
}
