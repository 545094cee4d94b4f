import Production
import Scheduling
import SimKernel
import Workloads

/// A synthetic job class: arrivals and job shapes drawn from distributions.
public struct JobClassSpec: Codable, Sendable, Equatable {
    /// Unique name; it names the class's random streams (`arrivals/NAME`, ...).
    public var name: String
    /// How many jobs the class submits (nil: until the horizon).
    public var jobs: Int?
    /// No job of the class arrives before this time.
    public var start: TimeQuantity
    /// Time between consecutive submissions.
    public var interarrival: DistributionSpec<TimeUnit>
    /// Accelerators per job (rounded to an integer, at least 1).
    public var accelerators: DistributionSpec<CountUnit>
    /// Run time of each job.
    public var duration: DistributionSpec<TimeUnit>
    /// Strict priority of its jobs under the `priority` policy (higher first).
    public var priority: Int8
    /// Host CPU cores and memory each job needs (for `drf`; absent: in proportion to its accelerators).
    public var cpu: Double?
    public var memory: ByteQuantity?
    /// Elastic jobs: they may run on `min` to `max` accelerators (their run time is for `accelerators`).
    public var elastic: ElasticSpec?
    /// Accelerator kinds its jobs accept, with speed factors (absent: the first pool only).
    public var accepts: [AcceptedAcceleratorSpec]?
    /// Each job's gradient all-reduce on the fabric (`io.model: fabric`); `duration` is then compute alone.
    public var allreduce: AllReduceSpec?
    /// Each job's reads and writes on the shared storage system (`io.storage`).
    public var storage: StorageNeedsSpec?

    enum CodingKeys: String, CodingKey, CaseIterable, JobNeedsKeys {
        case name, jobs, start, interarrival, accelerators, duration, priority, cpu, memory, elastic, accepts, allreduce, storage
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name) { n in
            isPlainName(n) ? nil : "must be a non-empty name of letters, digits, '.', '_' and '-'"
        }
        jobs = try c.decodeIfPresent(Int.self, forKey: .jobs)
        if let j = jobs, j < 1 { throw try c.superDecoder(forKey: .jobs).scenarioError("\(decoder.scenarioPath).jobs must be at least 1, got \(j)") }
        start = try c.decode(TimeQuantity.self, forKey: .start, default: TimeQuantity(baseUnits: 0))
        interarrival = try c.decode(DistributionSpec<TimeUnit>.self, forKey: .interarrival)
        accelerators = try c.decodeAcceleratorCounts(forKey: .accelerators)
        duration = try c.decode(DistributionSpec<TimeUnit>.self, forKey: .duration)
        priority = try c.decode(Int8.self, forKey: .priority, default: 0)
        (cpu, memory, elastic, accepts, allreduce) = try decodeJobNeeds(c)
        storage = try c.decodeIfPresent(StorageNeedsSpec.self, forKey: .storage)
    }
}

/// One explicitly listed job.
public struct ListedJobSpec: Codable, Sendable, Equatable {
    public var submit: TimeQuantity
    public var accelerators: Int
    public var duration: TimeQuantity
    /// Tenant name (for fair-share, DRF and quota policies); absent: none.
    public var tenant: String?
    /// Host CPU cores and memory it needs (for `drf`).
    public var cpu: Double?
    public var memory: ByteQuantity?
    /// Elastic: it may run on `min` to `max` accelerators (its duration is for `accelerators`).
    public var elastic: ElasticSpec?
    /// Accelerator kinds it accepts, with speed factors (absent: the first pool only).
    public var accepts: [AcceptedAcceleratorSpec]?
    /// Its gradient all-reduce on the fabric (`io.model: fabric`); `duration` is then compute alone.
    public var allreduce: AllReduceSpec?
    /// Its reads and writes on the shared storage system (`io.storage`).
    public var storage: StorageNeedsSpec?

    enum CodingKeys: String, CodingKey, CaseIterable, JobNeedsKeys { case submit, accelerators, duration, tenant, cpu, memory, elastic, accepts, allreduce, storage }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        submit = try c.decode(TimeQuantity.self, forKey: .submit)
        accelerators = try c.decode(Int.self, forKey: .accelerators) { $0 < 0 ? "must not be negative" : ($0 > InputLimits.maxAccelerators ? "must be at most \(InputLimits.maxAccelerators)" : nil) }
        duration = try c.decode(TimeQuantity.self, forKey: .duration)
        tenant = try c.decodeIfPresent(String.self, forKey: .tenant)
        (cpu, memory, elastic, accepts, allreduce) = try decodeJobNeeds(c)
        storage = try c.decodeIfPresent(StorageNeedsSpec.self, forKey: .storage)
        if let e = elastic, !(e.min <= accelerators && accelerators <= e.max) {
            throw try c.superDecoder(forKey: .elastic).scenarioError("elastic range \(e.min)...\(e.max) must contain the job's \(accelerators) accelerators")
        }
    }
}

/// Coding keys of a spec with host needs, elasticity and accepted accelerators (job classes
/// and listed jobs share these keys and their decoding).
protocol JobNeedsKeys: CodingKey {
    static var cpu: Self { get }
    static var memory: Self { get }
    static var elastic: Self { get }
    static var accepts: Self { get }
    static var allreduce: Self { get }
}

/// Decodes `cpu`, `memory`, `elastic`, `accepts` and `allreduce`, with their checks.
func decodeJobNeeds<K: JobNeedsKeys>(_ c: KeyedDecodingContainer<K>) throws
    -> (cpu: Double?, memory: ByteQuantity?, elastic: ElasticSpec?, accepts: [AcceptedAcceleratorSpec]?, allreduce: AllReduceSpec?) {
    let cpu = try c.decodeIfPresent(Double.self, forKey: .cpu)
    if let v = cpu, v < 0 { throw try c.superDecoder(forKey: .cpu).scenarioError("cpu must not be negative, got \(v)") }
    let accepts = try c.decodeIfPresent([AcceptedAcceleratorSpec].self, forKey: .accepts)
    if accepts?.isEmpty == true { throw try c.superDecoder(forKey: .accepts).scenarioError("accepts must not be empty (leave it out for the first pool)") }
    let allreduce = try c.decodeIfPresent(AllReduceSpec.self, forKey: .allreduce)
    if allreduce != nil, try c.decodeIfPresent(ElasticSpec.self, forKey: .elastic) != nil {
        throw try c.superDecoder(forKey: .allreduce).scenarioError("allreduce is not supported for elastic jobs (their rings change size)")
    }
    return (cpu, try c.decodeIfPresent(ByteQuantity.self, forKey: .memory), try c.decodeIfPresent(ElasticSpec.self, forKey: .elastic), accepts, allreduce)
}

/// A job's gradient all-reduce (`allreduce:` of a job class or listed job): every iteration
/// each data-parallel rank all-reduces `bytes` after `iteration` of compute, `overlap` of it
/// hidden (default `io.allreduceOverlap`); `tensorParallel` × `pipelineParallel` ranks form one
/// replica (one ring per replica rank), so the data-parallel degree is accelerators / that.
/// Model-parallel traffic per iteration and rank, on the critical path (``ModelParallelTraffic``):
/// `tensorBytes` all-reduced in each tensor-parallel group, `pipelineBytes` across each stage
/// boundary each way, `expertBytes` all-to-all among `expertParallel` replicas.
public struct AllReduceSpec: Codable, Sendable, Equatable {
    public var bytes: ByteQuantity
    public var iteration: TimeQuantity
    public var overlap: Double?
    public var tensorParallel: Int
    public var pipelineParallel: Int
    public var expertParallel: Int
    public var tensorBytes: ByteQuantity?
    public var pipelineBytes: ByteQuantity?
    public var expertBytes: ByteQuantity?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case bytes, iteration, overlap, tensorParallel, pipelineParallel, expertParallel, tensorBytes, pipelineBytes, expertBytes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bytes = try c.decode(ByteQuantity.self, forKey: .bytes) { $0.baseUnits <= 0 ? "must be positive" : nil }
        iteration = try c.decode(TimeQuantity.self, forKey: .iteration) { $0.baseUnits <= 0 ? "must be positive" : nil }
        overlap = try c.decodeIfPresent(Double.self, forKey: .overlap)
        if let o = overlap, !(0...1).contains(o) { throw try c.superDecoder(forKey: .overlap).scenarioError("overlap must be between 0 and 1, got \(o)") }
        tensorParallel = try c.decode(Int.self, forKey: .tensorParallel, default: 1) { $0 < 1 || $0 > 65_536 ? "must be between 1 and 65536" : nil }
        pipelineParallel = try c.decode(Int.self, forKey: .pipelineParallel, default: 1) { $0 < 1 || $0 > 65_536 ? "must be between 1 and 65536" : nil }
        expertParallel = try c.decode(Int.self, forKey: .expertParallel, default: 1) { $0 < 1 || $0 > 65_536 ? "must be between 1 and 65536" : nil }
        func traffic(_ key: CodingKeys, degree: Int, degreeKey: String) throws -> ByteQuantity? {
            guard c.contains(key) else { return nil }
            let b = try c.decode(ByteQuantity.self, forKey: key) { $0.baseUnits < 0 ? "must not be negative" : nil }
            if degree < 2 && b.baseUnits > 0 {
                throw try c.superDecoder(forKey: key).scenarioError("\(key.stringValue) needs \(degreeKey) of at least 2 (it is \(degree)), got \(b)")
            }
            return b
        }
        tensorBytes = try traffic(.tensorBytes, degree: tensorParallel, degreeKey: "tensorParallel")
        pipelineBytes = try traffic(.pipelineBytes, degree: pipelineParallel, degreeKey: "pipelineParallel")
        expertBytes = try traffic(.expertBytes, degree: expertParallel, degreeKey: "expertParallel")
    }

    /// The workload model's template, with the scenario's default overlap.
    public func template(defaultOverlap: Double) -> AllReduceTemplate {
        AllReduceTemplate(bytesPerIteration: Double(bytes.baseUnits), computeSPerIteration: Double(iteration.baseUnits) / 1e9,
                          overlap: overlap ?? defaultOverlap,
                          modelParallel: ModelParallelTraffic(tensorParallel: Int32(tensorParallel), tensorBytes: Double(tensorBytes?.baseUnits ?? 0),
                                                              pipelineParallel: Int32(pipelineParallel), pipelineBytes: Double(pipelineBytes?.baseUnits ?? 0),
                                                              expertParallel: Int32(expertParallel), expertBytes: Double(expertBytes?.baseUnits ?? 0)))
    }
}

/// Host needs in the units jobs carry.
public protocol HostNeedsSpec {
    var cpu: Double? { get }
    var memory: ByteQuantity? { get }
}

extension HostNeedsSpec {
    /// Thousandths of a core (0: not given).
    public var cpuMilli: Int64 { cpu.map { Int64(($0 * 1000).rounded()) } ?? 0 }
    /// MiB (0: not given).
    public var memoryMiB: Int64 { memory.map { $0.baseUnits / 1_048_576 } ?? 0 }
}

extension JobClassSpec: HostNeedsSpec {}
extension ListedJobSpec: HostNeedsSpec {}

/// The accelerators an elastic training job may run on.
public struct ElasticSpec: Codable, Sendable, Equatable {
    public var min: Int
    public var max: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case min, max }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        min = try c.decode(Int.self, forKey: .min) { $0 < 1 ? "must be at least 1" : nil }
        max = try c.decode(Int.self, forKey: .max) { [min] in $0 < min ? "must be at least min (\(min))" : nil }
    }
}

/// An accelerator kind a job accepts: every pool of that accelerator, at `speed` times the
/// speed its `duration` is stated for.
public struct AcceptedAcceleratorSpec: Codable, Sendable, Equatable {
    public var accelerator: String
    public var speed: Double

    enum CodingKeys: String, CodingKey, CaseIterable { case accelerator, speed }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        accelerator = try c.decode(String.self, forKey: .accelerator)
        speed = try c.decode(Double.self, forKey: .speed, default: 1) { $0 <= 0 || $0 > 1000 ? "must be in (0, 1000]" : nil }
    }
}

/// A job's traffic on the shared storage system (`storage:` of a job class or listed job):
/// `ingest` bytes of data set `dataset` read before it computes, `read` bytes of it while it
/// computes and `write` bytes (checkpoints) written while it computes, in files of `fileSize`;
/// `checkpoint` is the size of one checkpoint (with failures: the plan's write time and the read
/// after a failure).
public struct StorageNeedsSpec: Codable, Sendable, Equatable {
    public var dataset: String
    public var ingest: ByteQuantity
    public var read: ByteQuantity
    public var write: ByteQuantity
    public var fileSize: ByteQuantity
    public var checkpoint: ByteQuantity?

    enum CodingKeys: String, CodingKey, CaseIterable { case dataset, ingest, read, write, fileSize, checkpoint }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dataset = try c.decode(String.self, forKey: .dataset) { isPlainName($0) ? nil : "must be a non-empty name of letters, digits, '.', '_' and '-'" }
        let zero = ByteQuantity(baseUnits: 0)
        ingest = try c.decode(ByteQuantity.self, forKey: .ingest, default: zero)
        read = try c.decode(ByteQuantity.self, forKey: .read, default: zero)
        write = try c.decode(ByteQuantity.self, forKey: .write, default: zero)
        fileSize = try c.decode(ByteQuantity.self, forKey: .fileSize, default: ByteQuantity(baseUnits: 1_000_000_000)) { $0.baseUnits <= 0 ? "must be positive" : nil }
        checkpoint = try c.decodeIfPresent(ByteQuantity.self, forKey: .checkpoint)
    }

    /// The workload model's demand, for data set number `dataset`.
    public func demand(dataset id: Int32) -> StorageDemand {
        var d = StorageDemand(dataset: id, ingestBytes: Double(ingest.baseUnits), streamReadBytes: Double(read.baseUnits),
                              writeBytes: Double(write.baseUnits), fileBytes: Double(fileSize.baseUnits))
        d.checkpointBytes = Double(checkpoint?.baseUnits ?? 0)
        return d
    }
}
