import Components
import Scheduling
import SimKernel

/// A center built in phases (``ServerLifecycle``): servers enter it on their dates, drain from
/// their retire date (no new job; their jobs run on) and leave once empty or when the drain
/// ends (jobs still on them are stopped as by a failure and wait again). The components hear
/// each arrival and departure; the statistics count the accelerators in the center.
extension CenterModel {
    /// Out of service by a failure, and out of the center (not yet installed, or removed).
    static let outFailed: UInt8 = 1, outAbsent: UInt8 = 2

    /// At time 0: the servers that arrive later are out of the center; the first change is due.
    mutating func primeLifecycle() {
        guard let life = lifecycle else { return }
        serverOut = pools.map { Array(repeating: 0, count: $0.servers) }
        installedAccelerators = pools.map(\.capacity)
        for (p, s) in life.absentAtStart {
            let p = Int(p), s = Int(s)
            pools[p].takeDown(server: s)
            serverOut[p][s] = Self.outAbsent
            installedAccelerators![p] -= pools[p].devices(onServer: s)
            for i in components.indices { components[i].serverInstalled(pool: p, server: s, accelerators: pools[p].devices(onServer: s), installed: false, nowNs: 0) }
        }
        if let first = life.steps.first { kernel.schedule(Event(kind: Kind.capacityChange.rawValue, subject: 0), atNs: first.atNs) }
    }

    /// The changes due now (from step `first`); the next ones are scheduled.
    mutating func capacityChangesDue(from first: Int, now: SimTimeNs) {
        guard let steps = lifecycle?.steps else { return }
        var i = first
        while i < steps.count, steps[i].atNs == now {
            lifecycleNow.append(steps[i])
            i += 1
        }
        if i < steps.count { kernel.schedule(Event(kind: Kind.capacityChange.rawValue, subject: Int32(i)), atNs: steps[i].atNs) }
        lastActivityNs = now
        requestPass()
    }

    /// Applies this instant's changes (in pool, server order, as the lifecycle lists them).
    mutating func applyLifecycle(now: SimTimeNs) {
        for step in lifecycleNow {
            let p = Int(step.pool), s = Int(step.server)
            switch step.change {
            case .install:
                guard serverOut[p][s] & Self.outAbsent != 0 else { continue }
                serverOut[p][s] &= ~Self.outAbsent
                installedAccelerators![p] += pools[p].devices(onServer: s)
                for i in components.indices { components[i].serverInstalled(pool: p, server: s, accelerators: pools[p].devices(onServer: s), installed: true, nowNs: now) }
                if serverOut[p][s] == 0 { pools[p].bringUp(server: s) }
            case .retire:
                guard serverOut[p][s] & Self.outAbsent == 0 else { continue }
                if serverOut[p][s] != 0 {
                    leave(pool: p, server: s, now: now)  // down for a failure: it leaves as it is
                } else {
                    pools[p].cordon(server: s)
                }
            case .remove:
                guard serverOut[p][s] & Self.outAbsent == 0 else { continue }
                if pools[p].isCordoned(server: s) {
                    pools[p].uncordon(server: s)
                    _ = takeOut(pool: p, server: s, now: now)
                }
                leave(pool: p, server: s, now: now)
            }
        }
        lifecycleNow.removeAll(keepingCapacity: true)
    }

    /// Takes the draining servers that emptied out of the center.
    mutating func finishDrains(now: SimTimeNs) {
        for p in pools.indices {
            for s in pools[p].takeDrained().map(Int.init) where pools[p].isCordoned(server: s) && pools[p].isDrained(server: s) {
                pools[p].uncordon(server: s)
                pools[p].takeDown(server: s)
                leave(pool: p, server: s, now: now)
            }
        }
    }

    /// Server `s` of pool `p`, already out of service, leaves the center.
    mutating func leave(pool p: Int, server s: Int, now: SimTimeNs) {
        serverOut[p][s] |= Self.outAbsent
        installedAccelerators![p] -= pools[p].devices(onServer: s)
        for i in components.indices { components[i].serverInstalled(pool: p, server: s, accelerators: pools[p].devices(onServer: s), installed: false, nowNs: now) }
    }
}
