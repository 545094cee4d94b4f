import Aggregation
import Center
import Records
import Production
import Scenario

/// Builds each pool's leaf-spine fabric from the scenario: its servers in group order, each
/// with its server model's NICs and intra-server fabric at the achieved fractions
/// (`io.fabric.nicEfficiency`, `intraEfficiency`), `cluster.serversPerLeaf` to a leaf (the
/// same leaves the scheduler's placement sees), leaf uplinks oversubscribed as
/// `io.fabric.oversubscription` says.
public enum FabricPlan {
    public static func links(_ scenario: Scenario) -> [FabricLinks] {
        let f = scenario.io.fabric
        let perLeaf = max(1, scenario.cluster.serversPerLeaf)
        return scenario.cluster.poolNames.map { name in
            var servers: [ServerPorts] = []
            for group in scenario.cluster.servers where group.pool == name {
                let model = group.serverModel
                let ports = ServerPorts(accelerators: group.acceleratorsPerServer,
                                        intraBandwidthBytesPerS: model.fabricBandwidthBytesPerS / 2 * f.intraEfficiency,
                                        intraLatencyS: f.intraLatency.nanoseconds / 1e9,
                                        nics: max(1, model.nicCount),
                                        nicBandwidthBytesPerS: model.nicBandwidthBitsPerS / 8 * f.nicEfficiency,
                                        interLatencyS: f.interLatency.nanoseconds / 1e9,
                                        nvlsBytesPerS: nvls(model) ? NVLinkSHARP.algorithmBandwidth(nvlinkOneWayBytesPerS: model.fabricBandwidthBytesPerS / 2) : 0)
                servers.append(contentsOf: repeatElement(ports, count: group.count))
            }
            return FabricLinks(servers: servers, leafOfServer: servers.indices.map { Int32($0 / perLeaf) },
                               oversubscription: f.oversubscription, spines: f.spines)
        }
    }

    /// Whether a server's switch reduces in the network (NVLink SHARP): NVSwitch servers of
    /// Hopper and Blackwell GPUs (calibrated on Hopper; Blackwell's NVLink 5 is extrapolated).
    static func nvls(_ model: ServerModel) -> Bool {
        model.fabric == .nvswitch && ["H100-SXM", "H200", "H800", "B200"].contains(model.accelerator)
    }

    /// The run's shared fabric, when the scenario prices communication on it (`/collectives`
    /// and `/links` rows go to `sink`).
    static func component(_ scenario: Scenario, sink: any RecordSink) -> FabricComponent? {
        guard scenario.io.model == .fabric else { return nil }
        return FabricComponent(fabrics: links(scenario), poolNames: scenario.cluster.poolNames,
                               sampleIntervalNs: scenario.io.fabric.linkSampleInterval.baseUnits,
                               busiestLinks: scenario.io.fabric.busiestLinks, sink: sink)
    }
}
