/// Every figure of `summary.json`, declared once (``Metric``). The run writes its figures under
/// these keys; `summary.md`, `iccsim compare` (directions, `--explain`), `iccsim plan` (target
/// names), `sweep collect` and reports read them from here, and the reference table in
/// `docs/trace-schema.md` is generated from it.
public enum MetricRegistry {
    /// Every figure, in the order `summary.json` first writes them.
    public static let all: [Metric] = Metric.runFigures + Metric.deliveredFigures + Metric.groupFigures + Metric.networkFigures
        + Metric.storageFigures + Metric.serviceFigures + Metric.failureFigures + Metric.powerFigures

    /// The figure the flattened key `path` names (`pools.training-h100.utilization_mean`), if any.
    public static func metric(for path: String) -> Metric? {
        // Only figures with the path's last part as key (or `*`, a map's members) can match;
        // the first of them in `all` order, as a scan of `all` would find.
        let parts = Metric.split(path)
        var found: Candidate?
        for list in [byKey[String(parts.last ?? "")], byKey["*"]] {
            for c in list ?? [] where found.map({ c.index < $0.index }) ?? true && c.matches(parts) {
                found = c
                break
            }
        }
        return found?.metric
    }

    /// A figure, its place in `all` and its paths split at the dots.
    struct Candidate {
        let index: Int
        let metric: Metric
        let patterns: [[Substring]]

        /// Whether the split path `parts` is one of its paths (``Metric/matches(_:)``).
        func matches(_ parts: [Substring]) -> Bool { patterns.contains { Metric.pattern($0, matches: parts) } }
    }

    /// Every figure by key: a lookup only, never iterated.
    static let byKey: [String: [Candidate]] = Dictionary(grouping: all.enumerated().map { i, m in
        Candidate(index: i, metric: m, patterns: m.paths.map(Metric.split))
    }, by: { $0.metric.key })

    /// The figure with key `key` (`wait_p99_s`), if any.
    public static func metric(key: String) -> Metric? { byKey[key]?.first?.metric }
}

/// The objects of `summary.json` (its sections).
public enum SummarySection {
    public static let delivered = "delivered", pools = "pools", applications = "applications", tenants = "tenants"
    public static let network = "network", storage = "storage", tiers = "tiers", services = "services", serving = "serving"
    public static let failures = "failures"
    public static let power = "power"
}

// Scopes: where the figures appear.
private let top = [""]
private let groups = ["pools.*", "applications.*", "tenants.*"]
private let service = ["services.*"]
private let servingAll = ["serving"]
private let servingApplications = ["serving.applications.*"]

extension Metric {
    // MARK: The run
    public static let scenario = Metric("scenario", label: "scenario", in: top, unit: "text", .neutral, "the scenario's name")
    public static let seed = Metric("seed", label: "seed", in: top, unit: "1", .neutral, "the master seed of every random stream")
    public static let policy = Metric("policy", label: "scheduling policy", in: top, unit: "text", .neutral, "the scheduling policy")
    public static let horizonS = Metric("horizon_s", label: "horizon", in: top, unit: "s", .neutral, "the scenario's horizon; \"none\" when it runs until its jobs are done")
    public static let accelerators = Metric("accelerators", label: "accelerators", in: top + ["pools.*"], unit: "1", .neutral, "accelerators in the center (in the pool)")
    public static let jobsSubmitted = Metric("jobs_submitted", label: "jobs submitted", in: top + groups, unit: "1", .neutral, "jobs submitted")
    public static let jobsCompleted = Metric("jobs_completed", label: "jobs completed", in: top + groups, unit: "1", .higher, "jobs completed")
    public static let jobsRejected = Metric("jobs_rejected", label: "jobs rejected", in: top, unit: "1", .lower, "jobs rejected at submission (larger than any pool that may run them)")
    public static let jobsUnfinished = Metric("jobs_unfinished", label: "jobs unfinished at the end", in: top, unit: "1", .lower, "jobs still running or queued at the end")
    public static let waitMeanS = Metric("wait_mean_s", label: "mean wait", in: top + groups, unit: "s", .lower, "mean wait (first start − submission) of jobs that started")
    public static let waitP50S = Metric("wait_p50_s", label: "median wait", in: top, unit: "s", .lower, "median wait of jobs that started")
    public static let waitP99S = Metric("wait_p99_s", label: "99th-percentile wait", in: top, unit: "s", .lower, "99th-percentile wait of jobs that started")
    public static let jctMeanS = Metric("jct_mean_s", label: "mean completion time", in: top + groups, unit: "s", .lower, "mean job completion time (end − submission) of completed jobs")
    public static let jctP50S = Metric("jct_p50_s", label: "median completion time", in: top, unit: "s", .lower, "median job completion time")
    public static let jctP99S = Metric("jct_p99_s", label: "99th-percentile completion time", in: top, unit: "s", .lower, "99th-percentile job completion time")
    public static let queueingDelayMeanS = Metric("queueing_delay_mean_s", label: "mean time queued", in: top, unit: "s", .lower,
                                                  "mean time completed jobs spent queued, before their first start and after preemptions")
    public static let slowdownMean = Metric("slowdown_mean", label: "mean slowdown", in: top + groups, unit: "1", .lower, "mean completion time over run time of completed jobs")
    public static let preemptions = Metric("preemptions", label: "preemptions", in: top, unit: "1", .lower, "preemptions over the run")
    public static let fairnessJain = Metric("fairness_jain", label: "fairness (Jain's index)", in: top, unit: "1", .higher, "Jain's index of the tenants' mean slowdowns (1: every tenant delayed alike)")
    public static let fragmentationStrandedMean = Metric("fragmentation_stranded_mean", label: "capacity stranded by fragmentation", in: top + ["pools.*"], unit: "share", .lower,
                                                         "time-average share of capacity left free on partly booked devices, where no whole-device job can use it")
    public static let utilizationMean = Metric("utilization_mean", label: "accelerator utilisation", in: top + ["pools.*"], unit: "share", .higher,
                                               "time-average of allocated over total accelerators (a share of a device counts that share)")
    public static let queueLengthMean = Metric("queue_length_mean", label: "mean queue length", in: top, unit: "1", .lower, "time-average number of jobs waiting")
    public static let arrivalRatePerS = Metric("arrival_rate_per_s", label: "arrival rate", in: top, unit: "1/s", .neutral, "jobs submitted per second of makespan")
    public static let makespanS = Metric("makespan_s", label: "simulated time", in: top, unit: "s", .neutral, "simulated time covered: the last event, or the horizon")
    public static let eventsProcessed = Metric("events_processed", label: "events", in: top, unit: "1", .neutral, "kernel events handled")
    public static let stopReason = Metric("stop_reason", label: "stopped by", in: top, unit: "text", .neutral, "completed, horizon, or the watchdog's message")
    public static let warmupS = Metric("warmup_s", label: "warm-up", in: top, unit: "s", .neutral,
                                       "the warm-up (written when there is one): wait, completion-time, slowdown and queueing figures cover jobs submitted after it; utilisation and queue length the time after it")
    public static let jobsMeasured = Metric("jobs_measured", label: "jobs measured", in: top, unit: "1", .neutral, "jobs submitted after the warm-up (written when there is one)")

    static let runFigures: [Metric] = [scenario, seed, policy, horizonS, accelerators, jobsSubmitted, jobsCompleted, jobsRejected, jobsUnfinished,
                                waitMeanS, waitP50S, waitP99S, jctMeanS, jctP50S, jctP99S, queueingDelayMeanS, slowdownMean, preemptions,
                                fairnessJain, fragmentationStrandedMean, utilizationMean, queueLengthMean, arrivalRatePerS, makespanS,
                                eventsProcessed, stopReason, warmupS, jobsMeasured]

    // MARK: Delivered compute
    public static let flop = Metric("flop", label: "FLOPs delivered", in: ["delivered"] + groups, unit: "FLOP", .higher, "useful FLOPs delivered (the part done of running jobs)")
    public static let acceleratorHours = Metric("accelerator_hours", label: "accelerator-hours", in: ["delivered"] + groups + service + servingAll + servingApplications,
                                                unit: "h", .neutral,
                                                "accelerator-hours held (run time × accelerators; a share of a device counts that share)")
    public static let acceleratorHoursByKind = Metric("*", label: "accelerator-hours by kind of work", in: ["delivered.accelerator_hours_by_kind"], unit: "h", .neutral,
                                                      "accelerator-hours by kind of work (generic, training, data_processing, inference)")
    public static let flopByKind = Metric("*", label: "FLOPs by kind of work", in: ["delivered.flop_by_kind"], unit: "FLOP", .higher, "FLOPs delivered by kind of work")
    public static let jobsByKind = Metric("*", label: "jobs by kind", in: ["delivered.jobs_by_kind"], unit: "1", .neutral, "jobs submitted by job kind")
    public static let acceleratorEnergyKWh = Metric("accelerator_energy_kwh", label: "accelerator energy", in: ["delivered", "pools.*"], unit: "kWh", .lower,
                                                    "accelerators' energy: idle power all the time plus (max − idle) while busy (hosts, network and cooling excluded)")
    /// Map keys inside `delivered`.
    public static let acceleratorHoursByKindKey = "accelerator_hours_by_kind", flopByKindKey = "flop_by_kind", jobsByKindKey = "jobs_by_kind"

    static let deliveredFigures: [Metric] = [flop, acceleratorHours, acceleratorHoursByKind, flopByKind, jobsByKind, acceleratorEnergyKWh]

    // MARK: Pools, applications, tenants
    public static let accelerator = Metric("accelerator", label: "accelerator", in: ["pools.*"], unit: "text", .neutral, "the pool's accelerator model")
    public static let role = Metric("role", label: "role", in: ["pools.*"], unit: "text", .neutral, "the pool's server role (training, inference, general)")
    public static let fragmentedDevicesMean = Metric("fragmented_devices_mean", label: "partly booked devices", in: ["pools.*"], unit: "1", .lower, "time-average number of partly booked devices")
    public static let borrowedAcceleratorHours = Metric("borrowed_accelerator_hours", label: "borrowed accelerator-hours", in: groups + service, unit: "h", .neutral,
                                                        "the part of the accelerator-hours run on capacity lent by others (quota borrowing, services' lending)")
    public static let tenantType = Metric("type", label: "tenant type", in: ["tenants.*"], unit: "text", .neutral, "the tenant's type")
    public static let quotaShare = Metric("quota_share", label: "quota share", in: ["tenants.*"], unit: "share", .neutral, "the tenant's guaranteed share of every pool (0 without a quota)")

    static let groupFigures: [Metric] = [accelerator, role, fragmentedDevicesMean, borrowedAcceleratorHours, tenantType, quotaShare]

    // MARK: The fabric
    public static let model = Metric("model", label: "model", in: ["network"] + servingAll + service, unit: "text", .neutral,
                                     "the model: how communication is priced (network), the serving fidelity in use (serving), the model served (a service)")
    public static let communicatingJobs = Metric("communicating_jobs", label: "jobs on the shared fabric", in: ["network"], unit: "1", .neutral, "jobs whose all-reduce went on the shared fabric")
    public static let collectiveStretches = Metric("collective_stretches", label: "all-reduce stretches", in: ["network"], unit: "1", .neutral, "stretches of runs at one all-reduce speed (/collectives rows)")
    public static let allreduceBusbwGBpsP50 = Metric("allreduce_busbw_gbps_p50", label: "all-reduce bus bandwidth, median", in: ["network"], unit: "GB/s", .higher, "time-weighted median all-reduce bus bandwidth (nccl-tests busbw)")
    public static let allreduceBusbwGBpsMean = Metric("allreduce_busbw_gbps_mean", label: "all-reduce bus bandwidth, mean", in: ["network"], unit: "GB/s", .higher, "time-weighted mean all-reduce bus bandwidth")
    public static let exposedCommunicationFraction = Metric("exposed_communication_fraction", label: "exposed communication", in: ["network"], unit: "share", .lower,
                                                            "share of communicating jobs' run time spent in all-reduce not hidden behind compute")
    public static let spineLinkUtilizationMean = Metric("spine_link_utilization_mean", label: "leaf-spine link utilisation, mean", in: ["network"], unit: "share", .neutral, "mean utilisation of the leaf-spine links")
    public static let spineLinkUtilizationPeak = Metric("spine_link_utilization_peak", label: "busiest leaf-spine link, peak", in: ["network"], unit: "share", .lower, "the busiest leaf-spine link's peak utilisation over a sample interval")

    static let networkFigures: [Metric] = [model, communicatingJobs, collectiveStretches, allreduceBusbwGBpsP50, allreduceBusbwGBpsMean,
                                    exposedCommunicationFraction, spineLinkUtilizationMean, spineLinkUtilizationPeak]

    // MARK: The storage system
    public static let ingests = Metric("ingests", label: "ingests (dataset and model reads)", in: ["storage"], unit: "1", .neutral, "dataset and model-file reads before computing")
    public static let checkpointRestores = Metric("checkpoint_restores", label: "checkpoints read back after failures", in: ["storage"], unit: "1", .neutral,
                                                  "checkpoint reads of jobs restarting after a failure (with failures)")
    public static let ingestMeanS = Metric("ingest_mean_s", label: "mean ingest time", in: ["storage"], unit: "s", .lower,
                                           "mean time a job waited for its reads before computing (its data set or model file, and its checkpoint after a failure)")
    public static let ioBoundFraction = Metric("io_bound_fraction", label: "run time slowed by storage", in: ["storage"], unit: "share", .lower, "share of streaming jobs' run time slowed by storage")
    public static let bytesMoved = Metric("bytes_moved", label: "data moved", in: ["storage.tiers.*"], unit: "B", .neutral, "data read from and written to the tier")
    public static let reads = Metric("reads", label: "reads", in: ["storage.tiers.*"], unit: "1", .neutral, "reads served by the tier")
    public static let bandwidthUtilizationMean = Metric("bandwidth_utilization_mean", label: "bandwidth in use, mean", in: ["storage.tiers.*"], unit: "share", .neutral, "time-average share of the tier's bandwidth in use")

    static let storageFigures: [Metric] = [ingests, checkpointRestores, ingestMeanS, ioBoundFraction, bytesMoved, reads, bandwidthUtilizationMean]

    // MARK: Online services
    public static let application = Metric("application", label: "application", in: service, unit: "text", .neutral, "the application the service belongs to")
    public static let pool = Metric("pool", label: "pool", in: service, unit: "text", .neutral, "the pool its replicas run in")
    public static let fidelity = Metric("fidelity", label: "fidelity", in: service, unit: "text", .neutral, "rate (queueing formulas per interval) or request (every request simulated)")
    public static let scaling = Metric("scaling", label: "scaling", in: service, unit: "text", .neutral, "static (sized for the peak) or autoscaled")
    public static let liveFromS = Metric("live_from_s", label: "live from", in: service, unit: "s", .neutral, "when it went live")
    public static let replicas = Metric("replicas", label: "replicas ready, most", in: service, unit: "1", .neutral, "most replicas ready at once")
    public static let replicasPeakSized = Metric("replicas_peak_sized", label: "replicas of a static peak-sized deployment", in: service, unit: "1", .neutral, "replicas a static deployment sized for the peak holds")
    public static let replicasMean = Metric("replicas_mean", label: "replicas ready, mean", in: service, unit: "1", .lower, "time-average ready replicas while live")
    public static let replicaHours = Metric("replica_hours", label: "replica-hours", in: service + servingAll, unit: "h", .lower, "replica-hours held (what serving costs)")
    public static let coldStarts = Metric("cold_starts", label: "cold starts", in: service + servingAll, unit: "1", .lower, "replicas that pulled and loaded the model")
    public static let coldStartMeanS = Metric("cold_start_mean_s", label: "mean cold start", in: service, unit: "s", .lower, "mean time from placement to ready")
    public static let version = Metric("version", label: "model version", in: service, unit: "1", .neutral, "the model version it serves at the end")
    public static let rollouts = Metric("rollouts", label: "rollouts", in: service + servingAll, unit: "1", .neutral, "rollouts of new model versions")
    public static let batch = Metric("batch", label: "batch size", in: service, unit: "1", .neutral, "the batch size it runs at")
    public static let batchSeconds = Metric("batch_seconds", label: "batch time", in: service, unit: "s", .lower, "time of one batch on one replica")
    public static let requests = Metric("requests", label: "requests", in: service + servingAll + servingApplications, unit: "1", .neutral, "requests arrived")
    public static let unservedRequests = Metric("unserved_requests", label: "unserved requests", in: service + servingAll + servingApplications, unit: "1", .lower,
                                                "requests left waiting at the end, or arrived while no replica was ready")
    public static let throughputPerS = Metric("throughput_per_s", label: "throughput", in: service, unit: "1/s", .neutral, "requests per second while live")
    public static let latencyTargetS = Metric("latency_target_s", label: "latency target", in: service, unit: "s", .neutral, "the latency target of its SLO")
    public static let latencyMeanS = Metric("latency_mean_s", label: "mean latency", in: service, unit: "s", .lower, "mean request latency")
    public static let latencyP50S = Metric("latency_p50_s", label: "median latency", in: service, unit: "s", .lower, "median request latency")
    public static let latencyP90S = Metric("latency_p90_s", label: "90th-percentile latency", in: service, unit: "s", .lower, "90th-percentile request latency")
    public static let latencyP99S = Metric("latency_p99_s", label: "99th-percentile latency", in: service, unit: "s", .lower, "99th-percentile request latency")
    public static let sloAttainment = Metric("slo_attainment", label: "SLO attainment", in: service + servingAll + servingApplications, unit: "share", .higher,
                                             "share of requests served within the latency target")
    public static let firstOutputMeanS = Metric("first_output_mean_s", label: "mean time to first output", in: service, unit: "s", .lower, "request level: mean time to the first output (token)")
    public static let firstOutputP99S = Metric("first_output_p99_s", label: "99th-percentile time to first output", in: service, unit: "s", .lower, "request level: 99th-percentile time to the first output")
    public static let deliveredFlops = Metric("delivered_flops", label: "inference FLOPs delivered", in: service + servingAll + servingApplications, unit: "FLOP", .higher, "inference FLOPs delivered")
    public static let services = Metric("services", label: "online services", in: servingAll + servingApplications, unit: "1", .neutral, "online services")
    public static let lentAcceleratorHours = Metric("lent_accelerator_hours", label: "accelerator-hours lent to services", in: servingAll, unit: "h", .neutral, "accelerator-hours lent to services by other pools")
    public static let preemptedForLending = Metric("preempted_for_lending", label: "jobs preempted to lend", in: servingAll, unit: "1", .lower, "batch jobs preempted to lend their accelerators")
    public static let shrunkForLending = Metric("shrunk_for_lending", label: "jobs shrunk to lend", in: servingAll, unit: "1", .lower, "elastic jobs shrunk to lend their accelerators")

    static let serviceFigures: [Metric] = [application, pool, fidelity, scaling, liveFromS, replicas, replicasPeakSized, replicasMean, replicaHours,
                                     coldStarts, coldStartMeanS, version, rollouts, batch, batchSeconds, requests, unservedRequests,
                                     throughputPerS, latencyTargetS, latencyMeanS, latencyP50S, latencyP90S, latencyP99S, sloAttainment,
                                     firstOutputMeanS, firstOutputP99S, deliveredFlops, services, lentAcceleratorHours,
                                     preemptedForLending, shrunkForLending]
}

// MARK: Failures and recovery
private let failures = ["failures"]

extension Metric {
    public static let failuresTotal = Metric("failures", label: "failures", in: failures, unit: "1", .lower, "failures of servers' parts, switches and storage servers")
    public static let failuresByComponent = Metric("*", label: "failures by part", in: ["failures.by_component"], unit: "1", .lower,
                                                   "failures of this class of part (accelerator, host, nic, network, software; leaf, spine, storage when the scenario names them)")
    public static let failuresTransient = Metric("transient", label: "cleared by a reboot", in: failures, unit: "1", .neutral, "failures a reboot cleared")
    public static let failuresRepaired = Metric("repaired", label: "repaired in place", in: failures, unit: "1", .neutral, "failures repaired in place (the server waited for its part)")
    public static let spareSwaps = Metric("spare_swaps", label: "covered by a hot spare", in: failures, unit: "1", .neutral, "failures a hot spare covered (swapped in; the part repaired meanwhile)")
    public static let hotSpares = Metric("hot_spares", label: "hot-spare servers", in: failures, unit: "1", .neutral, "hot-spare servers over all pools")
    public static let jobsInterrupted = Metric("jobs_interrupted", label: "job interruptions", in: failures, unit: "1", .lower, "interruptions of batch jobs (a job hit twice counts twice)")
    public static let replicasLost = Metric("replicas_lost", label: "service replicas lost", in: failures, unit: "1", .lower, "service replicas lost with their server (each replaced, with a cold start)")
    public static let workLostAcceleratorHours = Metric("work_lost_accelerator_hours", label: "work lost", in: failures, unit: "h", .lower,
                                                        "accelerator-hours of work thrown away: compute since each interrupted job's last durable checkpoint")
    public static let restartAcceleratorHours = Metric("restart_accelerator_hours", label: "restoring after interruptions", in: failures, unit: "h", .lower,
                                                       "accelerator-hours spent restoring after interruptions and preemptions")
    public static let checkpointAcceleratorHours = Metric("checkpoint_accelerator_hours", label: "writing checkpoints", in: failures, unit: "h", .lower,
                                                          "accelerator-hours spent writing checkpoints (synchronous writes pause the job)")
    public static let goodput = Metric("goodput", label: "goodput", in: failures, unit: "share", .higher,
                                       "useful over busy accelerator-hours of batch jobs: compute kept, over compute, checkpoint writes, restores and work thrown away")
    public static let ettr = Metric("ettr", label: "effective training time ratio", in: failures, unit: "share", .higher,
                                    "effective training time ratio of training and fine-tuning jobs (and job classes' jobs): compute kept over wall time from first start to their end (or the run's), accelerator-weighted")
    public static let availability = Metric("availability", label: "availability", in: failures, unit: "share", .higher, "share of accelerator-time the center's servers were in service")
    public static let repairBacklogMean = Metric("repair_backlog_mean", label: "parts under repair, mean", in: failures, unit: "1", .lower, "time-average of parts under repair (servers waiting, or replaced by a spare)")
    public static let repairBacklogPeak = Metric("repair_backlog_peak", label: "parts under repair, peak", in: failures, unit: "1", .lower, "most parts under repair at once")

    static let failureFigures: [Metric] = [failuresTotal, failuresByComponent, failuresTransient, failuresRepaired, spareSwaps,
                                           hotSpares, jobsInterrupted, replicasLost, workLostAcceleratorHours, restartAcceleratorHours,
                                           checkpointAcceleratorHours, goodput, ettr, availability, repairBacklogMean, repairBacklogPeak]
}

// MARK: Power, energy, cost and carbon
private let power = ["power"]
private let powerGroups = ["power.pools.*", "power.tenants.*", "power.applications.*"]

extension Metric {
    public static let pueAchieved = Metric("pue_achieved", label: "PUE achieved", in: power, unit: "1", .lower, "facility energy over IT energy (power usage effectiveness over the run)")
    public static let itEnergyKWh = Metric("it_energy_kwh", label: "IT energy", in: power + powerGroups, unit: "kWh", .lower,
                                           "IT energy: servers, accelerators, switches and storage (a pool's, tenant's or application's: what its jobs were charged)")
    public static let facilityEnergyKWh = Metric("facility_energy_kwh", label: "facility energy", in: power + powerGroups, unit: "kWh", .lower,
                                                 "facility energy: IT energy times the hour's PUE (cooling and power distribution included)")
    public static let acceleratorEnergyShare = Metric("accelerator_energy_share", label: "accelerators' share of IT energy", in: power, unit: "share", .neutral,
                                                      "share of the IT energy the accelerators drew")
    public static let itPowerMeanKW = Metric("it_power_mean_kw", label: "IT power, mean", in: power, unit: "kW", .lower, "mean IT power")
    public static let itPowerPeakKW = Metric("it_power_peak_kw", label: "IT power, peak", in: power, unit: "kW", .lower, "highest IT power")
    public static let facilityPowerMeanKW = Metric("facility_power_mean_kw", label: "facility power, mean", in: power, unit: "kW", .lower, "mean facility power")
    public static let facilityPowerPeakKW = Metric("facility_power_peak_kw", label: "facility power, peak", in: power, unit: "kW", .lower,
                                                   "highest facility power (what the site's supply must carry)")
    public static let currency = Metric("currency", label: "currency", in: power, unit: "text", .neutral, "currency of the costs (the tariff's and the price list's)")
    public static let energyCost = Metric("energy_cost", label: "energy cost", in: power + powerGroups, unit: "money", .lower,
                                          "electricity bill: facility energy hour by hour at the tariff's price")
    public static let emissionsT = Metric("emissions_t", label: "emissions", in: power + powerGroups, unit: "t CO2", .lower,
                                          "operational emissions: facility energy less green power, times the grid's carbon intensity, tonnes of CO2")
    public static let carbonIntensityKgPerKWh = Metric("carbon_intensity_kg_per_kwh", label: "carbon intensity", in: power, unit: "kg/kWh", .lower,
                                                       "emissions over facility energy (green power counts zero)")
    public static let idleEnergyShare = Metric("idle_energy_share", label: "idle accelerators' share", in: power, unit: "share", .lower,
                                               "share of facility energy drawn by accelerators (and their hosts) no job held")
    public static let sharedEnergyShare = Metric("shared_energy_share", label: "switches' and storage's share", in: power, unit: "share", .neutral,
                                                 "share of facility energy drawn by switches and storage servers")
    public static let tco = Metric("tco", label: "cost of ownership", in: power + powerGroups, unit: "money", .lower,
                                   "total cost of ownership over the run: capital written off over its life, maintenance, staff and energy (a pool's, tenant's or application's: its jobs' energy bill and the fixed costs in proportion to the accelerator-time they held)")
    public static let tcoByPart = Metric("*", label: "cost by part", in: ["power.tco_by_part"], unit: "money", .lower,
                                         "the cost of ownership by part: servers, network, storage, building, maintenance, staff, energy")
    public static let tcoPerAcceleratorHour = Metric("tco_per_accelerator_hour", label: "cost per accelerator-hour", in: power, unit: "money", .lower,
                                                     "cost of ownership over installed accelerator-hours")
    public static let tcoPerUsedAcceleratorHour = Metric("tco_per_used_accelerator_hour", label: "cost per busy accelerator-hour", in: power, unit: "money", .lower,
                                                         "cost of ownership over busy accelerator-hours (what a user must pay to cover it)")
    public static let tcoPerPflopDay = Metric("tco_per_pflop_day", label: "cost per PFLOP-day", in: power, unit: "money", .lower,
                                              "cost of ownership over the PFLOP-days delivered by jobs that completed")
    public static let powerCapKW = Metric("power_cap_kw", label: "power cap", in: power, unit: "kW", .neutral, "the site's contracted maximum facility power")
    public static let capEvents = Metric("cap_events", label: "cap events", in: power, unit: "1", .lower,
                                         "times the accelerators' power limit was lowered or a job had to wait for power")
    public static let jobsHeldForPower = Metric("jobs_held_for_power", label: "jobs that waited for power", in: power, unit: "1", .lower, "batch jobs that waited for power under the cap")
    public static let powerWaitMeanS = Metric("power_wait_mean_s", label: "mean wait for power", in: power, unit: "s", .lower, "mean wait for power of the jobs that waited")

    static let powerFigures: [Metric] = [pueAchieved, itEnergyKWh, facilityEnergyKWh, acceleratorEnergyShare, itPowerMeanKW, itPowerPeakKW,
                                         facilityPowerMeanKW, facilityPowerPeakKW, currency, energyCost, emissionsT, carbonIntensityKgPerKWh,
                                         idleEnergyShare, sharedEnergyShare, tco, tcoByPart, tcoPerAcceleratorHour, tcoPerUsedAcceleratorHour,
                                         tcoPerPflopDay, powerCapKW, capEvents, jobsHeldForPower, powerWaitMeanS]
}

extension MetricRegistry {
    /// The reference table of every figure (Markdown), as `docs/trace-schema.md` shows it
    /// between its `metrics` markers (`iccsim compare --list-metrics` prints it; a test keeps
    /// the document equal to it).
    public static func markdownTable() -> String {
        var lines = ["| figure | unit | better | meaning |", "|---|---|---|---|"]
        for m in all {
            let paths = m.paths.map { "`\($0)`" }.joined(separator: ", ")
            let unit = m.unit == "1" ? "count / ratio" : m.unit == "share" ? "share (0–1)" : m.unit
            lines.append("| \(paths) | \(unit) | \(m.direction == .neutral ? "neutral" : m.direction.rawValue) | \(m.summary.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
