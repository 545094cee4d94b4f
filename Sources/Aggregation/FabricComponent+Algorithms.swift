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
        let rings = { fabric.collectiveFlow(ranks, ringsPerReplica: perReplica) }
        func ringsAlone() -> (DataParallelAlgorithm, MaxMinFairShare.Flow, Int, Double, MaxMinFairShare.Flow?) {
            let r = rings()
            return (.ring, r.flow, r.streams, r.latencyS, nil)
        }
        guard choice != .ring, perReplica == 1 else { return ringsAlone() }
        var perServer: [Int: [Int]] = [:]
        for r in ranks { perServer[fabric.server(ofAccelerator: r), default: []].append(r) }
        let servers = perServer.keys.sorted()
        if servers.count == 1 {
            let nvls = fabric.servers[servers[0]].nvlsBytesPerS
            guard nvls > 0 else { return ringsAlone() }
            let r = rings()
            let alone = r.flow.aloneRate(capacities: fabric.capacities) * Double(r.streams)
            let bytesPerS = NVLinkSHARP.algorithmBandwidth(nvlsBytesPerS: nvls, ringBytesPerS: alone, ranks: ranks.count)
            return (.nvls(bytesPerS: bytesPerS, aloneBandwidth: alone), r.flow, r.streams, r.latencyS, nil)
        }
        let local = perServer[servers[0]]!.count
        guard choice == .sharp, servers.allSatisfy({ perServer[$0]!.count == local }) else { return ringsAlone() }
        let network = fabric.sharpFlow(ranks)
        guard servers.allSatisfy({ fabric.servers[$0].nvlsBytesPerS > 0 }) else {
            var hops: [Int] = []
            for s in servers { hops += fabric.ring(perServer[s]!).hops }
            let inside = local > 1 ? MaxMinFairShare.Flow(counting: hops) : nil
            return (.sharp(localRanks: local, nvlsBytesPerS: 0), network.flow, network.rails, 0, inside)
        }
        // NVLink SHARP inside every server, never below the ring on the same NVLinks.
        let intraRing = MaxMinFairShare.Flow(counting: fabric.ring(perServer[servers[0]]!).hops).aloneRate(capacities: fabric.capacities)
        let nvls = NVLinkSHARP.algorithmBandwidth(nvlsBytesPerS: servers.map { fabric.servers[$0].nvlsBytesPerS }.min()!,
                                                  ringBytesPerS: intraRing, ranks: local)
        return (.sharp(localRanks: local, nvlsBytesPerS: nvls), network.flow, network.rails, 0, nil)
    }

    /// The flow of owner kind 0 of a job on the fabric as it is routed now (after a spine
    /// failure or repair): its rings, or its switch reduction's network part.
    func dataParallelFlow(_ ring: Ring, pool p: Int) -> (flow: MaxMinFairShare.Flow, streams: Int) {
        if case .sharp = ring.algorithm {
            let network = links[p].sharpFlow(ring.ranks)
            return (network.flow, network.rails)
        }
        let routed = links[p].collectiveFlow(ring.ranks, ringsPerReplica: Int(ring.rings))
        return (routed.flow, routed.streams)
    }

    /// Seconds of the job's data-parallel all-reduce at `bandwidth` for its owner kind 0 and
    /// `inside` for a switch reduction's intra-server rings.
    static func allReduceSeconds(_ ring: Ring, bandwidth: Double, inside: Double) -> Double {
        let demand = ring.demand
        switch ring.algorithm {
        case .ring:
            return demand.allReduceSeconds(bandwidthBytesPerS: bandwidth, latencyS: ring.latencyS)
        case let .nvls(bytesPerS, alone):
            return NVLinkSHARP.seconds(bytes: demand.bytesPerIteration, alphaS: ring.latencyS, bandwidthBytesPerS: bytesPerS * bandwidth / alone)
        case let .sharp(d, nvls):
            return SwitchReduction(localRanks: d, bytes: demand.bytesPerIteration,
                                   insideSPerByte: SwitchReduction.insideSPerByte(localRanks: d, nvlsBytesPerS: nvls, ringBytesPerS: inside),
                                   networkBytesPerS: bandwidth).seconds
        }
    }

    /// ``allReduceSeconds(_:bandwidth:inside:)`` at the job's bandwidths as of the last settle.
    static func allReduceSeconds(_ ring: Ring) -> Double { allReduceSeconds(ring, bandwidth: ring.bandwidth, inside: ring.insideBandwidth) }
}
