import Production

/// One pool's equipment as the power model sees it (``Scenario/powerPools``).
public struct PoolPowerFigures: Sendable, Equatable {
    public var name: String
    public var servers: Int
    public var accelerators: Int
    public var acceleratorIdleW: Double
    /// A busy accelerator's draw: its maximum power times `power.acceleratorDraw`.
    public var acceleratorBusyW: Double
    /// All its servers' hosts together, at rest and at full load.
    public var hostIdleW: Double
    public var hostMaxW: Double
    /// Switch ports its NICs use (one at the leaf, one on the spine side) and their speed.
    public var switchPorts: Int
    public var nicGbps: Double

    /// Power with nothing busy, W.
    public var restW: Double { hostIdleW + Double(accelerators) * acceleratorIdleW }
}

extension Scenario {
    /// Each pool's equipment for the power model, in pool order: its server groups' hosts (the
    /// preset's host power, or `power.hosts`), accelerators (the catalog's idle and maximum power)
    /// and switch ports.
    public var powerPools: [PoolPowerFigures] {
        let models = catalog.resolved
        let draw = power?.acceleratorDraw ?? 1
        return cluster.poolNames.map { name in
            var f = PoolPowerFigures(name: name, servers: 0, accelerators: 0, acceleratorIdleW: 0, acceleratorBusyW: 0, hostIdleW: 0, hostMaxW: 0,
                                     switchPorts: 0, nicGbps: 0)
            for g in cluster.servers where g.pool == name {
                let server = g.serverModel
                let host = power?.hosts.first { $0.pool == name }.map { HostPower(idleW: Double($0.idle.baseUnits), maxW: Double($0.max.baseUnits), source: "power.hosts") }
                    ?? HostPowerCatalog.host(of: server, preset: g.preset)
                let a = models.first { $0.name == g.accelerator }
                f.servers += g.count
                f.accelerators += g.count * g.acceleratorsPerServer
                f.acceleratorIdleW = a?.idlePowerW ?? 0
                f.acceleratorBusyW = max(f.acceleratorIdleW, (a?.maxPowerW ?? 0) * draw)
                f.hostIdleW += Double(g.count) * host.idleW
                f.hostMaxW += Double(g.count) * host.maxW
                f.switchPorts += 2 * g.count * server.nicCount
                f.nicGbps = max(f.nicGbps, server.nicBandwidthBitsPerS / 1e9)
            }
            return f
        }
    }

    /// The center's IT power with nothing busy (servers, accelerators and switches at rest), W.
    public var restPowerW: Double {
        powerPools.reduce(0) { $0 + $1.restW + Double($1.switchPorts) * SwitchPortPower.watts(gbps: $1.nicGbps) } + Double(power?.storage?.baseUnits ?? 0)
    }

    /// Hosts and prices name pools, and a cap is above the center's power at rest.
    func checkPower(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        guard let p = power else { return }
        let pools = cluster.poolNames
        let pc = try c.nestedContainer(keyedBy: PowerSpec.CodingKeys.self, forKey: .power)
        for (i, h) in p.hosts.enumerated() where !pools.contains(h.pool) {
            throw try pc.superDecoder(forKey: .hosts, item: i).scenarioError(
                "power.hosts[\(i)] names pool '\(h.pool)'\(didYouMean(h.pool, among: pools)); the pools are \(pools.joined(separator: ", "))")
        }
        if let prices = p.prices {
            let lc = try pc.nestedContainer(keyedBy: PriceListSpec.CodingKeys.self, forKey: .prices)
            for (i, s) in prices.servers.enumerated() where !pools.contains(s.pool) {
                throw try lc.superDecoder(forKey: .servers, item: i).scenarioError(
                    "power.prices.servers[\(i)] names pool '\(s.pool)'\(didYouMean(s.pool, among: pools)); the pools are \(pools.joined(separator: ", "))")
            }
        }
        if let cap = p.cap {
            let rest = restPowerW * p.coolingCurve.points.map(\.pue).min()!
            if Double(cap.baseUnits) <= rest {
                throw try pc.superDecoder(forKey: .cap).scenarioError(
                    "power.cap (\(cap)) is not above the center's facility power at rest (\(Int(rest.rounded())) W, every server idle): nothing could ever run")
            }
        }
    }
}
