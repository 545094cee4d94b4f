import Foundation

/// A run as a Chrome / Perfetto trace (Trace Event Format JSON, open in ui.perfetto.dev or
/// chrome://tracing): one process per pool, each job a complete event on the first lane of its
/// pool free at its start (so running jobs never overlap on a lane), queued time as its own
/// event, the busy-accelerator count as a counter track, and (with failures) each server out of
/// service as an event on its pool's `failures` lane, from the failure until it is back.
public enum TimelineExport {
    /// The lane of a pool's failures (after its jobs' lanes).
    static let failureLane = 1_000_000

    public static func json(trace: TraceReader, maxJobs: Int) throws -> String {
        let id = try trace.doubles("jobs/id"), submit = try trace.doubles("jobs/submit_ns")
        let start = try trace.doubles("jobs/start_ns"), end = try trace.doubles("jobs/end_ns")
        let pool = try trace.doubles("jobs/pool"), acc = try trace.doubles("jobs/accelerators")
        let kind = try trace.doubles("jobs/kind")
        guard id.count <= maxJobs else {
            throw TraceError("the run has \(id.count) jobs; a timeline is for small runs (raise --max-jobs to export it anyway)")
        }
        let pools = try trace.dictionary("pool"), kinds = try trace.dictionary("job_kind")
        let t = try trace.doubles("utilization/time_ns"), busy = try trace.doubles("utilization/busy_accelerators")
        let lastNs = max(end.max() ?? 0, t.last ?? 0)
        func us(_ ns: Double) -> String { String(format: "%.3f", ns / 1e3) }
        var events: [String] = []
        for (code, name) in pools.sorted(by: { $0.key < $1.key }) {
            events.append("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":\(code),\"args\":{\"name\":\"pool \(name)\"}}")
        }
        // Jobs in start order, each on the lowest lane of its pool that is free.
        var laneFree: [Int: [Double]] = [:]
        let started = id.indices.filter { start[$0] >= 0 }.sorted { (start[$0], id[$0]) < (start[$1], id[$1]) }
        for i in started {
            let p = Int(pool[i]), finish = end[i] >= 0 ? end[i] : lastNs
            var lanes = laneFree[p, default: []]
            let lane = lanes.firstIndex { $0 <= start[i] } ?? lanes.count
            if lane == lanes.count { lanes.append(0) }
            lanes[lane] = finish
            laneFree[p] = lanes
            let k = kinds[Int(kind[i])] ?? "job"
            events.append("{\"ph\":\"X\",\"name\":\"job \(Int(id[i])) (\(k), \(Int(acc[i])) acc)\",\"cat\":\"\(k)\",\"pid\":\(p),\"tid\":\(lane),"
                          + "\"ts\":\(us(start[i])),\"dur\":\(us(finish - start[i])),\"args\":{\"wait_s\":\((start[i] - submit[i]) / 1e9)}}")
        }
        for (p, lanes) in laneFree.sorted(by: { $0.key < $1.key }) {
            for l in lanes.indices { events.append("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":\(p),\"tid\":\(l),\"args\":{\"name\":\"lane \(l)\"}}") }
        }
        if trace.has("failures/time_ns") {
            let ft = try trace.doubles("failures/time_ns"), fd = try trace.doubles("failures/down_ns"), fp = try trace.doubles("failures/pool")
            let fs = try trace.doubles("failures/server"), fc = try trace.doubles("failures/component"), fk = try trace.doubles("failures/kind")
            let fj = try trace.doubles("failures/jobs_hit"), fl = try trace.doubles("failures/work_lost_accelerator_h")
            let classes = try trace.dictionary("failure_component"), ways = try trace.dictionary("failure_kind")
            for p in Set(fp.map { Int($0) }).sorted() {
                events.append("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":\(p),\"tid\":\(Self.failureLane),\"args\":{\"name\":\"failures\"}}")
            }
            for i in ft.indices {
                let what = "\(classes[Int(fc[i])] ?? "part") failure, server \(Int(fs[i])) (\(ways[Int(fk[i])] ?? "down"))"
                events.append("{\"ph\":\"X\",\"name\":\"\(what)\",\"cat\":\"failure\",\"pid\":\(Int(fp[i])),\"tid\":\(Self.failureLane),"
                              + "\"ts\":\(us(ft[i])),\"dur\":\(us(fd[i])),\"args\":{\"jobs_hit\":\(Int(fj[i])),\"work_lost_accelerator_h\":\(fl[i])}}")
            }
        }
        for (x, b) in zip(t, busy) {
            events.append("{\"ph\":\"C\",\"name\":\"busy accelerators\",\"pid\":-1,\"ts\":\(us(x)),\"args\":{\"busy\":\(Int(b))}}")
        }
        events.append("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":-1,\"args\":{\"name\":\"center\"}}")
        return "{\"otherData\":{\"generator\":\"iccsim\"},\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n" + events.joined(separator: ",\n") + "\n]}\n"
    }
}
