import CHDF5
import Foundation
import Reports

/// Writes `sweep.h5`: the collected sweep as columns (`/configurations`: parameters, runs
/// planned and complete, each metric's mean and 95% CI half-width; `/runs`: one row per run
/// with its parameters and metrics, nan where not complete) and `/traces/<run>`, an external
/// link to each complete run's `trace.h5` (relative, so the directory can move).
public enum SweepIndexWriter {
    /// Writes the file under a temporary name and renames it into place; after an HDF5 failure
    /// the file is left alone (see ``TraceWriter/close()``) and the temporary removed.
    public static func write(_ table: SweepTable, to path: String, completeRuns: [String]) throws {
        iccsim_h5_prepare()
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(Temporaries.workingName(for: url.lastPathComponent))
        do {
            try writeFile(table, to: temporary.path, completeRuns: completeRuns)
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(at: temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    private static func writeFile(_ table: SweepTable, to path: String, completeRuns: [String]) throws {
        let fcpl = try H5.untimedPlist(iccsim_h5p_file_create())
        defer { H5Pclose(fcpl) }
        let file = try H5.check(id: H5Fcreate(path, iccsim_h5f_acc_trunc(), fcpl, iccsim_h5p_default()), "create '\(path)'")
        var groups: [hid_t] = []
        try H5.setAttribute(file, "schema_name", "iccsim-sweep")
        try H5.setAttribute(file, "schema_version", "1.0.0")
        let configs = try H5.createGroup(file, "configurations")
        let runs = try H5.createGroup(file, "runs")
        let traces = try H5.createGroup(file, "traces")
        groups = [configs, runs, traces]
        func doubles(_ g: hid_t, _ name: String, _ values: [Double], _ long: String) throws {
            let c = try TraceColumn<Double>(in: g, ColumnInfo(name: name, units: "", longName: long), chunk: max(1, values.count), deflateLevel: 4)
            for v in values { try c.append(v) }
            try c.flush()
            try c.close()
        }
        let rows = table.configurationRows
        for (i, p) in table.parameters.enumerated() { try H5.writeStrings(configs, p, rows.map { $0.values[i] }) }
        try doubles(configs, "runs_planned", rows.map { Double($0.planned) }, "runs planned")
        try doubles(configs, "runs_complete", rows.map { Double($0.complete) }, "runs complete")
        for (m, name) in table.metrics.enumerated() {
            try doubles(configs, "\(name)_mean", rows.map { $0.stats[m].mean }, "mean of \(name) over the replicate runs")
            try doubles(configs, "\(name)_ci95", rows.map { $0.stats[m].ci95 }, "95% confidence half-width of \(name) (Student's t)")
        }
        let runRows = table.runRows   // materialised once (the table keeps each run's figures by name)
        try doubles(runs, "configuration", runRows.map { Double($0.configuration) }, "configuration index (row of /configurations)")
        try doubles(runs, "replicate", runRows.map { Double($0.replicate) }, "replicate index")
        try H5.writeStrings(runs, "seed", runRows.map { "\($0.seed)" })
        try H5.writeStrings(runs, "run", runRows.map(\.name))
        for (i, p) in table.parameters.enumerated() { try H5.writeStrings(runs, p, runRows.map { $0.values[i] }) }
        for (m, name) in table.metrics.enumerated() {
            try doubles(runs, name, runRows.map { $0.metrics?[m] ?? .nan }, "\(name) (nan: not complete)")
        }
        for name in completeRuns {
            try H5.check(H5Lcreate_external("runs/\(name)/trace.h5", "/", traces, name, iccsim_h5p_default(), iccsim_h5p_default()),
                         "link the trace of run \(name)")
        }
        for g in groups { try H5.check(H5Gclose(g), "close a group") }
        try H5.check(H5Fclose(file), "close '\(path)'")
    }
}
