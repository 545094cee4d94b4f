import Aggregation
import ArgumentParser
import Foundation
import Scheduling
import SimKernel

/// `iccsim bench`: performance benchmarks.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Performance benchmarks.", subcommands: [KernelBench.self, SchedulerBench.self, CollectiveBench.self])
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

/// `iccsim bench scheduler`: the cost of one scheduling decision per policy at a fixed queue length.
struct SchedulerBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Time one scheduling decision (a job ends, the policy dispatches, new jobs refill the queue) per policy.")

    @Option(help: "Jobs kept waiting in the queue.")
    var queued: Int = 10_000

    @Option(help: "Timed decisions per policy.")
    var decisions: Int = 200_000

    @Option(help: "Policies, comma-separated (default: all).")
    var policies: String?

    @Flag(help: "Print a JSON array (keys policy, queued, decisions, ns_per_decision).")
    var json = false

    func run() throws {
        guard queued >= 1, decisions >= 1 else { throw ValidationError("--queued and --decisions must be at least 1") }
        let names = policies.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? SchedulingPolicies.names
        for n in names where SchedulingPolicies.make(n) == nil {
            throw ValidationError("unknown policy '\(n)'; expected one of \(SchedulingPolicies.names.joined(separator: ", "))")
        }
        var rows: [String] = []
        if !json { print("policy      queued  decisions  ns/decision") }
        for name in names {
            var bench = SchedulerBenchmark(policy: name, queued: queued)
            bench.run(decisions: decisions / 10)   // warm-up
            let t0 = wallSeconds()
            bench.run(decisions: decisions)
            let ns = (wallSeconds() - t0) * 1e9 / Double(decisions)
            if json {
                rows.append(String(format: "{\"policy\": \"%@\", \"queued\": %d, \"decisions\": %d, \"ns_per_decision\": %.1f}", name, bench.waiting, decisions, ns))
            } else {
                print(name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: " %7d %10d %12.1f", bench.waiting, decisions, ns))
            }
        }
        if json { print("[\n  " + rows.joined(separator: ",\n  ") + "\n]") }
    }
}

/// `iccsim bench collective`: the wall time to price one large all-reduce on a contended fabric.
struct CollectiveBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collective",
        abstract: "Time pricing one ring all-reduce (1 GiB over 1,024 shuffled accelerators on a 2:1 leaf-spine with background streams).")

    @Option(help: "Ranks (accelerators) in the ring.")
    var ranks: Int = 1_024

    @Option(help: "Background point-to-point streams sharing the fabric.")
    var background: Int = 256

    @Option(help: "Repetitions; the best and the median are reported.")
    var repeats: Int = 20

    @Flag(help: "Print a JSON object (keys ranks, background, best_ms, median_ms, allreduce_s).")
    var json = false

    func run() throws {
        guard ranks >= 2, background >= 0, repeats >= 1 else { throw ValidationError("--ranks must be at least 2, --background at least 0, --repeats at least 1") }
        var times: [Double] = []
        var seconds = 0.0
        for _ in 0..<repeats {
            let t0 = wallSeconds()
            let bench = CollectiveBenchmark(ranks: ranks, background: background)
            seconds = bench.run()
            times.append(wallSeconds() - t0)
        }
        times.sort()
        let best = times[0] * 1e3, median = times[times.count / 2] * 1e3
        if json {
            print(String(format: "{\"ranks\": %d, \"background\": %d, \"best_ms\": %.3f, \"median_ms\": %.3f, \"allreduce_s\": %.6f}", ranks, background, best, median, seconds))
        } else {
            print(String(format: "1 GiB ring all-reduce over %d shuffled accelerators, 2:1 leaf-spine, %d background streams: %.6f s simulated", ranks, background, seconds))
            print(String(format: "wall time to build and price it: best %.3f ms, median %.3f ms over %d runs", best, median, repeats))
        }
    }
}
