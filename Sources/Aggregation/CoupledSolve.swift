/// One max-min solve of coupled flows (``SharedFabric``'s), by progressive filling over their
/// coupling links, each flow limited by its standalone bound. Event-driven: every unfrozen
/// flow runs at the common level t; the next event is the lowest link level (capacity left by
/// frozen flows / uses of unfrozen ones, from a heap) or the lowest unfrozen bound, and
/// freezing a flow updates only its links' counts (heap keys are refreshed lazily). Cost: at
/// most O(Σ link uses · log links) per solve.
///
/// Its buffers are kept from one solve to the next (``SharedFabric`` fills the inputs after
/// ``reset()``), so a solve allocates little.
struct CoupledSolve {
    // Inputs: each local link's capacity and the load of flows kept out of the solve at their
    // rates (``SharedFabric``'s flows below the changes' level); each flow's links (local
    // indices) and uses, flat (flow k's are flowFirst[k]..<flowFirst[k+1]); each flow's
    // standalone bound.
    var capacity: [Double] = [], kept: [Double] = []
    var flowFirst: [Int32] = [], flowLink: [Int32] = [], flowUse: [Double] = []
    var bound: [Double] = []
    // Each link's flows and their uses, flat in flow order (link l's are memberFirst[l]..<memberFirst[l+1]).
    var memberFirst: [Int32] = [], member: [Int32] = [], memberUse: [Double] = []
    var twin: [Bool] = [], table: [Int32] = []
    var frozenLoad: [Double] = [], weight: [Double] = []
    var version: [Int32] = []
    var heap = LevelHeap(), bounds = LevelHeap()
    var rate: [Double] = [], frozen: [Bool] = []
    var fill: [Int32] = []
    var unfrozen = 0

    /// Empties the inputs for the next solve.
    mutating func reset() {
        capacity.removeAll(keepingCapacity: true)
        kept.removeAll(keepingCapacity: true)
        flowFirst.removeAll(keepingCapacity: true); flowFirst.append(0)
        flowLink.removeAll(keepingCapacity: true); flowUse.removeAll(keepingCapacity: true)
        bound.removeAll(keepingCapacity: true)
    }

    /// The max-min rate of every flow (infinity for a flow with no bound and no coupling link).
    mutating func solve() -> [Double] {
        let links = capacity.count, flows = bound.count
        refill(&frozenLoad, 0, 0.0)
        frozenLoad.append(contentsOf: kept)
        refill(&weight, links, 0.0)
        refill(&version, links, 0)
        refill(&memberFirst, links + 1, 0)
        for (l, u) in zip(flowLink, flowUse) {
            weight[Int(l)] += u
            memberFirst[Int(l) + 1] += 1
        }
        for l in 0..<links { memberFirst[l + 1] += memberFirst[l] }
        refill(&member, flowLink.count, 0)
        refill(&memberUse, flowLink.count, 0)
        refill(&fill, 0, 0)
        fill.append(contentsOf: memberFirst.dropLast())
        for k in 0..<flows {
            for i in Int(flowFirst[k])..<Int(flowFirst[k + 1]) {
                let l = Int(flowLink[i])
                member[Int(fill[l])] = Int32(k)
                memberUse[Int(fill[l])] = flowUse[i]
                fill[l] += 1
            }
        }
        dropTwins()
        heap.items.removeAll(keepingCapacity: true)
        for l in 0..<links where weight[l] > 0 && !twin[l] { heap.items.append((level(l), Int32(l), 0)) }
        heap.heapify()
        // The flows by bound (ties: the lower index), as a heap: a solve freezes most flows at a
        // link's level and pops only the bounds it reaches (a storage tier's hundreds of
        // transfers were sorted at every solve).
        bounds.items.removeAll(keepingCapacity: true)
        for k in 0..<flows where bound[k].isFinite { bounds.items.append((bound[k], Int32(k), 0)) }
        bounds.heapify()
        refill(&rate, flows, 0.0)
        refill(&frozen, flows, false)
        unfrozen = flows
        while unfrozen > 0 {
            // Levels only rise as flows freeze, so a stale key is a lower bound: re-key it when it
            // reaches the top (lazy), and the first fresh top is the true lowest level.
            var linkLevel = Double.infinity, filling = -1
            while let top = heap.top {
                let l = Int(top.index)
                if weight[l] == 0 { heap.pop(); continue }
                guard top.version != version[l] else { break }
                heap.replaceTop(level(l), index: top.index, version: version[l])
            }
            if let top = heap.top { linkLevel = top.level; filling = Int(top.index) }
            while let top = bounds.top, frozen[Int(top.index)] { bounds.pop() }
            let next = bounds.top?.level ?? .infinity
            if next <= linkLevel {
                guard next.isFinite else { break }
                freeze(Int(bounds.top!.index), at: next)
            } else {
                heap.pop()
                for i in Int(memberFirst[filling])..<Int(memberFirst[filling + 1]) where !frozen[Int(member[i])] {
                    freeze(Int(member[i]), at: linkLevel)
                }
            }
        }
        for k in 0..<flows where !frozen[k] { rate[k] = .infinity }
        return rate
    }

    /// Sets `array` to `count` copies of `value`, keeping its storage.
    func refill<T>(_ array: inout [T], _ count: Int, _ value: T) {
        array.removeAll(keepingCapacity: true)
        array.append(contentsOf: repeatElement(value, count: count))
    }

    /// The common rate at which link `l` fills (its capacity left over its unfrozen flows' uses).
    func level(_ l: Int) -> Double { max(0, capacity[l] - frozenLoad[l]) / weight[l] }

    /// Flow `k` stops rising at rate `r`.
    mutating func freeze(_ k: Int, at r: Double) {
        frozen[k] = true
        unfrozen -= 1
        rate[k] = r
        for i in Int(flowFirst[k])..<Int(flowFirst[k + 1]) {
            let l = Int(flowLink[i]), u = flowUse[i]
            frozenLoad[l] += u * r
            weight[l] -= u
            version[l] &+= 1
            if weight[l] <= 1e-12 { weight[l] = 0 }
        }
    }

    /// Marks twin links, leaving only the first of each set in the solve: links of the same
    /// capacity crossed by the same flows the same number of times (a server's NIC rails under
    /// rings that use them all, a leaf's uplinks to several spines) have the same level at every
    /// step of the filling, so the first (the lowest local index, which the filling picks among
    /// equal levels) stands for all and the solve is unchanged to the last bit. Each flow's
    /// links are compacted to the ones left.
    mutating func dropTwins() {
        let links = capacity.count
        refill(&twin, links, false)
        guard links > 1 else { return }
        var size = 4
        while size < 2 * links { size <<= 1 }
        refill(&table, size, -1)
        var anyTwin = false
        for l in 0..<links {
            var h: UInt64 = (capacity[l].bitPattern ^ kept[l].bitPattern.byteSwapped) &* 0x9E37_79B9_7F4A_7C15
            for i in Int(memberFirst[l])..<Int(memberFirst[l + 1]) {
                h = (h ^ UInt64(UInt32(bitPattern: member[i]))) &* 0x100_0000_01B3
                h = (h ^ memberUse[i].bitPattern) &* 0x100_0000_01B3
            }
            var slot = Int(truncatingIfNeeded: (h ^ (h >> 29)) & UInt64(size - 1))
            while table[slot] >= 0 {
                if same(Int(table[slot]), l) { twin[l] = true; anyTwin = true; break }
                slot = (slot + 1) & (size - 1)
            }
            if !twin[l] { table[slot] = Int32(l) }
        }
        guard anyTwin else { return }
        var left = 0, first = 0
        for k in 0..<(flowFirst.count - 1) {
            for i in first..<Int(flowFirst[k + 1]) where !twin[Int(flowLink[i])] {
                flowLink[left] = flowLink[i]; flowUse[left] = flowUse[i]
                left += 1
            }
            first = Int(flowFirst[k + 1])
            flowFirst[k + 1] = Int32(left)
        }
        flowLink.removeLast(flowLink.count - left); flowUse.removeLast(flowUse.count - left)
    }

    /// Whether links `a` and `b` have the same capacity, the same kept load and the same flows
    /// with the same uses.
    func same(_ a: Int, _ b: Int) -> Bool {
        let ra = Int(memberFirst[a])..<Int(memberFirst[a + 1]), rb = Int(memberFirst[b])..<Int(memberFirst[b + 1])
        guard ra.count == rb.count, capacity[a] == capacity[b], kept[a] == kept[b] else { return false }
        for (i, j) in zip(ra, rb) where member[i] != member[j] || memberUse[i] != memberUse[j] { return false }
        return true
    }
}

/// A binary min-heap of levels, each keyed by an index (a link's fill level, or a flow's bound;
/// ties: the lower index), with versions for lazy deletion.
struct LevelHeap {
    var items: [(level: Double, index: Int32, version: Int32)] = []

    var top: (level: Double, index: Int32, version: Int32)? { items.first }

    static func less(_ a: (level: Double, index: Int32, version: Int32), _ b: (level: Double, index: Int32, version: Int32)) -> Bool {
        a.level < b.level || (a.level == b.level && a.index < b.index)
    }

    mutating func push(_ level: Double, index: Int32, version: Int32) {
        items.append((level, index, version))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.less(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    /// Orders `items` into a heap (bottom-up, O(n)).
    mutating func heapify() {
        var i = items.count / 2
        while i > 0 { i -= 1; siftDown(i) }
    }

    /// Replaces the top with a key no lower than it (a re-keyed level) and restores the order.
    mutating func replaceTop(_ level: Double, index: Int32, version: Int32) {
        items[0] = (level, index, version)
        siftDown(0)
    }

    mutating func pop() {
        let last = items.removeLast()
        guard !items.isEmpty else { return }
        items[0] = last
        siftDown(0)
    }

    mutating func siftDown(_ start: Int) {
        var i = start
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
