import Foundation
import Production
import SimKernel

/// Formats of real job traces ICCSim replays as workloads. Column layouts are documented in
/// `docs/scenario-reference.md` (workload.traces).
public enum TraceFormat: String, Sendable, CaseIterable {
    /// Alibaba cluster-trace-gpu-v2023 pod list (`name, cpu_milli, memory_mib, num_gpu,
    /// gpu_milli, gpu_spec, qos, pod_phase, creation_time, deletion_time, scheduled_time`).
    case alibabaGPU2023 = "alibaba-gpu-2023"
    /// Pollux (OSDI'21) workload files (`name, time, application, num_replicas, batch_size`).
    case pollux
    /// ICCSim's own job CSV: `submit_s, accelerators, duration_s`, optionally `tenant`, `model`, `kind`, `gpu_milli`.
    case csv
    /// The Parallel Workloads Archive's Standard Workload Format (`.swf`).
    case swf
}

/// A bad row in a trace file: its 1-based line and what is wrong.
public struct TraceRowError: Error, Sendable, Equatable {
    public var line: Int
    public var message: String

    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }
}

/// One job read from a trace, before it gets indices in the run.
public struct ImportedJob: Sendable, Equatable {
    public var submitNs: SimTimeNs
    public var accelerators: Int32
    public var durationNs: SimTimeNs
    public var tenant: String?
    public var model: String?
    public var kind: JobKind
    public var flops: Double
    /// Share of each accelerator in thousandths (1000: whole devices).
    public var milli: Int32 = 1000
    /// Host CPU (thousandths of a core) and memory (MiB), when the trace gives them.
    public var cpuMilli: Int64 = 0
    public var memoryMiB: Int64 = 0
}

/// What an import found besides its jobs, for the user.
public struct TraceImportReport: Sendable, Equatable {
    public var rows = 0
    /// Alibaba: pods asking for a fraction of a GPU (they share devices; `scheduling.sharing`).
    public var fractionalRequests = 0
    /// Alibaba: pods that never started in the trace (replayed with their lifetime as run time).
    public var neverScheduled = 0
    /// Pods or jobs that ask for no accelerator (run without waiting; CPUs are not modelled).
    public var withoutAccelerators = 0
    /// SWF: jobs without a run time or a processor count (skipped).
    public var skipped = 0
}

/// A header-indexed view of a comma-separated file: rows of fields, with line numbers.
struct CSVTable {
    let header: [String]
    let rows: [(line: Int, fields: [String])]

    init(text: String, required: [String]) throws(TraceRowError) {
        let lines = InputText.numberedLines(text)
        guard let first = lines.first else { throw TraceRowError(line: 1, "the file is empty; expected a header row with \(required.joined(separator: ", "))") }
        header = first.1.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        for name in required where !header.contains(name) {
            throw TraceRowError(line: first.0, "missing column '\(name)' in the header (found \(header.joined(separator: ", ")))")
        }
        var rows: [(Int, [String])] = []
        for (n, l) in lines.dropFirst() {
            if l.contains("\"") { throw TraceRowError(line: n, "quoted fields are not supported") }
            let f = l.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == header.count else { throw TraceRowError(line: n, "expected \(header.count) fields as in the header, found \(f.count)") }
            rows.append((n, f))
        }
        self.rows = rows
    }

    func column(_ name: String) -> Int? { header.firstIndex(of: name) }
}

extension CSVTable {
    /// Field `name` of `row` as a number in `min...max` (by default any count ICCSim accepts:
    /// `InputLimits`), with the row's line in errors.
    func number(_ row: (line: Int, fields: [String]), _ name: String, min: Double = 0, max: Double = InputLimits.maxCount,
                allowEmpty: Bool = false) throws(TraceRowError) -> Double? {
        let text = row.fields[column(name)!]
        if text.isEmpty {
            if allowEmpty { return nil }
            throw TraceRowError(line: row.line, "column '\(name)' is empty; expected a number")
        }
        switch InputText.number(text[...], min: min, max: max) {
        case .success(let v): return v
        case .failure(let problem): throw TraceRowError(line: row.line, "column '\(name)' is '\(text)'; \(problem.expected)")
        }
    }
}

/// Reads job traces into jobs.
public enum TraceImport {
    /// Parses `text` in `format`. `pool` prices Pollux jobs (their run time comes from the work
    /// model of their application on the pool's device).
    public static func parse(_ text: String, format: TraceFormat, pool: PoolView, io: any JobIOModel) throws(TraceRowError)
        -> (jobs: [ImportedJob], report: TraceImportReport) {
        switch format {
        case .alibabaGPU2023: return try alibaba(text)
        case .pollux: return try pollux(text, pool: pool, io: io)
        case .csv: return try csv(text)
        case .swf: return try swf(text)
        }
    }

    static func seconds(_ s: Double) -> SimTimeNs { SimTime.durationNs(work: s * 1e9, ratePerNs: 1) }

    static func alibaba(_ text: String) throws(TraceRowError) -> ([ImportedJob], TraceImportReport) {
        let t = try CSVTable(text: text, required: ["name", "num_gpu", "gpu_milli", "creation_time", "deletion_time", "scheduled_time"])
        var report = TraceImportReport()
        var jobs: [ImportedJob] = []
        for row in t.rows {
            let gpus = try t.number(row, "num_gpu", max: Double(InputLimits.maxAccelerators))!, milli = try t.number(row, "gpu_milli")!
            let created = try t.number(row, "creation_time", max: InputLimits.maxSeconds)!, deleted = try t.number(row, "deletion_time", max: InputLimits.maxSeconds)!
            let scheduled = try t.number(row, "scheduled_time", max: InputLimits.maxSeconds, allowEmpty: true)
            guard milli <= 1000 else { throw TraceRowError(line: row.line, "gpu_milli is \(Int(milli)); expected at most 1000 per GPU") }
            guard deleted >= (scheduled ?? created) else {
                throw TraceRowError(line: row.line, "deletion_time \(Int(deleted)) is before the pod started (\(Int(scheduled ?? created)))")
            }
            if gpus > 0 && milli < 1000 { report.fractionalRequests += 1 }
            if gpus == 0 { report.withoutAccelerators += 1 }
            if scheduled == nil { report.neverScheduled += 1 }
            guard milli >= 1 || gpus == 0 else { throw TraceRowError(line: row.line, "gpu_milli is 0 for a pod asking for \(Int(gpus)) GPU(s); expected 1 to 1000") }
            var job = ImportedJob(submitNs: seconds(created), accelerators: Int32(gpus), durationNs: seconds(deleted - (scheduled ?? created)),
                                  tenant: nil, model: nil, kind: .generic, flops: 0)
            job.milli = gpus > 0 ? Int32(milli) : 1000
            if t.column("cpu_milli") != nil { job.cpuMilli = Int64(try t.number(row, "cpu_milli", allowEmpty: true) ?? 0) }
            if t.column("memory_mib") != nil { job.memoryMiB = Int64(try t.number(row, "memory_mib", allowEmpty: true) ?? 0) }
            jobs.append(job)
        }
        report.rows = t.rows.count
        return (jobs, report)
    }

    /// Pollux's benchmark applications as work models: model, dataset and epochs to the
    /// target quality of the Pollux paper (Qiao et al., OSDI'21, Table 1 and the adaptdl
    /// benchmark code). FLOPs per sample are 3 × the forward pass.
    public static let polluxApplications: [String: (family: ModelFamily, parameters: Double, flopsPerSample: Double, samples: Double, epochs: Double)] = [
        "cifar10": (.cnn, 11.2e6, 3 * 1.1e9, 50_000, 100),      // ResNet-18 on CIFAR-10
        "imagenet": (.cnn, 25.6e6, 3 * 8.2e9, 1_281_167, 90),   // ResNet-50 on ImageNet-1k
        "yolov3": (.cnn, 61.9e6, 3 * 65.9e9, 16_551, 50),       // YOLOv3 on PASCAL VOC 07+12
        "deepspeech2": (.speech, 38e6, 3 * 40e9, 1_132, 80),    // DeepSpeech2 on CMU-ARCTIC
        "ncf": (.recsys, 5.6e6, 3 * 12e6, 994_169, 10),         // NeuMF on MovieLens-1M
    ]

    static func pollux(_ text: String, pool: PoolView, io: any JobIOModel) throws(TraceRowError) -> ([ImportedJob], TraceImportReport) {
        let t = try CSVTable(text: text, required: ["name", "time", "application", "num_replicas", "batch_size"])
        var jobs: [ImportedJob] = []
        for row in t.rows {
            let app = row.fields[t.column("application")!]
            guard let a = polluxApplications[app] else {
                throw TraceRowError(line: row.line, "unknown Pollux application '\(app)'; expected one of \(polluxApplications.keys.sorted().joined(separator: ", "))")
            }
            let submit = try t.number(row, "time", max: InputLimits.maxSeconds)!, replicas = try t.number(row, "num_replicas", min: 1, max: Double(InputLimits.maxAccelerators))!
            let batch = try t.number(row, "batch_size", min: 1)!
            let work = TrainingWork(family: a.family, parameters: a.parameters, flopsPerSample: a.flopsPerSample, samplesPerEpoch: a.samples,
                                    epochs: a.epochs, globalBatch: batch, parallelism: Parallelism(data: Int(replicas)))
            let d = work.duration(on: pool.accelerator, server: pool.server, io: io)
            jobs.append(ImportedJob(submitNs: seconds(submit), accelerators: Int32(replicas), durationNs: seconds(d.totalSeconds),
                                    tenant: nil, model: app, kind: .training, flops: d.flops))
        }
        return (jobs, TraceImportReport(rows: t.rows.count))
    }

    static func csv(_ text: String) throws(TraceRowError) -> ([ImportedJob], TraceImportReport) {
        let t = try CSVTable(text: text, required: ["submit_s", "accelerators", "duration_s"])
        var report = TraceImportReport(rows: t.rows.count)
        var jobs: [ImportedJob] = []
        for row in t.rows {
            let n = try t.number(row, "accelerators", max: Double(InputLimits.maxAccelerators))!
            guard n == n.rounded(), n <= Double(Int32.max) else { throw TraceRowError(line: row.line, "accelerators is \(n); expected a whole number") }
            if n == 0 { report.withoutAccelerators += 1 }
            var kind = JobKind.generic
            if let k = t.column("kind"), !row.fields[k].isEmpty {
                guard let parsed = JobKind(name: row.fields[k]) else {
                    throw TraceRowError(line: row.line, "kind is '\(row.fields[k])'; expected one of \(JobKind.allCases.map(\.name).joined(separator: ", "))")
                }
                kind = parsed
            }
            func optional(_ name: String) -> String? { t.column(name).map { row.fields[$0] }.flatMap { $0.isEmpty ? nil : $0 } }
            var job = ImportedJob(submitNs: seconds(try t.number(row, "submit_s", max: InputLimits.maxSeconds)!), accelerators: Int32(n),
                                  durationNs: seconds(try t.number(row, "duration_s", max: InputLimits.maxSeconds)!), tenant: optional("tenant"), model: optional("model"),
                                  kind: kind, flops: 0)
            if t.column("gpu_milli") != nil, let m = try t.number(row, "gpu_milli", min: 1, allowEmpty: true) {
                guard m <= 1000, m == m.rounded() else { throw TraceRowError(line: row.line, "gpu_milli is \(m); expected a whole number from 1 to 1000") }
                job.milli = Int32(m)
            }
            jobs.append(job)
        }
        return (jobs, report)
    }

    /// Nodes of an Alibaba cluster-trace-gpu-v2023 node list (`sn, cpu_milli, memory_mib, gpu, model`).
    public static func nodeList(_ text: String) throws(TraceRowError) -> [(gpus: Int, model: String)] {
        let t = try CSVTable(text: text, required: ["sn", "gpu", "model"])
        var out: [(gpus: Int, model: String)] = []
        for row in t.rows {
            let g = try t.number(row, "gpu", max: Double(InputLimits.maxAccelerators))!
            guard g == g.rounded(), g <= 1024 else { throw TraceRowError(line: row.line, "gpu is \(g); expected a whole number of GPUs up to 1024") }
            out.append((Int(g), row.fields[t.column("model")!]))
        }
        return out
    }

    /// The values of column `name` of a CSV file with a header (for empirical distributions),
    /// each at most `max`.
    public static func column(_ text: String, _ name: String, max: Double = InputLimits.maxCount) throws(TraceRowError) -> [Double] {
        let t = try CSVTable(text: text, required: [name])
        var out: [Double] = []
        out.reserveCapacity(t.rows.count)
        for row in t.rows { out.append(try t.number(row, name, min: -Double.infinity, max: max)!) }
        guard !out.isEmpty else { throw TraceRowError(line: 1, "column '\(name)' has no values") }
        return out
    }
}
