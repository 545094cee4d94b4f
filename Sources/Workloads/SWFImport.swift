import SimKernel

extension TraceImport {
    /// The Standard Workload Format of the Parallel Workloads Archive (D. Feitelson, HUJI): one
    /// job per line, 18 whitespace-separated fields (job number, submit time s, wait time s,
    /// run time s, allocated processors, average CPU time, used memory, requested processors,
    /// requested time, requested memory, status, user, group, executable, queue, partition,
    /// preceding job, think time), -1 for unknown; header lines start with `;`. A job asks for its
    /// allocated processors (else its requested ones), each taken as one accelerator, for its run
    /// time; its user is its tenant (`user N`). Jobs with no run time or no processor count are
    /// skipped and counted.
    static func swf(_ text: String) throws(TraceRowError) -> ([ImportedJob], TraceImportReport) {
        var report = TraceImportReport()
        var jobs: [ImportedJob] = []
        for (line, l) in InputText.numberedLines(text) {
            let trimmed = l.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.first == ";" { continue }
            let f = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count == 18 else { throw TraceRowError(line: line, "expected the 18 fields of the Standard Workload Format, found \(f.count)") }
            func number(_ i: Int, _ name: String, max: Double) throws(TraceRowError) -> Double {
                switch InputText.number(f[i - 1], min: -1, max: max) {
                case .success(let v): return v
                case .failure(let problem): throw TraceRowError(line: line, "field \(i) (\(name)) is '\(f[i - 1])'; \(problem.expected) (or -1: unknown)")
                }
            }
            report.rows += 1
            let submit = try number(2, "submit time", max: InputLimits.maxSeconds)
            let run = try number(4, "run time", max: InputLimits.maxSeconds)
            let allocated = try number(5, "allocated processors", max: Double(InputLimits.maxAccelerators))
            let requested = try number(8, "requested processors", max: Double(InputLimits.maxAccelerators))
            let user = try number(12, "user", max: InputLimits.maxCount)
            let processors = allocated > 0 ? allocated : requested
            guard submit >= 0 else { throw TraceRowError(line: line, "field 2 (submit time) is unknown (-1); every job needs one") }
            guard run >= 0, processors > 0 else {
                report.skipped += 1
                continue
            }
            guard processors == processors.rounded() else { throw TraceRowError(line: line, "field 5 (processors) is \(processors); expected a whole number") }
            jobs.append(ImportedJob(submitNs: seconds(submit), accelerators: Int32(processors), durationNs: seconds(run),
                                    tenant: user >= 0 ? "user \(Int(user))" : nil, model: nil, kind: .generic, flops: 0))
        }
        guard !jobs.isEmpty else { throw TraceRowError(line: 1, "no job in the file (lines of 18 fields; header lines start with ';')") }
        return (jobs, report)
    }
}
