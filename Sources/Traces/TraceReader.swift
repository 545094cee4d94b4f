import CHDF5
import Foundation

/// Reads columns back from an ICCSim trace (for `iccsim report`): numeric columns as doubles
/// (HDF5 converts), dictionary names as strings.
public final class TraceReader {
    private let file: hid_t

    public init(path: String) throws {
        iccsim_h5_prepare()
        file = H5Fopen(path, iccsim_h5f_acc_rdonly(), iccsim_h5p_default())
        guard file >= 0 else { throw TraceError("cannot open '\(path)' as an HDF5 trace") }
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
    public func doubles(_ path: String) throws -> [Double] {
        guard has(path) else { return [] }
        let ds = H5Dopen2(file, path, iccsim_h5p_default())
        guard ds >= 0 else { throw TraceError("cannot open '\(path)'") }
        defer { H5Dclose(ds) }
        let space = H5Dget_space(ds)
        defer { H5Sclose(space) }
        var n: hsize_t = 0
        H5Sget_simple_extent_dims(space, &n, nil)
        var out = [Double](repeating: 0, count: Int(n))
        guard n > 0 else { return [] }
        let status = out.withUnsafeMutableBytes { H5Dread(ds, iccsim_h5t_native_double(), iccsim_h5s_all(), iccsim_h5s_all(), iccsim_h5p_default(), $0.baseAddress) }
        guard status >= 0 else { throw TraceError("cannot read '\(path)'") }
        return out
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
