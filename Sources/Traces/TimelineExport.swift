import Foundation

/// A run as a Chrome / Perfetto trace (Trace Event Format JSON, open in ui.perfetto.dev or
/// chrome://tracing): one process per pool, each job a complete event on the first lane of its
/// pool free at its start (so running jobs never overlap on a lane), its all-reduce stretches
/// (`/collectives`) nested inside it, each server out of service (`/failures`) on its pool's
/// `failures` lane, the busy-accelerator count and each service's ready replicas as counter
/// tracks. Written piece by piece, so a run of millions of jobs streams to its file.
public enum TimelineExport {
    /// The lane of a pool's failures (after its jobs' lanes).
    static let failureLane = 1_000_000
    /// The processes of the center's counters and of the services.
    static let centerProcess = -1, servicesProcess = -2

    /// The whole timeline as one string (small runs, tests).
    public static func json(trace: TraceReader, maxJobs: Int? = nil) throws -> String {
        var out = ""
        try write(trace: trace, maxJobs: maxJobs) { out += $0 }
        return out
    }

    /// Writes the timeline through `emit`, in order; a run with more than `maxJobs` jobs is refused.
    public static func write(trace: TraceReader, maxJobs: Int? = nil, emit: (String) throws -> Void) throws {
        let id = try trace.doubles("jobs/id"), submit = try trace.doubles("jobs/submit_ns")
        let start = try trace.doubles("jobs/start_ns"), end = try trace.doubles("jobs/end_ns")
        let pool = try trace.doubles("jobs/pool"), acc = try trace.doubles("jobs/accelerators")
        let kind = try trace.doubles("jobs/kind")
        if let cap = maxJobs, id.count > cap {
            throw TraceError("the run has \(id.count) jobs, more than --max-jobs \(cap)")
        }
        let pools = try trace.dictionary("pool"), kinds = try trace.dictionary("job_kind")
        let t = try trace.doubles("utilization/time_ns"), busy = try trace.doubles("utilization/busy_accelerators")
        let lastNs = max(end.max() ?? 0, t.last ?? 0)
        func us(_ ns: Double) -> String { String(format: "%.3f", ns / 1e3) }
        var first = true
        func event(_ text: String) throws {
            try emit((first ? "" : ",\n") + text)
            first = false
        }
        try emit("{\"otherData\":{\"generator\":\"iccsim\"},\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n")
        for (code, name) in pools.sorted(by: { $0.key < $1.key }) {
            try event("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":\(code),\"args\":{\"name\":\"pool \(name)\"}}")
        }
        // Jobs in start order, each on the lowest lane of its pool that is free.
        var laneFree: [Int: [Double]] = [:]
        var laneOfJob: [Int64: (pid: Int, tid: Int)] = [:]
        let started = id.indices.filter { start[$0] >= 0 }.sorted { (start[$0], id[$0]) < (start[$1], id[$1]) }
        for i in started {
            let p = Int(pool[i]), finish = end[i] >= 0 ? end[i] : lastNs
            var lanes = laneFree[p, default: []]
            let lane = lanes.firstIndex { $0 <= start[i] } ?? lanes.count
            if lane == lanes.count { lanes.append(0) }
            lanes[lane] = finish
            laneFree[p] = lanes
            laneOfJob[Int64(id[i])] = (p, lane)
            let k = kinds[Int(kind[i])] ?? "job"
            try event("{\"ph\":\"X\",\"name\":\"job \(Int(id[i])) (\(k), \(Int(acc[i])) acc)\",\"cat\":\"\(k)\",\"pid\":\(p),\"tid\":\(lane),"
                      + "\"ts\":\(us(start[i])),\"dur\":\(us(finish - start[i])),\"args\":{\"wait_s\":\((start[i] - submit[i]) / 1e9)}}")
        }
        for (p, lanes) in laneFree.sorted(by: { $0.key < $1.key }) {
            for l in lanes.indices { try event("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":\(p),\"tid\":\(l),\"args\":{\"name\":\"lane \(l)\"}}") }
        }
        // All-reduce stretches, nested in their job's event.
        if trace.has("collectives/job") {
            let job = try trace.doubles("collectives/job"), cs = try trace.doubles("collectives/start_ns"), ce = try trace.doubles("collectives/end_ns")
            let busbw = try trace.doubles("collectives/busbw_gbps"), exposed = try trace.doubles("collectives/exposed_share")
            for i in job.indices {
                guard let at = laneOfJob[Int64(job[i])] else { continue }
                try event("{\"ph\":\"X\",\"name\":\"all-reduce \(String(format: "%.1f", busbw[i])) GB/s\",\"cat\":\"collective\",\"pid\":\(at.pid),\"tid\":\(at.tid),"
                          + "\"ts\":\(us(cs[i])),\"dur\":\(us(ce[i] - cs[i])),\"args\":{\"busbw_gbps\":\(busbw[i]),\"exposed_share\":\(exposed[i])}}")
            }
        }
        if trace.has("failures/time_ns") {
            let ft = try trace.doubles("failures/time_ns"), fd = try trace.doubles("failures/down_ns"), fp = try trace.doubles("failures/pool")
            let fs = try trace.doubles("failures/server"), fc = try trace.doubles("failures/component"), fk = try trace.doubles("failures/kind")
            let fj = try trace.doubles("failures/jobs_hit"), fl = try trace.doubles("failures/work_lost_accelerator_h")
            let classes = try trace.dictionary("failure_component"), ways = try trace.dictionary("failure_kind")
            for p in Set(fp.map { Int($0) }).sorted() {
                try event("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":\(p),\"tid\":\(failureLane),\"args\":{\"name\":\"failures\"}}")
            }
            for i in ft.indices {
                let what = "\(classes[Int(fc[i])] ?? "part") failure, server \(Int(fs[i])) (\(ways[Int(fk[i])] ?? "down"))"
                try event("{\"ph\":\"X\",\"name\":\"\(what)\",\"cat\":\"failure\",\"pid\":\(Int(fp[i])),\"tid\":\(failureLane),"
                          + "\"ts\":\(us(ft[i])),\"dur\":\(us(fd[i])),\"args\":{\"jobs_hit\":\(Int(fj[i])),\"work_lost_accelerator_h\":\(fl[i])}}")
            }
        }
        // Each service's ready replicas after every change.
        if trace.has("deployments/service"), case let services = try trace.dictionary("service"), !services.isEmpty {
            let dt = try trace.doubles("deployments/time_ns"), ds = try trace.doubles("deployments/service"), ready = try trace.doubles("deployments/replicas")
            try event("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":\(servicesProcess),\"args\":{\"name\":\"services\"}}")
            for i in dt.indices {
                let name = services[Int(ds[i])] ?? "service \(Int(ds[i]))"
                try event("{\"ph\":\"C\",\"name\":\"ready replicas: \(name)\",\"pid\":\(servicesProcess),\"ts\":\(us(dt[i])),\"args\":{\"ready\":\(Int(ready[i]))}}")
            }
        }
        for (x, b) in zip(t, busy) {
            try event("{\"ph\":\"C\",\"name\":\"busy accelerators\",\"pid\":\(centerProcess),\"ts\":\(us(x)),\"args\":{\"busy\":\(Int(b))}}")
        }
        try event("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":\(centerProcess),\"args\":{\"name\":\"center\"}}")
        try emit("\n]}\n")
    }
}
