import CHDF5
import Center
import Foundation
import Records
import Testing
@testable import Traces

/// Reads a 1-D int64 column back with the HDF5 C API (independently of the writer's code).
func readInt64(_ path: String, _ dataset: String) -> [Int64] {
    let f = H5Fopen(path, iccsim_h5f_acc_rdonly(), iccsim_h5p_default())
    defer { H5Fclose(f) }
    let d = H5Dopen2(f, dataset, iccsim_h5p_default())
    defer { H5Dclose(d) }
    let space = H5Dget_space(d)
    defer { H5Sclose(space) }
    var n: hsize_t = 0
    H5Sget_simple_extent_dims(space, &n, nil)
    var out = [Int64](repeating: 0, count: Int(n))
    _ = out.withUnsafeMutableBytes { H5Dread(d, iccsim_h5t_native_int64(), iccsim_h5s_all(), iccsim_h5s_all(), iccsim_h5p_default(), $0.baseAddress) }
    return out
}

/// Reads a string attribute of an object.
func readStringAttribute(_ path: String, _ object: String, _ name: String) -> String? {
    let f = H5Fopen(path, iccsim_h5f_acc_rdonly(), iccsim_h5p_default())
    defer { H5Fclose(f) }
    let a = H5Aopen_by_name(f, object, name, iccsim_h5p_default(), iccsim_h5p_default())
    guard a >= 0 else { return nil }
    defer { H5Aclose(a) }
    let t = H5Aget_type(a)
    defer { H5Tclose(t) }
    var p: UnsafeMutablePointer<CChar>? = nil
    guard H5Aread(a, t, &p) >= 0, let s = p else { return nil }
    defer { free(s) }
    return String(cString: s)
}

func tempPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("iccsim-\(getpid())-\(name)").path
}

let metadata = TraceMetadata(softwareVersion: "test", scenarioName: "t", seed: 5, runIndex: 0, policy: "fifo",
                             scenarioYAML: "name: t\nseed: 5\n# 中文 UTF-8\n")

func writeSample(_ path: String, jobs: Int) throws {
    let w = try TraceWriter(path: path, metadata: metadata, chunkRows: 7)
    for i in 0..<jobs {
        w.record(job: JobRecord(id: Int64(i), jobClass: 0, submitNs: Int64(i) * 10, startNs: Int64(i) * 10 + 3,
                                endNs: Int64(i) * 10 + 8, accelerators: 2, state: .completed))
        w.record(utilization: UtilizationSample(timeNs: Int64(i) * 10, busyAccelerators: 2, queuedJobs: 0, runningJobs: 1))
    }
    try w.close()
}

@Suite struct TraceWriterTests {
    @Test func columnsRoundTripAcrossChunkBoundaries() throws {
        let path = tempPath("a.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeSample(path, jobs: 20)  // 2 full chunks of 7 and a partial one
        #expect(readInt64(path, "/jobs/id") == (0..<20).map(Int64.init))
        #expect(readInt64(path, "/jobs/wait_ns") == [Int64](repeating: 3, count: 20))
        #expect(readInt64(path, "/utilization/time_ns").count == 20)
        #expect(readStringAttribute(path, "/jobs/submit_ns", "units") == "ns")
        #expect(readStringAttribute(path, "/", "schema_name") == "iccsim-trace")
        #expect(readStringAttribute(path, "/", "scenario_yaml") == metadata.scenarioYAML)
    }

    /// Full chunks are written on a background queue that holds at most 64 of them: with 3,000
    /// rows in chunks of 7 (about 430 chunks in each of the two dozen columns, far more than can
    /// wait) every row comes back in order, and two such files are the same bytes.
    @Test func queuedChunkWritesKeepEveryRowInOrder() throws {
        let a = tempPath("queued-a.h5"), b = tempPath("queued-b.h5")
        defer { for p in [a, b] { try? FileManager.default.removeItem(atPath: p) } }
        try writeSample(a, jobs: 3_000)
        try writeSample(b, jobs: 3_000)
        #expect(readInt64(a, "/jobs/id") == (0..<3_000).map(Int64.init))
        #expect(readInt64(a, "/jobs/end_ns") == (0..<3_000).map { Int64($0) * 10 + 8 })
        #expect(readInt64(a, "/utilization/time_ns") == (0..<3_000).map { Int64($0) * 10 })
        #expect(FileManager.default.contentsEqual(atPath: a, andPath: b))
    }

    /// `/jobs` thinned to a share of the jobs (a run of years): the rows kept are exactly the
    /// jobs the id hash keeps, about the share of them (binomial, 4 sigma), with the rate on
    /// `/jobs`; the other series are whole.
    @Test func jobsRowsThinnedBySampleRate() throws {
        let path = tempPath("thin.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var m = metadata
        m.jobsSampleRate = 0.1
        let w = try TraceWriter(path: path, metadata: m, chunkRows: 64)
        let n = 20_000
        for i in 0..<n {
            w.record(job: JobRecord(id: Int64(i), jobClass: 0, submitNs: 0, startNs: 1, endNs: 2, accelerators: 1, state: .completed))
            w.record(utilization: UtilizationSample(timeNs: Int64(i), busyAccelerators: 1, queuedJobs: 0, runningJobs: 1))
        }
        try w.close()
        let kept = readInt64(path, "/jobs/id")
        #expect(kept == (0..<Int64(n)).filter { TraceWriter.keepsRow(ofJob: $0, rate: 0.1) })
        #expect(abs(Double(kept.count) - 2000) <= 4 * (Double(n) * 0.1 * 0.9).squareRoot(), "\(kept.count) rows of \(n) at 10%")
        #expect(readInt64(path, "/utilization/time_ns").count == n)
        let f = H5Fopen(path, iccsim_h5f_acc_rdonly(), iccsim_h5p_default())
        defer { H5Fclose(f) }
        let a = H5Aopen_by_name(f, "/jobs", "sample_rate", iccsim_h5p_default(), iccsim_h5p_default())
        defer { H5Aclose(a) }
        var rate = 0.0
        #expect(a >= 0 && H5Aread(a, iccsim_h5t_native_double(), &rate) >= 0 && rate == 0.1)
    }

    @Test func identicalRecordsGiveIdenticalBytes() throws {
        let a = tempPath("b1.h5"), b = tempPath("b2.h5")
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        try writeSample(a, jobs: 50)
        Thread.sleep(forTimeInterval: 1.1)  // a time stamp, if one were written, would now differ
        try writeSample(b, jobs: 50)
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
    }

    @Test func summaryJSONIsStableAndEscaped() {
        let text = SummaryWriter.json([("a_s", .real(0.5)), ("n", .integer(3)), ("name", .text("x\"y\n")), ("bad", .real(.nan))])
        #expect(text == "{\n  \"a_s\": 0.5,\n  \"n\": 3,\n  \"name\": \"x\\\"y\\n\",\n  \"bad\": null\n}\n")
    }

    /// A file that is not a trace is refused with HDF5's own reason, so a user (or a failing
    /// test) sees why, not only that.
    @Test func aFileThatIsNotHDF5IsRefusedWithTheLibrarysReason() throws {
        let path = tempPath("not-a-trace.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("name: not a trace\n".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try TraceReader(path: path)
            Issue.record("a YAML file opened as a trace")
        } catch let e as TraceError {
            #expect(e.message.hasPrefix("cannot open '\(path)' as an HDF5 trace (HDF5: "))
            #expect(e.message.contains("signature"))
        }
    }

    @Test func unwritablePathIsAnError() {
        #expect(throws: TraceError.self) { try TraceWriter(path: "/nonexistent-dir/x/trace.h5", metadata: metadata) }
    }
}

/// The declared columns are the file's: every table of a written trace holds exactly the
/// declared columns, with the declared units.
@Suite struct TraceColumnDeclarationTests {
    @Test func writtenTablesHoldTheDeclaredColumns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("iccsim-columns-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.h5").path, plain = dir.appendingPathComponent("p.h5").path
        var withFailures = TraceMetadata(softwareVersion: "t", scenarioName: "t", seed: 1, runIndex: 0, policy: "fifo", scenarioYAML: "")
        withFailures.failures = true
        withFailures.power = true
        withFailures.periods = true
        // A sampled run's trace also has /periods and /period_pools.
        let writer = try TraceWriter(path: path, metadata: withFailures)
        try writer.record(periods: [], pools: [])
        try writer.close()
        let reader = try TraceReader(path: path)
        #expect(try reader.attribute("/", "schema_version") == TraceWriter.schemaVersion)
        for (table, columns) in TraceColumns.tables {
            #expect(try reader.members(table).sorted() == columns.map(\.name).sorted(), "/\(table)")
            for c in columns { #expect(try reader.attribute("\(table)/\(c.name)", "units") == c.units, "/\(table)/\(c.name)") }
        }
        // Without failures: no /failures, no columns noted as only with failures, and the
        // earliest schema version that describes the file.
        try TraceWriter(path: plain, metadata: TraceMetadata(softwareVersion: "t", scenarioName: "t", seed: 1, runIndex: 0, policy: "fifo", scenarioYAML: "")).close()
        let without = try TraceReader(path: plain)
        #expect(try without.attribute("/", "schema_version") == TraceWriter.schemaVersionWithoutFailures)
        for (table, columns) in TraceColumns.tables where table != "failures" && table != "power" && table != "periods" && table != "period_pools" {
            let kept = columns.filter { $0.note != TraceColumns.onlyWithFailures && $0.note != TraceColumns.onlyWithPower }.map(\.name)
            #expect(try without.members(table).sorted() == kept.sorted(), "/\(table) without failures or power")
        }
        #expect(try without.members("failures").isEmpty && without.members("power").isEmpty)
        // With failures but without power: the version before /power.
        var failuresOnly = TraceMetadata(softwareVersion: "t", scenarioName: "t", seed: 1, runIndex: 0, policy: "fifo", scenarioYAML: "")
        failuresOnly.failures = true
        let failuresPath = dir.appendingPathComponent("f.h5").path
        try TraceWriter(path: failuresPath, metadata: failuresOnly).close()
        #expect(try TraceReader(path: failuresPath).attribute("/", "schema_version") == TraceWriter.schemaVersionWithoutPower)
        // With power but without periods: the version before /period_pools.
        failuresOnly.power = true
        let powerPath = dir.appendingPathComponent("w.h5").path
        try TraceWriter(path: powerPath, metadata: failuresOnly).close()
        #expect(try TraceReader(path: powerPath).attribute("/", "schema_version") == TraceWriter.schemaVersionWithoutPeriods)
    }
}
