/// Links of a fabric and rings priced over them. Links: per accelerator an intra-server send
/// link; per NIC an up link (server → leaf) and a down link (leaf → server); per leaf an up link
/// and a down link to the spine layer (capacity: the leaf's servers' NIC bandwidth divided by
/// the oversubscription ratio; the spines are aggregated, so equal-cost paths need no choice).
/// A ring is one coupled flow: its rate r (bytes/s per rank) is counted once on every link for
/// every hop that crosses it.
public struct FabricLinks: Sendable {
    public let preset: FabricPreset
    public let servers: Int
    public let leaves: Int
    public private(set) var capacities: [Double] = []

    public init(preset: FabricPreset, servers: Int) {
        self.preset = preset
        self.servers = servers
        leaves = (servers + preset.serversPerLeaf - 1) / preset.serversPerLeaf
        let d = preset.acceleratorsPerServer, k = preset.nicsPerServer
        capacities = Array(repeating: preset.intraBandwidthBytesPerS, count: servers * d)
            + Array(repeating: preset.nicBandwidthBytesPerS, count: 2 * servers * k)
        let leafCapacity = Double(preset.serversPerLeaf * k) * preset.nicBandwidthBytesPerS / preset.oversubscription
        capacities += Array(repeating: leafCapacity, count: 2 * leaves)
    }

    func intraLink(server s: Int, accelerator a: Int) -> Int { s * preset.acceleratorsPerServer + a }
    func nicUp(server s: Int, nic i: Int) -> Int { servers * preset.acceleratorsPerServer + (s * preset.nicsPerServer + i) * 2 }
    func nicDown(server s: Int, nic i: Int) -> Int { nicUp(server: s, nic: i) + 1 }
    func leafUp(_ l: Int) -> Int { servers * preset.acceleratorsPerServer + 2 * servers * preset.nicsPerServer + 2 * l }
    func leafDown(_ l: Int) -> Int { leafUp(l) + 1 }
    func leaf(of server: Int) -> Int { server / preset.serversPerLeaf }

    /// The rings a collective over `ranks` runs as, as NCCL does: inside one server a single
    /// ring; across servers one channel per NIC rail, each sending across servers on its rail
    /// (NIC c out of one server, NIC c into the next) while every accelerator forwards on
    /// NVLink in every channel. The per-rank bandwidth is the sum of the channels' max-min rates.
    public func channels(_ ranks: [Int]) -> (flows: [MaxMinFairShare.Flow], latencyS: Double) {
        let d = preset.acceleratorsPerServer
        let spansServers = Set(ranks.map { $0 / d }).count > 1
        guard spansServers else {
            let r = ring(ranks)
            return ([r.flow], r.latencyS)
        }
        let rings = (0..<preset.nicsPerServer).map { ring(ranks, rail: $0) }
        return (rings.map(\.flow), rings.map(\.latencyS).max() ?? 0)
    }

    /// A ring through `ranks` (global accelerator indices: server × accelerators per server +
    /// local index), in ring order, as one coupled flow; and its per-message latency (the slowest
    /// hop's). Cross-server hops leave on the sender's NIC `rail` (default: the sending
    /// accelerator's own rail) and arrive on the receiver's NIC of the same rail.
    public func ring(_ ranks: [Int], rail: Int? = nil) -> (flow: MaxMinFairShare.Flow, latencyS: Double) {
        var uses: [Int: Double] = [:]
        var latency = 0.0
        let d = preset.acceleratorsPerServer
        for (i, r) in ranks.enumerated() {
            let next = ranks[(i + 1) % ranks.count]
            let (s, a) = (r / d, r % d), (t, b) = (next / d, next % d)
            if s == t {
                uses[intraLink(server: s, accelerator: a), default: 0] += 1
                latency = max(latency, preset.intraLatencyS)
            } else {
                // Rail-optimised: the hop leaves on the sender's rail NIC and arrives on the same rail.
                let out = rail ?? a % preset.nicsPerServer, into = rail ?? b % preset.nicsPerServer
                uses[nicUp(server: s, nic: out), default: 0] += 1
                uses[nicDown(server: t, nic: into), default: 0] += 1
                if leaf(of: s) != leaf(of: t) {
                    uses[leafUp(leaf(of: s)), default: 0] += 1
                    uses[leafDown(leaf(of: t)), default: 0] += 1
                }
                latency = max(latency, preset.interLatencyS)
            }
        }
        let links = uses.keys.sorted()
        return (MaxMinFairShare.Flow(links: links, uses: links.map { uses[$0]! }), latency)
    }

    /// A point-to-point transfer between two accelerators on different servers (background traffic).
    public func transfer(from r: Int, to q: Int) -> MaxMinFairShare.Flow {
        ring([r, q]).flow   // both directions of a two-rank ring: a bidirectional stream
    }
}

/// Ranks laid out on a fabric: packed (fill servers in order) or spread (round-robin over
/// servers, one leaf after another), or shuffled deterministically.
public enum RankPlacement: String, Sendable, CaseIterable {
    case packed, spread, shuffled

    /// Global accelerator indices of `ranks` ranks on `servers` servers of `perServer`.
    public func ranks(_ count: Int, servers: Int, perServer: Int, seed: UInt64 = 1) -> [Int] {
        switch self {
        case .packed: return Array(0..<count)
        case .spread: return (0..<count).map { i in (i % servers) * perServer + i / servers }
        case .shuffled:
            var all = Array(0..<(servers * perServer))
            var state = seed
            for i in stride(from: all.count - 1, to: 0, by: -1) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                all.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
            }
            return Array(all.prefix(count))
        }
    }
}
