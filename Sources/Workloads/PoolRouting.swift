import SimKernel

/// Which of a job-mix line's pools a job goes to: one of them at random, weighted by compute;
/// but a job that would take more than `maxShare` of the accelerators in service of the pool
/// drawn goes instead to one of the pools it takes at most that share of (again at random by
/// compute), or, when none is that large, to the largest. So a gang of hundreds of accelerators
/// is not sent to a small pool where, waiting for the pool to empty, it would hold every job
/// behind it (the head-of-line blocking of a gang under FIFO).
///
/// Jobs that fit the pool drawn use one draw of the stream, as with weights alone; a re-routed
/// job draws once more.
struct PoolRouting {
    /// Accelerators in service in each of the line's pools (its slots).
    let capacities: [Int]
    /// The largest share of a pool a job is sent to it for.
    let maxShare: Double
    private let all: DistributionSampler
    /// The slots' distinct capacities among pools that take jobs, largest first, and for each
    /// the sampler over the pools at least that large (zero weight for the others).
    private let tiers: [(capacity: Int, sampler: DistributionSampler)]
    /// The largest pool that takes jobs (the first of them on ties).
    private let largest: Int

    init(weights: [Double], capacities: [Int], maxShare: Double) {
        self.capacities = capacities
        self.maxShare = maxShare
        let slots = weights.indices.map(Double.init)
        all = DistributionSampler(.discrete(values: slots, weights: weights))
        let taking = weights.indices.filter { weights[$0] > 0 }
        largest = taking.max { capacities[$0] < capacities[$1] || (capacities[$0] == capacities[$1] && $0 > $1) } ?? 0
        let sizes = Set(taking.map { capacities[$0] }).sorted(by: >)
        tiers = sizes.map { c in
            (c, DistributionSampler(.discrete(values: slots, weights: weights.indices.map { capacities[$0] >= c ? weights[$0] : 0 })))
        }
    }

    /// The slot of a job of `accelerators`.
    func slot(accelerators n: Int, stream: RandomStream) -> Int {
        let drawn = Int(all.sample(stream))
        guard !fits(n, capacities[drawn]) else { return drawn }
        // The smallest tier the job fits holds every pool it fits.
        guard let tier = tiers.last(where: { fits(n, $0.capacity) }) else { return largest }
        return Int(tier.sampler.sample(stream))
    }

    func fits(_ n: Int, _ capacity: Int) -> Bool { Double(n) <= maxShare * Double(capacity) }
}
