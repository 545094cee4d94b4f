import Foundation

/// How an accelerator's speed follows its power limit (DVFS under a power cap): at a limit of
/// `r` times its uncapped busy draw it runs at `r^exponent` of its speed. Clock frequency falls
/// with the limit while voltage falls with the clock, so power goes roughly as the cube of the
/// frequency and speed as the cube root of power.
///
/// Calibration (McDonald et al., "Great Power, Great Responsibility: Recommendations for
/// Reducing Energy for Training Language Models", Findings of NAACL 2022, arXiv 2205.09646):
/// V100 GPUs capped at 150 W (default limit 250 W) trained language models 6.8% slower and with
/// 13.7% less energy. Together these give the uncapped mean draw, 150 W × 1.068 / 0.863 = 185.6 W,
/// so the cap is r = 150 / 185.6 = 0.808 of it, and the exponent ln(1/1.068) / ln(0.808) = 0.309.
public struct PowerPerformance: Sendable, Equatable {
    public var exponent: Double
    /// The lowest limit a device accepts, as a share of its uncapped busy draw.
    public var minimumShare: Double
    public var source: String

    public init(exponent: Double, minimumShare: Double, source: String) {
        self.exponent = exponent
        self.minimumShare = minimumShare
        self.source = source
    }

    /// The calibrated curve (minimum limit 40%, as `nvidia-smi` allows for a V100's 100 W of 250 W).
    public static let calibrated = PowerPerformance(
        exponent: log(1 / 1.068) / log(150 / (150 * 1.068 / 0.863)), minimumShare: 0.4,
        source: "McDonald et al. 2022 (arXiv 2205.09646): V100 at 150 W of 250 W, +6.8% training time, -13.7% energy")

    /// Speed at a limit of `share` of the uncapped busy draw (1 at or above it).
    public func speed(atShare share: Double) -> Double { share >= 1 ? 1 : pow(share, exponent) }
}
