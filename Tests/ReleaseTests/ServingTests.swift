import Foundation
import Release
import SimKernel
import Testing

let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("data/inference")

/// Erlang C mean wait of M/M/c: arrival rate λ, service rate μ per server, c servers.
func erlangCWait(lambda: Double, mu: Double, c: Int) -> Double {
    let a = lambda / mu, rho = a / Double(c)
    var term = 1.0, sum = 1.0
    for k in 1..<c { term *= a / Double(k); sum += term }
    let last = term * a / Double(c)
    let pWait = last / (1 - rho) / (sum + last / (1 - rho))
    return pWait / (Double(c) * mu - lambda)
}

@Suite struct ServingTests {
    /// REFERENCES §1: Poisson arrivals, exponential service, c = 8 replicas, ρ = 0.8, one queue
    /// (the central balancer): the mean wait of 10 replications × 100,000 requests contains
    /// Erlang C's in its 95% confidence interval (and the interval is within 5% of it).
    @Test func centralQueueMatchesErlangC() {
        let c = 8, mu = 1.0, lambda = 0.8 * Double(c) * mu
        var means: [Double] = []
        for rep in 0..<10 {
            var rng = SplitMix64(seed: UInt64(1000 + rep))
            func exp(_ rate: Double) -> Double { -log(1 - Double(rng.next() >> 11) / 9_007_199_254_740_992) / rate }
            var serving = RequestServing(replicas: c, balancer: .central)
            var t = 0.0, wait = 0.0
            let n = 100_000
            for _ in 0..<n {
                t += exp(lambda)
                let s = SimTimeNs((exp(mu) * 1e9).rounded())
                let r = serving.serve(arrivalNs: SimTimeNs((t * 1e9).rounded()), serviceNs: s, firstTokenNs: s)
                wait += Double(r.waitNs) / 1e9
            }
            means.append(wait / Double(n))
        }
        let mean = means.reduce(0, +) / 10
        let sd = (means.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 9).squareRoot()
        let half = 2.262 * sd / 10.0.squareRoot()
        let reference = erlangCWait(lambda: lambda, mu: mu, c: c)
        #expect(abs(mean - reference) <= half, "Wq \(mean) ± \(half) vs Erlang C \(reference)")
        #expect(half < 0.05 * reference)
    }

    /// Balancers under the same Poisson load (8 replicas, ρ = 0.8): one queue waits least,
    /// join-the-shortest-queue and least-outstanding come close, power of two beats round-robin
    /// by far.
    @Test func balancersOrderAsQueueingTheorySays() {
        func meanWait(_ b: LoadBalancer) -> Double {
            var rng = SplitMix64(seed: 7)
            func exp(_ rate: Double) -> Double { -log(1 - Double(rng.next() >> 11) / 9_007_199_254_740_992) / rate }
            var serving = RequestServing(replicas: 8, balancer: b, seed: 3)
            var t = 0.0, wait = 0.0
            for _ in 0..<200_000 {
                t += exp(6.4)
                let s = SimTimeNs((exp(1) * 1e9).rounded())
                wait += Double(serving.serve(arrivalNs: SimTimeNs((t * 1e9).rounded()), serviceNs: s, firstTokenNs: s).waitNs) / 1e9
            }
            return wait / 200_000
        }
        let central = meanWait(.central), jsq = meanWait(.joinShortestQueue), lor = meanWait(.leastOutstanding)
        let p2 = meanWait(.powerOfTwo), rr = meanWait(.roundRobin)
        #expect(central < lor && lor < p2 && p2 < rr, "central \(central) lor \(lor) jsq \(jsq) p2 \(p2) rr \(rr)")
        #expect(jsq < p2)
        #expect(rr > 3 * central)
    }

    /// REFERENCES §3 (Splitwise, ISCA'24): llama2-70b, tensor parallel 8, prompt 1,024, batch 1:
    /// prefill 77.9 ms and 29.7 ms per output token on H100, 154.5 ms and 45.0 ms on A100
    /// (tolerance 2%: the table's repeated measurements are averaged).
    @Test func splitwiseTableGivesThePublishedLatencies() throws {
        let table = try LatencyTable.parse(String(contentsOf: dataDirectory.appendingPathComponent("splitwise_sim_perf_model.csv"), encoding: .utf8))
        let h100 = try #require(table.latency(.init(model: "llama2-70b", hardware: "h100-80gb", tensorParallel: 8), promptTokens: 1024))
        #expect(abs(h100.prefillS / 0.0779 - 1) < 0.02 && abs(h100.perTokenS / 0.0297 - 1) < 0.02, "\(h100)")
        let a100 = try #require(table.latency(.init(model: "llama2-70b", hardware: "a100-80gb", tensorParallel: 8), promptTokens: 1024))
        #expect(abs(a100.prefillS / 0.1545 - 1) < 0.02 && abs(a100.perTokenS / 0.0450 - 1) < 0.02, "\(a100)")
        // Between grid points, linear: prompt 1,536 lies halfway between 1,024 and 2,048.
        let mid = try #require(table.latency(.init(model: "llama2-70b", hardware: "h100-80gb", tensorParallel: 8), promptTokens: 1536))
        let hi = try #require(table.latency(.init(model: "llama2-70b", hardware: "h100-80gb", tensorParallel: 8), promptTokens: 2048))
        #expect(abs(mid.prefillS - (h100.prefillS + hi.prefillS) / 2) < 1e-12)
        #expect(throws: LatencyTable.TableError.self) { try LatencyTable.parse("model,hardware\nx,y\n") }
    }

    /// The Azure conversation trace (19,366 requests over about an hour) on 4 replicas of
    /// llama2-70b TP8 on H100, least-outstanding: every request's first token comes no sooner
    /// than its prefill, tokens stream at the table's per-token time, and the distributions are
    /// those docs/release.md records.
    @Test func azureConversationReplay() throws {
        let table = try LatencyTable.parse(String(contentsOf: dataDirectory.appendingPathComponent("splitwise_sim_perf_model.csv"), encoding: .utf8))
        let trace = try LLMRequestTrace.parse(String(contentsOf: dataDirectory.appendingPathComponent("vidur_splitwise_conv.csv"), encoding: .utf8))
        #expect(trace.arrivalS.count == 19_366)
        let key = LatencyTable.Key(model: "llama2-70b", hardware: "h100-80gb", tensorParallel: 8)
        var serving = RequestServing(replicas: 4, balancer: .leastOutstanding)
        var stats = ServingStatistics()
        for i in trace.arrivalS.indices {
            let l = table.latency(key, promptTokens: trace.promptTokens[i])!
            let prefill = SimTimeNs((l.prefillS * 1e9).rounded(.up)), decode = SimTimeNs((l.perTokenS * trace.outputTokens[i] * 1e9).rounded(.up))
            let r = serving.serve(arrivalNs: SimTimeNs((trace.arrivalS[i] * 1e9).rounded()), serviceNs: prefill + decode, firstTokenNs: prefill)
            #expect(r.timeToFirstTokenNs >= prefill)
            stats.add(r, outputTokens: trace.outputTokens[i])
        }
        let p50 = ServingStatistics.quantile(stats.ttftS, 0.5), p99 = ServingStatistics.quantile(stats.ttftS, 0.99)
        #expect(p50 > 0.03 && p50 < p99)
        #expect(abs(ServingStatistics.quantile(stats.tpotS, 0.5) / 0.0298 - 1) < 0.05)
    }
}
