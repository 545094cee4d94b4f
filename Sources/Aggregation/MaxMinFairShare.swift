/// Max-min fair sharing of link capacities among flows, by progressive filling (Bertsekas and
/// Gallager, Data Networks §6.5): all unfrozen flows' rates rise together; when a link fills,
/// the flows crossing it freeze at their current rate. A flow may cross a link several times
/// (`uses`: a ring crossing one spine link twice needs twice its rate there), which is how a
/// whole ring all-reduce is one coupled flow (SimGrid's parallel-task model): one solve prices
/// a 1,024-rank ring, not 2,046.
///
/// The solve touches only the links the given flows cross, so pricing a few flows on a fabric
/// of a hundred thousand links costs what those flows cost.
public struct MaxMinFairShare: Sendable {
    /// Capacity of each link (any unit; rates come out in the same unit).
    public var capacities: [Double]

    public init(capacities: [Double]) { self.capacities = capacities }

    /// A flow: the links it crosses, with how many times (its rate counts that many times on the link).
    public struct Flow: Sendable, Equatable {
        /// Links, ascending and distinct.
        public var links: [Int]
        public var uses: [Double]
        /// An upper bound on its rate (e.g. a NIC's own speed); infinity for none.
        public var limit: Double

        public init(links: [Int], uses: [Double]? = nil, limit: Double = .infinity) {
            self.links = links
            self.uses = uses ?? Array(repeating: 1, count: links.count)
            self.limit = limit
        }

        /// The flow crossing each link in `hops` once per occurrence (or `weights[i]` times for
        /// the i-th hop).
        public init(counting hops: [Int], weights: [Double]? = nil, limit: Double = .infinity) {
            var links: [Int] = [], uses: [Double] = []
            links.reserveCapacity(hops.count)
            if let weights {
                // Weights summed in hop order on each link (a sort of pairs: no closure reading
                // the arrays, which would retain them on every comparison).
                var order = Array(zip(hops, hops.indices))
                order.sort { $0 < $1 }
                for (l, i) in order {
                    if links.last == l { uses[uses.count - 1] += weights[i] } else { links.append(l); uses.append(weights[i]) }
                }
            } else {
                for l in hops.sorted() {
                    if links.last == l { uses[uses.count - 1] += 1 } else { links.append(l); uses.append(1) }
                }
            }
            self.init(links: links, uses: uses, limit: limit)
        }

        /// Its rate alone on links of these capacities: its tightest link's capacity over the
        /// times it crosses it (or its own limit).
        public func aloneRate(capacities: [Double]) -> Double {
            var rate = limit
            for (l, u) in zip(links, uses) where u > 0 { rate = min(rate, capacities[l] / u) }
            return rate
        }
    }

    /// The max-min fair rate of each flow.
    public func solve(_ flows: [Flow]) -> [Double] {
        // The links these flows cross, in ascending order, and each flow's links as local indices.
        var used: [Int] = []
        for f in flows { used.append(contentsOf: f.links) }
        used.sort()
        var unique: [Int] = []
        unique.reserveCapacity(used.count)
        for l in used where unique.last != l { unique.append(l) }
        let flowLinks = flows.map { $0.links.map(unique.lowerBound(of:)) }
        var remaining = unique.map { capacities[$0] }
        let capacity = remaining
        // Σ uses of the unfrozen flows on each link, and how many they are (a link's weight is
        // exactly 0 once its last flow froze: a residue of the subtractions, with uses of very
        // different sizes, would otherwise read as a link still rising).
        var weight = Array(repeating: 0.0, count: unique.count)
        var rising = Array(repeating: 0, count: unique.count)
        for (i, f) in flows.enumerated() {
            for (l, u) in zip(flowLinks[i], f.uses) {
                weight[l] += u
                rising[l] += 1
            }
        }
        var rate = Array(repeating: 0.0, count: flows.count)
        var active: [Int] = []
        for i in flows.indices {
            if flows[i].links.isEmpty && !flows[i].limit.isFinite { rate[i] = .infinity } else { active.append(i) }
        }
        var full = Array(repeating: false, count: unique.count)
        let eps = 1e-12
        while !active.isEmpty {
            // The largest common increment before a link fills or a flow hits its limit.
            var step = Double.infinity
            for l in unique.indices where weight[l] > 0 { step = min(step, remaining[l] / weight[l]) }
            for i in active { step = min(step, flows[i].limit - rate[i]) }
            guard step.isFinite else { break }
            for i in active { rate[i] += step }
            for l in unique.indices where weight[l] > 0 {
                remaining[l] -= step * weight[l]
                if remaining[l] <= eps * max(1, capacity[l]) { full[l] = true }
            }
            // Freeze flows on full links or at their limit.
            var still: [Int] = []
            for i in active {
                let f = flows[i]
                if flowLinks[i].contains(where: { full[$0] }) || rate[i] >= f.limit - eps * max(1, f.limit) {
                    for (l, u) in zip(flowLinks[i], f.uses) {
                        weight[l] -= u
                        rising[l] -= 1
                        if rising[l] == 0 { weight[l] = 0 }
                    }
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
