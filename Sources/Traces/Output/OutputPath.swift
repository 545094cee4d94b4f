import Foundation

/// ICCSim will not write where it was asked to (bad input, exit code 2): the path is empty, the
/// working directory or one of its parents, an existing file, or a directory ICCSim did not write.
public struct OutputRefused: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Where ICCSim may write. It writes only into a path that is absent or holds an earlier output
/// of its own of the same kind (a run directory marked by its `run-info.json`, a sweep directory
/// by its `sweep.yaml` and `plan.csv`, a report or timeline by its generator mark), so it never
/// deletes or overwrites what it did not write.
public enum OutputPath {
    /// The files a run directory may hold: what `run` writes and what `report` and `export` add.
    public static let runFiles: Set<String> = ["trace.h5", "summary.json", "summary.md", "run-info.json", "timeline.json", "report.html"]
    /// Whether `url` is a directory of tables `iccsim export csv|parquet` wrote (its
    /// `export.json` names iccsim as its generator).
    public static func isExport(_ url: URL) -> Bool {
        let mark = (try? String(contentsOf: url.appendingPathComponent("export.json"), encoding: .utf8)) ?? ""
        return mark.contains("\"generator\": \"iccsim\"")
    }

    /// The value of `tool` in the `run-info.json` of every run directory.
    public static let toolMark = "iccsim"

    /// `path` as an absolute, standardised URL, refused when it is empty, the root, or the
    /// working directory or one of its parents (replacing those would take the user's files).
    public static func resolve(_ path: String, flag: String) throws(OutputRefused) -> URL {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw OutputRefused("\(flag) is empty: name a directory to create (or an earlier ICCSim run to replace)")
        }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let real = realPath(url)
        if real == "/" || url.path == "/" { throw OutputRefused("\(flag) '\(path)' is the root directory; ICCSim writes only into a directory of its own") }
        let cwd = realPath(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        if cwd == real || cwd.hasPrefix(real.hasSuffix("/") ? real : real + "/") {
            throw OutputRefused("\(flag) '\(path)' is the working directory or one of its parents; ICCSim writes only into a directory of its own")
        }
        return url
    }

    /// Checks `path` as a run directory to create or replace: absent, an empty directory, or an
    /// earlier run directory holding nothing but ICCSim's files.
    public static func checkRunDirectory(_ path: String, flag: String = "--out") throws(OutputRefused) -> URL {
        let url = try resolve(path, flag: flag)
        guard let kind = entryKind(url) else { return url }
        let shown = "\(flag) '\(path)'"
        switch kind {
        case .symbolicLink: throw OutputRefused("\(shown) is a symbolic link; name a directory ICCSim may create")
        case .file: throw OutputRefused("\(shown) is an existing file; ICCSim will not replace it (choose another --out)")
        case .directory:
            let entries = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
            if entries.isEmpty { return url }
            guard isRunDirectory(url) else {
                throw OutputRefused("\(shown) exists and is not an ICCSim run directory (it has no run-info.json written by iccsim); "
                    + "ICCSim replaces only its own earlier runs: choose another --out")
            }
            let foreign = entries.filter { !runFiles.contains($0) && !isExport(url.appendingPathComponent($0)) }
            if !foreign.isEmpty {
                throw OutputRefused("\(shown) is an earlier run but also holds files ICCSim did not write (\(listed(foreign))); "
                    + "move them away or choose another --out")
            }
            return url
        }
    }

    /// Checks `path` as a sweep directory: absent, empty, or an earlier sweep directory.
    public static func checkSweepDirectory(_ path: String, flag: String = "--out") throws(OutputRefused) -> URL {
        let url = try resolve(path, flag: flag)
        guard let kind = entryKind(url) else { return url }
        let shown = "\(flag) '\(path)'"
        guard kind == .directory else { throw OutputRefused("\(shown) exists and is not a directory; choose another --out") }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        if entries.isEmpty || (entries.contains("sweep.yaml") && entries.contains("plan.csv")) { return url }
        throw OutputRefused("\(shown) exists and is not a sweep directory (no sweep.yaml and plan.csv); choose another --out")
    }

    /// Whether `url` is a directory holding a `run-info.json` written by ICCSim.
    public static func isRunDirectory(_ url: URL) -> Bool {
        guard let data = FileManager.default.contents(atPath: url.appendingPathComponent("run-info.json").path),
              let info = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        if let tool = info["tool"] as? String { return tool == toolMark }
        // Run directories written before the mark existed.
        return info["software_version"] != nil && info["events_processed"] != nil
    }

    /// What is at `url` (without following a final symbolic link), or nil when nothing is.
    static func entryKind(_ url: URL) -> EntryKind? {
        var st = stat()
        guard lstat(url.path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFLNK: return .symbolicLink
        case S_IFDIR: return .directory
        default: return .file
        }
    }

    enum EntryKind { case file, directory, symbolicLink }

    /// The real path of `url`, resolving symbolic links of the part that exists.
    static func realPath(_ url: URL) -> String {
        var existing = url.standardizedFileURL
        var rest: [String] = []
        while existing.path != "/" && entryKind(existing) == nil {
            rest.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent()
        }
        var base = existing.resolvingSymlinksInPath().path
        for part in rest { base = (base as NSString).appendingPathComponent(part) }
        return base
    }

    /// A short list of names for messages.
    static func listed(_ names: [String]) -> String {
        names.count <= 3 ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    }
}
