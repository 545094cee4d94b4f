import Production

/// How a run's data-parallel all-reduces go (`io.fabric.allreduce`): rings, or in-switch
/// reduction where a job's placement allows it.
public enum RunAllReduceAlgorithm: String, Sendable, CaseIterable {
    /// Rings over NVLink and the NIC rails (NCCL's ring), every job.
    case ring
    /// NVLink SHARP for a job inside one NVSwitch server that has it (Hopper and later); rings
    /// for the others.
    case nvls
    /// Reduction in the network switches (InfiniBand SHARP) for a pure data-parallel job on
    /// several servers with the same ranks on each (inside each server NVLink SHARP where the
    /// switch has it, else a reduce-scatter and all-gather ring); NVLink SHARP inside one
    /// server; rings for the others.
    case sharp
}

extension FabricComponent {
    /// How a job's data-parallel all-reduce runs.
    enum DataParallelAlgorithm: Equatable {
        case ring
        /// NVLink SHARP at `bytesPerS` when the ring flow on the same NVLinks has its alone
        /// bandwidth `aloneBandwidth` (contention scales both alike).
        case nvls(bytesPerS: Double, aloneBandwidth: Double)
        /// Reduced in the switches: `localRanks` per server; inside at NVLink SHARP's
        /// `nvlsBytesPerS` or (0) on the intra-server rings' flow (owner kind 4).
        case sharp(localRanks: Int, nvlsBytesPerS: Double)
    }

    /// The owner kind of a switch-reduced job's intra-server rings.
    static let insideKind = 4

    /// A job's data-parallel flows under `choice`: its algorithm, the flow of owner kind 0 (the
    /// rings, or the network part of a switch reduction) with its streams and latency per
    /// step, and, for a switch reduction without NVLink SHARP, the intra-server rings' flow.
    func dataParallelFlows(_ ranks: [Int], perReplica: Int, pool: Int, choice: RunAllReduceAlgorithm)
        -> (algorithm: DataParallelAlgorithm, flow: MaxMinFairShare.Flow, streams: Int, latencyS: Double, inside: MaxMinFairShare.Flow?) {
        let fabric = links[pool]
        let ring = fabric.collectiveFlow(ranks, ringsPerReplica: perReplica)
        guard choice != .ring, perReplica == 1 else { return (.ring, ring.flow, ring.streams, ring.latencyS, nil) }
        var perServer: [Int: [Int]] = [:]
        for r in ranks { perServer[fabric.server(ofAccelerator: r), default: []].append(r) }
        let servers = perServer.keys.sorted()
        let nvls = fabric.servers[servers[0]].nvlsBytesPerS
        if servers.count == 1 {
            guard nvls > 0 else { return (.ring, ring.flow, ring.streams, ring.latencyS, nil) }
            let alone = ring.flow.aloneRate(capacities: fabric.capacities) * Double(ring.streams)
            let bytesPerS = NVLinkSHARP.algorithmBandwidth(nvlsBytesPerS: nvls, ringBytesPerS: alone, ranks: ranks.count)
            return (.nvls(bytesPerS: bytesPerS, aloneBandwidth: alone), ring.flow, ring.streams, ring.latencyS, nil)
        }
        let local = perServer[servers[0]]!.count
        guard choice == .sharp, servers.allSatisfy({ perServer[$0]!.count == local }) else { return (.ring, ring.flow, ring.streams, ring.latencyS, nil) }
        let allNVLS = servers.allSatisfy { fabric.servers[$0].nvlsBytesPerS > 0 }
        let network = fabric.sharpFlow(ranks)
        var inside: MaxMinFairShare.Flow? = nil
        if !allNVLS && local > 1 {
            var hops: [Int] = []
            for s in servers { hops += fabric.ring(perServer[s]!).hops }
            inside = MaxMinFairShare.Flow(counting: hops)
        }
        var nvlsInside = 0.0
        if allNVLS {
            let intraRing = MaxMinFairShare.Flow(counting: fabric.ring(perServer[servers[0]]!).hops).aloneRate(capacities: fabric.capacities)
            nvlsInside = NVLinkSHARP.algorithmBandwidth(nvlsBytesPerS: servers.map { fabric.servers[$0].nvlsBytesPerS }.min()!,
                                                        ringBytesPerS: intraRing, ranks: local)
        }
        return (.sharp(localRanks: local, nvlsBytesPerS: nvlsInside), network.flow, network.rails, 0, inside)
    }

    /// Seconds of the job's data-parallel all-reduce at its flows' current bandwidths (kind 0's
    /// `bandwidth`, and `insideBandwidth` for switch reduction's intra-server rings).
    static func allReduceSeconds(_ ring: Ring) -> Double {
        let demand = ring.demand
        switch ring.algorithm {
        case .ring:
            return demand.allReduceSeconds(bandwidthBytesPerS: ring.bandwidth, latencyS: ring.latencyS)
        case let .nvls(bytesPerS, alone):
            return NVLinkSHARP.seconds(bytes: demand.bytesPerIteration, alphaS: ring.latencyS, bandwidthBytesPerS: bytesPerS * ring.bandwidth / alone)
        case let .sharp(d, nvls):
            let inside = d <= 1 ? 0 : nvls > 0 ? 1 / nvls : 2 * Double(d - 1) / Double(d) / ring.insideBandwidth
            return SwitchReduction(localRanks: d, bytes: demand.bytesPerIteration, insideSPerByte: inside, networkBytesPerS: ring.bandwidth).seconds
        }
    }
}
