import Foundation

/// An output directory that appears only complete: files are written into a temporary sibling
/// (`.NAME.tmp-PID`) and the directory is renamed into place at the end. On failure the
/// temporary directory is removed and nothing is left behind.
public final class RunDirectory {
    /// Where the finished directory will be.
    public let finalURL: URL
    /// Where files are written until ``commit()``.
    public let workingURL: URL
    private var done = false

    public init(path: String) throws {
        finalURL = URL(fileURLWithPath: path).standardizedFileURL
        let parent = finalURL.deletingLastPathComponent()
        workingURL = parent.appendingPathComponent(".\(finalURL.lastPathComponent).tmp-\(getpid())")
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            if fm.fileExists(atPath: workingURL.path) { try fm.removeItem(at: workingURL) }
            try fm.createDirectory(at: workingURL, withIntermediateDirectories: false)
        } catch {
            throw TraceError("cannot create output directory '\(path)': \(error.localizedDescription)")
        }
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

    /// Moves the finished directory into place, replacing an earlier one of the same name.
    public func commit() throws {
        let fm = FileManager.default
        do {
            if fm.fileExists(atPath: finalURL.path) {
                let old = finalURL.deletingLastPathComponent().appendingPathComponent(".\(finalURL.lastPathComponent).old-\(getpid())")
                try fm.moveItem(at: finalURL, to: old)
                try fm.moveItem(at: workingURL, to: finalURL)
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: workingURL, to: finalURL)
            }
            done = true
        } catch {
            throw TraceError("cannot move the results into '\(finalURL.path)': \(error.localizedDescription)")
        }
    }

    /// Removes the working directory if the run did not commit.
    public func discard() {
        if !done { try? FileManager.default.removeItem(at: workingURL) }
    }

    deinit { discard() }
}
