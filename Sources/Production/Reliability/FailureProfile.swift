/// A published failure rate for a whole server, to scale the catalog's server classes to
/// (`failures.profile`): the classes keep the Llama 3 report's shares (Table 5), and their
/// rates together make a server fail as often as the study measured. The switches' and storage
/// servers' classes are not scaled.
public struct FailureProfile: Sendable, Equatable {
    public var name: String
    /// Failures of one server (8 accelerators) per day in the study.
    public var serverFailuresPerDay: Double
    public var source: String

    /// The profiles: the Llama 3 pre-training (the catalog itself) and Meta's two research
    /// clusters of "Revisiting Reliability in Large-Scale Machine Learning Research Clusters".
    public static let builtIn: [FailureProfile] = [
        FailureProfile(name: "llama3", serverFailuresPerDay: 419.0 / 2048 / 54,
                       source: "Llama 3 report Table 5: 419 unexpected interruptions in 54 days on 2,048 servers of 8 H100 GPUs (the catalog's calibration)."),
        FailureProfile(name: "meta-rsc1", serverFailuresPerDay: 6.50e-3,
                       source: "Kokolis et al., \"Revisiting Reliability in Large-Scale Machine Learning Research Clusters\" (HPCA 2025, arXiv 2410.21680): RSC-1 (16,000 A100 GPUs, 11 months) fails 6.50 times per 1,000 node-days (node: 8 GPUs), counted from the infrastructure failures of jobs over 128 GPUs; the paper projects an MTTF of 1.8 h for 16,384 GPUs and 0.23 h for 131,072 from it. Class shares: the Llama 3 report's."),
        FailureProfile(name: "meta-rsc2", serverFailuresPerDay: 2.34e-3,
                       source: "Kokolis et al. (HPCA 2025): RSC-2 (8,000 A100 GPUs) fails 2.34 times per 1,000 node-days; its GPU swap rate is a third of RSC-1's. Class shares: the Llama 3 report's."),
    ]

    /// The profile named `name` (nil: none).
    public static func named(_ name: String) -> FailureProfile? { builtIn.first { $0.name == name } }

    /// The factor on the catalog's server-class rates: this profile's server rate over the Llama 3 one.
    public var rateFactor: Double { serverFailuresPerDay / Self.builtIn[0].serverFailuresPerDay }
}
