import CGSL
import Foundation

/// A probability distribution of a real-valued quantity, in the quantity's base unit.
///
/// Parameters follow the usual textbook conventions; every draw comes from GSL.
public enum Distribution: Sendable, Equatable {
    /// Always the same value.
    case constant(Double)
    /// Exponential with the given mean.
    case exponential(mean: Double)
    /// Gamma with shape k and scale θ (mean kθ).
    case gamma(shape: Double, scale: Double)
    /// Lognormal: ln X ~ Normal(mu, sigma). The median is e^mu.
    case lognormal(mu: Double, sigma: Double)
    /// Weibull with shape k and scale λ.
    case weibull(shape: Double, scale: Double)
    /// Pareto type I with shape α and scale x_m (the minimum).
    case pareto(shape: Double, scale: Double)
    /// Normal with mean and standard deviation.
    case normal(mean: Double, stddev: Double)
    /// Uniform on [min, max).
    case uniform(min: Double, max: Double)
    /// Poisson count with the given mean.
    case poisson(mean: Double)
    /// Finite set of values with relative weights (Walker's alias method, `gsl_ran_discrete`).
    case discrete(values: [Double], weights: [Double])
    /// Empirical: a piecewise-linear CDF through `(values[i], cdf[i])`, values ascending and cdf
    /// rising from 0 to 1 (as ns-3's EmpiricalRandomVariable with interpolation).
    case empirical(values: [Double], cdf: [Double])

    /// The smallest value a draw can take, where the distribution is bounded below by a known
    /// positive value (constant, uniform, discrete, empirical, Pareto); nil otherwise.
    public var smallestValue: Double? {
        switch self {
        case .constant(let v): return v
        case .uniform(let a, _): return a
        case .pareto(_, let xm): return xm
        case .discrete(let v, let w): return zip(v, w).filter { $0.1 > 0 }.map(\.0).min()
        case .empirical(let v, _): return v.first
        default: return nil
        }
    }

    /// The size the distribution is written at: its largest listed value or upper bound, or its
    /// centre (mean, median or scale) when it is unbounded; for checking inputs against limits.
    public var writtenSize: Double {
        switch self {
        case .constant(let v): return v
        case .uniform(_, let b): return b
        case .discrete(let v, _), .empirical(let v, _): return v.max() ?? 0
        case .lognormal(let mu, _): return Foundation.exp(mu)
        case .weibull(_, let l): return l
        case .pareto(_, let xm): return xm
        default: return mean
        }
    }

    /// The distribution's mean, where it is finite.
    public var mean: Double {
        switch self {
        case .constant(let v): return v
        case .exponential(let m): return m
        case .gamma(let k, let t): return k * t
        case .lognormal(let mu, let s): return Foundation.exp(mu + s * s / 2)
        case .weibull(let k, let l): return l * Foundation.tgamma(1 + 1 / k)
        case .pareto(let a, let xm): return a > 1 ? a * xm / (a - 1) : .infinity
        case .normal(let m, _): return m
        case .uniform(let a, let b): return (a + b) / 2
        case .poisson(let m): return m
        case .discrete(let v, let w):
            let total = w.reduce(0, +)
            return zip(v, w).reduce(0) { $0 + $1.0 * $1.1 } / total
        case .empirical(let v, let c):
            var m = 0.0
            for i in 1..<v.count { m += (c[i] - c[i - 1]) * (v[i] + v[i - 1]) / 2 }
            return m
        }
    }
}

/// Draws from one ``Distribution``, holding any precomputed tables (the alias table of a
/// discrete distribution). Create one per distribution, not per draw.
public final class DistributionSampler {
    public let distribution: Distribution
    private var aliasTable: UnsafeMutablePointer<gsl_ran_discrete_t>?

    public init(_ distribution: Distribution) {
        self.distribution = distribution
        if case .discrete(_, let weights) = distribution {
            aliasTable = weights.withUnsafeBufferPointer { gsl_ran_discrete_preproc($0.count, $0.baseAddress) }
        }
    }

    deinit { if let t = aliasTable { gsl_ran_discrete_free(t) } }

    /// One draw from `stream`.
    public func sample(_ stream: RandomStream) -> Double {
        switch distribution {
        case .constant(let v): return v
        case .exponential(let m): return stream.exponential(mean: m)
        case .gamma(let k, let t): return stream.gamma(shape: k, scale: t)
        case .lognormal(let mu, let s): return stream.lognormal(mu: mu, sigma: s)
        case .weibull(let k, let l): return stream.weibull(shape: k, scale: l)
        case .pareto(let a, let xm): return stream.pareto(shape: a, scale: xm)
        case .normal(let m, let s): return stream.normal(mean: m, stddev: s)
        case .uniform(let a, let b): return stream.flat(a, b)
        case .poisson(let m): return Double(stream.poisson(mean: m))
        case .discrete(let values, _):
            return values[Int(gsl_ran_discrete(stream.rng, aliasTable))]
        case .empirical(let values, let cdf):
            let u = stream.uniform()
            // First index whose cdf exceeds u (binary search), then interpolate.
            var lo = 1, hi = cdf.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cdf[mid] > u { hi = mid } else { lo = mid + 1 }
            }
            let c0 = cdf[lo - 1], c1 = cdf[lo]
            let f = c1 > c0 ? (u - c0) / (c1 - c0) : 0
            return values[lo - 1] + f * (values[lo] - values[lo - 1])
        }
    }
}
