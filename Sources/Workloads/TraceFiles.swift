import Foundation

/// The files a scenario names (job traces, trace columns, request traces, latency tables),
/// read after the scenario is decoded, once per path: the variations of one scenario loaded in
/// one process (a sweep's points, a plan's configurations) share one reader and read each file
/// once.
public final class TraceFiles {
    /// Texts by resolved path (looked up, never iterated).
    private var texts: [String: String] = [:]

    public init() {}

    /// Why a file could not be read.
    public struct ReadError: Error, Sendable {
        public var message: String
    }

    /// The text of the file at `path` (read on first use).
    public func text(of path: String) throws(ReadError) -> String {
        if let t = texts[path] { return t }
        guard let data = FileManager.default.contents(atPath: path) else { throw ReadError(message: "cannot read trace file '\(path)'") }
        guard let text = String(data: data, encoding: .utf8) else { throw ReadError(message: "trace file '\(path)' is not UTF-8 text") }
        texts[path] = text
        return text
    }
}
