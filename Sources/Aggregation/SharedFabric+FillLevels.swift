import SimKernel

/// The levels at which links fill: below the least of them, the changes of an instant leave
/// every rate as it was (``SharedFabric/settle()`` keeps those flows).
extension SharedFabric {
    /// The level at which full link `l` filled: the highest rate of its flows (a flow on a full
    /// link is frozen at its fill level or, by its bound or another link, below it). A flow
    /// leaving changes nothing below the least fill level of its full links: up to that level
    /// progressive filling with and without it freezes the same flows at the same levels (its
    /// links have less load without it, and none of them filled lower).
    func fillLevelNow(_ l: Int) -> Double {
        readingFlows(on: l) { entries, owners in
            var level = 0.0
            for e in entries { level = max(level, owners.rates[Int(e.owner)]) }
            return level
        }
    }

    /// What a walk of a link's flows reads of their owners, as buffers.
    struct OwnerReads {
        let isNew: UnsafeBufferPointer<Bool>
        let rates: UnsafeBufferPointer<Double>
        let bounds: UnsafeBufferPointer<Double>
    }

    /// Calls `body` with link `l`'s flows and what it reads of their owners as buffers: the walks
    /// of a storage tier's hundreds of transfers read them with no uniqueness or bounds check
    /// per flow.
    @inline(__always)
    func readingFlows<R>(on l: Int, _ body: (UnsafeBufferPointer<LinkFlow>, OwnerReads) -> R) -> R {
        linkFlows[l].withUnsafeBufferPointer { entries in
            isNew.withUnsafeBufferPointer { isNew in
                rates.withUnsafeBufferPointer { rates in
                    flowBound.withUnsafeBufferPointer { bounds in
                        body(entries, OwnerReads(isNew: isNew, rates: rates, bounds: bounds))
                    }
                }
            }
        }
    }

    /// The lowest level at which a coupling link of a flow attached since the last settle fills
    /// when the flows on it rise together from zero, each stopping at its last rate (a new one
    /// at its bound). Below it the new flows change nothing: the solves agree with the last one.
    mutating func attachedFloor() -> Double {
        guard !pendingNew.isEmpty else { return .infinity }
        nextStamp()
        var floor = Double.infinity
        // The lists are read in place (copies would be retained and released at every settle).
        for n in pendingNew.indices {
            let o = pendingNew[n]
            guard attached[o] else { continue }
            for i in sharedPositions[o].indices { floor = min(floor, fillLevel(flows[o].links[Int(sharedPositions[o][i])])) }
            if bundles.hasLinks(of: o) {
                let links = flows[o].links
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
        if hasRoom(l, adding: link[l].newBoundLoad) { return .infinity }
        // The flows' stops, written into the first n places of the scratch list (grown, never
        // shrunk; taken out while it is written) through buffers: no check per flow.
        let n = linkFlows[l].count, capacity = link[l].capacity
        var stops = levelScratch
        levelScratch = []
        defer { levelScratch = stops }
        if stops.count < n { stops.append(contentsOf: repeatElement((stop: 0.0, use: 0.0), count: n - stops.count)) }
        let (stoppedLoad, risingUses) = stops.withUnsafeMutableBufferPointer { scratch in
            readingFlows(on: l) { entries, owners in
                for k in 0..<n {
                    let o = Int(entries[k].owner)
                    scratch[k] = (owners.isNew[o] ? owners.bounds[o] : owners.rates[o], entries[k].use)
                }
            }
            return Self.split(UnsafeMutableBufferPointer(rebasing: scratch[0..<n]), filling: capacity)
        }
        guard risingUses > 0 else { return .infinity }
        return max(0, capacity - stoppedLoad) / risingUses
    }

    /// The flows' split at the level where a link of `capacity` fills (``fillLevel(_:)``): the
    /// load of those stopping below it and the uses of those rising through it. It reorders
    /// `flows` (a buffer, so the partitions' swaps and reads check nothing).
    static func split(_ flows: UnsafeMutableBufferPointer<(stop: Double, use: Double)>, filling capacity: Double) -> (stoppedLoad: Double, risingUses: Double) {
        // Flows known to stop below the level (their load) and to rise through it (their uses).
        var stoppedLoad = 0.0, risingUses = 0.0
        var lo = 0, hi = flows.count
        while lo < hi {
            // Three ways around the middle flow's stop: [lo, less) below, [less, more) at, [more, hi) above.
            let pivot = flows[lo + (hi - lo) / 2].stop
            // Each side's sum is taken as the flows are met (one pass, where a pass per side
            // followed the partition).
            var less = lo, i = lo, more = hi
            var loadLess = 0.0, usesAt = 0.0, usesAbove = 0.0
            while i < more {
                let (stop, use) = flows[i]
                if stop < pivot {
                    loadLess += use * stop
                    flows.swapAt(less, i)
                    less += 1
                    i += 1
                } else if stop > pivot {
                    usesAbove += use
                    more -= 1
                    flows.swapAt(i, more)
                } else {
                    usesAt += use
                    i += 1
                }
            }
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
        return (stoppedLoad, risingUses)
    }
}
