import Foundation
import Reports
import SimKernel

/// Progress of a long command on stderr: on a terminal, one line rewritten in place at most four
/// times a second (simulated time and share of the horizon, jobs done, events, events per
/// second, time left); with `--progress`, plain lines for logs and CI (one per tenth of the horizon, or every
/// 10 s without one); stages (simulating, writing the trace) as lines of their own. Wall-clock
/// time is read only here, for people: it never reaches a result.
final class ProgressMeter: @unchecked Sendable {
    let horizonNs: SimTimeNs
    let plain: Bool
    var started = Date()
    var lastShown = Date.distantPast
    var lastTenth = -1
    var lineOpen = false
    /// Jobs done so far (rows the trace has written), when known.
    var jobsDone: (() -> Int)?

    /// A meter when progress should show: `--progress` (plain lines), or stderr is a terminal
    /// and the run is not `--quiet`; nil otherwise.
    static func make(horizonNs: SimTimeNs, forced: Bool, quiet: Bool) -> ProgressMeter? {
        if forced { return ProgressMeter(horizonNs: horizonNs, plain: true) }
        guard !quiet, isatty(STDERR_FILENO) != 0 else { return nil }
        return ProgressMeter(horizonNs: horizonNs, plain: false)
    }

    init(horizonNs: SimTimeNs, plain: Bool) {
        self.horizonNs = horizonNs
        self.plain = plain
    }

    /// A stage begins (a line of its own).
    func stage(_ name: String) { write(name, final: true) }

    /// Whether plain lines report simulated time (off for `plan`, whose plain lines are one per run).
    var plainSimulation = true

    /// A new run begins: its rate and time left are measured from now.
    func restart() {
        started = Date()
        lastShown = .distantPast
        lastTenth = -1
    }

    /// The kernel's periodic report.
    func update(nowNs: SimTimeNs, events: Int64) {
        let now = Date()
        let elapsed = now.timeIntervalSince(started)
        var text = "simulating: \(SimTime.seconds(nowNs) >= 86_400 ? String(format: "%.1f d", SimTime.seconds(nowNs) / 86_400) : String(format: "%.1f h", SimTime.seconds(nowNs) / 3_600))"
        var fraction: Double?
        if horizonNs != SimTime.never, horizonNs > 0 {
            let f = min(1, Double(nowNs) / Double(horizonNs))
            fraction = f
            text += String(format: " of %.1f d (%.0f%%)", SimTime.seconds(horizonNs) / 86_400, f * 100)
        }
        if let done = jobsDone?() { text += ", \(NumberText.grouped(Int64(done))) jobs done" }
        text += String(format: ", %.1f M events, %.2f M events/s", Double(events) / 1e6, elapsed > 0 ? Double(events) / elapsed / 1e6 : 0)
        if let f = fraction, f > 0.01 { text += String(format: ", about %.0f s left", elapsed * (1 - f) / f) }
        if plain {
            guard plainSimulation else { return }
            let tenth = fraction.map { Int($0 * 10) } ?? Int(elapsed / 10)
            guard tenth > lastTenth else { return }
            lastTenth = tenth
            write(text, final: true)
        } else {
            guard now.timeIntervalSince(lastShown) >= 0.25 else { return }
            lastShown = now
            write(text, final: false)
        }
    }

    /// Ends the display (clears the rewritten line on a terminal).
    func finish() { if lineOpen { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)); lineOpen = false } }

    private func write(_ text: String, final: Bool) {
        if plain {
            FileHandle.standardError.write(Data("iccsim: \(text)\n".utf8))
        } else if final {
            FileHandle.standardError.write(Data("\r\u{1B}[Kiccsim: \(text)\n".utf8))
            lineOpen = false
        } else {
            FileHandle.standardError.write(Data("\r\u{1B}[Kiccsim: \(text)".utf8))
            lineOpen = true
        }
    }
}
