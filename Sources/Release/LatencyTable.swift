import Foundation
import SimKernel

/// Measured LLM inference latency (the Splitwise performance model, ISCA'24:
/// `data/inference/splitwise_sim_perf_model.csv`): for a model on a GPU at a tensor-parallel
/// degree, the prefill time of a prompt and the time per output token, by prompt size and batch
/// size. Repeated measurements are averaged; between grid points the times are interpolated
/// linearly in prompt size and in batch size; beyond the largest prompt the prefill grows in
/// proportion.
public struct LatencyTable: Sendable {
    public struct Key: Hashable, Sendable, Comparable {
        public var model: String
        public var hardware: String
        public var tensorParallel: Int
        public init(model: String, hardware: String, tensorParallel: Int) {
            self.model = model
            self.hardware = hardware
            self.tensorParallel = tensorParallel
        }
        public static func < (a: Key, b: Key) -> Bool { (a.model, a.hardware, a.tensorParallel) < (b.model, b.hardware, b.tensorParallel) }
    }

    /// One configuration's grid: prompt sizes and batch sizes ascending, mean times (ms).
    struct Grid: Sendable {
        var prompts: [Double]
        var batches: [Double]
        var prefillMs: [[Double]]   // [prompt][batch]
        var tokenMs: [[Double]]
    }

    var grids: [Key: Grid]

    /// The configurations the table holds, in order.
    public var keys: [Key] { grids.keys.sorted() }

    /// A bad table: its 1-based line and what is wrong.
    public struct TableError: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Reads the Splitwise CSV (columns model, hardware, prompt_size, batch_size, ...,
    /// prompt_time, token_time, ..., tensor_parallel; times in ms).
    public static func parse(_ text: String) throws -> LatencyTable {
        let lines = InputText.numberedLines(text)
        guard let header = lines.first?.text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw TableError(line: 1, message: "empty table")
        }
        func column(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else { throw TableError(line: 1, message: "no '\(name)' column") }
            return i
        }
        let (m, h, p, b, pt, tt, tp) = (try column("model"), try column("hardware"), try column("prompt_size"), try column("batch_size"),
                                        try column("prompt_time"), try column("token_time"), try column("tensor_parallel"))
        var sums: [Key: [Double: [Double: (Double, Double, Int)]]] = [:]
        for (n, line) in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == header.count else { throw TableError(line: n, message: "expected \(header.count) fields as in the header, found \(f.count)") }
            func value(_ i: Int, min: Double, max: Double) throws -> Double {
                switch InputText.number(f[i][...], min: min, max: max) {
                case .success(let v): return v
                case .failure(let problem): throw TableError(line: n, message: "\(header[i]) is '\(f[i])'; \(problem.expected)")
                }
            }
            let prompt = try value(p, min: 1, max: InputLimits.maxTokens), batch = try value(b, min: 1, max: 1e6)
            let pre = try value(pt, min: 0, max: 1e9), tok = try value(tt, min: 0, max: 1e9)
            guard let t = Int(f[tp]), t >= 1, t <= 1024 else { throw TableError(line: n, message: "tensor_parallel is '\(f[tp])'; expected a whole number from 1 to 1024") }
            let key = Key(model: f[m], hardware: f[h], tensorParallel: t)
            var s = sums[key, default: [:]][prompt, default: [:]][batch, default: (0, 0, 0)]
            s = (s.0 + pre, s.1 + tok, s.2 + 1)
            sums[key, default: [:]][prompt, default: [:]][batch] = s
        }
        var grids: [Key: Grid] = [:]
        for (key, byPrompt) in sums {
            let prompts = byPrompt.keys.sorted()
            let batches = Set(byPrompt.values.flatMap(\.keys)).sorted()
            func cell(_ pr: Double, _ ba: Double, _ pick: ((Double, Double, Int)) -> Double) -> Double {
                if let s = byPrompt[pr]?[ba] { return pick(s) / Double(s.2) }
                return .nan
            }
            grids[key] = Grid(prompts: prompts, batches: batches,
                              prefillMs: fill(prompts.map { pr in batches.map { cell(pr, $0) { $0.0 } } }, batches),
                              tokenMs: fill(prompts.map { pr in batches.map { cell(pr, $0) { $0.1 } } }, batches))
        }
        return LatencyTable(grids: grids)
    }

    /// Cells the table did not measure (large prompts at large batches), filled along each
    /// prompt's row: linear between measured batch sizes, the nearest measured value beyond
    /// them; a row with none takes the nearest measured row's.
    static func fill(_ rows: [[Double]], _ batches: [Double]) -> [[Double]] {
        var out = rows.map { row -> [Double] in
            let known = row.indices.filter { !row[$0].isNaN }
            guard !known.isEmpty else { return row }
            return row.indices.map { j in
                if !row[j].isNaN { return row[j] }
                guard let hi = known.first(where: { $0 > j }) else { return row[known.last!] }
                guard let lo = known.last(where: { $0 < j }) else { return row[hi] }
                let t = (batches[j] - batches[lo]) / (batches[hi] - batches[lo])
                return row[lo] * (1 - t) + row[hi] * t
            }
        }
        for i in out.indices where out[i].allSatisfy(\.isNaN) {
            if let k = out.indices.filter({ !out[$0].allSatisfy(\.isNaN) }).min(by: { abs($0 - i) < abs($1 - i) }) { out[i] = out[k] }
        }
        return out
    }

    /// One request served alone: its prefill (its first token's delay once started) and its
    /// whole service, the prefill and then `outputTokens` − 1 decode steps, in whole ns.
    public func requestNs(_ key: Key, promptTokens: Double, outputTokens: Double) -> (prefillNs: Int64, serviceNs: Int64)? {
        guard let l = latency(key, promptTokens: promptTokens) else { return nil }
        let prefill = Int64((l.prefillS * 1e9).rounded(.up)), decode = Int64((l.perTokenS * max(0, outputTokens - 1) * 1e9).rounded(.up))
        return (prefill, prefill + decode)
    }

    /// (prefill seconds, seconds per output token) for `key` at `promptTokens` and `batch`;
    /// nil when the table has no such configuration.
    public func latency(_ key: Key, promptTokens: Double, batch: Int = 1) -> (prefillS: Double, perTokenS: Double)? {
        guard let g = grids[key] else { return nil }
        func bracket(_ xs: [Double], _ x: Double) -> (Int, Int, Double) {
            if x <= xs[0] { return (0, 0, 0) }
            if x >= xs[xs.count - 1] { return (xs.count - 1, xs.count - 1, 0) }
            let j = xs.firstIndex { $0 >= x }!
            return (j - 1, j, (x - xs[j - 1]) / (xs[j] - xs[j - 1]))
        }
        let (bi, bj, bt) = bracket(g.batches, Double(batch))
        func at(_ table: [[Double]], _ row: Int) -> Double { table[row][bi] * (1 - bt) + table[row][bj] * bt }
        let (pi, pj, pt) = bracket(g.prompts, promptTokens)
        var prefill = at(g.prefillMs, pi) * (1 - pt) + at(g.prefillMs, pj) * pt
        let token = at(g.tokenMs, pi) * (1 - pt) + at(g.tokenMs, pj) * pt
        if promptTokens > g.prompts[g.prompts.count - 1] { prefill *= promptTokens / g.prompts[g.prompts.count - 1] }
        if promptTokens < g.prompts[0] { prefill *= promptTokens / g.prompts[0] }
        return (prefill / 1e3, token / 1e3)
    }
}
