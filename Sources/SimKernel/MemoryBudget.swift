import Foundation

/// The memory a run may use before it stops with a message (exit 1) rather than letting an
/// allocation fail and abort: resident memory up to a share of what this machine or its control
/// group offers, and address space up to a share of `ulimit -v` when one is set. Checked by the
/// kernel every ``Kernel/resourceCheckInterval`` events, from `/proc/self/statm`.
public struct MemoryBudget: Sendable, Equatable {
    /// Most resident bytes.
    public var maxResidentBytes: Int64
    /// Most bytes of address space (nil: unlimited).
    public var maxVirtualBytes: Int64?

    public init(maxResidentBytes: Int64, maxVirtualBytes: Int64? = nil) {
        self.maxResidentBytes = maxResidentBytes
        self.maxVirtualBytes = maxVirtualBytes
    }

    /// 85% of the physical memory (or the control group's limit, when lower), and 85% of the
    /// address-space limit, when one is set.
    public static func standard() -> MemoryBudget {
        var physical = Int64(ProcessInfo.processInfo.physicalMemory)
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let v = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)), v > 0 {
                physical = min(physical, v)
            }
        }
        var limit = rlimit()
        var virtual: Int64? = nil
        if getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur < UInt64(Int64.max) {
            virtual = Int64(limit.rlim_cur) / 100 * 85
        }
        return MemoryBudget(maxResidentBytes: physical / 100 * 85, maxVirtualBytes: virtual)
    }

    /// Resident and virtual bytes of this process now, if the system tells.
    public static func usage() -> (resident: Int64, virtual: Int64)? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let size = Int64(fields[0]), let rss = Int64(fields[1]) else { return nil }
        let page = Int64(sysconf(Int32(_SC_PAGESIZE)))
        return (rss * page, size * page)
    }

    /// A message when the process is over its budget, or nil.
    public func exceeded() -> String? {
        guard let u = Self.usage() else { return nil }
        if u.resident > maxResidentBytes {
            return "the run uses \(Self.gib(u.resident)) of memory, over its budget of \(Self.gib(maxResidentBytes)) (--max-memory)"
        }
        if let v = maxVirtualBytes, u.virtual > v {
            return "the run uses \(Self.gib(u.virtual)) of address space, over its budget of \(Self.gib(v)) (85% of ulimit -v)"
        }
        return nil
    }

    static func gib(_ bytes: Int64) -> String {
        bytes >= 1 << 30 ? String(format: "%.2f GiB", Double(bytes) / 1_073_741_824) : String(format: "%.0f MiB", Double(bytes) / 1_048_576)
    }
}
