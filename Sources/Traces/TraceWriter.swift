import Aggregation
import CHDF5
import Center
import Production
import Foundation
import Records
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
    /// Whether the run models failures (the trace then has `/failures` and the `/jobs` columns
    /// of interruptions and work lost).
    public var failures = false
    /// Whether the run models the facility's power (the trace then has `/power` and the `/jobs`
    /// column of energy).
    public var power = false
    /// Whether the run reports periods (`--sampled` or `--periods`: the trace then has
    /// `/periods` and `/period_pools`, ``TraceWriter/record(periods:pools:)``).
    public var periods = false
    /// The overrides the run was given (`--set`, `--policy`, `--warmup`), recorded as the root
    /// attribute `overrides` when there are any.
    public var overrides: [String] = []
    /// The share of jobs whose `/jobs` rows are written (1: all), chosen by a hash of the job
    /// id (``TraceWriter/keepsRow(ofJob:rate:)``), recorded as the `/jobs` attribute
    /// `sample_rate` when below 1; the summary always counts every job.
    public var jobsSampleRate = 1.0

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
    public static let schemaVersion = "1.7.0"
    /// The version a trace without periods declares (1.7.0 added `/period_pools` and
    /// `/periods/queued_jobs`).
    public static let schemaVersionWithoutPeriods = "1.6.0"
    /// The version a trace without `/power` declares (1.6.0 added `/power` and `/jobs/energy_kwh`).
    public static let schemaVersionWithoutPower = "1.5.0"
    /// The version a trace without what 1.5.0 added declares (the earliest schema that describes
    /// it: 1.5.0 added `/failures`, the `/jobs` columns of interruptions and work lost, and the
    /// `overrides` attribute), so a run without them writes the same bytes as before.
    public static let schemaVersionWithoutFailures = "1.4.0"

    private let file: hid_t
    private var groups: [hid_t] = []
    private var columns: [any AnyTraceColumn] = []
    private var firstError: (any Error)?
    private var closed = false
    /// Writes the full chunks on a background thread (every other call waits for it to empty).
    private let writes = TraceWriteQueue()

    // /jobs
    private let jobID, jobSubmit, jobStart, jobEnd, jobWait, jobIngest: TraceColumn<Int64>
    private let jobClass, jobAccelerators: TraceColumn<Int32>
    private let jobState, jobReject, jobKind, jobPolicy: TraceColumn<Int8>
    /// The run's policy code (``SchedulingPolicies/names`` index).
    private let policyCode: Int8
    private let jobApplication, jobTenant, jobModel, jobPool, jobAcceleratorType: TraceColumn<Int16>
    private let jobPreemptions, jobServers, jobLeaves, jobMilli: TraceColumn<Int32>
    private let jobFlops, jobCommunication: TraceColumn<Double>
    /// With failures only: /jobs' interruptions and work lost, and /failures.
    private let failures: FailureColumns?
    /// With power only: /jobs' energy, and /power.
    private let power: PowerColumns?
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
    /// Every table's deflate level (the dictionaries' small code columns aside).
    private let deflateLevel: UInt32

    /// Creates the file at `path` (replacing any file there). Deflate level 1 by default: on the
    /// shuffled columns it writes files 2–3% larger than level 4 at about two-thirds of the
    /// compression time (the national hub's 2 days: 1.2 s less CPU, and the run no longer waits
    /// at its end for the compression thread to catch up).
    public init(path: String, metadata: TraceMetadata, chunkRows: Int = 65_536, deflateLevel: UInt32 = 1) throws {
        iccsim_h5_prepare()
        self.deflateLevel = deflateLevel
        policyCode = Int8(SchedulingPolicies.names.firstIndex(of: metadata.policy) ?? -1)
        jobsSampleRate = metadata.jobsSampleRate
        let fcpl = try H5.untimedPlist(iccsim_h5p_file_create())
        defer { H5Pclose(fcpl) }
        file = try H5.check(id: H5Fcreate(path, iccsim_h5f_acc_trunc(), fcpl, iccsim_h5p_default()), "create '\(path)'")
        do {
            try H5.setAttribute(file, "schema_name", Self.schemaName)
            try H5.setAttribute(file, "schema_version", metadata.periods ? Self.schemaVersion : metadata.power ? Self.schemaVersionWithoutPeriods
                                : metadata.failures || !metadata.overrides.isEmpty ? Self.schemaVersionWithoutPower : Self.schemaVersionWithoutFailures)
            try H5.setAttribute(file, "software_version", metadata.softwareVersion)
            try H5.setAttribute(file, "scenario_name", metadata.scenarioName)
            try H5.setAttribute(file, "seed", Int64(bitPattern: metadata.seed))
            try H5.setAttribute(file, "run_index", Int64(bitPattern: metadata.runIndex))
            try H5.setAttribute(file, "policy", metadata.policy)
            try H5.setAttribute(file, "scenario_yaml", metadata.scenarioYAML)
            if !metadata.overrides.isEmpty { try H5.setAttribute(file, "overrides", metadata.overrides.joined(separator: "\n")) }

            let jobs = try H5.createGroup(file, "jobs")
            if metadata.jobsSampleRate < 1 { try H5.setAttribute(jobs, "sample_rate", metadata.jobsSampleRate) }
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
            var failureGroup: hid_t?
            if metadata.failures {
                let g = try H5.createGroup(file, "failures")
                groups.append(g)
                try H5.setAttribute(g, "long_name", "one row per failure that took a server out of service (failures)")
                failureGroup = g
            }
            var powerGroup: hid_t?
            if metadata.power {
                let g = try H5.createGroup(file, "power")
                groups.append(g)
                try H5.setAttribute(g, "long_name", "the facility's power, one row per interval (power)")
                powerGroup = g
            }
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
            let col = ColumnMaker(chunk: chunkRows, deflate: deflateLevel, writes: writes)
            jobID = try col(jobs, TraceColumns.jobID)
            jobClass = try col(jobs, TraceColumns.jobClass)
            jobSubmit = try col(jobs, TraceColumns.jobSubmit)
            jobStart = try col(jobs, TraceColumns.jobStart)
            jobEnd = try col(jobs, TraceColumns.jobEnd)
            jobWait = try col(jobs, TraceColumns.jobWait)
            jobAccelerators = try col(jobs, TraceColumns.jobAccelerators)
            jobState = try col(jobs, TraceColumns.jobState)
            jobReject = try col(jobs, TraceColumns.jobReject)
            jobKind = try col(jobs, TraceColumns.jobKind)
            jobPolicy = try col(jobs, TraceColumns.jobPolicy)
            jobApplication = try col(jobs, TraceColumns.jobApplication)
            jobTenant = try col(jobs, TraceColumns.jobTenant)
            jobModel = try col(jobs, TraceColumns.jobModel)
            jobPool = try col(jobs, TraceColumns.jobPool)
            jobAcceleratorType = try col(jobs, TraceColumns.jobAcceleratorType)
            jobPreemptions = try col(jobs, TraceColumns.jobPreemptions)
            jobServers = try col(jobs, TraceColumns.jobServers)
            jobLeaves = try col(jobs, TraceColumns.jobLeaves)
            jobMilli = try col(jobs, TraceColumns.jobMilli)
            jobFlops = try col(jobs, TraceColumns.jobFlops)
            jobIngest = try col(jobs, TraceColumns.jobIngest)
            jobCommunication = try col(jobs, TraceColumns.jobCommunication)
            collJob = try col(coll, TraceColumns.collJob)
            collPool = try col(coll, TraceColumns.collPool)
            collAlgorithm = try col(coll, TraceColumns.collAlgorithm)
            collRanks = try col(coll, TraceColumns.collRanks)
            collRings = try col(coll, TraceColumns.collRings)
            collBytes = try col(coll, TraceColumns.collBytes)
            collStart = try col(coll, TraceColumns.collStart)
            collEnd = try col(coll, TraceColumns.collEnd)
            collIterations = try col(coll, TraceColumns.collIterations)
            collAlgbw = try col(coll, TraceColumns.collAlgbw)
            collBusbw = try col(coll, TraceColumns.collBusbw)
            collExposed = try col(coll, TraceColumns.collExposed)
            modelApplication = try col(models, TraceColumns.modelApplication)
            modelModel = try col(models, TraceColumns.modelModel)
            modelVersion = try col(models, TraceColumns.modelVersion)
            modelSource = try col(models, TraceColumns.modelSource)
            modelRelease = try col(models, TraceColumns.modelRelease)
            modelForm = try col(models, TraceColumns.modelForm)
            modelBytes = try col(models, TraceColumns.modelBytes)
            modelService = try col(models, TraceColumns.modelService)
            depTime = try col(deployments, TraceColumns.depTime)
            depApplication = try col(deployments, TraceColumns.depApplication)
            depModel = try col(deployments, TraceColumns.depModel)
            depPool = try col(deployments, TraceColumns.depPool)
            depJob = try col(deployments, TraceColumns.depJob)
            depEvent = try col(deployments, TraceColumns.depEvent)
            depReplicas = try col(deployments, TraceColumns.depReplicas)
            depService = try col(deployments, TraceColumns.depService)
            depVersion = try col(deployments, TraceColumns.depVersion)
            depBorrowed = try col(deployments, TraceColumns.depBorrowed)
            depColdStart = try col(deployments, TraceColumns.depColdStart)
            reqService = try col(requests, TraceColumns.reqService)
            reqReplica = try col(requests, TraceColumns.reqReplica)
            reqArrival = try col(requests, TraceColumns.reqArrival)
            reqStart = try col(requests, TraceColumns.reqStart)
            reqFirst = try col(requests, TraceColumns.reqFirst)
            reqEnd = try col(requests, TraceColumns.reqEnd)
            linkTime = try col(links, TraceColumns.linkTime)
            linkIndex = try col(links, TraceColumns.linkIndex)
            linkUtilization = try col(links, TraceColumns.linkUtilization)
            utilTime = try col(util, TraceColumns.utilTime)
            utilBusy = try col(util, TraceColumns.utilBusy)
            utilQueued = try col(util, TraceColumns.utilQueued)
            utilRunning = try col(util, TraceColumns.utilRunning)
            failures = try failureGroup.map { try FailureColumns(jobs: jobs, failures: $0, columns: col) }
            power = try powerGroup.map { try PowerColumns(jobs: jobs, power: $0, columns: col) }
            poolSeries = try GroupSeriesColumns(utilPools, key: "pool", keyMeaning: TraceColumns.poolKeyMeaning, columns: col)
            tenantSeries = try GroupSeriesColumns(utilTenants, key: "tenant", keyMeaning: TraceColumns.tenantKeyMeaning, columns: col)
            columns = poolSeries.all + tenantSeries.all + [jobID, jobClass, jobSubmit, jobStart, jobEnd, jobWait, jobAccelerators, jobState, jobReject, jobKind, jobPolicy,
                       jobApplication, jobTenant, jobModel, jobPool, jobAcceleratorType, jobPreemptions, jobServers, jobLeaves, jobMilli, jobFlops, jobCommunication, jobIngest,
                       collJob, collPool, collAlgorithm, collRanks, collRings, collBytes, collStart, collEnd, collIterations, collAlgbw, collBusbw, collExposed,
                       modelApplication, modelModel, modelVersion, modelSource, modelRelease, modelForm, modelBytes, modelService,
                       depTime, depApplication, depModel, depPool, depJob, depEvent, depReplicas, depService, depVersion, depBorrowed, depColdStart,
                       reqService, reqReplica, reqArrival, reqStart, reqFirst, reqEnd,
                       linkTime, linkIndex, linkUtilization, utilTime, utilBusy, utilQueued, utilRunning] + (failures?.all ?? []) + (power?.all ?? [])
            try writeDictionary(dict, "job_state", JobState.allCases.map { (Int64($0.rawValue), $0.name) })
            try writeDictionary(dict, "reject_reason", RejectReason.allCases.map { (Int64($0.rawValue), $0.name) })
            try writeDictionary(dict, "job_kind", JobKind.allCases.map { (Int64($0.rawValue), $0.name) })
            try writeDictionary(dict, "policy", SchedulingPolicies.names.enumerated().map { (Int64($0.offset), $0.element) })
            try writeDictionary(dict, "release_form", ReleaseForm.allCases.map { (Int64($0.rawValue), $0.name) })
            try writeDictionary(dict, "deployment_event", [(0, "placed"), (1, "stopped"), (2, "ready")])
            try writeDictionary(dict, "collective_algorithm", CollectiveAlgorithm.allCases.enumerated().map { (Int64($0.offset), $0.element.rawValue) })
            if failures != nil {
                try writeDictionary(dict, "failure_component", FailureComponent.allCases.enumerated().map { (Int64($0.offset), $0.element.rawValue) })
                try writeDictionary(dict, "failure_kind", FailureRecord.Kind.allCases.map { (Int64($0.rawValue), $0.name) })
            }
        } catch {
            // The file failed: leave it alone (see close()).
            closed = true
            throw error
        }
    }

    private func writeDictionary(_ parent: hid_t, _ name: String, _ entries: [(Int64, String)]) throws {
        try writes.drain()
        let g = try H5.createGroup(parent, name)
        try H5.setAttribute(g, "long_name", "code -> name for \(name) columns")
        let codes = try TraceColumn<Int16>(in: g, TraceColumns.dictionaryCode.info, chunk: max(1, entries.count), deflateLevel: 0)
        for (c, _) in entries { try codes.append(Int16(c)) }
        try codes.flush()
        try codes.close()
        try H5.writeStrings(g, "name", entries.map(\.1))
        try H5.check(H5Gclose(g), "close group '\(name)'")
    }

    /// Writes the run's name dictionaries (application, tenant, model, pool, accelerator_type).
    public func receive(_ names: DemandNames) {
        guard firstError == nil else { return }
        wroteNames = true
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

    /// Whether the run's name dictionaries are written (``receive(_:)``).
    private var wroteNames = false

    /// `/jobs` rows written so far (jobs that ended or were rejected), for progress displays.
    public private(set) var jobRows = 0
    let jobsSampleRate: Double

    /// Whether job `id`'s row is kept at sampling rate `rate`: a SplitMix64 hash of the id,
    /// as a fraction of 2^64, below the rate (so the same jobs are kept in every run, and a
    /// job's AutoML trials or a series of ids are not kept or dropped together).
    public static func keepsRow(ofJob id: Int64, rate: Double) -> Bool {
        var z = UInt64(bitPattern: id) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / 9_007_199_254_740_992 < rate
    }

    public func record(job r: JobRecord) {
        guard firstError == nil else { return }
        jobRows += 1
        guard jobsSampleRate >= 1 || Self.keepsRow(ofJob: r.id, rate: jobsSampleRate) else { return }
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
            try failures?.append(job: r)
            try power?.append(job: r)
        } catch { firstError = error }
    }

    public func record(power s: PowerSample) {
        guard firstError == nil, let power else { return }
        do { try power.append(s) } catch { firstError = error }
    }

    public func record(failure f: FailureRecord) {
        guard firstError == nil, let failures else { return }
        do { try failures.append(f) } catch { firstError = error }
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

    /// Writes `/periods`, a run's figures per period, and `/period_pools`, each pool's (call
    /// once, before `close`). `pools` names the pools for `/dictionaries/pool` when the run
    /// wrote no dictionaries (a sampled run).
    public func record(periods: [PeriodFigures], pools: [String]) throws {
        try writes.drain()
        let maker = ColumnMaker(chunk: 1024, deflate: deflateLevel, writes: writes)
        /// A new group `name` described as `longName`, closed with the file.
        func group(_ name: String, _ longName: String) throws -> hid_t {
            let g = try H5.createGroup(file, name)
            groups.append(g)
            try H5.setAttribute(g, "long_name", longName)
            return g
        }
        let table = try PeriodColumns(try group("periods", "a run's figures, one row per period (iccsim run --sampled or --periods)"), columns: maker)
        let byPool = try PeriodPoolColumns(try group("period_pools", "each pool's figures, one row per period and pool with accelerators or batch jobs in it"),
                                           columns: maker)
        columns += table.all + byPool.all
        for p in periods {
            try table.append(p)
            try byPool.append(p)
        }
        if !wroteNames { try writeDictionary(dictionaries, "pool", pools.enumerated().map { (Int64($0.offset), $0.element) }) }
    }

    /// Flushes every column, waits for the queued writes, and closes the file; throws the first
    /// error met while writing. After an HDF5 call failed (a full disk, say) the file is left
    /// alone: calling into a failed file can crash the library, and the caller discards the
    /// output anyway.
    public func close() throws {
        guard !closed else { return }
        closed = true
        if firstError == nil {
            do {
                for c in columns { try c.flush() }
                for c in columns { try c.close() }
                try writes.drain()
                for g in groups { try H5.check(H5Gclose(g), "close a group") }
                try H5.check(H5Fclose(file), "close the trace")
            } catch { firstError = error }
        }
        writes.wait()  // nothing runs on after close, not even after an error
        if let e = firstError { throw e }
    }

    deinit { try? close() }
}
