import Aggregation
import Testing

/// A storage transfer as links of the tiers (``StorageSystem/flow(readTier:readShare:fileBytes:limit:)``).
@Suite struct StorageSystemTests {
    static func system(checkpointTier: Int) -> StorageSystem {
        let tiers = (0..<3).map { StorageTier(name: "t\($0)", bandwidthBytesPerS: 1e12, iops: 1e6, keepForNs: nil) }
        return StorageSystem(tiers: tiers, smallFileBytes: 1e6, smallFileAggregation: 8, initialTier: 0, checkpointTier: checkpointTier)
    }

    /// Reference: the definition. A transfer reading a share r of its bytes from tier t in files of
    /// s bytes and writing the rest to the checkpoint tier crosses t's bandwidth link r times per
    /// byte, t's IOPS link r / (I/O size) times, and the checkpoint tier's bandwidth link 1 − r
    /// times (on one tier, r + (1 − r)); the flow lists them in link order, exactly as counting
    /// the hops one by one gives them.
    @Test func aTransferCrossesItsTiersLinksInProportion() {
        for checkpoint in 0..<3 {
            let system = Self.system(checkpointTier: checkpoint)
            for read in 0..<3 {
                for share in [0.0, 0.25, 0.7, 1.0] {
                    for fileBytes in [1e4, 1e9] {
                        var hops: [Int] = [], weights: [Double] = []
                        if share > 0 {
                            hops += [system.bandwidthLink(read), system.iopsLink(read)]
                            weights += [share, share / system.ioSize(fileBytes: fileBytes)]
                        }
                        if share < 1 {
                            hops.append(system.bandwidthLink(checkpoint))
                            weights.append(1 - share)
                        }
                        let counted = MaxMinFairShare.Flow(counting: hops, weights: weights, limit: 5e9)
                        let flow = system.flow(readTier: read, readShare: share, fileBytes: fileBytes, limit: 5e9)
                        #expect(flow == counted, "read tier \(read), checkpoint tier \(checkpoint), read share \(share)")
                    }
                }
            }
        }
        // By hand: a quarter read from tier 1 in 10 kB files (aggregated 8 to an I/O: 80 kB), the
        // rest written to tier 0.
        let f = Self.system(checkpointTier: 0).flow(readTier: 1, readShare: 0.25, fileBytes: 1e4, limit: 5e9)
        #expect(f.links == [0, 2, 3])
        #expect(f.uses == [0.75, 0.25, 0.25 / 8e4])
    }
}
