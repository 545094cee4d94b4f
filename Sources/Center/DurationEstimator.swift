import SimKernel

/// Run-time estimates from history, for policies told not to use the truth
/// (`scheduling.durations: estimated`): the mean run time of the tenant's last completed jobs
/// (up to 20), else of all tenants' last ones, else one hour. Updated as jobs complete, in the
/// scheduling pass's deterministic order.
struct DurationEstimator {
    static let window = 20
    static let defaultNs: SimTimeNs = 3_600_000_000_000
    private var recent: [[SimTimeNs]] = []
    private var global: [SimTimeNs] = []

    mutating func record(tenant: Int16, runNs: SimTimeNs) {
        let t = Int(tenant) + 1
        while recent.count <= t { recent.append([]) }
        Self.push(&recent[t], runNs)
        Self.push(&global, runNs)
    }

    func estimate(tenant: Int16) -> SimTimeNs {
        let t = Int(tenant) + 1
        if t < recent.count, !recent[t].isEmpty { return Self.mean(recent[t]) }
        return global.isEmpty ? Self.defaultNs : Self.mean(global)
    }

    private static func push(_ a: inout [SimTimeNs], _ v: SimTimeNs) {
        if a.count == window { a.removeFirst() }
        a.append(v)
    }

    private static func mean(_ a: [SimTimeNs]) -> SimTimeNs { a.reduce(0, +) / SimTimeNs(a.count) }
}
