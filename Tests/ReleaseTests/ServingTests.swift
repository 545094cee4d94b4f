import Foundation
import Release
import SimKernel
import Testing
import Workloads

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
            func exp(_ rate: Double) -> Double { rng.exponential(rate: rate) }
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
            func exp(_ rate: Double) -> Double { rng.exponential(rate: rate) }
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
            let (prefill, service) = table.requestNs(key, promptTokens: trace.promptTokens[i], outputTokens: trace.outputTokens[i])!
            let r = serving.serve(arrivalNs: SimTimeNs((trace.arrivalS[i] * 1e9).rounded()), serviceNs: service, firstTokenNs: prefill)
            #expect(r.timeToFirstTokenNs >= prefill)
            stats.add(r, outputTokens: trace.outputTokens[i])
        }
        let p50 = ServingStatistics.quantile(stats.ttftS, 0.5), p99 = ServingStatistics.quantile(stats.ttftS, 0.99)
        #expect(p50 > 0.03 && p50 < p99)
        #expect(abs(ServingStatistics.quantile(stats.tpotS, 0.5) / 0.0298 - 1) < 0.05)
    }
}

@Suite struct BatchingTests {
    /// Reference: the one-at-a-time engine. With a batch of one, continuous batching serves every
    /// request exactly as `RequestServing` does (prefill, then one decode step per further
    /// token), for round-robin and least-outstanding balancing.
    @Test(arguments: [LoadBalancer.roundRobin, .leastOutstanding])
    func batchOfOneIsOneAtATime(_ balancer: LoadBalancer) {
        var rng = SplitMix64(seed: 5)
        var t: SimTimeNs = 0
        var batched = BatchedServing(replicas: 3, maxBatch: 1, balancer: balancer, prefillS: { $0 / 8192 }, stepS: { _ in 0.03125 })
        var single = RequestServing(replicas: 3, balancer: balancer)
        var expected: [ServedRequest] = []
        for _ in 0..<3_000 {
            t += SimTimeNs(rng.next() % 2_000_000_000)
            let prompt = Double(256 * (1 + rng.next() % 8)), out = Int(1 + rng.next() % 64)
            batched.submit(arrivalNs: t, promptTokens: prompt, outputTokens: out)
            let prefill = SimTimeNs(prompt / 8192 * 1e9), decode = SimTimeNs(out - 1) * 31_250_000
            expected.append(single.serve(arrivalNs: t, serviceNs: prefill + decode, firstTokenNs: prefill))
        }
        let got = batched.drain()
        #expect(got == expected)
    }

    /// Batching multiplies what a replica serves: the Azure conversation hour on 8 replicas of
    /// llama2-70b TP8 on H100 meets the 2 s TTFT / 0.1 s TPOT target for a small share of
    /// requests one at a time and for nearly all with continuous batching up to 64.
    @Test func continuousBatchingServesTheAzureHourOnFewReplicas() throws {
        let table = try LatencyTable.parse(String(contentsOf: dataDirectory.appendingPathComponent("splitwise_sim_perf_model.csv"), encoding: .utf8))
        let trace = try LLMRequestTrace.parse(String(contentsOf: dataDirectory.appendingPathComponent("vidur_splitwise_conv.csv"), encoding: .utf8))
        let key = LatencyTable.Key(model: "llama2-70b", hardware: "h100-80gb", tensorParallel: 8)
        let meanPrompt = trace.promptTokens.reduce(0, +) / Double(trace.promptTokens.count)
        func attainment(_ maxBatch: Int) -> Double {
            var s = BatchedServing(replicas: 8, maxBatch: maxBatch, balancer: .leastOutstanding,
                                   prefillS: { table.latency(key, promptTokens: $0)!.prefillS },
                                   stepS: { table.latency(key, promptTokens: meanPrompt, batch: $0)!.perTokenS })
            for i in trace.arrivalS.indices {
                s.submit(arrivalNs: SimTimeNs((trace.arrivalS[i] * 1e9).rounded()), promptTokens: trace.promptTokens[i], outputTokens: Int(trace.outputTokens[i]))
            }
            var stats = ServingStatistics()
            for (i, r) in s.drain().enumerated() { stats.add(r, outputTokens: trace.outputTokens[i]) }
            return Double(zip(stats.ttftS, stats.tpotS).filter { $0.0 <= 2 && $0.1 <= 0.1 }.count) / Double(stats.count)
        }
        let one = attainment(1), batched = attainment(64)
        #expect(one < 0.2 && batched > 0.9, "batch 1: \(one), batch 64: \(batched)")
    }
}

@Suite struct RateLevelTests {
    /// Where both apply (Poisson arrivals, exponential service, one queue), the rate-level
    /// formulas and request-level simulation agree: the simulated mean wait and share of
    /// requests waiting at most 0.5 s, over 10 replications of 100,000 requests on 8 replicas at
    /// ρ = 0.75, contain the formulas' values in their 95% intervals.
    @Test func rateLevelAgreesWithRequestLevel() {
        let c = 8, mu = 1.0, lambda = 6.0, target = 0.5
        var waits: [Double] = [], shares: [Double] = []
        for rep in 0..<10 {
            var rng = SplitMix64(seed: UInt64(77 + rep))
            func exp(_ rate: Double) -> Double { rng.exponential(rate: rate) }
            var s = RequestServing(replicas: c, balancer: .central)
            var t = 0.0, wait = 0.0, within = 0
            for _ in 0..<100_000 {
                t += exp(lambda)
                let d = SimTimeNs((exp(mu) * 1e9).rounded())
                let w = Double(s.serve(arrivalNs: SimTimeNs((t * 1e9).rounded()), serviceNs: d, firstTokenNs: d).waitNs) / 1e9
                wait += w
                if w <= target { within += 1 }
            }
            waits.append(wait / 100_000); shares.append(Double(within) / 100_000)
        }
        func ci(_ xs: [Double]) -> (Double, Double) {
            let m = xs.reduce(0, +) / Double(xs.count)
            return (m, 2.262 * (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot() / Double(xs.count).squareRoot())
        }
        let f = RateLevelServing(replicas: c, serviceRatePerS: mu).figures(ratePerS: lambda, targetWaitS: target)
        let (w, wh) = ci(waits), (a, ah) = ci(shares)
        #expect(abs(w - f.meanWaitS) <= wh, "wait \(w) ± \(wh) vs \(f.meanWaitS)")
        #expect(abs(a - f.attainment) <= ah, "attainment \(a) ± \(ah) vs \(f.attainment)")
        #expect(abs(RateLevelServing.erlangC(servers: 2, offered: 1) - 1.0 / 3) < 1e-12)
    }

    /// Elasticity: a day of diurnal load (hourly rates from 4 to 36 requests per second, 1 s
    /// mean exponential service, target: 95% of requests wait at most 0.5 s). Simulated
    /// request by request, an autoscaler reacting each hour to the last hour's rate (20%
    /// headroom, a 2-minute cold start) keeps the day's attainment above 95% with fewer
    /// replica-hours than a static deployment sized for the peak hour.
    @Test func autoscalerMeetsTheTargetWithFewerReplicaHours() {
        let rates = (0..<24).map { h in 20 + 16 * sin(Double(h - 8) / 24 * 2 * .pi) }
        let scaler = IntervalAutoscaler(minimum: 1, maximum: 200, targetAttainment: 0.95, targetWaitS: 0.5, cooldownIntervals: 1, headroom: 0.2)
        let planned = scaler.plan(rates: rates, serviceRatePerS: 1, serviceCV: 1)
        let peak = RateLevelServing.replicasNeeded(ratePerS: rates.max()!, serviceRatePerS: 1, serviceCV: 1, targetWaitS: 0.5, attainment: 0.95,
                                                   minimum: 1, maximum: 200)
        func simulate(_ replicas: [Int]) -> Double {
            var rng = SplitMix64(seed: 11)
            func exp(_ rate: Double) -> Double { rng.exponential(rate: rate) }
            var s = RequestServing(replicas: replicas[0], balancer: .central)
            var within = 0, total = 0
            var t = 0.0
            for h in 0..<24 {
                if h > 0 { s.resize(to: replicas[h], atNs: SimTimeNs(Double(h) * 3600e9), coldStartNs: replicas[h] > replicas[h - 1] ? 120_000_000_000 : 0) }
                while true {
                    let next = t + exp(rates[h])
                    if next >= Double(h + 1) * 3600 { t = Double(h + 1) * 3600; break }
                    t = next
                    let d = SimTimeNs((exp(1) * 1e9).rounded())
                    if Double(s.serve(arrivalNs: SimTimeNs((t * 1e9).rounded()), serviceNs: d, firstTokenNs: d).waitNs) / 1e9 <= 0.5 { within += 1 }
                    total += 1
                }
            }
            return Double(within) / Double(total)
        }
        // The first hour starts sized for its own rate (a deployment starts from a plan).
        var scaled = planned
        scaled[0] = RateLevelServing.replicasNeeded(ratePerS: rates[0] * 1.2, serviceRatePerS: 1, serviceCV: 1, targetWaitS: 0.5, attainment: 0.95, minimum: 1, maximum: 200)
        let elastic = simulate(scaled), fixed = simulate(Array(repeating: peak, count: 24))
        let elasticHours = scaled.reduce(0, +), staticHours = 24 * peak
        #expect(elastic >= 0.95 && fixed >= 0.95, "elastic \(elastic), static \(fixed)")
        #expect(Double(elasticHours) < 0.8 * Double(staticHours), "replica-hours elastic \(elasticHours) vs static \(staticHours)")
    }
}
