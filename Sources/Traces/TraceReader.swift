import CHDF5
import Foundation

/// Reads columns back from an ICCSim trace (for `iccsim report`): numeric columns as doubles
/// (HDF5 converts), dictionary names as strings.
public final class TraceReader {
    private let file: hid_t

    public init(path: String) throws {
        iccsim_h5_prepare()
        file = H5Fopen(path, iccsim_h5f_acc_rdonly(), iccsim_h5p_default())
        guard file >= 0 else { throw H5.error("cannot open '\(path)' as an HDF5 trace") }
    }

    deinit { H5Fclose(file) }

    /// Whether `path` (such as `collectives/busbw_gbps`) exists.
    public func has(_ path: String) -> Bool {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += (prefix.isEmpty ? "" : "/") + part
            if H5Lexists(file, prefix, iccsim_h5p_default()) <= 0 { return false }
        }
        return true
    }

    /// A 1-D numeric column as doubles; empty when absent.
    public func doubles(_ path: String) throws -> [Double] { try column(path, as: Double.self, memoryType: iccsim_h5t_native_double()) }

    /// A 1-D integer column as exact 64-bit integers; empty when absent.
    public func int64s(_ path: String) throws -> [Int64] { try column(path, as: Int64.self, memoryType: iccsim_h5t_native_int64()) }

    /// A 1-D column converted by HDF5 to `memoryType` (whose elements are `T`); empty when absent.
    private func column<T: Numeric>(_ path: String, as: T.Type, memoryType: hid_t) throws -> [T] {
        guard has(path) else { return [] }
        let ds = H5Dopen2(file, path, iccsim_h5p_default())
        guard ds >= 0 else { throw TraceError("cannot open '\(path)'") }
        defer { H5Dclose(ds) }
        let space = H5Dget_space(ds)
        defer { H5Sclose(space) }
        var n: hsize_t = 0
        H5Sget_simple_extent_dims(space, &n, nil)
        var out = [T](repeating: 0, count: Int(n))
        guard n > 0 else { return [] }
        let status = out.withUnsafeMutableBytes { H5Dread(ds, memoryType, iccsim_h5s_all(), iccsim_h5s_all(), iccsim_h5p_default(), $0.baseAddress) }
        guard status >= 0 else { throw TraceError("cannot read '\(path)'") }
        return out
    }

    /// Whether the column at `path` stores integers (else floating point).
    public func isInteger(_ path: String) -> Bool {
        let ds = H5Dopen2(file, path, iccsim_h5p_default())
        guard ds >= 0 else { return false }
        defer { H5Dclose(ds) }
        let t = H5Dget_type(ds)
        defer { H5Tclose(t) }
        return H5Tget_class(t) == H5T_INTEGER
    }

    /// The names of the members of group `path` (its columns), in name order; empty when absent.
    public func members(_ path: String) throws -> [String] {
        guard has(path) else { return [] }
        var info = H5G_info_t()
        guard H5Gget_info_by_name(file, path, &info, iccsim_h5p_default()) >= 0 else { throw TraceError("cannot list '\(path)'") }
        return try (0..<info.nlinks).map { i in
            let n = H5Lget_name_by_idx(file, path, H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, iccsim_h5p_default())
            guard n >= 0 else { throw TraceError("cannot list '\(path)'") }
            var buffer = [CChar](repeating: 0, count: Int(n) + 1)
            _ = H5Lget_name_by_idx(file, path, H5_INDEX_NAME, H5_ITER_INC, i, &buffer, buffer.count, iccsim_h5p_default())
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// The string attribute `name` of the object at `path` (such as a column's `units`).
    public func attribute(_ path: String, _ name: String) throws -> String {
        let a = H5Aopen_by_name(file, path, name, iccsim_h5p_default(), iccsim_h5p_default())
        guard a >= 0 else { throw TraceError("no attribute '\(name)' on '\(path)'") }
        defer { H5Aclose(a) }
        let t = try H5.utf8StringType()
        defer { H5Tclose(t) }
        var p: UnsafeMutablePointer<CChar>? = nil
        guard H5Aread(a, t, &p) >= 0, let cstr = p else { throw TraceError("cannot read attribute '\(name)' of '\(path)'") }
        defer { free(cstr) }
        return String(cString: cstr)
    }

    /// The names of a dictionary (`/dictionaries/NAME/name`), by code; empty when absent.
    public func dictionary(_ name: String) throws -> [Int: String] {
        let codes = try doubles("dictionaries/\(name)/code")
        let path = "dictionaries/\(name)/name"
        guard has(path), !codes.isEmpty else { return [:] }
        let ds = H5Dopen2(file, path, iccsim_h5p_default())
        defer { H5Dclose(ds) }
        let t = try H5.utf8StringType()
        defer { H5Tclose(t) }
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: codes.count)
        guard H5Dread(ds, t, iccsim_h5s_all(), iccsim_h5s_all(), iccsim_h5p_default(), &pointers) >= 0 else {
            throw TraceError("cannot read '\(path)'")
        }
        var out: [Int: String] = [:]
        for (c, p) in zip(codes, pointers) { out[Int(c)] = p.map { String(cString: $0) } ?? ""; free(p) }
        return out
    }
}
