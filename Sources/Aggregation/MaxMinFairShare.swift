/// Max-min fair sharing of link capacities among flows, by progressive filling (Bertsekas and
/// Gallager, Data Networks §6.5): all unfrozen flows' rates rise together; when a link fills,
/// the flows crossing it freeze at their current rate. A flow may cross a link several times
/// (`uses`: a ring crossing one spine link twice needs twice its rate there), which is how a
/// whole ring all-reduce is one coupled flow (SimGrid's parallel-task model): one solve prices
/// a 1,024-rank ring, not 2,046.
public struct MaxMinFairShare: Sendable {
    /// Capacity of each link (any unit; rates come out in the same unit).
    public var capacities: [Double]

    public init(capacities: [Double]) { self.capacities = capacities }

    /// A flow: the links it crosses, with how many times (its rate counts that many times on the link).
    public struct Flow: Sendable, Equatable {
        public var links: [Int]
        public var uses: [Double]
        /// An upper bound on its rate (e.g. a NIC's own speed); infinity for none.
        public var limit: Double

        public init(links: [Int], uses: [Double]? = nil, limit: Double = .infinity) {
            self.links = links
            self.uses = uses ?? Array(repeating: 1, count: links.count)
            self.limit = limit
        }
    }

    /// The max-min fair rate of each flow.
    public func solve(_ flows: [Flow]) -> [Double] {
        var rate = Array(repeating: 0.0, count: flows.count)
        var frozen = Array(repeating: false, count: flows.count)
        var remaining = capacities
        // Σ uses of the unfrozen flows on each link.
        var weight = Array(repeating: 0.0, count: capacities.count)
        for f in flows { for (l, u) in zip(f.links, f.uses) { weight[l] += u } }
        var active = flows.indices.filter { !flows[$0].links.isEmpty || flows[$0].limit.isFinite }
        for i in flows.indices where flows[i].links.isEmpty && !flows[i].limit.isFinite { rate[i] = .infinity; frozen[i] = true }
        while !active.isEmpty {
            // The largest common increment before a link fills or a flow hits its limit.
            var step = Double.infinity
            for l in capacities.indices where weight[l] > 0 { step = min(step, remaining[l] / weight[l]) }
            for i in active { step = min(step, flows[i].limit - rate[i]) }
            guard step.isFinite else { break }
            for i in active { rate[i] += step }
            for l in capacities.indices where weight[l] > 0 { remaining[l] -= step * weight[l] }
            // Freeze flows on full links or at their limit.
            let eps = 1e-12
            var still: [Int] = []
            for i in active {
                let f = flows[i]
                let saturated = f.links.contains { remaining[$0] <= eps * max(1, capacities[$0]) } || rate[i] >= f.limit - eps * max(1, f.limit)
                if saturated {
                    frozen[i] = true
                    for (l, u) in zip(f.links, f.uses) { weight[l] -= u }
                } else {
                    still.append(i)
                }
            }
            if still.count == active.count { break }   // numerical safety: nothing froze
            active = still
        }
        return rate
    }
}
