import Components
import Metrics
import Production
import Records
import SimKernel

/// The failures' books over a run: failures by class and kind, jobs and replicas hit, work by
/// what it was for (kept compute, restores, checkpoint writes, work thrown away), training
/// jobs' effective time, servers down and the repair backlog.
struct FailureTally {
    var byClass: [Int]
    var byKind = [0, 0, 0]
    var jobsInterrupted = 0
    var replicasLost = 0
    /// Accelerator·ns of work thrown away, of restores, of checkpoint writes, of compute kept,
    /// and of all work done by batch jobs with a checkpoint plan.
    var lostAcceleratorNs = 0.0
    var restoreAcceleratorNs = 0.0
    var writeAcceleratorNs = 0.0
    var keptAcceleratorNs = 0.0
    var workAcceleratorNs = 0.0
    /// Training jobs (completed, or started by the end): compute kept and wall time from first
    /// start to the end (theirs or the run's), accelerator-weighted.
    var trainingComputeAcceleratorNs = 0.0
    var trainingWallAcceleratorNs = 0.0
    /// Device·ns out of service, and the center's devices.
    var downDeviceNs = 0.0
    let capacity: Int
    let hotSpares: Int
    /// Parts under repair now, its time integral, its peak, and when it last changed.
    var backlog = 0
    var backlogAreaNs = 0.0
    var backlogPeak = 0
    var backlogSinceNs: SimTimeNs = 0

    init(classes: Int, capacity: Int, hotSpares: Int) {
        byClass = Array(repeating: 0, count: classes)
        self.capacity = capacity
        self.hotSpares = hotSpares
    }

    mutating func failed(class c: Int, kind: FailureRecord.Kind, jobsHit: Int, replicasHit: Int, lostAcceleratorNs lost: Double) {
        byClass[c] += 1
        byKind[Int(kind.rawValue)] += 1
        jobsInterrupted += jobsHit
        replicasLost += replicasHit
        lostAcceleratorNs += lost
    }

    mutating func worked(_ split: WorkSplit, accelerators: Double) {
        restoreAcceleratorNs += Double(split.restoreNs) * accelerators
        writeAcceleratorNs += Double(split.writeNs) * accelerators
        keptAcceleratorNs += Double(split.keptComputeNs) * accelerators
        workAcceleratorNs += Double(split.restoreNs + split.computeNs + split.writeNs) * accelerators
    }

    mutating func trained(computeNs: SimTimeNs, wallNs: SimTimeNs, accelerators: Double) {
        trainingComputeAcceleratorNs += Double(computeNs) * accelerators
        trainingWallAcceleratorNs += Double(wallNs) * accelerators
    }

    mutating func advanceBacklog(to nowNs: SimTimeNs) {
        backlogAreaNs += Double(backlog) * Double(nowNs - backlogSinceNs)
        backlogSinceNs = nowNs
    }

    mutating func repairStarted(nowNs: SimTimeNs) {
        advanceBacklog(to: nowNs)
        backlog += 1
        backlogPeak = max(backlogPeak, backlog)
    }

    mutating func repairDone(nowNs: SimTimeNs) {
        advanceBacklog(to: nowNs)
        backlog -= 1
    }

    mutating func close(atNs endNs: SimTimeNs) { advanceBacklog(to: endNs) }

    /// The `failures` section.
    func figures(endNs: SimTimeNs, classes: [String]) -> [(String, SummaryValue)] {
        let hours = 3.6e12
        let end = Double(max(1, endNs))
        return [
            (Metric.failuresTotal.key, .integer(Int64(byClass.reduce(0, +)))),
            ("by_component", .object(zip(classes, byClass).map { ($0, .integer(Int64($1))) })),
            (Metric.failuresTransient.key, .integer(Int64(byKind[0]))),
            (Metric.failuresRepaired.key, .integer(Int64(byKind[1]))),
            (Metric.spareSwaps.key, .integer(Int64(byKind[2]))),
            (Metric.hotSpares.key, .integer(Int64(hotSpares))),
            (Metric.jobsInterrupted.key, .integer(Int64(jobsInterrupted))),
            (Metric.replicasLost.key, .integer(Int64(replicasLost))),
            (Metric.workLostAcceleratorHours.key, .real(lostAcceleratorNs / hours)),
            (Metric.restartAcceleratorHours.key, .real(restoreAcceleratorNs / hours)),
            (Metric.checkpointAcceleratorHours.key, .real(writeAcceleratorNs / hours)),
            (Metric.goodput.key, .real(workAcceleratorNs > 0 ? keptAcceleratorNs / workAcceleratorNs : 1)),
            (Metric.ettr.key, .real(trainingWallAcceleratorNs > 0 ? trainingComputeAcceleratorNs / trainingWallAcceleratorNs : 1)),
            (Metric.availability.key, .real(capacity > 0 ? 1 - downDeviceNs / (Double(capacity) * end) : 1)),
            (Metric.repairBacklogMean.key, .real(backlogAreaNs / end)),
            (Metric.repairBacklogPeak.key, .integer(Int64(backlogPeak))),
        ]
    }
}
