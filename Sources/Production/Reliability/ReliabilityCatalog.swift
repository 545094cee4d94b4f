import Foundation

/// Default failure models, calibrated to the most detailed public count of failures in a large
/// training job: the Llama 3 report ("The Llama 3 Herd of Models", Meta 2024, §3.3.4 and Table 5),
/// 419 unexpected interruptions in a 54-day snapshot (1,296 h) of pre-training on 16,384 H100
/// GPUs in 2,048 servers of 8 GPUs and 8 backend NICs each. Each class's MTTF is the units it
/// counts × 1,296 h / its interruptions, so a job of that size over that time expects the
/// report's 419. The report gives no repair times: detection, reboot and repair times are
/// estimates (marked so), to be replaced by a center's own operations data. The fabric's
/// switches and the storage servers, which a scenario turns on class by class, come from
/// studies of data-center networks (and an estimate for storage servers).
public enum ReliabilityCatalog {
    /// Hours in the Llama 3 snapshot, and the units it ran on.
    public static let llama3SnapshotHours = 54.0 * 24
    public static let llama3Exposure = FailureExposure(accelerators: 16_384, servers: 2_048, nicsPerServer: 8)
    /// Unexpected interruptions in the snapshot, per class (Table 5's rows summed).
    public static let llama3Interruptions: [FailureComponent: Int] = [.accelerator: 268, .host: 46, .nic: 7, .network: 35, .software: 63]

    static func mttf(_ c: FailureComponent) -> Double {
        Double(llama3Exposure.units(of: c)) * llama3SnapshotHours / Double(llama3Interruptions[c]!)
    }

    /// The built-in models, one per class, in ``FailureComponent`` order.
    public static let builtIn: [FailureModel] = [
        FailureModel(component: .accelerator, mttfHours: mttf(.accelerator), transientShare: 0.3, detectHours: 0.1, rebootHours: 0.25, repairHours: 72,
                     source: "Llama 3 report Table 5: faulty GPU 148, GPU HBM3 memory 72, GPU SRAM memory 19, GPU system processor 17, silent data corruption 6, GPU thermal interface and sensor 6 = 268 of 419 in 1,296 h over 16,384 GPUs. Transient share, detection, reboot and repair times: estimates."),
        FailureModel(component: .host, mttfHours: mttf(.host), transientShare: 0.5, detectHours: 0.1, rebootHours: 0.25, repairHours: 24,
                     source: "Llama 3 report Table 5: host maintenance 32, SSD 3, power supply 3, server chassis 2, IO expansion board 2, CPU 2, system memory 2 = 46 of 419 in 1,296 h over 2,048 servers. Transient share and times: estimates."),
        FailureModel(component: .nic, mttfHours: mttf(.nic), transientShare: 0.3, detectHours: 0.1, rebootHours: 0.25, repairHours: 24,
                     source: "Llama 3 report Table 5: NIC 7 of 419 in 1,296 h over 16,384 NICs (8 per server). Transient share and times: estimates."),
        FailureModel(component: .network, mttfHours: mttf(.network), transientShare: 0.5, detectHours: 0.1, rebootHours: 0.1, repairHours: 8,
                     source: "Llama 3 report Table 5: network switch/cable 35 of 419 in 1,296 h, per server of 2,048. Transient share and times: estimates."),
        FailureModel(component: .software, mttfHours: mttf(.software), transientShare: 1, detectHours: 0.1, rebootHours: 0.1, repairHours: 0,
                     source: "Llama 3 report Table 5: software bug 54, NCCL watchdog timeouts 7, dependency 2 = 63 of 419 in 1,296 h, per server of 2,048 a job spans (cleared by a restart). Times: estimates."),
        FailureModel(component: .leaf, mttfHours: mttfHours(annualFailureProbability: 0.05), transientShare: 0.5, detectHours: 0.1, rebootHours: 0.25, repairHours: 4,
                     source: "Gill, Jain, Nagappan, \"Understanding Network Failures in Data Centers\" (SIGCOMM 2011): top-of-rack switches fail with a probability of about 5% a year (MTTF = 1 year / -ln 0.95); Singh et al., \"Surviving switch failures in cloud datacenters\" (SIGCOMM CCR 2021): 2% of 180,000 switches fail within 3 months, 17% of failures from switch software bugs. Transient share, detection, reboot and repair (a spare switch) times: estimates."),
        FailureModel(component: .spine, mttfHours: mttfHours(annualFailureProbability: 0.10), transientShare: 0.5, detectHours: 0.1, rebootHours: 0.25, repairHours: 4,
                     source: "Gill, Jain, Nagappan (SIGCOMM 2011): aggregation switches fail with a probability of about 10% a year (MTTF = 1 year / -ln 0.90). Transient share and times: estimates."),
        FailureModel(component: .storage, mttfHours: mttf(.host), transientShare: 0.5, detectHours: 0.1, rebootHours: 0.25, repairHours: 24,
                     source: "Estimate: a storage server fails as a server's host parts do in the Llama 3 report (Table 5: 46 host failures in 1,296 h over 2,048 servers); transient share and times as the host class's. Replace with the storage system's own operations data."),
    ]

    /// Hours to failure of a part that fails with probability `p` within a year, at a constant rate.
    static func mttfHours(annualFailureProbability p: Double) -> Double { 365 * 24 / -log(1 - p) }

    /// The built-in model of `component`.
    public static func model(_ component: FailureComponent) -> FailureModel { builtIn.first { $0.component == component }! }
}
