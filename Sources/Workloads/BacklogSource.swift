import SimKernel

/// The jobs a center's queue held when a sampled run's warm-up begins: one job-mix line's
/// arrivals over a stretch of its demand before that moment, all submitted at its start (time
/// 0 of the sample), so the sample starts with the queue a center carried in from the periods
/// before it (``SampleWindow/backlogNs``).
///
/// The stretch is the longest backlog among the pools the line routes to; a job routed to pool
/// `p` is kept with probability `keep[p]` (its backlog over that longest one), so each pool
/// gets the arrivals of its own stretch (Poisson thinning), and an AutoML search keeps or drops
/// all its trials together. The generator draws from its own streams, so the line's jobs after
/// the start are those of the same sample without a backlog.
public final class BacklogSource: JobSource {
    private let generator: JobMixGenerator
    private let keep: [Double]
    private let stream: RandomStream
    /// The last arrival's (virtual) submission time and whether it was kept: trials of one
    /// AutoML search share it.
    private var last: (submitNs: SimTimeNs, kept: Bool)?

    /// `generator` draws the line's arrivals over the stretch (its horizon); `keep[p]` is the
    /// share of them pool `p` keeps; `stream` decides which.
    public init(_ generator: JobMixGenerator, keep: [Double], stream: RandomStream) {
        self.generator = generator
        self.keep = keep
        self.stream = stream
    }

    public func next() -> JobSpec? {
        while var job = generator.next() {
            let kept: Bool
            if let l = last, l.submitNs == job.submitNs {
                kept = l.kept
            } else {
                let p = Int(job.pool) < keep.count && job.pool >= 0 ? keep[Int(job.pool)] : 0
                kept = p >= 1 || (p > 0 && stream.uniform() < p)
                last = (job.submitNs, kept)
            }
            if kept {
                job.submitNs = 0
                return job
            }
        }
        return nil
    }
}
