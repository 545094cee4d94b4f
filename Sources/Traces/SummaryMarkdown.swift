import Center
import Foundation
import Metrics
import Production
import Reports

/// `summary.md` and the summary `iccsim run` prints: the run's figures for people, named as
/// planners name them (the metric registry's labels), in their units (percentages, durations,
/// SI prefixes, grouped thousands), with a section for each model that was on.
extension SummaryWriter {
    /// A Markdown report of the summary.
    /// `overrides`: the `--set`, `--policy` and `--warmup` the run was given, listed under the title.
    public static func markdown(_ s: RunSummary, overrides: [String] = []) -> String {
        let n = { (x: Int64) in NumberText.grouped(x) }
        let d = NumberText.duration
        var out = "# ICCSim run: \(s.scenario) (seed \(s.seed))\n\n"
        if !overrides.isEmpty { out += "Overrides: " + overrides.map { "`\($0)`" }.joined(separator: ", ") + ".\n\n" }
        let stopped = s.stopReason == "horizon" ? "stopped at the horizon" : s.stopReason == "completed" ? "every job done" : "stopped: \(s.stopReason)"
        out += "Policy `\(s.policy)` on \(n(Int64(s.accelerators))) accelerators; \(stopped) after \(d(s.makespanS)) simulated (\(n(s.eventsProcessed)) events).\n"
        if let w = s.warmup {
            out += "Warm-up: the first \(d(w.seconds)) are not measured (\(n(w.jobsMeasured)) jobs submitted after it).\n"
        }
        out += """

            | jobs | count |
            |---|---:|
            | submitted | \(n(s.jobsSubmitted)) |
            | completed | \(n(s.jobsCompleted)) |
            | rejected | \(n(s.jobsRejected)) |
            | unfinished | \(n(s.jobsUnfinished)) |

            | time | mean | median | 99th percentile |
            |---|---:|---:|---:|
            | wait | \(d(s.waitMeanS)) | \(d(s.waitP50S)) | \(d(s.waitP99S)) |
            | job completion | \(d(s.jctMeanS)) | \(d(s.jctP50S)) | \(d(s.jctP99S)) |

            Accelerator utilisation \(NumberText.percent(s.utilizationMean)), mean queue length \(NumberText.figure(s.queueLengthMean)) jobs, \
            \(NumberText.figure(s.arrivalRatePerS * 3_600)) jobs arriving per hour, \(n(s.preemptions)) preemptions, \
            fairness \(String(format: "%.3f", s.fairnessJain)) (Jain's index over tenants).

            """
        return out + deliveredTable(s) + groupTables(s) + modelSections(s)
    }

    /// The people's text of a value of the figure at `path` (`pools.training.utilization_mean`).
    static func reading(_ v: SummaryValue?, path: String) -> String {
        switch v {
        case .integer, .unsigned, .real: return NumberText.reading(number(v), of: MetricRegistry.metric(for: path))
        case .text(let t)?: return t
        default: return "—"
        }
    }

    /// A table's head: `first`, then the figures' labels; figures align right, names left.
    static func head(_ first: String, _ columns: [Metric]) -> String {
        "| \(first) | " + columns.map(\.label).joined(separator: " | ") + " |\n|---|" + columns.map { $0.unit == "text" ? "---|" : "---:|" }.joined() + "\n"
    }

    static func lookup(_ fields: [(String, SummaryValue)], _ key: String) -> SummaryValue? { fields.first { $0.0 == key }?.1 }

    static func number(_ v: SummaryValue?) -> Double {
        switch v {
        case .integer(let i)?: return Double(i)
        case .unsigned(let u)?: return Double(u)
        case .real(let x)?: return x
        default: return 0
        }
    }

    /// Delivered compute by kind of work (kinds with nothing delivered left out).
    static func deliveredTable(_ s: RunSummary) -> String {
        guard case .object(let hours)? = lookup(s.delivered, Metric.acceleratorHoursByKindKey),
              case .object(let flops)? = lookup(s.delivered, Metric.flopByKindKey) else { return "" }
        let rows = hours.filter { number($0.1) > 0 || number(lookup(flops, $0.0)) > 0 }
        guard !rows.isEmpty else { return "\n## Delivered compute\n\nNone: no job ran.\n" }
        var out = "\n## Delivered compute\n\n| kind of work | accelerator-hours | FLOPs |\n|---|---:|---:|\n"
        for (kind, h) in rows { out += "| \(kind.replacingOccurrences(of: "_", with: " ")) | \(NumberText.figure(number(h))) | \(NumberText.si(number(lookup(flops, kind)), "FLOP")) |\n" }
        out += "\n" + balance(s, hours: hours) + "\n"
        if let e = lookup(s.delivered, Metric.acceleratorEnergyKWh.key) {
            out += "\nAccelerator energy \(reading(e, path: "delivered.\(Metric.acceleratorEnergyKWh.key)")) (idle power plus the busy increment; hosts, network and cooling excluded).\n"
        }
        return out
    }

    /// The center's balance as the guide frames it: the share of the accelerators in inference
    /// pools and inference's share of the accelerator-hours, and the share of accelerators (and
    /// of their hours) that are not GPUs (NPUs, ASICs, FPGAs; devices of the built-in catalog, by
    /// the pools' accelerator models).
    static func balance(_ s: RunSummary, hours: [(String, SummaryValue)]) -> String {
        let total = hours.reduce(0) { $0 + number($1.1) }
        var parts: [String] = []
        var all = 0.0, inferencePools = 0.0, devices = 0.0, nonGPU = 0.0, poolHours = 0.0, nonGPUHours = 0.0, known = true
        for (_, v) in s.pools {
            guard case .object(let f) = v else { continue }
            let n = number(lookup(f, Metric.accelerators.key)), h = number(lookup(f, Metric.acceleratorHours.key))
            all += n
            if case .text("inference")? = lookup(f, Metric.role.key) { inferencePools += n }
            guard case .text(let name)? = lookup(f, Metric.accelerator.key) else { continue }
            guard let kind = AcceleratorCatalog.builtIn(named: name)?.kind else { known = false; continue }
            devices += n
            poolHours += h
            if kind != .gpu { nonGPU += n; nonGPUHours += h }
        }
        if all > 0 && inferencePools > 0 { parts.append("Inference pools hold \(NumberText.percent(inferencePools / all)) of the accelerators") }
        if total > 0 { parts.append("\(parts.isEmpty ? "Inference" : "inference") is \(NumberText.percent(number(lookup(hours, "inference")) / total)) of the accelerator-hours") }
        if known, devices > 0 {
            parts.append("non-GPU accelerators (NPU, ASIC, FPGA) are \(NumberText.percent(nonGPU / devices)) of the center's accelerators"
                         + (poolHours > 0 ? " and \(NumberText.percent(nonGPUHours / poolHours)) of their accelerator-hours" : ""))
        }
        return parts.isEmpty ? "" : parts.joined(separator: "; ") + "."
    }

    /// Pools, applications and tenants: one row each; a group without jobs says so, and its
    /// waits and completion times are blank, not zero.
    static func groupTables(_ s: RunSummary) -> String {
        let columns: [Metric] = [.jobsSubmitted, .jobsCompleted, .waitMeanS, .jctMeanS, .acceleratorHours, .flop]
        func table(_ title: String, _ section: String, _ rows: [(String, SummaryValue)], _ columns: [Metric]) -> String {
            guard !rows.isEmpty else { return "" }
            var out = "\n## \(title)\n\n" + head("name", columns)
            for (name, value) in rows {
                guard case .object(let f) = value else { continue }
                let empty = number(lookup(f, Metric.jobsSubmitted.key)) == 0
                let cells = columns.map { m -> String in
                    if m.unit == "s" && (empty || (m == .jctMeanS && number(lookup(f, Metric.jobsCompleted.key)) == 0)) { return "—" }
                    return reading(lookup(f, m.key), path: "\(section).\(name).\(m.key)")
                }
                out += "| \(name)\(empty ? " (no batch jobs)" : "") | " + cells.joined(separator: " | ") + " |\n"
            }
            return out
        }
        return table("Pools", SummarySection.pools, s.pools, [.accelerator, .accelerators, .utilizationMean] + columns)
            + table("Applications", SummarySection.applications, s.applications, columns)
            + table("Tenants", SummarySection.tenants, s.tenants, [.tenantType] + columns)
    }

    /// A section per model that was on: the shared fabric, the storage system, online serving
    /// and its services, failures, and any other run component's figures.
    static func modelSections(_ s: RunSummary) -> String {
        var out = ""
        if case .text("fabric")? = lookup(s.network, Metric.model.key) {
            out += figuresSection("Network: the shared fabric", SummarySection.network, s.network.filter { $0.0 != Metric.model.key })
        }
        if !s.storage.isEmpty { out += figuresSection("Storage", SummarySection.storage, s.storage) }
        if number(lookup(s.serving, Metric.services.key)) > 0 {
            out += figuresSection("Serving (\(reading(lookup(s.serving, Metric.model.key), path: "serving.model").replacingOccurrences(of: "_", with: " ")))",
                                  SummarySection.serving, s.serving.filter { $0.0 != Metric.model.key })
        }
        if !s.services.isEmpty { out += servicesTable(s.services) }
        for (name, figures) in s.componentSections {
            out += figuresSection(name.prefix(1).uppercased() + name.dropFirst(), name, figures)
        }
        return out
    }

    /// A section's scalar figures as label–value rows, then each nested object as a table of
    /// its members (storage tiers, failures by part, serving by application).
    static func figuresSection(_ title: String, _ section: String, _ figures: [(String, SummaryValue)]) -> String {
        var out = "\n## \(title)\n\n| figure | value |\n|---|---:|\n"
        for (key, v) in figures {
            if case .object = v { continue }
            let path = "\(section).\(key)"
            out += "| \(MetricRegistry.metric(for: path)?.label ?? key) | \(reading(v, path: path)) |\n"
        }
        for (key, v) in figures {
            guard case .object(let members) = v, !members.isEmpty else { continue }
            let title = key.replacingOccurrences(of: "_", with: " ")
            if members.allSatisfy({ if case .object = $0.1 { return false }; return true }) {
                // A map of one figure per member (failures by part).
                let path = "\(section).\(key).\(members[0].0)"
                out += "\n| \(MetricRegistry.metric(for: path)?.label ?? title) | |\n|---|---:|\n"
                for (name, x) in members { out += "| \(name) | \(reading(x, path: "\(section).\(key).\(name)")) |\n" }
                continue
            }
            guard case .object(let first) = members[0].1 else { continue }
            let keys = first.map(\.0)
            let heads = keys.map { MetricRegistry.metric(for: "\(section).\(key).\(members[0].0).\($0)")?.label ?? $0 }
            out += "\n| \(title) | " + heads.joined(separator: " | ") + " |\n|---|" + String(repeating: "---:|", count: keys.count) + "\n"
            for (name, row) in members {
                guard case .object(let f) = row else { continue }
                out += "| \(name) | " + keys.map { reading(lookup(f, $0), path: "\(section).\(key).\(name).\($0)") }.joined(separator: " | ") + " |\n"
            }
        }
        return out
    }

    /// Online services, one row each: where they run, what they held, what they served.
    static func servicesTable(_ services: [(String, SummaryValue)]) -> String {
        let columns: [Metric] = [.application, .pool, .scaling, .replicasMean, .replicaHours, .requests, .latencyP99S, .latencyTargetS, .sloAttainment]
        var out = "\n## Services\n\n" + head("service", columns)
        for (name, v) in services {
            guard case .object(let f) = v else { continue }
            out += "| \(name) | " + columns.map { reading(lookup(f, $0.key), path: "services.\(name).\($0.key)") }.joined(separator: " | ") + " |\n"
        }
        return out
    }
}
