import ArgumentParser
import Foundation
import SimKernel

/// `iccsim bench`: performance benchmarks.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Performance benchmarks.", subcommands: [KernelBench.self])
}

/// `iccsim bench kernel`: the hold model at several pending-event counts.
struct KernelBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Time the event kernel on the hold model (pop the earliest event, schedule one at now + Exp(1 s)).")

    @Option(help: "Pending-event counts, comma-separated.")
    var pending: String = "1000,100000,1000000"

    @Option(help: "Timed events per size (default: 10 million, at least 4 per pending event).")
    var events: Int64?

    @Option(help: "Repetitions per size; the best is reported.")
    var repeats: Int = 3

    @Flag(help: "Print one JSON object per size (keys pending, events, ns_per_event, events_per_s).")
    var json = false

    func run() throws {
        let sizes = try pending.split(separator: ",").map { text -> Int in
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)), n > 0 else {
                throw ValidationError("--pending expects positive integers separated by commas, got '\(pending)'")
            }
            return n
        }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        var rows: [String] = []
        if !json { print("pending      events   ns/event   events/s") }
        for p in sizes {
            let n = events ?? max(10_000_000, 4 * Int64(p))
            var best = Double.infinity
            for _ in 0..<repeats {
                var (kernel, model) = HoldModel.steadyState(pending: p)
                let t0 = wallSeconds()
                model.run(events: n, on: kernel)
                best = min(best, wallSeconds() - t0)
            }
            let ns = best * 1e9 / Double(n)
            let eps = Double(n) / best
            if json {
                rows.append(String(format: "{\"pending\": %d, \"events\": %lld, \"ns_per_event\": %.1f, \"events_per_s\": %.0f}", p, n, ns, eps))
            } else {
                print(String(format: "%7d %11lld %10.1f %10.0f", p, n, ns, eps))
            }
        }
        if json { print("[\n  " + rows.joined(separator: ",\n  ") + "\n]") }
    }
}
