import Foundation
import SimKernel
import Workloads

/// A distribution written in a scenario: `{dist: exponential, mean: 5m}`, or a bare value for a
/// constant (`duration: 2h`). Parameters with a dimension carry units of `U` and are stored in
/// base units; shape parameters are plain numbers. The keys of each `dist` are listed in
/// `docs/scenario-reference.md`.
public struct DistributionSpec<U: UnitDimension>: Sendable, Equatable {
    /// The distribution over base units of `U`.
    public var distribution: Distribution
    /// For `dist: trace`, the file column the empirical distribution was read from.
    public var origin: TraceColumnSource?

    public init(_ distribution: Distribution) { self.distribution = distribution }

    /// For `dist: trace`, reads the column: the empirical distribution of its values.
    mutating func importColumn(_ files: TraceFiles) throws {
        guard let source = origin else { return }
        let values = try source.read(files)
        distribution = .empirical(values: values, cdf: (0..<values.count).map { values.count > 1 ? Double($0) / Double(values.count - 1) : 1 })
    }

    /// Names of the supported distributions and their keys.
    public static var kinds: [(name: String, keys: [String])] {
        [("constant", ["value"]), ("exponential", ["mean"]), ("gamma", ["shape", "scale", "mean"]),
         ("lognormal", ["median", "mean", "sigma"]), ("weibull", ["shape", "scale"]),
         ("pareto", ["shape", "scale"]), ("normal", ["mean", "stddev"]), ("uniform", ["min", "max"]),
         ("poisson", ["mean"]), ("discrete", ["values", "weights"]), ("empirical", ["values", "cdf"]),
         ("trace", ["file", "column", "unit"])]
    }
}

extension KeyedDecodingContainer {
    /// Decodes a distribution of accelerators per job: none of its written values (listed
    /// values, bounds, centre) may exceed `InputLimits.maxAccelerators`.
    func decodeAcceleratorCounts(forKey key: Key) throws -> DistributionSpec<CountUnit> {
        let d = try decode(DistributionSpec<CountUnit>.self, forKey: key)
        let size = d.distribution.writtenSize
        if !(size <= Double(InputLimits.maxAccelerators)) {
            let at = try superDecoder(forKey: key)
            throw at.scenarioError("\(at.scenarioPath) asks for \(String(format: "%.4g", size)) accelerators per job; at most \(InputLimits.maxAccelerators) are possible")
        }
        return d
    }
}

private struct NameKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

extension DistributionSpec: Codable {
    public init(from decoder: any Decoder) throws {
        // A bare scalar is a constant.
        if let single = decoder as? NodeDecoder, single.scalarText != nil {
            distribution = .constant(try decodeQuantityValue(U.self, from: decoder))
            return
        }
        let c = try decoder.container(keyedBy: NameKey.self)
        let path = decoder.scenarioPath
        let name = try c.decode(String.self, forKey: NameKey("dist"))
        guard let kind = Self.kinds.first(where: { $0.name == name }) else {
            let names = Self.kinds.map(\.name)
            let hint = didYouMean(name, among: names)
            throw try c.superDecoder(forKey: NameKey("dist")).scenarioError(
                "unknown distribution '\(name)' for \(path)\(hint); expected one of \(names.joined(separator: ", "))")
        }
        if let nd = decoder as? NodeDecoder {
            try nd.requireOnlyKeys(["dist"] + kind.keys, what: "dist: \(name)")
        }
        if name == "poisson", !U.units.isEmpty {
            throw decoder.scenarioError("dist: poisson draws counts; \(path) needs \(U.what)")
        }

        func quantity(_ key: String) throws -> Double {
            try decodeQuantityValue(U.self, from: c.superDecoder(forKey: NameKey(key)))
        }
        func positiveQuantity(_ key: String) throws -> Double {
            let v = try quantity(key)
            if v <= 0 { throw try c.superDecoder(forKey: NameKey(key)).scenarioError("\(path).\(key) must be positive") }
            return v
        }
        func number(_ key: String, positive: Bool = true) throws -> Double {
            let v = try c.decode(Double.self, forKey: NameKey(key))
            if positive && v <= 0 {
                throw try c.superDecoder(forKey: NameKey(key)).scenarioError("\(path).\(key) must be positive, got \(v)")
            }
            return v
        }
        func has(_ key: String) -> Bool { c.contains(NameKey(key)) }
        func list(_ key: String, of what: (any Decoder) throws -> Double) throws -> [Double] {
            var u = try c.nestedUnkeyedContainer(forKey: NameKey(key))
            var out: [Double] = []
            while !u.isAtEnd { out.append(try what(u.superDecoder())) }
            if out.isEmpty { throw try c.superDecoder(forKey: NameKey(key)).scenarioError("\(path).\(key) must not be empty") }
            return out
        }
        func oneOf(_ a: String, _ b: String) throws {
            if has(a) == has(b) { throw decoder.scenarioError("dist: \(name) for \(path) needs exactly one of '\(a)' or '\(b)'") }
        }

        switch name {
        case "constant":
            distribution = .constant(try quantity("value"))
        case "exponential":
            distribution = .exponential(mean: try positiveQuantity("mean"))
        case "gamma":
            let shape = try number("shape")
            try oneOf("scale", "mean")
            let scale = has("scale") ? try positiveQuantity("scale") : try positiveQuantity("mean") / shape
            distribution = .gamma(shape: shape, scale: scale)
        case "lognormal":
            let sigma = try number("sigma", positive: false)
            if sigma < 0 { throw decoder.scenarioError("\(path).sigma must not be negative, got \(sigma)") }
            try oneOf("median", "mean")
            let mu = has("median") ? log(try positiveQuantity("median")) : log(try positiveQuantity("mean")) - sigma * sigma / 2
            distribution = .lognormal(mu: mu, sigma: sigma)
        case "weibull":
            distribution = .weibull(shape: try number("shape"), scale: try positiveQuantity("scale"))
        case "pareto":
            distribution = .pareto(shape: try number("shape"), scale: try positiveQuantity("scale"))
        case "normal":
            distribution = .normal(mean: try quantity("mean"), stddev: try quantity("stddev"))
        case "uniform":
            let lo = try quantity("min"), hi = try quantity("max")
            if hi <= lo { throw try c.superDecoder(forKey: NameKey("max")).scenarioError("\(path).max must be greater than min") }
            distribution = .uniform(min: lo, max: hi)
        case "poisson":
            distribution = .poisson(mean: try number("mean"))
        case "trace":
            var source = try TraceColumnSource(c.superDecoder(forKey: NameKey("file")), file: c.decode(String.self, forKey: NameKey("file")),
                                               column: c.decode(String.self, forKey: NameKey("column")),
                                               unit: c.decodeIfPresent(String.self, forKey: NameKey("unit")))
            var factor = 1.0
            if U.units.isEmpty {
                if source.unit != nil { throw try c.superDecoder(forKey: NameKey("unit")).scenarioError("\(path) is \(U.what); 'unit' does not apply") }
            } else {
                guard let u = source.unit else { throw decoder.scenarioError("dist: trace for \(path) needs 'unit' (\(Quantities.unitList(U.self)))") }
                guard let f = U.units.first(where: { $0.suffix == u && !$0.suffix.isEmpty }) else {
                    throw try c.superDecoder(forKey: NameKey("unit")).scenarioError("bad unit '\(u)' for \(path): expected one of \(Quantities.unitList(U.self))")
                }
                factor = f.factor
            }
            source.factor = factor
            source.maxValue = U.maxBaseUnits / factor
            // The column is read after decoding (``importColumn(_:)``); no values until then.
            distribution = .empirical(values: [], cdf: [])
            origin = source
        case "discrete":
            let values = try list("values") { try decodeQuantityValue(U.self, from: $0) }
            var weights = [Double](repeating: 1, count: values.count)
            if has("weights") {
                weights = try list("weights") { try decodeQuantityValue(CountUnit.self, from: $0) }
                let wd = try c.superDecoder(forKey: NameKey("weights"))
                if weights.count != values.count { throw wd.scenarioError("\(path).weights has \(weights.count) entries but values has \(values.count)") }
                if weights.reduce(0, +) <= 0 { throw wd.scenarioError("\(path).weights must not all be zero") }
            }
            distribution = .discrete(values: values, weights: weights)
        default: // empirical
            let values = try list("values") { try decodeQuantityValue(U.self, from: $0) }
            let vd = try c.superDecoder(forKey: NameKey("values"))
            if values.count < 2 { throw vd.scenarioError("\(path).values needs at least 2 points") }
            if zip(values, values.dropFirst()).contains(where: { $0 > $1 }) { throw vd.scenarioError("\(path).values must be ascending") }
            var cdf = (0..<values.count).map { Double($0) / Double(values.count - 1) }
            if has("cdf") {
                cdf = try list("cdf") { try decodeQuantityValue(CountUnit.self, from: $0) }
                let cd = try c.superDecoder(forKey: NameKey("cdf"))
                if cdf.count != values.count { throw cd.scenarioError("\(path).cdf has \(cdf.count) entries but values has \(values.count)") }
                if cdf.first != 0 || cdf.last != 1 || zip(cdf, cdf.dropFirst()).contains(where: { $0 > $1 }) {
                    throw cd.scenarioError("\(path).cdf must rise from 0 to 1")
                }
            }
            distribution = .empirical(values: values, cdf: cdf)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: NameKey.self)
        if let o = origin {
            try c.encode("trace", forKey: NameKey("dist")); try c.encode(o.file, forKey: NameKey("file"))
            try c.encode(o.column, forKey: NameKey("column"))
            if let u = o.unit { try c.encode(u, forKey: NameKey("unit")) }
            return
        }
        func q(_ v: Double) -> String {
            U.units.isEmpty ? "\(v)" : Quantities.format(v.rounded(), as: U.self)
        }
        func put(_ key: String, _ value: String) throws { try c.encode(value, forKey: NameKey(key)) }
        func putNumber(_ key: String, _ value: Double) throws { try c.encode(value, forKey: NameKey(key)) }
        switch distribution {
        case .constant(let v): try put("dist", "constant"); try put("value", q(v))
        case .exponential(let m): try put("dist", "exponential"); try put("mean", q(m))
        case .gamma(let k, let t): try put("dist", "gamma"); try putNumber("shape", k); try put("scale", q(t))
        case .lognormal(let mu, let s): try put("dist", "lognormal"); try put("median", q(exp(mu))); try putNumber("sigma", s)
        case .weibull(let k, let l): try put("dist", "weibull"); try putNumber("shape", k); try put("scale", q(l))
        case .pareto(let a, let xm): try put("dist", "pareto"); try putNumber("shape", a); try put("scale", q(xm))
        case .normal(let m, let s): try put("dist", "normal"); try put("mean", q(m)); try put("stddev", q(s))
        case .uniform(let a, let b): try put("dist", "uniform"); try put("min", q(a)); try put("max", q(b))
        case .poisson(let m): try put("dist", "poisson"); try putNumber("mean", m)
        case .discrete(let v, let w):
            try put("dist", "discrete"); try c.encode(v.map(q), forKey: NameKey("values")); try c.encode(w, forKey: NameKey("weights"))
        case .empirical(let v, let cdf):
            try put("dist", "empirical"); try c.encode(v.map(q), forKey: NameKey("values")); try c.encode(cdf, forKey: NameKey("cdf"))
        }
    }
}
