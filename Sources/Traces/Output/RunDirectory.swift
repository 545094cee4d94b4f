import Foundation

/// An output directory that appears only complete: files are written into a temporary sibling
/// (`.NAME.tmp-PID`, marked as ICCSim's work in progress) and the directory is renamed into place
/// at the end. An earlier run there is replaced atomically for readers: it is renamed aside, the
/// new one renamed in, then the old one deleted. On failure or on SIGINT, SIGTERM or SIGHUP the
/// temporary directory (and any parent directory it created) is removed, and nothing is left.
///
/// The target must be absent or an earlier ICCSim run (``OutputPath/checkRunDirectory(_:flag:)``).
/// Temporaries left by processes that died (SIGKILL, power loss) are removed by the next run
/// that writes next to them (``Temporaries/removeStale(in:)``).
public final class RunDirectory {
    /// Where the finished directory will be.
    public let finalURL: URL
    /// Where files are written until ``commit()``.
    public let workingURL: URL
    /// Parent directories this run created, deepest first (removed again if it fails).
    private let createdParents: [URL]
    private var token: Int?
    private var done = false

    /// Prepares a run directory at `path`; `flag` names the option in messages.
    public init(path: String, flag: String = "--out") throws {
        finalURL = try OutputPath.checkRunDirectory(path, flag: flag)
        let parent = finalURL.deletingLastPathComponent()
        workingURL = parent.appendingPathComponent(Temporaries.workingName(for: finalURL.lastPathComponent))
        var created: [URL] = []
        var p = parent
        while OutputPath.entryKind(p) == nil && p.path != "/" {
            created.append(p)
            p = p.deletingLastPathComponent()
        }
        createdParents = created
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            Temporaries.removeStale(in: parent)
            try fm.createDirectory(at: workingURL, withIntermediateDirectories: false)
            try Temporaries.mark(workingURL)
        } catch {
            Self.remove(workingURL, createdParents: created)
            throw TraceError("cannot create output directory '\(path)': \(error.localizedDescription)")
        }
        let working = workingURL, parents = created
        token = Interruption.register { _ in Self.remove(working, createdParents: parents) }
    }

    /// The path of `name` inside the working directory.
    public func path(_ name: String) -> String { workingURL.appendingPathComponent(name).path }

    /// Writes a text file atomically inside the working directory.
    public func write(_ name: String, _ text: String) throws {
        do {
            try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        } catch {
            throw TraceError("cannot write '\(name)': \(error.localizedDescription)")
        }
    }

    /// Moves the finished directory into place, replacing an earlier run of the same name.
    public func commit() throws {
        try Interruption.critical {
            let fm = FileManager.default
            do {
                // Checked again: another process may have put something there meanwhile.
                _ = try OutputPath.checkRunDirectory(finalURL.path)
                try Temporaries.unmark(workingURL)
                if OutputPath.entryKind(finalURL) != nil {
                    let old = finalURL.deletingLastPathComponent().appendingPathComponent(Temporaries.asideName(for: finalURL.lastPathComponent))
                    try fm.moveItem(at: finalURL, to: old)
                    // Best effort: without the mark a crash here leaves the old run aside, untouched.
                    try? Temporaries.mark(old, as: Temporaries.asideMark)
                    try fm.moveItem(at: workingURL, to: finalURL)
                    try? fm.removeItem(at: old)
                } else {
                    try fm.moveItem(at: workingURL, to: finalURL)
                }
                done = true
            } catch let e as OutputRefused {
                throw e
            } catch {
                throw TraceError("cannot move the results into '\(finalURL.path)': \(error.localizedDescription)")
            }
        }
        if let t = token { Interruption.unregister(t) }
        token = nil
    }

    /// Removes the working directory (and the parents it created) if the run did not commit.
    public func discard() {
        guard !done else { return }
        if let t = token { Interruption.unregister(t) }
        token = nil
        Self.remove(workingURL, createdParents: createdParents)
        done = true
    }

    private static func remove(_ working: URL, createdParents: [URL]) {
        Temporaries.removeTree(working)
        for p in createdParents { rmdir(p.path) }
    }

    deinit { discard() }
}
