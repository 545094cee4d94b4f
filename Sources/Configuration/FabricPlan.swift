import Aggregation
import Center
import Records
import Scenario

/// Builds each pool's leaf-spine fabric from the scenario: its servers in group order, each
/// with its server model's NICs (at `io.fabric.nicEfficiency`) and intra-server fabric (each
/// kind at its own calibration, ``IntraServerCalibration``, unless `io.fabric.intraEfficiency`
/// sets one for all), on the leaves of ``ClusterSpec/leafOfServer(pool:)`` (`serversPerLeaf` to a
/// leaf, a phase's servers on leaves of their own: the same leaves the scheduler's placement
/// sees), leaf uplinks oversubscribed as
/// `io.fabric.oversubscription` says, and with `io.fabric.leavesPerPod` the leaves in pods
/// under a core oversubscribed as `io.fabric.coreOversubscription` says.
public enum FabricPlan {
    public static func links(_ scenario: Scenario) -> [FabricLinks] {
        let f = scenario.io.fabric
        let catalog = scenario.catalog.resolved
        return scenario.cluster.poolNames.map { name in
            var servers: [ServerPorts] = []
            for group in scenario.cluster.servers where group.pool == name {
                let model = group.serverModel
                let accelerator = catalog.first { $0.name == group.accelerator }
                let ring = IntraServerCalibration.ring(model.fabric, listedBytesPerS: model.fabricBandwidthBytesPerS, efficiency: f.intraEfficiency)
                let ports = ServerPorts(accelerators: group.acceleratorsPerServer,
                                        intraBandwidthBytesPerS: ring.ringBytesPerS,
                                        intraLatencyS: f.intraLatency.nanoseconds / 1e9,
                                        nics: max(1, model.nicCount),
                                        nicBandwidthBytesPerS: model.nicBandwidthBitsPerS / 8 * f.nicEfficiency,
                                        interLatencyS: f.interLatency.nanoseconds / 1e9,
                                        nvlsBytesPerS: model.fabric == .nvswitch && accelerator?.reducesInNVSwitch == true
                                            ? NVLinkSHARP.algorithmBandwidth(nvlinkOneWayBytesPerS: model.fabricBandwidthBytesPerS / 2) : 0,
                                        pairBandwidthBytesPerS: ring.pairBytesPerS, intraHop: IntraServerCalibration.hop(model.fabric),
                                        generation: NCCLGeneration(interconnect: accelerator?.interconnect ?? ""))
                servers.append(contentsOf: repeatElement(ports, count: group.count))
            }
            return FabricLinks(servers: servers, leafOfServer: scenario.cluster.leafOfServer(pool: name),
                               oversubscription: f.oversubscription, spines: f.spines,
                               leavesPerPod: f.leavesPerPod, coreOversubscription: f.coreOversubscription)
        }
    }

    /// The run's shared fabric, when the scenario prices communication on it (`/collectives`
    /// and `/links` rows go to `sink`).
    static func component(_ scenario: Scenario, sink: any RecordSink) -> FabricComponent? {
        guard scenario.io.model == .fabric else { return nil }
        return FabricComponent(fabrics: links(scenario), poolNames: scenario.cluster.poolNames,
                               sampleIntervalNs: scenario.io.fabric.linkSampleInterval.baseUnits,
                               busiestLinks: scenario.io.fabric.busiestLinks, allReduce: scenario.io.fabric.allreduce ?? .ring, sink: sink)
    }
}
