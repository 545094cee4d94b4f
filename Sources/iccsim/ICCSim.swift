import ArgumentParser
import Foundation
import Scenario
import Traces

/// The `iccsim` command: simulate an intelligent computing center.
@main
struct ICCSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iccsim",
        abstract: "ICCSim: a deterministic discrete-event simulator of an intelligent computing center.",
        discussion: """
        Exit codes: 0 success; 1 the run failed (for example, the output could not be written) or \
        `compare` found a regression; 2 bad input (scenario, flags, files), with the error on stderr.
        """,
        version: ICCSimVersion.current,
        subcommands: [RunCommand.self, ValidateCommand.self, CompareCommand.self, DiffCommand.self, PoliciesCommand.self, CatalogCommand.self, CollectiveCommand.self, BenchCommand.self, SweepCommand.self, PlanCommand.self, ReportCommand.self, ExportCommand.self, ServeCommand.self]
    )

    /// Exit code for bad input.
    static let badInput: Int32 = 2
    /// Exit code for a run that failed.
    static let failure: Int32 = 1

    /// Parses and runs, mapping errors to the documented exit codes.
    /// Every message is printed through ``displayable(_:)``: whatever the user wrote, a message
    /// stays short and free of raw control characters.
    static func main() {
        Interruption.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let e as ScenarioError {
            note("error: \(e)")
            Foundation.exit(badInput)
        } catch let e as OutputRefused {
            note("error: \(displayable(e.message))")
            Foundation.exit(badInput)
        } catch let e as TraceError {
            note("error: \(displayable(e.message))")
            Foundation.exit(failure)
        } catch let e as RunFailure {
            note("error: \(displayable(e.message))")
            Foundation.exit(failure)
        } catch is CheckFailed {
            Foundation.exit(failure)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            note(displayable(fullMessage(for: error)))
            // Usage errors are bad input.
            Foundation.exit(code == .validationFailure ? badInput : code.rawValue)
        }
    }
}

/// A run that failed after its input was accepted (exit code 1).
struct RunFailure: Error {
    var message: String
}

/// A check that did not hold, already reported on stdout (exit code 1): `compare` found a regression.
struct CheckFailed: Error {}

/// The software version recorded in traces and run-info.json.
enum ICCSimVersion {
    static let current = "0.1.0"
}

/// A `--seed` value: a non-negative integer (read even when it starts with '-', so `-1` is
/// reported as a bad seed rather than as a missing value).
func parseSeed(_ text: String) throws -> UInt64 {
    guard let v = UInt64(text.replacingOccurrences(of: "_", with: "")) else {
        throw ValidationError("seeds are non-negative integers (0 to \(UInt64.max)), got '\(text)'")
    }
    return v
}

/// A `--max-memory` value: a data size with its unit (`8GiB`).
func parseMemorySize(_ text: String) throws -> Int64 {
    guard case .success(let bytes) = Quantities.parse(text, as: ByteUnit.self), bytes >= 1_048_576, bytes < 9e18 else {
        throw ValidationError("expected a data size of at least 1MiB such as '8GiB', got '\(text)'")
    }
    return Int64(bytes)
}

/// Writes a line to standard error.
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Monotonic wall-clock seconds, for timing only (never reaches a result).
func wallSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
