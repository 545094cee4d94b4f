import Production
import Testing
@testable import Workloads

/// The Standard Workload Format importer (Parallel Workloads Archive, swf.html): header lines,
/// unknown fields (-1), and located errors.
@Suite struct SWFImportTests {
    static let pool = PoolView(name: "p", role: .training, accelerator: AcceleratorCatalog.builtIn[0], server: ServerCatalog.builtIn[0], capacity: 128)

    @Test func readsJobsAndSkipsUnknowns() throws {
        let text = """
        ; Version: 2.2
        ; MaxProcs: 128
            1        0     -1   1451  128     -1    -1   -1     -1    -1 -1   1   1  -1 -1 -1 -1 -1
            2     1460     -1     -1   32     -1    -1   -1     -1    -1  5   2   1  -1 -1 -1 -1 -1
            3     5198     -1   1067   -1     -1    -1   16     -1    -1  1   3   1  -1 -1 -1 -1 -1
            4     6269     -1  10927   -1     -1    -1   -1     -1    -1  0  -1   1  -1 -1 -1 -1 -1
        """
        let (jobs, report) = try TraceImport.parse(text, format: .swf, pool: Self.pool, io: IdealIO())
        #expect(report.rows == 4 && report.skipped == 2)
        #expect(jobs.count == 2)
        #expect(jobs[0] == ImportedJob(submitNs: 0, accelerators: 128, durationNs: 1_451_000_000_000, tenant: "user 1", model: nil, kind: .generic, flops: 0))
        #expect(jobs[1].accelerators == 16 && jobs[1].submitNs == 5_198_000_000_000 && jobs[1].tenant == "user 3")
    }

    @Test func badRowsAreLocated() {
        for (text, expected) in [("; h\n1 0 -1 10 8\n", "line 2"), ("1 0 -1 ten 8 -1 -1 -1 -1 -1 -1 1 1 -1 -1 -1 -1 -1\n", "field 4 (run time)"),
                                 ("1 -1 -1 10 8 -1 -1 -1 -1 -1 -1 1 1 -1 -1 -1 -1 -1\n", "submit time"), ("; only a header\n", "no job")] {
            do {
                _ = try TraceImport.parse(text, format: .swf, pool: Self.pool, io: IdealIO())
                Issue.record("\(text) was accepted")
            } catch {
                #expect("line \(error.line): \(error.message)".contains(expected), "\(error)")
            }
        }
    }
}
