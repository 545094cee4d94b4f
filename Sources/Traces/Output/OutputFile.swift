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
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw TraceError("cannot write '\(path)': \(error.localizedDescription)")
        }
    }
}
