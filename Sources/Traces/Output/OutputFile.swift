import Foundation

/// A single output file (a report, a timeline, a recommended scenario): written to a temporary
/// name and renamed into place, and allowed to replace only a file ICCSim wrote earlier, which
/// carries `generator` near its start.
public enum OutputFile {
    /// The generator mark of HTML reports.
    public static let htmlMark = #"<meta name="generator" content="iccsim">"#
    /// The generator mark of Perfetto timelines.
    public static let timelineMark = #""generator":"iccsim""#
    /// The generator mark of scenarios written by `iccsim plan`.
    public static let planMark = "# Written by iccsim plan"

    /// Writes `text` (which must carry `generator`) to `path`; `flag` names the option in messages.
    public static func write(_ text: String, to path: String, generator: String, flag: String = "--out") throws {
        precondition(text.prefix(4096).contains(generator), "output text without its generator mark")
        let url = try replaceable(path, generator: generator, flag: flag)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw TraceError("cannot write '\(path)': \(error.localizedDescription)")
        }
    }

    /// Streams a file to `path` through `body`, which gets a function writing the next piece
    /// (the first piece must carry `generator`): written to a temporary name beside it, in
    /// chunks, and renamed into place when complete (removed if `body` throws).
    public static func stream(to path: String, generator: String, flag: String = "--out", _ body: ((String) throws -> Void) throws -> Void) throws {
        let url = try replaceable(path, generator: generator, flag: flag)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(Temporaries.workingName(for: url.lastPathComponent))
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil), let handle = FileHandle(forWritingAtPath: temporary.path) else {
                throw TraceError("cannot create '\(temporary.path)'")
            }
            var buffer = Data(), checked = false
            do {
                try body { piece in
                    if !checked {
                        precondition(piece.prefix(4096).contains(generator), "output without its generator mark")
                        checked = true
                    }
                    buffer.append(contentsOf: piece.utf8)
                    if buffer.count >= 1 << 20 {
                        try handle.write(contentsOf: buffer)
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
                try handle.write(contentsOf: buffer)
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            if FileManager.default.fileExists(atPath: url.path) { _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary) } else {
                try FileManager.default.moveItem(at: temporary, to: url)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if error is TraceError { throw error }
            throw TraceError("cannot write '\(path)': \(error.localizedDescription)")
        }
    }

    /// The resolved `path`, when ICCSim may write it: a new file, or one ICCSim wrote (it
    /// carries `generator` near its start).
    static func replaceable(_ path: String, generator: String, flag: String) throws -> URL {
        let url = try OutputPath.resolve(path, flag: flag)
        switch OutputPath.entryKind(url) {
        case nil: break
        case .directory?: throw OutputRefused("\(flag) '\(path)' is a directory; name a file")
        case .symbolicLink?: throw OutputRefused("\(flag) '\(path)' is a symbolic link; name a file ICCSim may create")
        case .file?:
            let head = FileHandle(forReadingAtPath: url.path).flatMap { h in defer { try? h.close() }; return try? h.read(upToCount: 4096) } ?? Data()
            guard String(decoding: head, as: UTF8.self).contains(generator) else {
                throw OutputRefused("\(flag) '\(path)' exists and was not written by ICCSim; it will not be replaced (choose another \(flag))")
            }
        }
        return url
    }
}
