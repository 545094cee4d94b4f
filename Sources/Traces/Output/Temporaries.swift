import Foundation

/// The temporary directories of output in progress, and how a later run recognises those of
/// processes that died: `.NAME.tmp-PID` (a run being written) and `.NAME.old-PID` (an earlier
/// run renamed aside while its replacement moves in) each hold a mark file naming the host and
/// process. A temporary is stale when its process no longer runs on this host; one without a
/// mark is not ICCSim's and is never touched.
public enum Temporaries {
    /// Mark file of a directory being written.
    public static let workingMark = ".iccsim-incomplete"
    /// Mark file of an earlier run renamed aside.
    static let asideMark = ".iccsim-replaced"

    /// The name an output called `name` is written under until it is complete.
    public static func workingName(for name: String) -> String { ".\(name).tmp-\(getpid())" }
    static func asideName(for name: String) -> String { ".\(name).old-\(getpid())" }

    /// Writes the mark (`HOST PID`) into `dir`.
    public static func mark(_ dir: URL, as mark: String = workingMark) throws {
        try "\(hostName) \(getpid())\n".write(to: dir.appendingPathComponent(mark), atomically: false, encoding: .utf8)
    }

    /// Removes the working mark before the directory is renamed into place.
    public static func unmark(_ dir: URL) throws {
        try FileManager.default.removeItem(at: dir.appendingPathComponent(workingMark))
    }

    /// Removes the temporaries in `parent` left by dead ICCSim processes of this host; an earlier
    /// run renamed aside whose replacement never arrived is put back under its name.
    public static func removeStale(in parent: URL) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        for n in names.sorted() where n.hasPrefix(".") {
            guard let (original, kind, pid) = parse(n) else { continue }
            let dir = parent.appendingPathComponent(n)
            let markName = kind == "tmp" ? workingMark : asideMark
            guard let text = try? String(contentsOf: dir.appendingPathComponent(markName), encoding: .utf8) else { continue }
            let fields = text.split(whereSeparator: \.isWhitespace)
            guard fields.count == 2, String(fields[0]) == hostName, Int32(fields[1]) == pid, !isAlive(pid) else { continue }
            if kind == "old", OutputPath.entryKind(parent.appendingPathComponent(original)) == nil {
                try? fm.removeItem(at: dir.appendingPathComponent(markName))
                try? fm.moveItem(at: dir, to: parent.appendingPathComponent(original))
            } else {
                removeTree(dir)
            }
        }
    }

    /// Removes a directory tree, retrying while a writer is still adding to it.
    static func removeTree(_ dir: URL) {
        for _ in 0..<5 {
            try? FileManager.default.removeItem(at: dir)
            if OutputPath.entryKind(dir) == nil { return }
        }
    }

    /// (`NAME`, `tmp` or `old`, PID) of a temporary's name `.NAME.KIND-PID`.
    static func parse(_ name: String) -> (String, String, Int32)? {
        for kind in ["tmp", "old"] {
            guard let r = name.range(of: ".\(kind)-", options: .backwards), let pid = Int32(name[r.upperBound...]), pid > 0 else { continue }
            let original = String(name[name.index(after: name.startIndex)..<r.lowerBound])
            if !original.isEmpty { return (original, kind, pid) }
        }
        return nil
    }

    static func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    /// An output being written in `parent`: its final name, and whether its process still runs
    /// (nil: it runs on another host, which this one cannot tell).
    public struct InProgress: Sendable, Equatable {
        public var name: String
        public var alive: Bool?
    }

    /// The outputs being written in `parent` (marked temporaries), by name.
    public static func inProgress(in parent: URL) -> [InProgress] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return [] }
        return names.sorted().compactMap { n in
            guard n.hasPrefix("."), let (original, kind, pid) = parse(n), kind == "tmp",
                  let text = try? String(contentsOf: parent.appendingPathComponent(n).appendingPathComponent(workingMark), encoding: .utf8) else { return nil }
            let fields = text.split(whereSeparator: \.isWhitespace)
            guard fields.count == 2, Int32(fields[1]) == pid else { return nil }
            return InProgress(name: original, alive: String(fields[0]) == hostName ? isAlive(pid) : nil)
        }
    }

    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name.replacingOccurrences(of: " ", with: "_")
    }()
}
