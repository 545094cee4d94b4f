/// The collective-pricing benchmark (`iccsim bench collective`, `Benchmarks/`): one all-reduce
/// of `bytes` over `ranks` accelerators in shuffled order on a 2:1 oversubscribed leaf-spine of
/// 8-accelerator servers (32 to a leaf, 400G rail-optimised NICs), sharing the fabric with
/// `background` point-to-point streams between random servers. One run builds the ring's
/// coupled flow, puts it and the streams on a ``SharedFabric``, settles the max-min shares and
/// prices the all-reduce: everything a simulation does for one collective.
public struct CollectiveBenchmark: Sendable {
    public let links: FabricLinks
    public let ranks: [Int]
    public let bytes: Double
    let background: [MaxMinFairShare.Flow]

    public init(ranks count: Int = 1_024, bytes: Double = 1_073_741_824, background streams: Int = 256, seed: UInt64 = 1) {
        var preset = FabricPreset.named("hgx-h100-400g-rail")!
        preset.oversubscription = 2
        let servers = (count + preset.acceleratorsPerServer - 1) / preset.acceleratorsPerServer
        let fabric = FabricLinks(preset: preset, servers: servers)
        links = fabric
        ranks = RankPlacement.shuffled.ranks(count, servers: servers, perServer: preset.acceleratorsPerServer, seed: seed)
        self.bytes = bytes
        background = fabric.randomTransfers(streams, seed: seed)
    }

    /// Prices the all-reduce once; returns its time in seconds.
    public func run() -> Double {
        var fabric = SharedFabric(links: links)
        for (i, f) in background.enumerated() { fabric.attach(i + 1, flow: f) }
        let (flow, streams, latency, _) = links.collectiveFlow(ranks)
        fabric.attach(0, flow: flow, streams: streams)
        _ = fabric.settle()
        return CollectiveCost(ranks: ranks.count, bytes: bytes, alphaS: latency, bandwidthBytesPerS: fabric.bandwidth(0)).seconds(.allreduce, .ring)
    }
}
