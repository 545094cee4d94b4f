import Foundation
import SimKernel

/// The random side of failures: each failure's time and kind is drawn from a counter-based
/// generator keyed by (seed, server, part class, failure number), so a draw never depends on
/// the order in which other failures happen (same-time events, other servers) and turning
/// failures on leaves every other random stream of a run as it was. `seed` is the run's named
/// stream seed for failures (``RandomStreams/seed(master:run:name:)`` of `failures/POOL`).
public struct FailureDraws: Sendable {
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// The generator of one draw.
    func generator(server: Int, component: FailureComponent, failure n: Int, purpose: UInt64) -> SplitMix64 {
        let c = UInt64(component.code)
        var s = SplitMix64.mix(seed ^ UInt64(truncatingIfNeeded: server))
        s = SplitMix64.mix(s ^ (c << 56) ^ UInt64(truncatingIfNeeded: n))
        return SplitMix64(seed: SplitMix64.mix(s ^ purpose))
    }

    /// A uniform draw in (0, 1].
    func unit(server: Int, component: FailureComponent, failure n: Int, purpose: UInt64) -> Double {
        var g = generator(server: server, component: component, failure: n, purpose: purpose)
        return Double((g.next() >> 11) + 1) / 9_007_199_254_740_992
    }

    /// Hours from the server's (re)start to the `n`th failure (n from 0) of its `units` parts of
    /// `model`'s class: Weibull of the model's shape with mean MTTF / units, by inversion. For a
    /// shape of 1 this is exactly the first failure among `units` independent exponential
    /// parts; for other shapes it treats the server's parts of the class as one part of that
    /// shape with their combined rate (an approximation).
    public func timeToFailureHours(_ model: FailureModel, units: Int, server: Int, failure n: Int) -> Double {
        precondition(units > 0, "a server without parts of a class does not fail from it")
        let u = unit(server: server, component: model.component, failure: n, purpose: 1)
        let scale = model.weibullScaleHours / Double(units)
        return scale * pow(-log(u), 1 / model.weibullShape)
    }

    /// Whether the `n`th failure of the class on `server` is transient (cleared by a reboot).
    public func isTransient(_ model: FailureModel, server: Int, failure n: Int) -> Bool {
        unit(server: server, component: model.component, failure: n, purpose: 2) <= model.transientShare
    }
}
