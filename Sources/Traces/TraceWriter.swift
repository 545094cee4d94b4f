import Aggregation
import CHDF5
import Center
import Foundation
import Release
import Scheduling
import Workloads

/// What goes into a trace's root attributes.
public struct TraceMetadata: Sendable {
    public var softwareVersion: String
    public var scenarioName: String
    public var seed: UInt64
    public var runIndex: UInt64
    public var policy: String
    public var scenarioYAML: String

    public init(softwareVersion: String, scenarioName: String, seed: UInt64, runIndex: UInt64, policy: String, scenarioYAML: String) {
        self.softwareVersion = softwareVersion
        self.scenarioName = scenarioName
        self.seed = seed
        self.runIndex = runIndex
        self.policy = policy
        self.scenarioYAML = scenarioYAML
    }
}

/// Streams a run's records into an HDF5 trace (`trace.h5`), laid out as `docs/trace-schema.md`
/// describes: one group per table, one chunked, compressed column per field.
///
/// Records are buffered a chunk at a time, so memory is bounded whatever the run's length.
/// A write error is kept and reported by ``close()``; later records are dropped.
public final class TraceWriter: RecordSink, DemandNamesReceiver {
    /// The schema this writer produces.
    public static let schemaName = "iccsim-trace"
    public static let schemaVersion = "1.4.0"

    private let file: hid_t
    private var groups: [hid_t] = []
    private var columns: [any AnyTraceColumn] = []
    private var firstError: (any Error)?
    private var closed = false

    // /jobs
    private let jobID, jobSubmit, jobStart, jobEnd, jobWait, jobIngest: TraceColumn<Int64>
    private let jobClass, jobAccelerators: TraceColumn<Int32>
    private let jobState, jobReject, jobKind, jobPolicy: TraceColumn<Int8>
    /// The run's policy code (``SchedulingPolicies/names`` index).
    private let policyCode: Int8
    private let jobApplication, jobTenant, jobModel, jobPool, jobAcceleratorType: TraceColumn<Int16>
    private let jobPreemptions, jobServers, jobLeaves, jobMilli: TraceColumn<Int32>
    private let jobFlops, jobCommunication: TraceColumn<Double>
    // /collectives
    private let collJob, collStart, collEnd: TraceColumn<Int64>
    private let collPool: TraceColumn<Int16>
    private let collAlgorithm: TraceColumn<Int8>
    private let collRanks, collRings: TraceColumn<Int32>
    private let collBytes, collIterations, collAlgbw, collBusbw, collExposed: TraceColumn<Double>
    // /models and /deployments
    private let modelApplication, modelModel: TraceColumn<Int16>
    private let modelVersion: TraceColumn<Int32>
    private let modelSource, modelRelease: TraceColumn<Int64>
    private let modelForm: TraceColumn<Int8>
    private let modelBytes: TraceColumn<Double>
    private let modelService: TraceColumn<Int16>
    private let depTime, depJob: TraceColumn<Int64>
    private let depApplication, depModel, depPool: TraceColumn<Int16>
    private let depEvent: TraceColumn<Int8>
    private let depReplicas: TraceColumn<Int32>
    private let depService: TraceColumn<Int16>
    private let depVersion: TraceColumn<Int32>
    private let depBorrowed: TraceColumn<Int8>
    private let depColdStart: TraceColumn<Int64>
    // /requests (request-level services, sampled)
    private let reqService: TraceColumn<Int16>
    private let reqReplica: TraceColumn<Int32>
    private let reqArrival, reqStart, reqFirst, reqEnd: TraceColumn<Int64>
    // /links
    private let linkTime: TraceColumn<Int64>
    private let linkIndex: TraceColumn<Int32>
    private let linkUtilization: TraceColumn<Double>
    private let dictionaries: hid_t
    /// Accelerator-type code of each pool (set when the run's names arrive).
    private var poolAcceleratorType: [Int16] = []
    // /utilization
    private let utilTime: TraceColumn<Int64>
    private let utilBusy, utilQueued, utilRunning: TraceColumn<Int32>
    // /utilization_pools and /utilization_tenants
    private let poolSeries, tenantSeries: GroupSeriesColumns

    /// Creates the file at `path` (replacing any file there).
    public init(path: String, metadata: TraceMetadata, chunkRows: Int = 65_536, deflateLevel: UInt32 = 4) throws {
        iccsim_h5_prepare()
        policyCode = Int8(SchedulingPolicies.names.firstIndex(of: metadata.policy) ?? -1)
        let fcpl = try H5.untimedPlist(iccsim_h5p_file_create())
        defer { H5Pclose(fcpl) }
        file = try H5.check(id: H5Fcreate(path, iccsim_h5f_acc_trunc(), fcpl, iccsim_h5p_default()), "create '\(path)'")
        do {
            try H5.setAttribute(file, "schema_name", Self.schemaName)
            try H5.setAttribute(file, "schema_version", Self.schemaVersion)
            try H5.setAttribute(file, "software_version", metadata.softwareVersion)
            try H5.setAttribute(file, "scenario_name", metadata.scenarioName)
            try H5.setAttribute(file, "seed", Int64(bitPattern: metadata.seed))
            try H5.setAttribute(file, "run_index", Int64(bitPattern: metadata.runIndex))
            try H5.setAttribute(file, "policy", metadata.policy)
            try H5.setAttribute(file, "scenario_yaml", metadata.scenarioYAML)

            let jobs = try H5.createGroup(file, "jobs")
            let util = try H5.createGroup(file, "utilization")
            let dict = try H5.createGroup(file, "dictionaries")
            let utilPools = try H5.createGroup(file, "utilization_pools")
            let utilTenants = try H5.createGroup(file, "utilization_tenants")
            let coll = try H5.createGroup(file, "collectives")
            let links = try H5.createGroup(file, "links")
            let models = try H5.createGroup(file, "models")
            let deployments = try H5.createGroup(file, "deployments")
            let requests = try H5.createGroup(file, "requests")
            groups = [jobs, util, dict, utilPools, utilTenants, coll, links, models, deployments, requests]
            try H5.setAttribute(requests, "long_name", "sampled requests of request-level services (every k-th, services' requestSample)")
            try H5.setAttribute(models, "long_name", "one row per model version registered by a finished training, fine-tuning or compression job")
            try H5.setAttribute(deployments, "long_name", "one row per service replica placed, ready or stopped, with the service's ready replicas after it")
            try H5.setAttribute(coll, "long_name", "one row per stretch of a job's run at one all-reduce speed (io.model: fabric)")
            try H5.setAttribute(links, "long_name", "mean utilisation of the busiest leaf-spine links per sample interval (io.model: fabric)")
            try H5.setAttribute(utilPools, "long_name", "each pool's state at the end of every instant at which it changed")
            try H5.setAttribute(utilTenants, "long_name", "each tenant's state at the end of every instant at which it changed")
            dictionaries = dict
            try H5.setAttribute(jobs, "long_name", "one row per submitted job, written when it ends (or at the end of the run)")
            try H5.setAttribute(util, "long_name", "cluster state at the end of every instant at which it changed")
            func col<T: ColumnElement>(_ g: hid_t, _ name: String, _ units: String, _ long: String) throws -> TraceColumn<T> {
                try TraceColumn<T>(in: g, ColumnInfo(name: name, units: units, longName: long), chunk: chunkRows, deflateLevel: deflateLevel)
            }
            jobID = try col(jobs, "id", "1", "job id, in submission order")
            jobClass = try col(jobs, "job_class", "1", "index of the job class in the scenario's workload.classes; -1 for listed jobs")
            jobSubmit = try col(jobs, "submit_ns", "ns", "submission time")
            jobStart = try col(jobs, "start_ns", "ns", "start time; -1 if it never started")
            jobEnd = try col(jobs, "end_ns", "ns", "end time; -1 if it did not end")
            jobWait = try col(jobs, "wait_ns", "ns", "start minus submission; -1 if it never started")
            jobAccelerators = try col(jobs, "accelerators", "1", "accelerators allocated at once (gang)")
            jobState = try col(jobs, "state", "1", "final state, decoded by /dictionaries/job_state")
            jobReject = try col(jobs, "reject_reason", "1", "why it was rejected, decoded by /dictionaries/reject_reason")
            jobKind = try col(jobs, "kind", "1", "kind of work, decoded by /dictionaries/job_kind")
            jobPolicy = try col(jobs, "policy", "1", "scheduling policy of its pool, decoded by /dictionaries/policy")
            jobApplication = try col(jobs, "application", "1", "application scenario, decoded by /dictionaries/application; -1 for none")
            jobTenant = try col(jobs, "tenant", "1", "tenant, decoded by /dictionaries/tenant; -1 for none")
            jobModel = try col(jobs, "model", "1", "model trained or served, decoded by /dictionaries/model; -1 for none")
            jobPool = try col(jobs, "pool", "1", "pool of servers it ran in, decoded by /dictionaries/pool")
            jobAcceleratorType = try col(jobs, "accelerator_type", "1", "accelerator model of its pool, decoded by /dictionaries/accelerator_type")
            jobPreemptions = try col(jobs, "preemptions", "1", "times the job was preempted")
            jobServers = try col(jobs, "servers_spanned", "1", "servers its accelerators spanned at its latest start; 0 if it never started")
            jobLeaves = try col(jobs, "leaves_spanned", "1", "leaf switches its accelerators spanned at its latest start; 0 if it never started")
            jobMilli = try col(jobs, "gpu_milli", "1/1000", "share of each accelerator it asked for, in thousandths (1000: whole devices)")
            jobFlops = try col(jobs, "flops", "FLOP", "useful FLOPs delivered (all of them if completed, the part done if still running)")
            jobIngest = try col(jobs, "ingest_ns", "ns", "time spent reading its dataset or model file before computing (io.storage)")
            jobCommunication = try col(jobs, "communication_share", "1", "share of its run spent in all-reduce not hidden behind compute (io.model: fabric)")
            collJob = try col(coll, "job", "1", "job id (/jobs/id)")
            collPool = try col(coll, "pool", "1", "pool, decoded by /dictionaries/pool")
            collAlgorithm = try col(coll, "algorithm", "1", "collective algorithm, decoded by /dictionaries/collective_algorithm")
            collRanks = try col(coll, "ranks", "1", "ranks in each data-parallel ring")
            collRings = try col(coll, "rings", "1", "parallel rings (one per tensor or pipeline rank)")
            collBytes = try col(coll, "bytes", "B", "bytes each rank all-reduces per iteration")
            collStart = try col(coll, "start_ns", "ns", "start of the stretch")
            collEnd = try col(coll, "end_ns", "ns", "end of the stretch")
            collIterations = try col(coll, "iterations", "1", "training iterations over the stretch")
            collAlgbw = try col(coll, "algbw_gbps", "GB/s", "algorithm bandwidth of one all-reduce: bytes / time (nccl-tests)")
            collBusbw = try col(coll, "busbw_gbps", "GB/s", "bus bandwidth: algbw x 2(p-1)/p (nccl-tests)")
            collExposed = try col(coll, "exposed_share", "1", "share of each iteration spent in all-reduce not hidden behind compute")
            modelApplication = try col(models, "application", "1", "application, decoded by /dictionaries/application")
            modelModel = try col(models, "model", "1", "model, decoded by /dictionaries/model")
            modelVersion = try col(models, "version", "1", "version of this application's model, from 1")
            modelSource = try col(models, "source_job", "1", "the job that produced it (/jobs/id)")
            modelRelease = try col(models, "release_ns", "ns", "when it was registered and released")
            modelForm = try col(models, "form", "1", "how it is offered, decoded by /dictionaries/release_form")
            modelBytes = try col(models, "file_bytes", "B", "size of the model file (parameters at the model's precision)")
            modelService = try col(models, "service", "1", "the first service serving this model, decoded by /dictionaries/service; -1 for none")
            depTime = try col(deployments, "time_ns", "ns", "time of the event")
            depApplication = try col(deployments, "application", "1", "application, decoded by /dictionaries/application")
            depModel = try col(deployments, "model", "1", "model served, decoded by /dictionaries/model")
            depPool = try col(deployments, "pool", "1", "pool of the replica, decoded by /dictionaries/pool")
            depJob = try col(deployments, "job", "1", "the replica's job (/jobs/id)")
            depEvent = try col(deployments, "event", "1", "what happened, decoded by /dictionaries/deployment_event (0 placed, 1 stopped, 2 ready)")
            depReplicas = try col(deployments, "replicas", "1", "ready replicas of the service after the event")
            depService = try col(deployments, "service", "1", "service, decoded by /dictionaries/service")
            depVersion = try col(deployments, "version", "1", "model version the replica serves (0: the one present before the run)")
            depBorrowed = try col(deployments, "borrowed", "1", "1 when the replica runs on accelerators lent by another pool")
            depColdStart = try col(deployments, "cold_start_ns", "ns", "on ready rows: pulling and loading the model since placement; else 0")
            reqService = try col(requests, "service", "1", "service, decoded by /dictionaries/service")
            reqReplica = try col(requests, "replica", "1", "replica of the service that served it (numbered as replicas join)")
            reqArrival = try col(requests, "arrival_ns", "ns", "arrival time")
            reqStart = try col(requests, "start_ns", "ns", "when its batch started")
            reqFirst = try col(requests, "first_output_ns", "ns", "when its first output (token) was ready")
            reqEnd = try col(requests, "end_ns", "ns", "when its batch ended")
            linkTime = try col(links, "time_ns", "ns", "start of the sample interval")
            linkIndex = try col(links, "link", "1", "link, decoded by /dictionaries/link")
            linkUtilization = try col(links, "utilization", "1", "mean load / capacity over the interval")
            utilTime = try col(util, "time_ns", "ns", "time of the sample")
            utilBusy = try col(util, "busy_accelerators", "1", "accelerators allocated to running jobs")
            utilQueued = try col(util, "queued_jobs", "1", "jobs waiting in the scheduler's queue")
            utilRunning = try col(util, "running_jobs", "1", "jobs running")
            poolSeries = try GroupSeriesColumns(utilPools, key: "pool", keyMeaning: "pool, decoded by /dictionaries/pool",
                                                chunk: chunkRows, deflate: deflateLevel)
            tenantSeries = try GroupSeriesColumns(utilTenants, key: "tenant", keyMeaning: "tenant, decoded by /dictionaries/tenant; -1 for jobs without one",
                                                  chunk: chunkRows, deflate: deflateLevel)
            columns = poolSeries.all + tenantSeries.all + [jobID, jobClass, jobSubmit, jobStart, jobEnd, jobWait, jobAccelerators, jobState, jobReject, jobKind, jobPolicy,
                       jobApplication, jobTenant, jobModel, jobPool, jobAcceleratorType, jobPreemptions, jobServers, jobLeaves, jobMilli, jobFlops, jobCommunication, jobIngest,
                       collJob, collPool, collAlgorithm, collRanks, collRings, collBytes, collStart, collEnd, collIterations, collAlgbw, collBusbw, collExposed,
                       modelApplication, modelModel, modelVersion, modelSource, modelRelease, modelForm, modelBytes, modelService,
                       depTime, depApplication, depModel, depPool, depJob, depEvent, depReplicas, depService, depVersion, depBorrowed, depColdStart,
                       reqService, reqReplica, reqArrival, reqStart, reqFirst, reqEnd,
                       linkTime, linkIndex, linkUtilization, utilTime, utilBusy, utilQueued, utilRunning]
            try writeDictionary(dict, "job_state", JobState.allCases.map { (Int64($0.rawValue), $0.name) })
            try writeDictionary(dict, "reject_reason", RejectReason.allCases.map { (Int64($0.rawValue), $0.name) })
            try writeDictionary(dict, "job_kind", JobKind.allCases.map { (Int64($0.rawValue), $0.name) })
            try writeDictionary(dict, "policy", SchedulingPolicies.names.enumerated().map { (Int64($0.offset), $0.element) })
            try writeDictionary(dict, "release_form", ReleaseForm.allCases.map { (Int64($0.rawValue), $0.name) })
            try writeDictionary(dict, "deployment_event", [(0, "placed"), (1, "stopped"), (2, "ready")])
            try writeDictionary(dict, "collective_algorithm", CollectiveAlgorithm.allCases.enumerated().map { (Int64($0.offset), $0.element.rawValue) })
        } catch {
            // The file failed: leave it alone (see close()).
            closed = true
            throw error
        }
    }

    private func writeDictionary(_ parent: hid_t, _ name: String, _ entries: [(Int64, String)]) throws {
        let g = try H5.createGroup(parent, name)
        try H5.setAttribute(g, "long_name", "code -> name for \(name) columns")
        let codes = try TraceColumn<Int16>(in: g, ColumnInfo(name: "code", units: "1", longName: "code stored in the data"),
                                           chunk: max(1, entries.count), deflateLevel: 0)
        for (c, _) in entries { try codes.append(Int16(c)) }
        try codes.flush()
        try codes.close()
        try H5.writeStrings(g, "name", entries.map(\.1))
        try H5.check(H5Gclose(g), "close group '\(name)'")
    }

    /// Writes the run's name dictionaries (application, tenant, model, pool, accelerator_type).
    public func receive(_ names: DemandNames) {
        guard firstError == nil else { return }
        var types: [String] = []
        poolAcceleratorType = names.poolAccelerators.map { DemandNames.intern($0, in: &types) }
        do {
            func list(_ name: String, _ values: [String]) throws {
                try writeDictionary(dictionaries, name, values.enumerated().map { (Int64($0.offset), $0.element) })
            }
            try list("application", names.applications)
            try list("tenant", names.tenants)
            try list("tenant_type", names.tenantTypes.map(\.rawValue))
            try list("model", names.models)
            try list("pool", names.pools)
            try list("accelerator_type", types)
            try list("service", names.services)
        } catch { firstError = error }
    }

    public func record(job r: JobRecord) {
        guard firstError == nil else { return }
        do {
            try jobID.append(r.id)
            try jobClass.append(r.jobClass)
            try jobSubmit.append(r.submitNs)
            try jobStart.append(r.startNs)
            try jobEnd.append(r.endNs)
            try jobWait.append(r.waitNs)
            try jobAccelerators.append(r.accelerators)
            try jobState.append(r.state.rawValue)
            try jobReject.append(r.rejectReason.rawValue)
            try jobKind.append(Int8(r.kind.rawValue))
            try jobPolicy.append(policyCode)
            try jobApplication.append(r.application)
            try jobTenant.append(r.tenant)
            try jobModel.append(r.model)
            try jobPool.append(r.pool)
            try jobAcceleratorType.append(Int(r.pool) < poolAcceleratorType.count ? poolAcceleratorType[Int(r.pool)] : -1)
            try jobPreemptions.append(r.preemptions)
            try jobServers.append(r.serversSpanned)
            try jobLeaves.append(r.leavesSpanned)
            try jobMilli.append(r.milli)
            try jobFlops.append(r.flops)
            try jobCommunication.append(r.communicationShare)
            try jobIngest.append(r.ingestNs)
        } catch { firstError = error }
    }

    public func record(collective c: CollectiveRecord) {
        guard firstError == nil else { return }
        do {
            try collJob.append(c.job)
            try collPool.append(c.pool)
            try collAlgorithm.append(c.algorithm)
            try collRanks.append(c.ranks)
            try collRings.append(c.rings)
            try collBytes.append(c.bytes)
            try collStart.append(c.startNs)
            try collEnd.append(c.endNs)
            try collIterations.append(c.iterations)
            try collAlgbw.append(c.algbwGBps)
            try collBusbw.append(c.busbwGBps)
            try collExposed.append(c.exposedShare)
        } catch { firstError = error }
    }

    public func record(model v: ModelVersion) {
        guard firstError == nil else { return }
        do {
            try modelApplication.append(v.application)
            try modelModel.append(v.model)
            try modelVersion.append(v.version)
            try modelSource.append(v.sourceJob)
            try modelRelease.append(v.releaseNs)
            try modelForm.append(v.form.rawValue)
            try modelBytes.append(v.fileBytes)
            try modelService.append(v.service)
        } catch { firstError = error }
    }

    public func record(deployment d: DeploymentEvent) {
        guard firstError == nil else { return }
        do {
            try depTime.append(d.timeNs)
            try depApplication.append(d.application)
            try depModel.append(d.model)
            try depPool.append(d.pool)
            try depJob.append(d.job)
            try depEvent.append(d.event)
            try depReplicas.append(d.replicas)
            try depService.append(d.service)
            try depVersion.append(d.version)
            try depBorrowed.append(d.borrowed ? 1 : 0)
            try depColdStart.append(d.coldStartNs)
        } catch { firstError = error }
    }

    public func record(request q: RequestRecord) {
        guard firstError == nil else { return }
        do {
            try reqService.append(q.service)
            try reqReplica.append(q.replica)
            try reqArrival.append(q.arrivalNs)
            try reqStart.append(q.startNs)
            try reqFirst.append(q.firstOutputNs)
            try reqEnd.append(q.endNs)
        } catch { firstError = error }
    }

    public func record(links names: [String], samples: [LinkSample]) {
        guard firstError == nil else { return }
        do {
            try writeDictionary(dictionaries, "link", names.enumerated().map { (Int64($0.offset), $0.element) })
            for x in samples {
                try linkTime.append(x.timeNs)
                try linkIndex.append(x.link)
                try linkUtilization.append(x.utilization)
            }
        } catch { firstError = error }
    }

    public func record(utilization s: UtilizationSample) {
        guard firstError == nil else { return }
        do {
            try utilTime.append(s.timeNs)
            try utilBusy.append(s.busyAccelerators)
            try utilQueued.append(s.queuedJobs)
            try utilRunning.append(s.runningJobs)
        } catch { firstError = error }
    }

    public func record(pool s: GroupSample) {
        guard firstError == nil else { return }
        do { try poolSeries.append(s) } catch { firstError = error }
    }

    public func record(tenant s: GroupSample) {
        guard firstError == nil else { return }
        do { try tenantSeries.append(s) } catch { firstError = error }
    }

    /// Flushes every column and closes the file; throws the first error met while writing.
    /// After an HDF5 call failed (a full disk, say) the file is left alone: calling into a
    /// failed file can crash the library, and the caller discards the output anyway.
    public func close() throws {
        guard !closed else { return }
        closed = true
        if firstError == nil {
            do {
                for c in columns { try c.flush() }
                for c in columns { try c.close() }
                for g in groups { try H5.check(H5Gclose(g), "close a group") }
                try H5.check(H5Fclose(file), "close the trace")
            } catch { firstError = error }
        }
        if let e = firstError { throw e }
    }

    deinit { try? close() }
}

/// The columns of a per-pool or per-tenant utilisation table.
struct GroupSeriesColumns {
    let time: TraceColumn<Int64>
    let key: TraceColumn<Int16>
    let busy: TraceColumn<Double>
    let queued, running: TraceColumn<Int32>

    init(_ g: hid_t, key name: String, keyMeaning: String, chunk: Int, deflate: UInt32) throws {
        func col<T: ColumnElement>(_ column: String, _ units: String, _ long: String) throws -> TraceColumn<T> {
            try TraceColumn<T>(in: g, ColumnInfo(name: column, units: units, longName: long), chunk: chunk, deflateLevel: deflate)
        }
        time = try col("time_ns", "ns", "time of the sample")
        key = try col(name, "1", keyMeaning)
        busy = try col("busy_accelerators", "1", "accelerators held by running jobs (a share of a device counts as that share)")
        queued = try col("queued_jobs", "1", "jobs waiting")
        running = try col("running_jobs", "1", "jobs running")
    }

    var all: [any AnyTraceColumn] { [time, key, busy, queued, running] }

    func append(_ s: GroupSample) throws {
        try time.append(s.timeNs)
        try key.append(s.group)
        try busy.append(s.busyAccelerators)
        try queued.append(s.queuedJobs)
        try running.append(s.runningJobs)
    }
}
