/// One server as the fabric sees it: its accelerators' link into the intra-server fabric
/// (NVLink, NVSwitch, OAM, PCIe) and its RDMA NICs, with effective (achieved) bandwidths.
public struct ServerPorts: Sendable, Equatable {
    public var accelerators: Int
    /// Ring bandwidth per accelerator inside the server (bytes/s, one direction).
    public var intraBandwidthBytesPerS: Double
    public var intraLatencyS: Double
    public var nics: Int
    /// Effective bandwidth of one NIC (bytes/s, one direction).
    public var nicBandwidthBytesPerS: Double
    public var interLatencyS: Double
    /// In-switch reduction (NVLink SHARP, NVLS) bandwidth per rank of an all-reduce inside the
    /// server (bytes/s of algbw; ``NVLinkSHARP``); 0 when the server's switch has none.
    public var nvlsBytesPerS: Double
    /// Bandwidth between NVLink-bridge partners (accelerators 2k and 2k+1; bytes/s, one
    /// direction); 0 when the server has no bridges.
    public var pairBandwidthBytesPerS: Double
    /// What a step between two of its accelerators crosses (between bridge partners: NVLink).
    public var intraHop: CollectiveHop
    /// NCCL's tuning class of its accelerators (for the protocols' latency model).
    public var generation: NCCLGeneration

    public init(accelerators: Int, intraBandwidthBytesPerS: Double, intraLatencyS: Double, nics: Int, nicBandwidthBytesPerS: Double,
                interLatencyS: Double, nvlsBytesPerS: Double = 0, pairBandwidthBytesPerS: Double = 0, intraHop: CollectiveHop = .nvlink,
                generation: NCCLGeneration = .hopper) {
        precondition(accelerators > 0 && nics > 0)
        self.generation = generation
        self.nvlsBytesPerS = nvlsBytesPerS
        self.pairBandwidthBytesPerS = pairBandwidthBytesPerS
        self.intraHop = intraHop
        self.accelerators = accelerators
        self.intraBandwidthBytesPerS = intraBandwidthBytesPerS
        self.intraLatencyS = intraLatencyS
        self.nics = nics
        self.nicBandwidthBytesPerS = nicBandwidthBytesPerS
        self.interLatencyS = interLatencyS
    }
}

/// The links of a leaf-spine (Clos) fabric, two tiers or three (leaf-spine-core), and rings
/// priced over them. Links, in index order: per accelerator an intra-server send link; per NIC
/// an up link (server → leaf) and a down link (leaf → server); per leaf and spine an up link
/// (leaf → spine) and a down link (spine → leaf), each of capacity (the leaf's servers' NIC
/// bandwidth / oversubscription) / spines; per accelerator of a bridged server, its send link
/// to its bridge partner; last, with leaves grouped into pods (`leavesPerPod`, three tiers),
/// per pod and spine plane an up link (the pod's spine → the core) and a down link, each of
/// capacity (the pod's leaves' uplinks to that spine) / `coreOversubscription`. A hop between
/// leaves takes one spine plane, chosen by a deterministic ECMP hash of (sending server,
/// receiving server, rail); between pods it also crosses the core on that plane. Accelerators are numbered server by server
/// (the global index of accelerator `a` of server `s` is the servers' counts before `s` + `a`).
///
/// A ring is one coupled flow: its rate r (bytes/s per rank) counts once on every link for
/// every hop that crosses it.
public struct FabricLinks: Sendable {
    public let servers: [ServerPorts]
    public let leafOfServer: [Int32]
    public let leaves: Int
    public let spines: Int
    public let oversubscription: Double
    /// Leaves per pod (0: one pod, a two-tier fabric), pods, and the core's oversubscription
    /// (the pods' spine downlinks over their core uplinks).
    public let leavesPerPod: Int
    public let pods: Int
    public let coreOversubscription: Double
    public private(set) var capacities: [Double] = []
    /// First global accelerator of each server, and the server of each accelerator.
    let firstAccelerator: [Int32]
    let serverOfAccelerator: [Int32]
    /// First NIC link of each server.
    let firstNICLink: [Int32]
    let firstLeafLink: Int
    /// First bridge link (after the leaf links), and each accelerator's bridge link (−1: none).
    let firstBridgeLink: Int
    let bridgeLink: [Int32]
    /// First core link (after the bridge links; none with one pod).
    let firstCoreLink: Int
    /// Spines that are down (failed), and those up while any is down: hops between leaves
    /// spread over the others.
    public private(set) var deadSpines: [Bool]
    var liveSpines: [Int] = []

    /// A fabric of `servers` under leaves (`leafOfServer`), leaf uplinks `oversubscription`:1
    /// and `spines` spine switches (planes); with `leavesPerPod` > 0 and more leaves than that,
    /// the leaves form pods joined by a core, oversubscribed `coreOversubscription`:1.
    public init(servers: [ServerPorts], leafOfServer: [Int32], oversubscription: Double = 1, spines: Int = 1,
                leavesPerPod: Int = 0, coreOversubscription: Double = 1) {
        precondition(servers.count == leafOfServer.count && !servers.isEmpty && oversubscription >= 1 && spines >= 1
                     && leavesPerPod >= 0 && coreOversubscription >= 1)
        self.servers = servers
        self.leafOfServer = leafOfServer
        self.oversubscription = oversubscription
        self.spines = spines
        deadSpines = Array(repeating: false, count: spines)
        leaves = Int(leafOfServer.max()!) + 1
        var first: [Int32] = [], owner: [Int32] = [], nicLink: [Int32] = []
        var accelerators = 0
        for (s, p) in servers.enumerated() {
            first.append(Int32(accelerators))
            owner.append(contentsOf: repeatElement(Int32(s), count: p.accelerators))
            accelerators += p.accelerators
        }
        capacities = servers.flatMap { repeatElement($0.intraBandwidthBytesPerS, count: $0.accelerators) }
        for p in servers {
            nicLink.append(Int32(capacities.count))
            capacities += repeatElement(p.nicBandwidthBytesPerS, count: 2 * p.nics)
        }
        firstAccelerator = first
        serverOfAccelerator = owner
        firstNICLink = nicLink
        firstLeafLink = capacities.count
        var leafNIC = Array(repeating: 0.0, count: leaves)
        for (s, p) in servers.enumerated() { leafNIC[Int(leafOfServer[s])] += Double(p.nics) * p.nicBandwidthBytesPerS }
        for l in 0..<leaves { capacities += repeatElement(leafNIC[l] / oversubscription / Double(spines), count: 2 * spines) }
        firstBridgeLink = capacities.count
        var bridges: [Int32] = []
        for p in servers {
            for _ in 0..<p.accelerators {
                bridges.append(p.pairBandwidthBytesPerS > 0 ? Int32(capacities.count) : -1)
                if p.pairBandwidthBytesPerS > 0 { capacities.append(p.pairBandwidthBytesPerS) }
            }
        }
        bridgeLink = bridges
        self.leavesPerPod = leavesPerPod
        self.coreOversubscription = coreOversubscription
        pods = leavesPerPod > 0 ? (leaves + leavesPerPod - 1) / leavesPerPod : 1
        firstCoreLink = capacities.count
        if pods > 1 {
            var podUplink = Array(repeating: 0.0, count: pods)
            for l in 0..<leaves { podUplink[l / leavesPerPod] += leafNIC[l] / oversubscription / Double(spines) }
            for p in 0..<pods { capacities += repeatElement(podUplink[p] / coreOversubscription, count: 2 * spines) }
        }
    }

    /// `servers` servers of `preset`, `preset.serversPerLeaf` to a leaf.
    public init(preset: FabricPreset, servers count: Int) {
        let ports = ServerPorts(accelerators: preset.acceleratorsPerServer, intraBandwidthBytesPerS: preset.intraBandwidthBytesPerS,
                                intraLatencyS: preset.intraLatencyS, nics: preset.nicsPerServer,
                                nicBandwidthBytesPerS: preset.nicBandwidthBytesPerS, interLatencyS: preset.interLatencyS,
                                nvlsBytesPerS: NVLinkSHARP.algorithmBandwidth(nvlinkOneWayBytesPerS: preset.nvlinkOneWayBytesPerS),
                                pairBandwidthBytesPerS: preset.pairBandwidthBytesPerS, intraHop: preset.intraHop,
                                generation: preset.generation)
        self.init(servers: Array(repeating: ports, count: count),
                  leafOfServer: (0..<count).map { Int32($0 / max(1, preset.serversPerLeaf)) },
                  oversubscription: preset.oversubscription, spines: preset.spines)
    }

    /// Accelerators in the fabric.
    public var acceleratorCount: Int { serverOfAccelerator.count }

    public func server(ofAccelerator g: Int) -> Int { Int(serverOfAccelerator[g]) }
    func nicUp(server s: Int, nic i: Int) -> Int { Int(firstNICLink[s]) + 2 * i }
    func nicDown(server s: Int, nic i: Int) -> Int { nicUp(server: s, nic: i) + 1 }
    func leafUp(_ l: Int, spine: Int) -> Int { firstLeafLink + 2 * (l * spines + spine) }
    func leafDown(_ l: Int, spine: Int) -> Int { leafUp(l, spine: spine) + 1 }
    func leaf(of server: Int) -> Int { Int(leafOfServer[server]) }
    func pod(ofLeaf l: Int) -> Int { pods > 1 ? l / leavesPerPod : 0 }
    func coreUp(pod p: Int, spine: Int) -> Int { firstCoreLink + 2 * (p * spines + spine) }
    func coreDown(pod p: Int, spine: Int) -> Int { coreUp(pod: p, spine: spine) + 1 }

    /// Each server's NIC up links, and its NIC down links: the rails a ring across servers
    /// takes all of (``SharedFabric/declareBundles(_:)``).
    public func railBundles() -> [[Int]] {
        servers.indices.flatMap { s in
            [(0..<servers[s].nics).map { nicUp(server: s, nic: $0) }, (0..<servers[s].nics).map { nicDown(server: s, nic: $0) }]
        }
    }

    /// Whether link `l` is above the leaves: a leaf's link to a spine, or a pod's to the core
    /// (where oversubscription bites).
    public func isSpineLink(_ l: Int) -> Bool { (l >= firstLeafLink && l < firstBridgeLink) || (l >= firstCoreLink && l < capacities.count) }

    /// A readable name of link `l`: `acc12/nvlink`, `srv3/nic2/up`, `leaf1/spine0/down`.
    public func linkName(_ l: Int) -> String {
        if l >= firstCoreLink && l < capacities.count {
            let k = (l - firstCoreLink) / 2
            return "pod\(k / spines)/spine\(k % spines)/core/\((l - firstCoreLink) % 2 == 0 ? "up" : "down")"
        }
        if l >= firstBridgeLink { return "acc\(bridgeLink.firstIndex(of: Int32(l))!)/bridge" }
        if l >= firstLeafLink {
            let k = (l - firstLeafLink) / 2
            return "leaf\(k / spines)/spine\(k % spines)/\((l - firstLeafLink) % 2 == 0 ? "up" : "down")"
        }
        if l < serverOfAccelerator.count { return "acc\(l)/intra" }
        let s = firstNICLink.lastIndex { Int($0) <= l }!
        let k = l - Int(firstNICLink[s])
        return "srv\(s)/nic\(k / 2)/\(k % 2 == 0 ? "up" : "down")"
    }

    /// The spine a hop from server `s` to server `t` on `rail` takes (ECMP: a fixed hash). With
    /// spines down, a hop hashed to a dead one re-hashes over the live ones (the others keep
    /// their paths, as resilient ECMP hashing does); with none left it stays on its dead spine.
    func spine(from s: Int, to t: Int, rail: Int) -> Int {
        guard spines > 1 else { return 0 }
        var z = UInt64(s) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(t) &* 0xC2B2_AE3D_27D4_EB4F ^ UInt64(rail) &* 0x1656_67B1_9E37_79F9
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let k = Int(z % UInt64(spines))
        guard !liveSpines.isEmpty, deadSpines[k] else { return k }
        return liveSpines[Int((z >> 20) % UInt64(liveSpines.count))]
    }

    /// Marks spine `k` down (failed) or back up.
    public mutating func setSpine(_ k: Int, up: Bool) {
        guard deadSpines[k] == up else { return }
        deadSpines[k] = !up
        let live = (0..<spines).filter { !deadSpines[$0] }
        liveSpines = live.count == spines ? [] : live
    }

    /// The links of spine `k` (every leaf's up and down link to it; with pods, spine plane k
    /// of every pod, and its links to the core).
    public func links(ofSpine k: Int) -> [Int] {
        (0..<leaves).flatMap { [leafUp($0, spine: k), leafDown($0, spine: k)] }
            + (pods > 1 ? (0..<pods).flatMap { [coreUp(pod: $0, spine: k), coreDown(pod: $0, spine: k)] } : [])
    }

    /// The all-reduce of a job on `ranks` (global accelerator indices) as one coupled flow, the
    /// number of parallel streams whose rates add up to its bandwidth per rank, and its
    /// per-step latency (the slowest hop's).
    ///
    /// The flow's rate is that of one stream (one hop of one ring), so max-min sharing is fair
    /// per stream on every link, as RDMA queue pairs share a link, whether the other stream
    /// belongs to a ring or to a point-to-point transfer. With `ringsPerReplica` 1 (pure data
    /// parallel) the ring runs as NCCL runs it: inside one server a single ring; across servers
    /// one channel per NIC rail (NIC c out of one server, NIC c into the next), each channel
    /// carrying an equal part of the data, so the bandwidth per rank is channels × the stream
    /// rate. With `ringsPerReplica` r > 1 (tensor or pipeline ranks in each replica) there are r
    /// rings, ring t through the t-th rank of every replica on that rank's own rail, each
    /// carrying all the bytes at the stream rate. Either way every channel or ring goes at the
    /// pace of the slowest, as NCCL's do, and one max-min solve prices the whole collective.
    /// Also what its steps inside a server cross (PCIe if any ring's does, else NVLink).
    public func collectiveFlow(_ ranks: [Int], ringsPerReplica: Int = 1)
        -> (flow: MaxMinFairShare.Flow, streams: Int, latencyS: Double, intraHop: CollectiveHop) {
        var hops: [Int] = []
        var latency = 0.0
        var streams = 1
        var intraHop = CollectiveHop.nvlink
        func add(_ ring: (hops: [Int], latencyS: Double, intraHop: CollectiveHop)) {
            hops.append(contentsOf: ring.hops)
            latency = max(latency, ring.latencyS)
            if ring.intraHop == .pcie { intraHop = .pcie }
        }
        if ringsPerReplica > 1 {
            for t in 0..<ringsPerReplica {
                add(ring(stride(from: t, to: ranks.count, by: ringsPerReplica).map { ranks[$0] }))
            }
        } else {
            let first = server(ofAccelerator: ranks[0])
            let spans = ranks.contains { server(ofAccelerator: $0) != first }
            if spans {
                let rails = railsUnder(ranks)
                streams = rails.channels
                for c in 0..<streams { add(ring(ranks, rails: { rails.nic(c, server: $0) })) }
            } else {
                add(ring(ranks))
            }
        }
        return (MaxMinFairShare.Flow(counting: hops), streams, latency, intraHop)
    }

    /// A ring through `ranks` (global accelerator indices, in ring order): the link of every
    /// hop, once per crossing (a step between bridge partners takes the bridge), its latency per
    /// step and what its steps inside a server cross (PCIe if any does, else NVLink). Cross-server
    /// hops leave on the sender's NIC `rail` (default: the sending accelerator's own rail) and
    /// arrive on the receiver's NIC of the same rail. The latency per step is the all-reduce's
    /// mean, as NCCL counts steps: of its 2(p−1) steps over p ranks on c servers, 2(c−1) cross
    /// the network at the slowest inter-server latency and the others stay inside a server at
    /// the slowest intra-server one (not every step at the slowest hop).
    public func ring(_ ranks: [Int], rail: Int? = nil) -> (hops: [Int], latencyS: Double, intraHop: CollectiveHop) {
        ring(ranks, rails: rail.map { c in { s in c % servers[s].nics } })
    }

    /// The NICs a data-parallel ring's channels leave each server of a job by: its traffic goes
    /// through the NICs under its own accelerators (rail-optimised servers give each
    /// accelerator its NIC, `a mod nics`; a tenant's job is given the NICs of the accelerators
    /// it holds), so the channels are as many as the fewest such NICs on any of its servers,
    /// channel c through the c-th (ascending) on every server. A job on whole servers takes
    /// every rail: channel c through NIC c.
    struct JobRails {
        /// The job's servers (ascending) and each one's NICs under the job (server i's are
        /// `nics[first[i]..<first[i + 1]]`, ascending).
        let servers: [Int]
        let first: [Int]
        let nics: [Int]

        /// Channels: the fewest NICs under the job on any of its servers.
        var channels: Int { servers.indices.map { first[$0 + 1] - first[$0] }.min() ?? 0 }

        /// The NIC channel `c` leaves (and enters) server `s` by.
        func nic(_ c: Int, server s: Int) -> Int { nic(c, serverAt: servers.lowerBound(of: s)) }

        /// The NIC channel `c` leaves (and enters) the job's `i`-th server by.
        func nic(_ c: Int, serverAt i: Int) -> Int { nics[first[i] + c] }
    }

    /// The job's NICs on each of its servers (``JobRails``), from one sort of its ranks'
    /// (server, NIC) pairs.
    func railsUnder(_ ranks: [Int]) -> JobRails {
        var pairs = ranks.map { r -> (server: Int, nic: Int) in
            let s = server(ofAccelerator: r)
            return (s, (r - Int(firstAccelerator[s])) % servers[s].nics)
        }
        pairs.sort { ($0.server, $0.nic) < ($1.server, $1.nic) }
        var spanned: [Int] = [], first: [Int] = [], nics: [Int] = []
        for p in pairs where spanned.last != p.server || nics.last != p.nic {
            if spanned.last != p.server { spanned.append(p.server); first.append(nics.count) }
            nics.append(p.nic)
        }
        first.append(nics.count)
        return JobRails(servers: spanned, first: first, nics: nics)
    }

    /// A ring through `ranks` whose cross-server hops leave server s on NIC `rails(s)` (nil: the
    /// sending accelerator's own) and arrive on the receiver's NIC of that channel.
    func ring(_ ranks: [Int], rails: ((Int) -> Int)?) -> (hops: [Int], latencyS: Double, intraHop: CollectiveHop) {
        var hops: [Int] = []
        hops.reserveCapacity(ranks.count * 4)
        var intraLatency = 0.0, interLatency = 0.0, crossings = 0
        var intraHop = CollectiveHop.nvlink
        for (i, r) in ranks.enumerated() {
            let next = ranks[(i + 1) % ranks.count]
            let s = server(ofAccelerator: r), t = server(ofAccelerator: next)
            if s == t {
                let bridge = Int(bridgeLink[r])
                if bridge >= 0 && (r - Int(firstAccelerator[s])) ^ 1 == next - Int(firstAccelerator[s]) {
                    hops.append(bridge)
                } else {
                    hops.append(r)
                    if servers[s].intraHop == .pcie { intraHop = .pcie }
                }
                intraLatency = max(intraLatency, servers[s].intraLatencyS)
            } else {
                crossings += 1
                let a = r - Int(firstAccelerator[s]), b = next - Int(firstAccelerator[t])
                let out = rails?(s) ?? a % servers[s].nics
                let into = rails?(t) ?? b % servers[t].nics
                hops.append(nicUp(server: s, nic: out))
                hops.append(nicDown(server: t, nic: into))
                if leaf(of: s) != leaf(of: t) {
                    let k = spine(from: s, to: t, rail: out)
                    hops.append(leafUp(leaf(of: s), spine: k))
                    hops.append(leafDown(leaf(of: t), spine: k))
                    let from = pod(ofLeaf: leaf(of: s)), to = pod(ofLeaf: leaf(of: t))
                    if from != to { hops += [coreUp(pod: from, spine: k), coreDown(pod: to, spine: k)] }
                }
                interLatency = max(interLatency, max(servers[s].interLatencyS, servers[t].interLatencyS))
            }
        }
        let steps = 2 * Double(ranks.count - 1), networkSteps = 2 * Double(crossings - 1)
        guard crossings > 0, steps > 0 else { return (hops, crossings > 0 ? interLatency : intraLatency, intraHop) }
        return (hops, ((steps - networkSteps) * intraLatency + networkSteps * interLatency) / steps, intraHop)
    }

    /// `count` background streams, each between a random accelerator of one server and one of
    /// another (a fixed LCG from `seed`: the same arguments give the same streams).
    public func randomTransfers(_ count: Int, seed: UInt64 = 0) -> [MaxMinFairShare.Flow] {
        let n = servers.count
        guard n > 1 else { return [] }
        var state = seed ^ 0x9E37_79B9_7F4A_7C15
        func draw(_ k: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(k))
        }
        return (0..<count).map { _ in
            let a = draw(n), b = (a + 1 + draw(n - 1)) % n
            let from = Int(firstAccelerator[a]) + draw(servers[a].accelerators)
            return transfer(from: from, to: Int(firstAccelerator[b]) + draw(servers[b].accelerators))
        }
    }

    /// The network part of an all-reduce reduced in the switches (InfiniBand SHARP) over the
    /// servers of `ranks`: one stream per NIC rail out of every server and one back, on the NICs
    /// under the job's accelerators (``JobRails``; each NIC carries its share of the data
    /// once each way), and, when the servers sit under more than
    /// one leaf, each leaf's aggregate once up to the spine and once down (one spine per rail,
    /// by the ECMP hash), the aggregation tree's root at the spine; across pods, each pod's
    /// aggregate once up to the core and once down, the root at the core. Returns the flow and the
    /// rails (streams) a server sends on.
    public func sharpFlow(_ ranks: [Int]) -> (flow: MaxMinFairShare.Flow, rails: Int) {
        // The job's servers and each one's NICs under its accelerators, as its rings' channels.
        let rails = railsUnder(ranks), spanned = rails.servers
        var hops: [Int] = []
        let leavesSpanned = Array(Set(spanned.map { leaf(of: $0) })).sorted()
        let podsSpanned = Array(Set(leavesSpanned.map { pod(ofLeaf: $0) })).sorted()
        for rail in 0..<rails.channels {
            for (i, s) in spanned.enumerated() {
                let nic = rails.nic(rail, serverAt: i)
                hops += [nicUp(server: s, nic: nic), nicDown(server: s, nic: nic)]
            }
            guard leavesSpanned.count > 1 else { continue }
            for l in leavesSpanned {
                let k = spine(from: l, to: l, rail: rail)
                hops += [leafUp(l, spine: k), leafDown(l, spine: k)]
            }
            // Across pods, each pod's aggregate once up to the core and once down.
            guard podsSpanned.count > 1 else { continue }
            for p in podsSpanned {
                let k = spine(from: p, to: p, rail: rail)   // the pod's plane, by the leaves' hash keyed by the pod
                hops += [coreUp(pod: p, spine: k), coreDown(pod: p, spine: k)]
            }
        }
        return (MaxMinFairShare.Flow(counting: hops), rails.channels)
    }

    /// A point-to-point stream between two accelerators (background traffic), both directions.
    public func transfer(from r: Int, to q: Int) -> MaxMinFairShare.Flow {
        MaxMinFairShare.Flow(counting: ring([r, q]).hops)
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
