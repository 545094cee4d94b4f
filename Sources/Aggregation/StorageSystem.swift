/// One tier of the center's storage (the guide's hot / warm / cold tiering): its shared
/// bandwidth and IOPS, and how long data stays in it after its last access before it migrates
/// to the next tier (nil: it stays).
public struct StorageTier: Sendable, Equatable {
    public var name: String
    public var bandwidthBytesPerS: Double
    public var iops: Double
    public var keepForNs: Int64?

    public init(name: String, bandwidthBytesPerS: Double, iops: Double, keepForNs: Int64?) {
        self.name = name
        self.bandwidthBytesPerS = bandwidthBytesPerS
        self.iops = iops
        self.keepForNs = keepForNs
    }
}

/// The storage cluster as shared links: per tier a bandwidth link (bytes/s) and an IOPS link
/// (operations/s). A transfer reading files of `ioSize` bytes uses the bandwidth link once per
/// byte and the IOPS link 1/ioSize times per byte, so small files are IOPS-bound; aggregating
/// small files (packing `smallFileAggregation` of them per read, as TFRecord or WebDataset
/// shards do) multiplies their I/O size.
public struct StorageSystem: Sendable, Equatable {
    public var tiers: [StorageTier]
    /// Files smaller than this are small files.
    public var smallFileBytes: Double
    /// Small files read per I/O after aggregation (1: none).
    public var smallFileAggregation: Double
    /// Tier a dataset or model is in before its first access in the run.
    public var initialTier: Int
    /// Tier checkpoints are written to.
    public var checkpointTier: Int

    public init(tiers: [StorageTier], smallFileBytes: Double, smallFileAggregation: Double, initialTier: Int, checkpointTier: Int) {
        precondition(!tiers.isEmpty)
        self.tiers = tiers
        self.smallFileBytes = smallFileBytes
        self.smallFileAggregation = max(1, smallFileAggregation)
        self.initialTier = initialTier
        self.checkpointTier = checkpointTier
    }

    /// Link capacities: bandwidth and IOPS of each tier, in tier order.
    public var capacities: [Double] { tiers.flatMap { [$0.bandwidthBytesPerS, $0.iops] } }

    public func bandwidthLink(_ tier: Int) -> Int { 2 * tier }
    public func iopsLink(_ tier: Int) -> Int { 2 * tier + 1 }

    /// The tier data last accessed at `lastAccessNs` (nil: never in this run) is in at `nowNs`:
    /// the first tier for its keep time, then each next one for its keep time; the last keeps it.
    public func tier(lastAccessNs: Int64?, nowNs: Int64) -> Int {
        guard let last = lastAccessNs else { return initialTier }
        var age = nowNs - last
        for (i, t) in tiers.enumerated() {
            guard let keep = t.keepForNs, i < tiers.count - 1 else { return i }
            if age < keep { return i }
            age -= keep
        }
        return tiers.count - 1
    }

    /// Bytes per I/O when reading files of `fileBytes` (small files aggregated).
    public func ioSize(fileBytes: Double) -> Double {
        let f = max(1, fileBytes)
        return f < smallFileBytes ? f * smallFileAggregation : f
    }

    /// A transfer: `readBytesPerS` from `readTier` in files of `fileBytes`, and `writeBytesPerS`
    /// of large files to the checkpoint tier, as one flow whose rate is its total bytes/s (each
    /// part in proportion), limited to `limit`.
    public func flow(readTier: Int, readShare: Double, fileBytes: Double, limit: Double) -> MaxMinFairShare.Flow {
        var f = MaxMinFairShare.Flow(links: [])
        build(&f, readTier: readTier, readShare: readShare, fileBytes: fileBytes, limit: limit)
        return f
    }

    /// Makes `f` the transfer of ``flow(readTier:readShare:fileBytes:limit:)`` in its own storage
    /// (a storage run builds one at every ingest and stream in one workspace: no allocation once
    /// its arrays have grown).
    public func build(_ f: inout MaxMinFairShare.Flow, readTier: Int, readShare: Double, fileBytes: Double, limit: Double) {
        // Built in link order (a tier's bandwidth link, then its IOPS link), as
        // `Flow(counting:weights:)` would sort them, without its temporary arrays.
        let reads = readShare > 0, writes = readShare < 1
        let write = 1 - readShare
        f.links.empty()
        f.uses.empty()
        f.limit = limit
        if writes && (!reads || checkpointTier < readTier) {
            f.links.append(bandwidthLink(checkpointTier))
            f.uses.append(write)
        }
        if reads {
            f.links.append(bandwidthLink(readTier))
            f.links.append(iopsLink(readTier))
            // Reads and writes on one tier's bandwidth add up, the read share first.
            f.uses.append(writes && checkpointTier == readTier ? readShare + write : readShare)
            f.uses.append(readShare / ioSize(fileBytes: fileBytes))
            if writes && checkpointTier > readTier {
                f.links.append(bandwidthLink(checkpointTier))
                f.uses.append(write)
            }
        }
    }
}

/// From `atNs`, storage tier `tier` has `servers` storage servers in the center.
public struct StorageServerChange: Sendable, Equatable {
    public var atNs: Int64
    public var tier: Int
    public var servers: Int

    public init(atNs: Int64, tier: Int, servers: Int) {
        self.atNs = atNs
        self.tier = tier
        self.servers = servers
    }
}

/// Storage that grows with a center's build-out phases: each tier's declared servers (what its
/// bandwidth and IOPS are for; 0: the tier declares none and does not change), those in the
/// center at time 0, and the changes after, in time order.
public struct StorageGrowth: Sendable, Equatable {
    public var declaredServers: [Int]
    public var serversAtStart: [Int]
    public var changes: [StorageServerChange]

    public init(declaredServers: [Int], serversAtStart: [Int], changes: [StorageServerChange]) {
        self.declaredServers = declaredServers
        self.serversAtStart = serversAtStart
        self.changes = changes
    }

    /// Each tier's most servers in the center at once over the run.
    public var mostServers: [Int] {
        serversAtStart.indices.map { t in changes.filter { $0.tier == t }.reduce(serversAtStart[t]) { max($0, $1.servers) } }
    }

    /// Each tier's servers in the center at `t` (the changes at `t` made).
    public func servers(atNs t: Int64) -> [Int] {
        var servers = serversAtStart
        for change in changes where change.atNs <= t && change.tier < servers.count { servers[change.tier] = change.servers }
        return servers
    }
}
