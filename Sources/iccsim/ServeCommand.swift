import ArgumentParser
import Foundation
import Release
import Scenario
import SimKernel
import Workloads

/// `iccsim serve`: request-level serving of one LLM service, from a replayed trace or Poisson
/// arrivals, with measured latencies.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve an LLM request trace (or Poisson arrivals) on replicas; print TTFT, TPOT and end-to-end latency.",
        discussion: """
        Per-request work comes from a measured latency table (default: the Splitwise table in \
        data/inference): prefill of the prompt, then the output tokens at the per-token time, one \
        request at a time per replica. Try: iccsim serve --trace data/inference/vidur_splitwise_conv.csv --replicas 4
        """)

    @Option(help: "Request trace CSV (arrived_at, num_prefill_tokens, num_decode_tokens).")
    var trace: String?

    @Option(help: "Without --trace: Poisson arrivals per second.")
    var rate: Double?

    @Option(help: "Without --trace: requests to generate.")
    var requests: Int = 100_000

    @Option(help: "Without --trace: prompt tokens per request.")
    var promptTokens: Double = 1024

    @Option(help: "Without --trace: output tokens per request.")
    var outputTokens: Double = 128

    @Option(help: "Latency table CSV (Splitwise layout).")
    var table: String = "data/inference/splitwise_sim_perf_model.csv"

    @Option(help: "Model in the table.")
    var model: String = "llama2-70b"

    @Option(help: "Hardware in the table.")
    var hardware: String = "h100-80gb"

    @Option(help: "Tensor-parallel degree in the table.")
    var tp: Int = 8

    @Option(help: "Replicas.")
    var replicas: Int = 4

    @Option(help: "Continuous batching: requests a replica runs at once (1: one at a time).")
    var maxBatch: Int = 1

    @Option(help: "Load balancer: \(LoadBalancer.allCases.map(\.rawValue).joined(separator: ", ")).")
    var balancer: String = "least-outstanding"

    @Option(help: "Time-to-first-token target for SLO attainment (seconds).")
    var ttftSlo: Double = 2

    @Option(help: "Time-per-output-token target for SLO attainment (seconds).")
    var tpotSlo: Double = 0.1

    @Option(parsing: .unconditional, help: "Seed of the Poisson arrivals and power-of-two draws (a non-negative integer).", transform: parseSeed)
    var seed: UInt64 = 1

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        guard let lb = LoadBalancer(rawValue: balancer) else {
            throw ValidationError("unknown --balancer '\(balancer)'; expected one of \(LoadBalancer.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard replicas >= 1, replicas <= 100_000 else { throw ValidationError("--replicas must be between 1 and 100000") }
        func read(_ path: String) throws -> String {
            guard let d = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read '\(path)'") }
            return String(decoding: d, as: UTF8.self)
        }
        let latencies: LatencyTable
        do { latencies = try LatencyTable.parse(read(table)) } catch let e as LatencyTable.TableError {
            throw ScenarioError(e.message, at: SourceLocation(file: table, line: e.line, column: 1))
        }
        let key = LatencyTable.Key(model: model, hardware: hardware, tensorParallel: tp)
        guard latencies.latency(key, promptTokens: 1) != nil else {
            throw ValidationError("\(table) has no \(model) on \(hardware) at tensor parallel \(tp); it has: "
                                  + latencies.keys.map { "\($0.model)/\($0.hardware)/tp\($0.tensorParallel)" }.joined(separator: ", "))
        }
        var requestsIn: LLMRequestTrace
        if let path = trace {
            do { requestsIn = try LLMRequestTrace.parse(read(path)) } catch let e as LLMRequestTrace.RowError {
                throw ScenarioError(e.message, at: SourceLocation(file: path, line: e.line, column: 1))
            }
        } else {
            guard let r = rate, r > 0, r <= 1e9 else { throw ValidationError("give --trace FILE or --rate R (requests per second, at most 1e9)") }
            guard requests >= 1, requests <= 10_000_000 else { throw ValidationError("--requests must be between 1 and 10000000") }
            guard promptTokens.isFinite, outputTokens.isFinite, promptTokens >= 0, outputTokens >= 1,
                  promptTokens <= InputLimits.maxTokens, outputTokens <= InputLimits.maxTokens else {
                throw ValidationError("--prompt-tokens and --output-tokens must be between 0 (1 for output) and \(Int(InputLimits.maxTokens))")
            }
            var rng = SplitMix64(seed: seed)
            var t = 0.0
            requestsIn = LLMRequestTrace(arrivalS: [], promptTokens: [], outputTokens: [])
            for _ in 0..<requests {
                t += rng.exponential(rate: r)
                requestsIn.arrivalS.append(t); requestsIn.promptTokens.append(promptTokens); requestsIn.outputTokens.append(outputTokens)
            }
        }
        guard maxBatch >= 1, maxBatch <= 1_000_000 else { throw ValidationError("--max-batch must be between 1 and 1000000") }
        var stats = ServingStatistics()
        let t0 = Date()
        if maxBatch == 1 {
            var serving = RequestServing(replicas: replicas, balancer: lb, seed: seed)
            for i in requestsIn.arrivalS.indices {
                let (prefill, service) = latencies.requestNs(key, promptTokens: requestsIn.promptTokens[i], outputTokens: requestsIn.outputTokens[i])!
                stats.add(serving.serve(arrivalNs: SimTimeNs((requestsIn.arrivalS[i] * 1e9).rounded()), serviceNs: service, firstTokenNs: prefill),
                          outputTokens: requestsIn.outputTokens[i])
            }
        } else {
            // Decode steps priced at the requests' mean prompt (the table's context size).
            let meanPrompt = requestsIn.promptTokens.reduce(0, +) / Double(max(1, requestsIn.promptTokens.count))
            var serving = BatchedServing(replicas: replicas, maxBatch: maxBatch, balancer: lb, seed: seed,
                                         prefillS: { latencies.latency(key, promptTokens: $0)!.prefillS },
                                         stepS: { latencies.latency(key, promptTokens: meanPrompt, batch: $0)!.perTokenS })
            for i in requestsIn.arrivalS.indices {
                serving.submit(arrivalNs: SimTimeNs((requestsIn.arrivalS[i] * 1e9).rounded()), promptTokens: requestsIn.promptTokens[i],
                               outputTokens: Int(requestsIn.outputTokens[i]))
            }
            for (i, r) in serving.drain().enumerated() { stats.add(r, outputTokens: requestsIn.outputTokens[i]) }
        }
        let wall = Date().timeIntervalSince(t0)
        let q = ServingStatistics.quantile, m = ServingStatistics.mean
        let met = zip(stats.ttftS, stats.tpotS).filter { $0.0 <= ttftSlo && $0.1 <= tpotSlo }.count
        let spanS = Double(stats.lastEndNs) / 1e9 - (requestsIn.arrivalS.first ?? 0)
        let rows: [(String, [Double])] = [("wait_s", stats.waitS), ("ttft_s", stats.ttftS), ("tpot_s", stats.tpotS), ("e2e_s", stats.e2eS)]
        if json {
            var parts = ["\"requests\": \(stats.count)", "\"throughput_per_s\": \(Double(stats.count) / spanS)", "\"slo_attainment\": \(Double(met) / Double(stats.count))"]
            for (name, v) in rows {
                parts.append("\"\(name)\": {\"mean\": \(m(v)), \"p50\": \(q(v, 0.5)), \"p90\": \(q(v, 0.9)), \"p99\": \(q(v, 0.99))}")
            }
            print("{" + parts.joined(separator: ", ") + "}")
            return
        }
        print("# iccsim serve: \(stats.count) requests, \(model) tp\(tp) on \(hardware), \(replicas) replicas, \(lb.rawValue), batch up to \(maxBatch)")
        print("| latency | mean | p50 | p90 | p99 |\n|---|---:|---:|---:|---:|")
        for (name, v) in rows { print(String(format: "| %@ | %.4f | %.4f | %.4f | %.4f |", name, m(v), q(v, 0.5), q(v, 0.9), q(v, 0.99))) }
        print(String(format: "throughput %.3f requests/s; SLO attainment (TTFT <= %gs, TPOT <= %gs) %.4f", Double(stats.count) / spanS, ttftSlo, tpotSlo, Double(met) / Double(stats.count)))
        try? FileHandle.standardError.write(contentsOf: Data(String(format: "iccsim serve: %.2f M requests/s of wall time\n", Double(stats.count) / wall / 1e6).utf8))
    }
}
