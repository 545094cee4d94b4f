import CHDF5
import Foundation

/// A failure writing or reading a trace.
public struct TraceError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Thin, throwing wrappers over the HDF5 C API calls ICCSim uses. Every object is created with
/// time tracking off, so identical runs give identical bytes. Every call that can write is
/// checked; after a failure the objects of the file are left open (never called into again).
enum H5 {
    /// Why the last HDF5 call on this thread failed, as the library says it ("": it did not say).
    static func lastError() -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        iccsim_h5_last_error(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `message`, with the library's reason for the last failed call when it gave one.
    static func error(_ message: String) -> TraceError {
        let reason = lastError()
        return TraceError(message + (reason.isEmpty ? "" : " (HDF5: \(reason))"))
    }

    /// The error for a failed call: what was being done, and the library's reason.
    static func failure(_ what: String) -> TraceError { error("HDF5 failed to \(what)") }

    static func check(_ status: herr_t, _ what: @autoclosure () -> String) throws {
        if status < 0 { throw failure(what()) }
    }

    static func check(id: hid_t, _ what: @autoclosure () -> String) throws -> hid_t {
        if id < 0 { throw failure(what()) }
        return id
    }

    /// A property list of `cls` with object time tracking disabled.
    static func untimedPlist(_ cls: hid_t) throws -> hid_t {
        let p = try check(id: H5Pcreate(cls), "create a property list")
        try check(H5Pset_obj_track_times(p, false), "disable time tracking")
        return p
    }

    static func createGroup(_ parent: hid_t, _ name: String) throws -> hid_t {
        let gcpl = try untimedPlist(iccsim_h5p_group_create())
        defer { H5Pclose(gcpl) }
        return try check(id: H5Gcreate2(parent, name, iccsim_h5p_default(), gcpl, iccsim_h5p_default()), "create group '\(name)'")
    }

    /// The variable-length UTF-8 string type (caller closes).
    static func utf8StringType() throws -> hid_t {
        let t = try check(id: H5Tcopy(iccsim_h5t_c_s1()), "copy the string type")
        try check(H5Tset_size(t, iccsim_h5t_variable()), "make a variable-length string type")
        try check(H5Tset_cset(t, H5T_CSET_UTF8), "set UTF-8")
        return t
    }

    /// Writes a scalar variable-length UTF-8 string attribute.
    static func setAttribute(_ object: hid_t, _ name: String, _ value: String) throws {
        let t = try utf8StringType()
        defer { H5Tclose(t) }
        let space = try check(id: H5Screate(H5S_SCALAR), "create a scalar dataspace")
        defer { H5Sclose(space) }
        let a = try check(id: H5Acreate2(object, name, t, space, iccsim_h5p_default(), iccsim_h5p_default()), "create attribute '\(name)'")
        try value.withCString { cstr in
            var p: UnsafePointer<CChar>? = cstr
            try check(H5Awrite(a, t, &p), "write attribute '\(name)'")
        }
        try check(H5Aclose(a), "close attribute '\(name)'")
    }

    /// Writes a scalar 64-bit integer attribute (little-endian in the file).
    static func setAttribute(_ object: hid_t, _ name: String, _ value: Int64) throws {
        try setScalarAttribute(object, name, value, fileType: iccsim_h5t_std_i64le(), memoryType: iccsim_h5t_native_int64())
    }

    /// Writes a scalar 64-bit float attribute (little-endian in the file).
    static func setAttribute(_ object: hid_t, _ name: String, _ value: Double) throws {
        try setScalarAttribute(object, name, value, fileType: iccsim_h5t_ieee_f64le(), memoryType: iccsim_h5t_native_double())
    }

    /// Writes a scalar attribute of a fixed-size type.
    private static func setScalarAttribute<T>(_ object: hid_t, _ name: String, _ value: T, fileType: hid_t, memoryType: hid_t) throws {
        let space = try check(id: H5Screate(H5S_SCALAR), "create a scalar dataspace")
        defer { H5Sclose(space) }
        let a = try check(id: H5Acreate2(object, name, fileType, space, iccsim_h5p_default(), iccsim_h5p_default()), "create attribute '\(name)'")
        var v = value
        try check(H5Awrite(a, memoryType, &v), "write attribute '\(name)'")
        try check(H5Aclose(a), "close attribute '\(name)'")
    }

    /// Writes a small, contiguous 1-D dataset of strings.
    static func writeStrings(_ parent: hid_t, _ name: String, _ values: [String]) throws {
        let t = try utf8StringType()
        defer { H5Tclose(t) }
        var dims: [hsize_t] = [hsize_t(values.count)]
        let space = try check(id: H5Screate_simple(1, &dims, nil), "create a dataspace")
        defer { H5Sclose(space) }
        let dcpl = try untimedPlist(iccsim_h5p_dataset_create())
        defer { H5Pclose(dcpl) }
        let ds = try check(id: H5Dcreate2(parent, name, t, space, iccsim_h5p_default(), dcpl, iccsim_h5p_default()), "create dataset '\(name)'")
        let cstrings = values.map { strdup($0) }
        defer { cstrings.forEach { free($0) } }
        var pointers = cstrings.map { UnsafePointer<CChar>($0) }
        try check(H5Dwrite(ds, t, iccsim_h5s_all(), iccsim_h5s_all(), iccsim_h5p_default(), &pointers), "write dataset '\(name)'")
        try check(H5Dclose(ds), "close dataset '\(name)'")
    }
}
