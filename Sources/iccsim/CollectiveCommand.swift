import Aggregation
import ArgumentParser
import Center
import Configuration
import Foundation
import Scenario

/// `iccsim collective`: a collective's time, algbw and busbw over a range of sizes, in the
/// layout of NVIDIA's nccl-tests, priced by the α–β model over the fabric's max-min shares.
struct CollectiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collective",
        abstract: "Time a collective (all-reduce, ...) on a fabric preset, printed like nccl-tests.",
        discussion: """
        The ring's bandwidth per rank is its max-min fair share of every link it crosses (NVLink \
        inside a server, NICs, leaf uplinks), with any background transfers. Latency as NCCL's \
        tuning model counts it (--protocol auto): the fastest of LL, LL128 and Simple, each with a \
        fixed cost, a latency per step by what the step crosses (NVLink, PCIe, network) and its \
        share of the bandwidth; a ring all-reduce takes base + per-hop steps + 2(p-1)/p·n/(B·share) \
        (other operations and algorithms by their α–β formulas, one latency per step). algbw = size/time and busbw = algbw × factor exactly as nccl-tests defines \
        them (factor 2(p-1)/p for all-reduce, (p-1)/p for reduce-scatter, all-gather and \
        all-to-all, 1 for broadcast). Presets: \(FabricPreset.builtIn.map { $0.name }.joined(separator: ", ")). \
        With --scenario the servers, NICs, intra-server fabric, leaves, oversubscription, spines and \
        latencies come from a scenario's pool (io.fabric, cluster.serversPerLeaf), as a run sees them.
        Try: iccsim collective --preset hgx-h100-400g-rail --ranks 16 --min-bytes 8 --max-bytes 8G
        """)

    @Option(help: "Fabric preset (default hgx-h100-400g-rail; not with --scenario).")
    var preset: String?

    @Option(help: "Take the fabric from this scenario file's pool instead of a preset.")
    var scenario: String?

    @Option(help: "The scenario's pool (default: its first).")
    var pool: String?

    @Option(help: "Scenario overrides KEY=VALUE, as for run (repeatable).")
    var set: [String] = []

    @Option(help: "Ranks (accelerators) in the collective.")
    var ranks: Int = 8

    @Option(help: "Operation: allreduce, reducescatter, allgather, broadcast, alltoall (expert parallelism), sendrecv (each rank to the next: a pipeline stage boundary).")
    var op: String = "allreduce"

    @Option(help: "Algorithm: ring, auto (NCCL's choice of ring or double binary tree), halving-doubling, tree (binomial), hierarchical (all-reduce only), sharp (reduced in the network switches across servers, InfiniBand SHARP; all-reduce only), nvls (NVLink SHARP inside one NVSwitch server: hgx-h100/h200/h800/h20 presets; all-reduce only).")
    var algo: String = "ring"

    @Option(help: "Latency model: auto (NCCL's fastest of LL, LL128 and Simple for each size, with per-hop latencies), LL, LL128, Simple, or per-step (the io.fabric latencies, each step inside a server at the intra-server one and each across at the inter-server one: how runs price their all-reduces).")
    var `protocol`: String = "auto"

    @Option(help: "NICs per server (overrides the preset's; not with --scenario).")
    var nics: Int?

    @Option(help: "Smallest size per rank (bytes; K, M, G suffixes are powers of 1024).")
    var minBytes: String = "8"

    @Option(help: "Largest size per rank.")
    var maxBytes: String = "8G"

    @Option(help: "Multiply the size by this factor per row.")
    var stepFactor: Int = 2

    @Option(help: "Servers in the fabric (default: just enough for the ranks).")
    var servers: Int?

    @Option(help: "Where the ranks sit: packed, spread, shuffled.")
    var placement: String = "packed"

    @Option(help: "Leaf oversubscription ratio (overrides the preset's).")
    var oversubscription: Double?

    @Option(help: "Background transfers between random pairs of servers sharing the fabric.")
    var background: Int = 0

    @Option(help: "A table of achieved bandwidth fractions by size and servers (e.g. data/calibration/nic_ratio.csv, SimAI's) applied to the ring's bandwidth.")
    var efficiency: String?

    @Flag(help: "Print JSON rows (keys bytes, time_us, algbw_gbps, busbw_gbps; GB/s as nccl-tests).")
    var json = false

    static func parseBytes(_ text: String, _ flag: String) throws -> Double {
        let t = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("G", 1_073_741_824), ("M", 1_048_576), ("K", 1024), ("", 1)]
        for (suffix, factor) in units where suffix.isEmpty || t.uppercased().hasSuffix(suffix) {
            if let v = Double(t.dropLast(suffix.count)), v >= 1 { return v * factor }
        }
        throw ValidationError("\(flag) expects a size such as 8, 64K, 1M or 8G, got '\(text)'")
    }

    /// The fabric: a preset (with --servers and --oversubscription), or a scenario's pool.
    func fabric() throws -> (links: FabricLinks, name: String, perServer: Int) {
        if let path = scenario {
            guard preset == nil, servers == nil, oversubscription == nil, nics == nil else {
                throw ValidationError("--scenario gives the fabric: leave out --preset, --servers, --nics and --oversubscription (use --set io.fabric.oversubscription=...)")
            }
            let s = try ScenarioLoader.load(path: path, overrides: set).scenario
            let names = s.cluster.poolNames
            let index: Int
            if let p = pool {
                guard let i = names.firstIndex(of: p) else { throw ValidationError("--pool '\(p)' is not a pool of \(path); expected one of \(names.joined(separator: ", "))") }
                index = i
            } else { index = 0 }
            let links = FabricPlan.links(s)[index]
            let sizes = Set(links.servers.map(\.accelerators))
            guard sizes.count == 1 else { throw ValidationError("pool '\(names[index])' mixes servers of \(sizes.sorted()) accelerators; ranks are laid out on equal servers") }
            return (links, "\(path) pool \(names[index])", links.servers[0].accelerators)
        }
        guard pool == nil, set.isEmpty else { throw ValidationError("--pool and --set need --scenario") }
        let name = preset ?? "hgx-h100-400g-rail"
        guard var p = FabricPreset.named(name) else {
            throw ValidationError("unknown preset '\(name)'; expected one of \(FabricPreset.builtIn.map(\.name).joined(separator: ", "))")
        }
        if let n = nics {
            guard (1...64).contains(n) else { throw ValidationError("--nics must be between 1 and 64, got \(n)") }
            p.nicsPerServer = n
        }
        if let o = oversubscription {
            guard o >= 1 else { throw ValidationError("--oversubscription must be at least 1") }
            p.oversubscription = o
        }
        let count = servers ?? (ranks + p.acceleratorsPerServer - 1) / p.acceleratorsPerServer
        guard count >= 1 else { throw ValidationError("--servers must be at least 1") }
        return (FabricLinks(preset: p, servers: count), p.name, p.acceleratorsPerServer)
    }

    func run() throws {
        guard let operation = CollectiveOp(rawValue: op) else {
            throw ValidationError("unknown --op '\(op)'; expected one of \(CollectiveOp.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let algorithm = CollectiveAlgorithm(rawValue: algo) else {
            throw ValidationError("unknown --algo '\(algo)'; expected one of \(CollectiveAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard algorithm != .hierarchical || operation == .allreduce else { throw ValidationError("--algo hierarchical is an all-reduce algorithm; use --op allreduce") }
        guard algorithm != .nvls || operation == .allreduce else { throw ValidationError("--algo nvls is an all-reduce algorithm; use --op allreduce") }
        guard algorithm != .sharp || operation == .allreduce else { throw ValidationError("--algo sharp is an all-reduce algorithm; use --op allreduce") }
        guard let protocols = ProtocolChoice(name: self.protocol) else {
            throw ValidationError("unknown --protocol '\(self.protocol)'; expected auto, LL, LL128, Simple or per-step")
        }
        guard let layout = RankPlacement(rawValue: placement) else {
            throw ValidationError("unknown --placement '\(placement)'; expected one of \(RankPlacement.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ranks >= 2 else { throw ValidationError("--ranks must be at least 2") }
        guard stepFactor >= 2 else { throw ValidationError("--step-factor must be at least 2") }
        let lo = try Self.parseBytes(minBytes, "--min-bytes"), hi = try Self.parseBytes(maxBytes, "--max-bytes")
        guard lo <= hi else { throw ValidationError("--min-bytes must not exceed --max-bytes") }
        let (links, fabricName, perServer) = try fabric()
        let serverCount = links.servers.count
        guard serverCount * perServer >= ranks else { throw ValidationError("the fabric's \(serverCount) server(s) hold only \(serverCount * perServer) accelerators") }
        let rankList = layout.ranks(ranks, servers: serverCount, perServer: perServer)
        // The collective's flows: one coupled flow; for hierarchical, an intra-server ring on the
        // first server's ranks and the inter-server rings (one per local rank).
        let sorted = rankList.sorted()
        let local = sorted.filter { links.server(ofAccelerator: $0) == links.server(ofAccelerator: sorted[0]) }.count
        let spanned = Set(rankList.map { links.server(ofAccelerator: $0) }).count
        guard ![.hierarchical, .sharp].contains(algorithm) || local * spanned == ranks else {
            throw ValidationError("--algo \(algorithm.rawValue) needs the same ranks on every server (\(ranks) ranks on \(spanned) servers); try --placement packed")
        }
        guard algorithm != .sharp || spanned > 1 else {
            throw ValidationError("--algo sharp reduces across servers in the network switches; \(ranks) ranks on one server (inside one use ring or nvls)")
        }
        // Background: streams between random accelerators of different servers (the same flags give the same table).
        let background = links.randomTransfers(self.background)
        let solver = MaxMinFairShare(capacities: links.capacities)
        /// The bandwidth per rank of one collective flow of `streams` channels beside the background.
        func share(_ flow: MaxMinFairShare.Flow, streams: Int) -> Double { solver.solve([flow] + background)[0] * Double(streams) }
        var path: CollectivePath
        if algorithm == .nvls {
            // In-switch reduction inside one server: the switch's NVLS bandwidth, no ring.
            let server = links.server(ofAccelerator: rankList[0])
            guard spanned == 1 else {
                throw ValidationError("--algo nvls reduces inside one NVSwitch server; \(ranks) ranks span \(spanned) servers (across servers use ring or hierarchical)")
            }
            guard links.servers[server].nvlsBytesPerS > 0 else {
                throw ValidationError("--algo nvls needs an NVSwitch with in-switch reduction (NVLink SHARP): hgx-h100-400g-rail, hgx-h200-400g-rail, hgx-h800-400g-rail or hgx-h20-400g-rail, or an NVSwitch server of NVLink 4 or later GPUs (H100-SXM, H200, B200) in a scenario")
            }
            let ring = links.collectiveFlow(rankList)
            let nvls = NVLinkSHARP.algorithmBandwidth(nvlsBytesPerS: links.servers[server].nvlsBytesPerS,
                                                      ringBytesPerS: share(ring.flow, streams: ring.streams), ranks: ranks)
            path = CollectivePath(bandwidthBytesPerS: nvls, latencyS: links.servers[server].intraLatencyS, intraHop: .nvlink)
        } else if algorithm == .sharp {
            // Inside each server: NVLink SHARP where the switch has it, else a reduce-scatter and
            // all-gather ring; between servers: each rail's share to the switches once and back.
            let server = links.servers[links.server(ofAccelerator: sorted[0])]
            let intra = links.collectiveFlow(Array(sorted.prefix(local)))
            let inside = SwitchReduction.insideSPerByte(localRanks: local, nvlsBytesPerS: server.nvlsBytesPerS,
                                                        ringBytesPerS: share(intra.flow, streams: intra.streams))
            let network = links.sharpFlow(sorted)
            path = CollectivePath(bandwidthBytesPerS: 0, latencyS: 0, localRanks: local, intraHop: intra.intraHop)
            path.insideSPerByte = inside
            path.networkBytesPerS = share(network.flow, streams: network.rails)
        } else if algorithm == .hierarchical {
            // The phases run one after another (reduce-scatter inside each server, the
            // inter-server rings, all-gather inside each server), so each is priced on the
            // fabric alone with the background, never against the other phase.
            let intra = links.collectiveFlow(Array(sorted.prefix(local)))
            let inter = links.collectiveFlow(sorted, ringsPerReplica: local)
            path = CollectivePath(bandwidthBytesPerS: spanned > 1 ? share(inter.flow, streams: 1) : 0, latencyS: inter.latencyS,
                                  intraBandwidthBytesPerS: share(intra.flow, streams: intra.streams), intraLatencyS: intra.latencyS, localRanks: local,
                                  intraHop: intra.intraHop)
        } else {
            let collective = links.collectiveFlow(rankList)
            path = CollectivePath(bandwidthBytesPerS: share(collective.flow, streams: collective.streams), latencyS: collective.latencyS,
                                  intraHop: collective.intraHop)
        }
        path.generation = links.servers[links.server(ofAccelerator: sorted[0])].generation
        var curve: EfficiencyCurve? = nil
        if let path = efficiency {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("cannot read efficiency table '\(path)'")
            }
            do { curve = try EfficiencyCurve.parse(text) } catch let e as EfficiencyCurve.CurveError {
                throw ValidationError("\(path):\(e.line): \(e.message)")
            }
        }
        var rows: [(bytes: Double, timeUs: Double, algbw: Double, busbw: Double, choice: String?)] = []
        // One pricer, as runs price their all-reduces, with this command's algorithm, latency model and curve.
        let pricer = CollectivePricer(algorithm: algorithm, efficiency: curve, protocols: protocols)
        var n = lo
        while n <= hi {
            let (t, choice) = pricer.priced(operation, ranks: ranks, servers: spanned, bytes: n, path: path)
            let algbw = n / t / 1e9
            rows.append((n, t * 1e6, algbw, operation.busBandwidth(algbw: algbw, ranks: ranks), choice))
            n *= Double(stepFactor)
        }
        if json {
            let items = rows.map { String(format: "{\"bytes\": %.0f, \"time_us\": %.3f, \"algbw_gbps\": %.3f, \"busbw_gbps\": %.3f}", $0.bytes, $0.timeUs, $0.algbw, $0.busbw) }
            print("[\n  " + items.joined(separator: ",\n  ") + "\n]")
            return
        }
        let redop = [.allreduce, .reducescatter].contains(operation) ? "sum" : "none"
        let root = operation == .broadcast ? 0 : -1
        print("# iccsim collective: \(operation.rawValue) (\(algorithm.rawValue)), \(ranks) ranks on \(spanned) of \(serverCount) server(s) of \(fabricName), \(layout.rawValue) placement")
        if algorithm == .hierarchical {
            print(String(format: "# intra-server ring %.2f GB/s per rank, inter-server rings %.2f GB/s each (max-min shares, each phase alone with the background), latency %.1f / %.1f us per step",
                         path.intraBandwidthBytesPerS / 1e9, path.bandwidthBytesPerS / 1e9, path.intraLatencyS * 1e6, path.latencyS * 1e6))
        } else if algorithm == .sharp {
            print(String(format: "# inside each server %.2f GB/s per rank of data (NVLS if the switch has it, else a reduce-scatter and all-gather ring), network %.2f GB/s per server to the switches (its rails' max-min shares)",
                         1 / path.insideSPerByte / 1e9, path.networkBytesPerS / 1e9))
        } else {
            print(String(format: "# ring bandwidth per rank %.2f GB/s (channels over every NIC rail, max-min fair per stream)", path.bandwidthBytesPerS / 1e9)
                  + (protocols == .perStep ? String(format: ", latency %.1f us per step", path.latencyS * 1e6) : ""))
        }
        print("# latency: " + (protocols == .perStep ? "the fabric's, per step (inside or across servers)"
                                : "NCCL's protocols (\(protocols.protocols.map(\.rawValue).joined(separator: ", "))), per hop; the last column is the algorithm and protocol chosen"))
        print("#")
        print("#       size         count      type   redop    root     time   algbw   busbw")
        print("#        (B)    (elements)                               (us)  (GB/s)  (GB/s)")
        for r in rows {
            print(String(format: "%12.0f  %12.0f     float  %6@  %6d  %7.2f  %6.2f  %6.2f", r.bytes, r.bytes / 4, redop, root, r.timeUs, r.algbw, r.busbw)
                  + (r.choice.map { "  " + $0 } ?? ""))
        }
        print(String(format: "# Avg bus bandwidth    : %.4f", rows.map(\.busbw).reduce(0, +) / Double(rows.count)))
    }
}
