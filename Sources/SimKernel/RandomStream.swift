import CGSL

/// One named, independently seeded source of random numbers, backed by its own GSL generator
/// (MT19937), so draws are identical on every platform.
public final class RandomStream {
    /// The stream's name, e.g. `arrivals/medical-imaging`.
    public let name: String
    /// The 32-bit seed actually given to GSL (MT19937 uses the low 32 bits of a seed).
    public let gslSeed: UInt32
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>

    init(name: String, gslSeed: UInt32) {
        self.name = name
        self.gslSeed = gslSeed
        iccsim_gsl_disable_abort()
        guard let r = gsl_rng_alloc(iccsim_gsl_rng_mt19937()) else {
            fatalError("GSL could not allocate a random generator")
        }
        gsl_rng_set(r, UInt(gslSeed))
        rng = r
    }

    deinit { gsl_rng_free(rng) }

    /// Uniform on [0, 1).
    @inlinable public func uniform() -> Double { gsl_rng_uniform(rng) }
    /// Uniform on (0, 1).
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }
    /// Uniform integer in [0, n).
    @inlinable public func uniformInt(_ n: Int) -> Int { Int(gsl_rng_uniform_int(rng, UInt(n))) }
    /// Exponential with the given mean (`gsl_ran_exponential`).
    @inlinable public func exponential(mean: Double) -> Double { gsl_ran_exponential(rng, mean) }
    /// Gamma with shape k and scale θ (`gsl_ran_gamma`).
    @inlinable public func gamma(shape: Double, scale: Double) -> Double { gsl_ran_gamma(rng, shape, scale) }
    /// Lognormal whose logarithm is Normal(mu, sigma) (`gsl_ran_lognormal`).
    @inlinable public func lognormal(mu: Double, sigma: Double) -> Double { gsl_ran_lognormal(rng, mu, sigma) }
    /// Weibull with shape k and scale λ (`gsl_ran_weibull(r, a = scale, b = shape)`).
    @inlinable public func weibull(shape: Double, scale: Double) -> Double { gsl_ran_weibull(rng, scale, shape) }
    /// Pareto (type I) with shape α and scale x_m (`gsl_ran_pareto(r, a = shape, b = scale)`).
    @inlinable public func pareto(shape: Double, scale: Double) -> Double { gsl_ran_pareto(rng, shape, scale) }
    /// Normal (`gsl_ran_gaussian`, Box–Muller-free ratio method) with mean and standard deviation.
    @inlinable public func normal(mean: Double, stddev: Double) -> Double { mean + gsl_ran_gaussian_ziggurat(rng, stddev) }
    /// Uniform on [a, b) (`gsl_ran_flat`).
    @inlinable public func flat(_ a: Double, _ b: Double) -> Double { gsl_ran_flat(rng, a, b) }
    /// Poisson count with the given mean (`gsl_ran_poisson`).
    @inlinable public func poisson(mean: Double) -> Int { Int(gsl_ran_poisson(rng, mean)) }
}

/// The named random streams of one run.
///
/// A stream's seed is SplitMix64 over (master seed, run index, FNV-1a of its name): never
/// Swift's per-process `Hasher`, so a stream's draws do not depend on which other streams exist
/// or on the order they are created in. GSL's MT19937 keeps 32 bits of a seed; when two of a
/// run's streams would collide on those bits, the later one is re-mixed (deterministically) and
/// the collision is recorded in ``collisions``.
public final class RandomStreams {
    public let masterSeed: UInt64
    public let runIndex: UInt64
    private var byName: [String: RandomStream] = [:]
    private var usedSeeds: [UInt32: String] = [:]
    /// Stream names whose natural seed collided with an earlier stream's, in creation order.
    public private(set) var collisions: [String] = []

    public init(masterSeed: UInt64, runIndex: UInt64 = 0) {
        self.masterSeed = masterSeed
        self.runIndex = runIndex
    }

    /// The 64-bit seed derived for a stream name.
    public static func seed(master: UInt64, run: UInt64, name: String) -> UInt64 {
        var s = SplitMix64.mix(master &+ 0x9E37_79B9_7F4A_7C15)
        s = SplitMix64.mix(s ^ run)
        return SplitMix64.mix(s ^ FNV1a.hash64(name))
    }

    /// The stream called `name`, created on first use.
    public func stream(_ name: String) -> RandomStream {
        if let s = byName[name] { return s }
        var seed64 = RandomStreams.seed(master: masterSeed, run: runIndex, name: name)
        var seed32 = UInt32(truncatingIfNeeded: seed64)
        if usedSeeds[seed32] != nil { collisions.append(name) }
        while usedSeeds[seed32] != nil {
            seed64 = SplitMix64.mix(seed64)
            seed32 = UInt32(truncatingIfNeeded: seed64)
        }
        usedSeeds[seed32] = name
        let s = RandomStream(name: name, gslSeed: seed32)
        byName[name] = s
        return s
    }
}
