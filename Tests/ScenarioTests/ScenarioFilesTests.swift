import Foundation
import Testing
import Workloads
@testable import Scenario

/// The files a scenario names are read after its YAML is decoded and checked, once per path,
/// and what depends on their contents is checked then, at the line that names them.
@Suite struct ScenarioFilesTests {
    /// A scenario whose class draws its accelerators from column `gpus` of `csv` (written to a
    /// temporary file), on a cluster of 16 accelerators.
    static func withColumn(_ csv: String, _ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("iccsim-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("gpus.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        try body(validScenario.replacingOccurrences(of: "accelerators: {dist: discrete, values: [1, 8], weights: [3, 1]}",
                                                    with: "accelerators: {dist: trace, file: \(file.path), column: gpus}"))
    }

    @Test func theYAMLIsCheckedBeforeAnyFileIsRead() {
        let text = validScenario.replacingOccurrences(of: "accelerators: {dist: discrete, values: [1, 8], weights: [3, 1]}",
                                                      with: "accelerators: {dist: trace, file: nowhere.csv, column: gpus}")
            .replacingOccurrences(of: "  policy: fifo", with: "  policy: fifo\n  polcy: sjf")
        let e = loadError(text)
        #expect(e?.message.contains("polcy") == true, "\(e?.description ?? "")")
        let missing = loadError(text.replacingOccurrences(of: "  polcy: sjf", with: ""))
        // Reported at the line that names the file (the class's accelerators, line 13).
        #expect(missing?.description.contains("x.yaml:13:") == true && missing?.message.contains("cannot read trace file 'Scenarios/nowhere.csv'") == true,
                "\(missing?.description ?? "")")
    }

    /// Reference: the empirical distribution of a column is its sorted values with an even CDF.
    @Test func aTraceColumnBecomesItsEmpiricalDistribution() throws {
        try Self.withColumn("gpus\n8\n1\n4\n") { text in
            let s = try ScenarioLoader.load(text: text, file: "x.yaml", defaultName: "x").scenario
            #expect(s.workload.classes[0].accelerators.distribution == .empirical(values: [1, 4, 8], cdf: [0, 0.5, 1]))
        }
    }

    @Test func acceleratorsReadFromAColumnAreCheckedAfterImport() throws {
        try Self.withColumn("gpus\n32\n64\n") { text in
            let e = loadError(text)
            #expect(e?.message.contains("every job of class 'a' asks for at least 32 accelerators but the cluster has 16") == true, "\(e?.description ?? "")")
            #expect(e?.description.contains("x.yaml:13:") == true, "\(e?.description ?? "")")
        }
        try Self.withColumn("gpus\n8\n99999999\n") { text in
            let e = loadError(text)
            #expect(e?.message.contains("workload.classes[0].accelerators asks for 1e+08 accelerators per job; at most 16777216 are possible") == true,
                    "\(e?.description ?? "")")
        }
    }

    @Test func oneReaderReadsEachFileOnce() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("iccsim-once-\(UUID().uuidString).csv")
        try "a\n1\n".write(to: file, atomically: true, encoding: .utf8)
        let files = TraceFiles()
        let first = try files.text(of: file.path)
        try FileManager.default.removeItem(at: file)
        #expect(try files.text(of: file.path) == first)
        #expect(throws: TraceFiles.ReadError.self) { try TraceFiles().text(of: file.path) }
    }
}
