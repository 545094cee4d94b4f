import Foundation

/// Checkpointing a long job against failures (exponential failures with mean `mtbfS` M, a
/// checkpoint write of `writeS` δ, a restart of `restartS` R, and `workS` Ts of work between
/// the job's start and its end). References: J. W. Young, "A first order approximation to the
/// optimum checkpoint interval" (CACM 1974); J. T. Daly, "A higher order estimate of the optimum
/// checkpoint interval for restart dumps" (FGCS 2006).
public enum Checkpointing {
    /// Young's interval: the compute between two checkpoints that minimises lost work, √(2δM).
    public static func youngIntervalS(writeS: Double, mtbfS: Double) -> Double { (2 * writeS * mtbfS).squareRoot() }

    /// Daly's higher-order optimum: √(2δM)·[1 + ⅓·√(δ/2M) + ⅑·(δ/2M)] − δ for δ < 2M, else M.
    public static func dalyIntervalS(writeS: Double, mtbfS: Double) -> Double {
        guard writeS < 2 * mtbfS else { return mtbfS }
        let x = writeS / (2 * mtbfS)
        return (2 * writeS * mtbfS).squareRoot() * (1 + x.squareRoot() / 3 + x / 9) - writeS
    }

    /// Daly's expected wall time of a job checkpointing every `intervalS` τ of compute:
    /// M·e^{R/M}·(e^{(τ+δ)/M} − 1)·Ts/τ.
    public static func dalyExpectedS(workS: Double, intervalS: Double, writeS: Double, restartS: Double, mtbfS: Double) -> Double {
        mtbfS * exp(restartS / mtbfS) * expm1((intervalS + writeS) / mtbfS) * workS / intervalS
    }

    /// The share of wall time a job spends on useful work (the effective training time ratio,
    /// ETTR) under Daly's model.
    public static func effectiveTimeRatio(workS: Double, intervalS: Double, writeS: Double, restartS: Double, mtbfS: Double) -> Double {
        workS / dalyExpectedS(workS: workS, intervalS: intervalS, writeS: writeS, restartS: restartS, mtbfS: mtbfS)
    }
}
