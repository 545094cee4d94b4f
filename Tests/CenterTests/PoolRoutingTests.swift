import Configuration
import Records
import Scenario
import Testing

/// Which pool an application's job goes to (`scheduling.maxPoolShare`): the pools of its role at
/// random by compute, but a job larger than the share of the pool drawn goes to a pool it takes
/// at most that share of. Reference: the binomial distribution of the draws (the small pool holds
/// 16 of 144 accelerators of one model, so it draws each job with probability 1/9).
@Suite struct PoolRoutingTests {
    static func text(share: String = "") -> String {
        """
        name: routing
        seed: 3
        horizon: 2d
        cluster:
          servers:
            - {name: small, preset: hgx-a100-8, count: 2, pool: small}
            - {name: big, preset: hgx-a100-8, count: 16, pool: big}
        \(share.isEmpty ? "" : "scheduling: {maxPoolShare: \(share)}")
        \(VisionWorkload.yaml(jobs: ["{kind: training, model: cnn, perDay: 900, accelerators: 2, samples: 1M}",
                                     "{kind: training, model: cnn, perDay: 300, accelerators: 8, samples: 1M}",
                                     "{kind: training, model: cnn, perDay: 30, accelerators: 32, samples: 1M}"]))
        """
    }

    /// Jobs of `size` accelerators: how many ran in (or were sent to) the small pool, of all.
    static func jobs(share: String, size: Int32) throws -> (small: Int, all: Int, rejected: Int) {
        let s = try ScenarioLoader.load(text: text(share: share), file: "routing.yaml", defaultName: "routing").scenario
        let sink = CollectingSink()
        _ = try CenterRun.run(s, sink: sink)
        let sized = sink.jobs.filter { $0.accelerators == size }
        return (sized.filter { $0.pool == 0 }.count, sized.count, sized.filter { $0.state == .rejected }.count)
    }

    /// Within four standard deviations of the binomial's mean, p = 1/9.
    static func expectDrawn(_ r: (small: Int, all: Int, rejected: Int)) {
        let mean = Double(r.all) / 9, sd = (Double(r.all) * (1.0 / 9) * (8.0 / 9)).squareRoot()
        #expect(r.all > 300)
        #expect(abs(Double(r.small) - mean) <= 4 * sd, "\(r.small) of \(r.all) in the small pool; expected \(mean) ± \(4 * sd)")
    }

    @Test func largeJobsGoToPoolsTheyTakeAQuarterOfAtMost() throws {
        // The default share, a quarter: 2 accelerators fit the small pool's 4, 8 do not.
        Self.expectDrawn(try Self.jobs(share: "", size: 2))
        let eight = try Self.jobs(share: "", size: 8)
        #expect(eight.all > 300 && eight.small == 0 && eight.rejected == 0)
        let large = try Self.jobs(share: "", size: 32)
        #expect(large.all > 20 && large.small == 0 && large.rejected == 0)
    }

    @Test func aShareOfOneSendsJobsWhereverTheyFit() throws {
        Self.expectDrawn(try Self.jobs(share: "1", size: 8))
        // 32 accelerators are more than the small pool holds: sent to the big one, not rejected.
        let large = try Self.jobs(share: "1", size: 32)
        #expect(large.all > 20 && large.small == 0 && large.rejected == 0)
    }

    @Test func aShareNoPoolMeetsSendsJobsToTheLargest() throws {
        // 8 accelerators are more than a twentieth of either pool (0.8 and 6.4).
        // 2 accelerators fit a twentieth of the big pool only.
        let two = try Self.jobs(share: "0.05", size: 2)
        #expect(two.all > 1_000 && two.small == 0 && two.rejected == 0)
        let eight = try Self.jobs(share: "0.05", size: 8)
        #expect(eight.all > 300 && eight.small == 0 && eight.rejected == 0)
    }

    @Test func aShareOutsideZeroToOneIsRejectedWithItsPlace() {
        for bad in ["0", "1.5", "-0.2"] {
            do {
                _ = try ScenarioLoader.load(text: Self.text(share: bad), file: "routing.yaml", defaultName: "routing")
                Issue.record("maxPoolShare \(bad) was accepted")
            } catch {
                let message = "\(error)"
                #expect(message.contains("routing.yaml:8:") && message.contains("maxPoolShare") && message.contains("at most 1"), "\(message)")
            }
        }
    }
}
