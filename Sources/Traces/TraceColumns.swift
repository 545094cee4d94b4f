import CHDF5

/// One column of a trace table, declared once: its name, element type, units and meaning. The
/// writer creates the dataset from it (the `units` and `long_name` attributes), and the tables of
/// `docs/trace-schema.md` are generated from it (`iccsim export trace-schema`; a test keeps them equal).
/// Makes a trace's columns, all with the same chunking and compression.
struct ColumnMaker {
    let chunk: Int
    let deflate: UInt32
    /// Where full chunks are written (nil: at once).
    var writes: TraceWriteQueue? = nil

    func callAsFunction<T: ColumnElement>(_ group: hid_t, _ spec: ColumnSpec<T>) throws -> TraceColumn<T> {
        try TraceColumn<T>(in: group, spec.info, chunk: chunk, deflateLevel: deflate, writes: writes)
    }
}

struct ColumnSpec<T: ColumnElement>: AnyColumnSpec {
    let name: String
    let units: String
    /// Written as `long_name`.
    let longName: String
    /// More for readers of the schema (in docs/trace-schema.md, not in the file).
    let note: String?

    init(_ name: String, _ units: String, _ longName: String, note: String? = nil) {
        self.name = name
        self.units = units
        self.longName = longName
        self.note = note
    }

    var typeName: String { T.typeName }
    var info: ColumnInfo { ColumnInfo(name: name, units: units, longName: longName) }
}

/// A column declaration of any element type, for listing.
protocol AnyColumnSpec: Sendable {
    var name: String { get }
    var units: String { get }
    var longName: String { get }
    var note: String? { get }
    var typeName: String { get }
}

/// Every column of `trace.h5`, table by table, in the order the writer creates them.
enum TraceColumns {
    // /jobs
    static let jobID = ColumnSpec<Int64>("id", "1", "job id, in submission order", note: "the tie rule of simultaneous submissions is in the scenario reference")
    static let jobClass = ColumnSpec<Int32>("job_class", "1", "index of the job class in the scenario's workload.classes; -1 for listed jobs", note: "-1 also for jobs of applications and traces")
    static let jobSubmit = ColumnSpec<Int64>("submit_ns", "ns", "submission time")
    static let jobStart = ColumnSpec<Int64>("start_ns", "ns", "start time; -1 if it never started")
    static let jobEnd = ColumnSpec<Int64>("end_ns", "ns", "end time; -1 if it did not end")
    static let jobWait = ColumnSpec<Int64>("wait_ns", "ns", "start minus submission; -1 if it never started")
    static let jobAccelerators = ColumnSpec<Int32>("accelerators", "1", "accelerators allocated at once (gang)")
    static let jobState = ColumnSpec<Int8>("state", "1", "final state, decoded by /dictionaries/job_state")
    static let jobReject = ColumnSpec<Int8>("reject_reason", "1", "why it was rejected, decoded by /dictionaries/reject_reason")
    static let jobKind = ColumnSpec<Int8>("kind", "1", "kind of work, decoded by /dictionaries/job_kind")
    static let jobPolicy = ColumnSpec<Int8>("policy", "1", "scheduling policy of its pool, decoded by /dictionaries/policy")
    static let jobApplication = ColumnSpec<Int16>("application", "1", "application scenario, decoded by /dictionaries/application; -1 for none")
    static let jobTenant = ColumnSpec<Int16>("tenant", "1", "tenant, decoded by /dictionaries/tenant; -1 for none", note: "its type is `/dictionaries/tenant_type` at the same code")
    static let jobModel = ColumnSpec<Int16>("model", "1", "model trained or served, decoded by /dictionaries/model; -1 for none")
    static let jobPool = ColumnSpec<Int16>("pool", "1", "pool of servers it ran in, decoded by /dictionaries/pool")
    static let jobAcceleratorType = ColumnSpec<Int16>("accelerator_type", "1", "accelerator model of its pool, decoded by /dictionaries/accelerator_type")
    static let jobPreemptions = ColumnSpec<Int32>("preemptions", "1", "times the job was preempted")
    static let jobServers = ColumnSpec<Int32>("servers_spanned", "1", "servers its accelerators spanned at its latest start; 0 if it never started")
    static let jobLeaves = ColumnSpec<Int32>("leaves_spanned", "1", "leaf switches its accelerators spanned at its latest start; 0 if it never started")
    static let jobMilli = ColumnSpec<Int32>("gpu_milli", "1/1000", "share of each accelerator it asked for, in thousandths (1000: whole devices)")
    static let jobFlops = ColumnSpec<Double>("flops", "FLOP", "useful FLOPs delivered (all of them if completed, the part done if still running)", note: "0 for jobs that never ran")
    static let jobIngest = ColumnSpec<Int64>("ingest_ns", "ns", "time spent reading its dataset or model file before computing (io.storage)", note: "0 otherwise")
    static let jobCommunication = ColumnSpec<Double>("communication_share", "1", "share of its run spent in all-reduce not hidden behind compute (io.model: fabric)", note: "0 otherwise")
    static let jobInterruptions = ColumnSpec<Int32>("interruptions", "1", "times a failure interrupted it", note: Self.onlyWithFailures)
    static let jobWorkLost = ColumnSpec<Int64>("work_lost_ns", "ns", "work its interruptions threw away: compute since its last durable checkpoint, at full speed",
                                               note: Self.onlyWithFailures)
    static let jobEnergy = ColumnSpec<Double>("energy_kwh", "kWh", "facility energy charged to it: its accelerators at rest while it held them, what they added while it computed, its hosts' share, times the hour's PUE",
                                              note: Self.onlyWithPower)
    static let jobITEnergy = ColumnSpec<Double>("it_energy_kwh", "kWh", "IT energy charged to it (energy_kwh before the PUE)", note: Self.onlyWithPower)
    static let jobCO2 = ColumnSpec<Double>("co2_kg", "kg", "emissions of its energy: facility energy less green power, times the hour's carbon intensity", note: Self.onlyWithPower)
    /// The note of tables and columns a trace has only when its scenario has `power`.
    static let onlyWithPower = "only with `power`"
    // /power
    static let powerTime = ColumnSpec<Int64>("time_ns", "ns", "start of the interval (power.interval long; the last ends with the run)")
    static let powerIT = ColumnSpec<Double>("it_kw", "kW", "mean IT power: servers, accelerators, switches and storage")
    static let powerAccelerators = ColumnSpec<Double>("accelerator_kw", "kW", "mean power of the accelerators (part of it_kw)")
    static let powerCooling = ColumnSpec<Double>("cooling_kw", "kW", "mean power of cooling and power distribution (facility_kw - it_kw)")
    static let powerFacility = ColumnSpec<Double>("facility_kw", "kW", "mean facility power: IT power times the hour's PUE")
    static let powerFacilityPeak = ColumnSpec<Double>("facility_peak_kw", "kW", "highest facility power in the interval")
    static let powerPUE = ColumnSpec<Double>("pue", "1", "facility energy over IT energy in the interval")
    static let powerLimit = ColumnSpec<Double>("power_limit_share", "1", "lowest power limit set on busy accelerators in the interval, as a share of their uncapped draw", note: "1: not capped")
    static let powerWaiting = ColumnSpec<Int32>("jobs_waiting", "1", "jobs waiting for power at the end of the interval", note: "only under power.cap")
    static let powerCapEvents = ColumnSpec<Int32>("cap_events", "1", "times in the interval the accelerators' limit was lowered or a job had to wait for power")
    /// The note of tables and columns a trace has only when its scenario has `failures`.
    static let onlyWithFailures = "only with `failures`"
    // /failures
    static let failTime = ColumnSpec<Int64>("time_ns", "ns", "when the part failed")
    static let failPool = ColumnSpec<Int16>("pool", "1", "pool of the server or switch, decoded by /dictionaries/pool; -1 for a storage server")
    static let failServer = ColumnSpec<Int32>("server", "1", "the server, numbered in its pool's layout order; for a leaf or spine switch its index in the pool's fabric, for a storage server its index over the storage tiers in order (the servers phases add, after every declared one, tier by tier)")
    static let failComponent = ColumnSpec<Int8>("component", "1", "class of part that failed, decoded by /dictionaries/failure_component")
    static let failKind = ColumnSpec<Int8>("kind", "1", "how the part came back, decoded by /dictionaries/failure_kind", note: "transient: a reboot; repair: the part in place; spare: a hot spare swapped in")
    static let failJobs = ColumnSpec<Int32>("jobs_hit", "1", "batch jobs it interrupted (a leaf: the jobs on its servers; a spine or storage server stops none)")
    static let failReplicas = ColumnSpec<Int32>("replicas_hit", "1", "service replicas it stopped (each replaced)")
    static let failLost = ColumnSpec<Double>("work_lost_accelerator_h", "h", "accelerator-hours of work thrown away: each job's lost work times its accelerators")
    static let failDown = ColumnSpec<Int64>("down_ns", "ns", "time until the part was back in service: detection, then reboot, repair or swap")
    // /collectives
    static let collJob = ColumnSpec<Int64>("job", "1", "job id (/jobs/id)")
    static let collPool = ColumnSpec<Int16>("pool", "1", "pool, decoded by /dictionaries/pool")
    static let collAlgorithm = ColumnSpec<Int8>("algorithm", "1", "collective algorithm, decoded by /dictionaries/collective_algorithm", note: "jobs in a run use the ring, 0")
    static let collRanks = ColumnSpec<Int32>("ranks", "1", "ranks in each data-parallel ring")
    static let collRings = ColumnSpec<Int32>("rings", "1", "parallel rings (one per tensor or pipeline rank)")
    static let collBytes = ColumnSpec<Double>("bytes", "B", "bytes each rank all-reduces per iteration")
    static let collStart = ColumnSpec<Int64>("start_ns", "ns", "start of the stretch")
    static let collEnd = ColumnSpec<Int64>("end_ns", "ns", "end of the stretch")
    static let collIterations = ColumnSpec<Double>("iterations", "1", "training iterations over the stretch")
    static let collAlgbw = ColumnSpec<Double>("algbw_gbps", "GB/s", "algorithm bandwidth of one all-reduce: bytes / time (nccl-tests)")
    static let collBusbw = ColumnSpec<Double>("busbw_gbps", "GB/s", "bus bandwidth: algbw x 2(p-1)/p (nccl-tests)")
    static let collExposed = ColumnSpec<Double>("exposed_share", "1", "share of each iteration spent in all-reduce not hidden behind compute")
    // /models
    static let modelApplication = ColumnSpec<Int16>("application", "1", "application, decoded by /dictionaries/application")
    static let modelModel = ColumnSpec<Int16>("model", "1", "model, decoded by /dictionaries/model")
    static let modelVersion = ColumnSpec<Int32>("version", "1", "version of this application's model, from 1")
    static let modelSource = ColumnSpec<Int64>("source_job", "1", "the job that produced it (/jobs/id)")
    static let modelRelease = ColumnSpec<Int64>("release_ns", "ns", "when it was registered and released")
    static let modelForm = ColumnSpec<Int8>("form", "1", "how it is offered, decoded by /dictionaries/release_form", note: "0 `model_file`, 1 `service` (rolled out to the services serving that model), 2 `api` (`release.policy: api`)")
    static let modelBytes = ColumnSpec<Double>("file_bytes", "B", "size of the model file (parameters at the model's precision)")
    static let modelService = ColumnSpec<Int16>("service", "1", "the first service serving this model, decoded by /dictionaries/service; -1 for none", note: "its serving profile is in `summary.json` `services`")
    // /deployments
    static let depTime = ColumnSpec<Int64>("time_ns", "ns", "time of the event")
    static let depApplication = ColumnSpec<Int16>("application", "1", "application, decoded by /dictionaries/application")
    static let depModel = ColumnSpec<Int16>("model", "1", "model served, decoded by /dictionaries/model")
    static let depPool = ColumnSpec<Int16>("pool", "1", "pool of the replica, decoded by /dictionaries/pool", note: "a lending pool when `borrowed`")
    static let depJob = ColumnSpec<Int64>("job", "1", "the replica's job (/jobs/id)")
    static let depEvent = ColumnSpec<Int8>("event", "1", "what happened, decoded by /dictionaries/deployment_event (0 placed, 1 stopped, 2 ready)")
    static let depReplicas = ColumnSpec<Int32>("replicas", "1", "ready replicas of the service after the event")
    static let depService = ColumnSpec<Int16>("service", "1", "service, decoded by /dictionaries/service")
    static let depVersion = ColumnSpec<Int32>("version", "1", "model version the replica serves (0: the one present before the run)")
    static let depBorrowed = ColumnSpec<Int8>("borrowed", "1", "1 when the replica runs on accelerators lent by another pool")
    static let depColdStart = ColumnSpec<Int64>("cold_start_ns", "ns", "on ready rows: pulling and loading the model since placement; else 0")
    // /requests
    static let reqService = ColumnSpec<Int16>("service", "1", "service, decoded by /dictionaries/service")
    static let reqReplica = ColumnSpec<Int32>("replica", "1", "replica of the service that served it (numbered as replicas join)")
    static let reqArrival = ColumnSpec<Int64>("arrival_ns", "ns", "arrival time")
    static let reqStart = ColumnSpec<Int64>("start_ns", "ns", "when its batch started")
    static let reqFirst = ColumnSpec<Int64>("first_output_ns", "ns", "when its first output (token) was ready", note: "the first token: the batch time over the tokens per request")
    static let reqEnd = ColumnSpec<Int64>("end_ns", "ns", "when its batch ended")
    // /links
    static let linkTime = ColumnSpec<Int64>("time_ns", "ns", "start of the sample interval")
    static let linkIndex = ColumnSpec<Int32>("link", "1", "link, decoded by /dictionaries/link")
    static let linkUtilization = ColumnSpec<Double>("utilization", "1", "mean load / capacity over the interval", note: "the last interval runs to the end of the run")
    // /utilization
    static let utilTime = ColumnSpec<Int64>("time_ns", "ns", "time of the sample")
    static let utilBusy = ColumnSpec<Int32>("busy_accelerators", "1", "accelerators allocated to running jobs", note: "a device shared by several jobs counts once")
    static let utilQueued = ColumnSpec<Int32>("queued_jobs", "1", "jobs waiting in the scheduler's queue")
    static let utilRunning = ColumnSpec<Int32>("running_jobs", "1", "jobs running")
    // /utilization_pools and /utilization_tenants (the key column is `pool` or `tenant`)
    static let seriesTime = ColumnSpec<Int64>("time_ns", "ns", "time of the sample")
    static let seriesBusy = ColumnSpec<Double>("busy_accelerators", "1", "accelerators held by running jobs (a share of a device counts as that share)")
    static let seriesQueued = ColumnSpec<Int32>("queued_jobs", "1", "jobs waiting")
    static let seriesRunning = ColumnSpec<Int32>("running_jobs", "1", "jobs running")
    static func seriesKey(_ name: String, meaning: String) -> ColumnSpec<Int16> { ColumnSpec(name, "1", meaning) }
    static let poolKeyMeaning = "pool, decoded by /dictionaries/pool"
    static let tenantKeyMeaning = "tenant, decoded by /dictionaries/tenant; -1 for jobs without one"

    // /periods (a sampled run: iccsim run --sampled)
    static let onlySampled = "only in a sampled run"
    static let periodIndex = ColumnSpec<Int32>("period", "1", "the period's number, 0 first")
    static let periodStart = ColumnSpec<Double>("start_day", "d", "start of the period, days from time 0")
    static let periodEnd = ColumnSpec<Double>("end_day", "d", "end of the period")
    static let periodWindow = ColumnSpec<Double>("window_start_day", "d", "start of the sample's measured window (its warm-up before it)")
    static let periodAccelerators = ColumnSpec<Int32>("accelerators", "1", "accelerators in service in the window")
    static let periodJobs = ColumnSpec<Double>("jobs_submitted_per_day", "1/d", "batch jobs submitted per day in the window")
    static let periodOffered = ColumnSpec<Double>("offered_load", "1", "batch work submitted (accelerator-time at full speed) over installed accelerator-time")
    static let periodOfferedCI = ColumnSpec<Double>("offered_load_ci95", "1", "95% confidence half-width of offered_load: from the windows' means (two or more windows), else the daily batch means")
    static let periodUtil = ColumnSpec<Double>("utilization", "1", "busy accelerator-time (batch jobs and service replicas) over installed accelerator-time")
    static let periodUtilCI = ColumnSpec<Double>("utilization_ci95", "1", "95% confidence half-width of utilization")
    static let periodWait = ColumnSpec<Double>("wait_mean_s", "s", "mean wait of the batch jobs submitted in the window, whole (a sample runs on until they have started; one still waiting at the run's end counts its wait so far)")
    static let periodWaitCI = ColumnSpec<Double>("wait_mean_s_ci95", "s", "95% confidence half-width of wait_mean_s: from the windows' mean waits (two or more windows), else the days'")
    static let periodWaitP99 = ColumnSpec<Double>("wait_p99_s", "s", "99th percentile of the waits of the batch jobs submitted in the window (nearest rank)", note: "NaN without jobs")
    static let periodQueued = ColumnSpec<Double>("queued_jobs", "1", "batch jobs waiting, on average over the window's days")
    static let periodQueuedCI = ColumnSpec<Double>("queued_jobs_ci95", "1", "95% confidence half-width of queued_jobs")
    static let periodSLO = ColumnSpec<Double>("slo_attainment", "1", "share of the services' requests served within their latency target over the sample's run", note: "a full run's (`--periods`): of the requests arriving in the period; NaN without services")
    static let periodEnergy = ColumnSpec<Double>("energy_kwh_per_day", "kWh/d", "facility energy per day in the window", note: "0 without `power`")
    static let periodEnergyCI = ColumnSpec<Double>("energy_kwh_per_day_ci95", "kWh/d", "95% confidence half-width of energy_kwh_per_day")
    static let periodCost = ColumnSpec<Double>("cost_per_day", "currency/d", "what a day cost: the energy at each hour's tariff and the fixed costs (capital written off, maintenance, staff) of what was in the center, in the price list's currency", note: "NaN without `power`")
    static let periodCostCI = ColumnSpec<Double>("cost_per_day_ci95", "currency/d", "95% confidence half-width of cost_per_day")

    // /period_pools (each pool's figures in each period)
    static let periodPoolKey = ColumnSpec<Int16>("pool", "1", poolKeyMeaning)
    static let periodPoolAccelerators = ColumnSpec<Int32>("accelerators", "1", "the pool's accelerators in service in the window")
    static let periodPoolJobs = ColumnSpec<Double>("jobs_submitted_per_day", "1/d", "batch jobs submitted to the pool per day in the window")
    static let periodPoolOffered = ColumnSpec<Double>("offered_load", "1", "batch work submitted to the pool (accelerator-time at full speed) over its installed accelerator-time")
    static let periodPoolUtil = ColumnSpec<Double>("utilization", "1", "the pool's busy accelerator-time (batch jobs and service replicas) over its installed accelerator-time")
    static let periodPoolWait = ColumnSpec<Double>("wait_mean_s", "s", "mean wait of the batch jobs submitted to the pool in the window, whole as in /periods")
    static let periodPoolQueued = ColumnSpec<Double>("queued_jobs", "1", "batch jobs waiting for the pool, on average over the window's days")

    // /dictionaries/NAME
    static let dictionaryCode = ColumnSpec<Int16>("code", "1", "code stored in the data")

    /// The Markdown table of trace table `name`'s columns (for docs/trace-schema.md), or nil.
    static func markdown(table name: String) -> String? {
        guard let t = tables.first(where: { $0.name == name }) else { return nil }
        var lines = ["| column | type | units | meaning |", "|---|---|---|---|"]
        for c in t.columns {
            lines.append("| `\(c.name)` | \(c.typeName) | \(c.units) | \(c.longName)\(c.note.map { " (\($0))" } ?? "") |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The tables and their columns, for the schema listing.
    static let tables: [(name: String, columns: [any AnyColumnSpec])] = [
        ("jobs", [jobID, jobClass, jobSubmit, jobStart, jobEnd, jobWait, jobAccelerators, jobState, jobReject, jobKind, jobPolicy, jobApplication, jobTenant, jobModel, jobPool, jobAcceleratorType, jobPreemptions, jobServers, jobLeaves, jobMilli, jobFlops, jobIngest, jobCommunication, jobInterruptions, jobWorkLost, jobEnergy, jobITEnergy, jobCO2]),
        ("power", [powerTime, powerIT, powerAccelerators, powerCooling, powerFacility, powerFacilityPeak, powerPUE, powerLimit, powerWaiting, powerCapEvents]),
        ("failures", [failTime, failPool, failServer, failComponent, failKind, failJobs, failReplicas, failLost, failDown]),
        ("collectives", [collJob, collPool, collAlgorithm, collRanks, collRings, collBytes, collStart, collEnd, collIterations, collAlgbw, collBusbw, collExposed]),
        ("models", [modelApplication, modelModel, modelVersion, modelSource, modelRelease, modelForm, modelBytes, modelService]),
        ("deployments", [depTime, depApplication, depModel, depPool, depJob, depEvent, depReplicas, depService, depVersion, depBorrowed, depColdStart]),
        ("requests", [reqService, reqReplica, reqArrival, reqStart, reqFirst, reqEnd]),
        ("links", [linkTime, linkIndex, linkUtilization]),
        ("utilization", [utilTime, utilBusy, utilQueued, utilRunning]),
        ("utilization_pools", [seriesTime, seriesKey("pool", meaning: poolKeyMeaning), seriesBusy, seriesQueued, seriesRunning]),
        ("utilization_tenants", [seriesTime, seriesKey("tenant", meaning: tenantKeyMeaning), seriesBusy, seriesQueued, seriesRunning]),
        ("periods", [periodIndex, periodStart, periodEnd, periodWindow, periodAccelerators, periodJobs, periodOffered, periodOfferedCI,
                     periodUtil, periodUtilCI, periodWait, periodWaitCI, periodWaitP99, periodQueued, periodQueuedCI, periodSLO, periodEnergy, periodEnergyCI,
                     periodCost, periodCostCI]),
        ("period_pools", [periodIndex, periodPoolKey, periodPoolAccelerators, periodPoolJobs, periodPoolOffered, periodOfferedCI, periodPoolUtil,
                          periodUtilCI, periodPoolWait, periodWaitCI, periodPoolQueued, periodQueuedCI]),
    ]
}

/// The trace's tables as the writer declares them, for `iccsim export trace-schema` and the
/// tables of `docs/trace-schema.md`.
public enum TraceSchema {
    /// The tables (groups of `trace.h5`), in the order the writer creates them.
    public static var tableNames: [String] { TraceColumns.tables.map(\.name) }

    /// The Markdown table of `table`'s columns (column, type, units, meaning), or nil.
    public static func markdown(table: String) -> String? { TraceColumns.markdown(table: table) }
}
