import Foundation

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `iccsim` executable built alongside the tests.
let iccsimPath: String = {
    let productsDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for dir in [productsDir, productsDir.deletingLastPathComponent()] {
        let candidate = dir.appendingPathComponent("iccsim").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return repositoryRoot.appendingPathComponent(".build/debug/iccsim").path
}()

/// The result of running the CLI.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `iccsim` with `arguments` from the repository root (or `directory`), with `environment`
/// added to this process's (shard variables of a surrounding Slurm or Kubernetes job removed).
func iccsim(_ arguments: [String], in directory: URL = repositoryRoot, environment: [String: String] = [:]) throws -> CLIResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: iccsimPath)
    p.arguments = arguments
    p.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SLURM_ARRAY_") && $0.key != "JOB_COMPLETION_INDEX" }
    env.merge(environment) { $1 }
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return CLIResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

/// A fresh temporary directory, removed by the caller.
func scratchDirectory() -> URL {
    let u = FileManager.default.temporaryDirectory.appendingPathComponent("iccsim-cli-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
}

func fileData(_ url: URL) -> Data? { FileManager.default.contents(atPath: url.path) }
