import Foundation
import SimKernel
import Workloads

/// The files a scenario names are read after it is decoded, by the importers in `Workloads`
/// (job traces, trace columns, request traces) and `Release` (latency tables), through one
/// ``TraceFiles`` reader: decoding stays free of I/O, and a file named many times (or by many
/// decoded variations of one scenario) is read once. Errors name the file and line of a bad
/// row, or the scenario's line that names a file it cannot read.
extension Scenario {
    /// Reads every file the scenario names and checks what depends on their contents.
    public mutating func importFiles(_ files: TraceFiles, tree: ScenarioTree) throws {
        for i in workload.classes.indices {
            try workload.classes[i].interarrival.importColumn(files)
            try workload.classes[i].accelerators.importColumn(files)
            try workload.classes[i].duration.importColumn(files)
        }
        for a in workload.applications.indices {
            for j in workload.applications[a].jobs.indices {
                try workload.applications[a].jobs[j].accelerators.importColumn(files)
                try workload.applications[a].jobs[j].samples?.importColumn(files)
                try workload.applications[a].jobs[j].epochs?.importColumn(files)
                try workload.applications[a].jobs[j].bytes?.importColumn(files)
            }
            for s in workload.applications[a].services.indices {
                try workload.applications[a].services[s].latency?.importFile(files)
                try workload.applications[a].services[s].requestTrace?.importFile(files)
            }
        }
        for t in workload.traces.indices { try workload.traces[t].importFile(files) }
        try checkSizes(tree)
    }

    /// Job sizes, once every distribution is known: accelerators read from a trace column obey
    /// the rule written ones were checked against while decoding (no value above the largest
    /// possible job), and a class whose every job is larger than the cluster is bad input.
    func checkSizes(_ tree: ScenarioTree) throws {
        func check(_ d: DistributionSpec<CountUnit>, _ path: [String]) throws {
            guard d.origin != nil else { return }
            let size = d.distribution.writtenSize
            if !(size <= Double(InputLimits.maxAccelerators)) {
                throw ScenarioError("\(NodeDecoder.dotted(parts: path.map { (Int($0), $0) })) asks for \(String(format: "%.4g", size)) accelerators per job; at most \(InputLimits.maxAccelerators) are possible",
                                    at: tree.location(of: path))
            }
        }
        let capacity = cluster.capacity(ofPool: cluster.poolNames[0])
        for (i, k) in workload.classes.enumerated() {
            let path = ["workload", "classes", "\(i)", "accelerators"]
            try check(k.accelerators, path)
            guard k.accepts == nil, let smallest = k.accelerators.distribution.smallestValue else { continue }
            let size = max(1, smallest.rounded())
            if size > Double(capacity) {
                throw ScenarioError("every job of class '\(k.name)' asks for at least \(Int(size)) accelerators but the cluster has \(capacity); none could ever run",
                                    at: tree.location(of: path))
            }
        }
        for (a, app) in workload.applications.enumerated() {
            for (j, line) in app.jobs.enumerated() { try check(line.accelerators, ["workload", "applications", "\(a)", "jobs", "\(j)", "accelerators"]) }
        }
    }
}
