import Foundation
import SimKernel

/// Model generations: the models an application trains grow over the years, their parameters
/// (and so FLOPs per sample, checkpoints and gradients) and their data (samples per epoch) each
/// by a compound annual rate, from the scenario's start (`offsetNs` before the run's time 0 in
/// a sampled run's window). A job is priced with the generation of its submission day.
public struct ModelGenerations: Sendable, Equatable {
    public var parametersPerYear: Double
    public var dataPerYear: Double
    /// The run's time 0, from the scenario's start.
    public var offsetNs: SimTimeNs

    public init(parametersPerYear: Double, dataPerYear: Double, offsetNs: SimTimeNs = 0) {
        self.parametersPerYear = parametersPerYear
        self.dataPerYear = dataPerYear
        self.offsetNs = offsetNs
    }

    /// The factors on parameters and on data of a job submitted at `t` (365-day years).
    public func factors(atNs t: SimTimeNs) -> (parameters: Double, data: Double) {
        let years = Double(offsetNs + t) / Double(365 * SimTime.nsPerDay)
        return (pow(1 + parametersPerYear, years), pow(1 + dataPerYear, years))
    }
}
