import CHDF5

/// Element types a trace column can hold, with their HDF5 memory and (little-endian) file types.
protocol ColumnElement: Sendable {
    static var memoryType: hid_t { get }
    static var fileType: hid_t { get }
    /// The type's name in the schema (`int64`, `float64`).
    static var typeName: String { get }
}

extension Int8: ColumnElement {
    static var typeName: String { "int8" }
    static var memoryType: hid_t { iccsim_h5t_native_int8() }
    static var fileType: hid_t { iccsim_h5t_std_i8le() }
}
extension Int16: ColumnElement {
    static var typeName: String { "int16" }
    static var memoryType: hid_t { iccsim_h5t_native_int16() }
    static var fileType: hid_t { iccsim_h5t_std_i16le() }
}
extension Int32: ColumnElement {
    static var typeName: String { "int32" }
    static var memoryType: hid_t { iccsim_h5t_native_int32() }
    static var fileType: hid_t { iccsim_h5t_std_i32le() }
}
extension Int64: ColumnElement {
    static var typeName: String { "int64" }
    static var memoryType: hid_t { iccsim_h5t_native_int64() }
    static var fileType: hid_t { iccsim_h5t_std_i64le() }
}
extension Double: ColumnElement {
    static var typeName: String { "float64" }
    static var memoryType: hid_t { iccsim_h5t_native_double() }
    static var fileType: hid_t { iccsim_h5t_ieee_f64le() }
}

/// How a column is described in the file.
struct ColumnInfo {
    var name: String
    var units: String
    var longName: String
}

/// A type-erased column, for flushing and closing a table's columns together.
protocol AnyTraceColumn: AnyObject {
    func flush() throws
    func close() throws
}

/// One column of a trace table: a 1-D, extendable, chunked dataset with shuffle + deflate,
/// filled through a buffer of one chunk so each chunk is compressed and written once and memory
/// stays bounded however long the run. With a write queue, a full chunk is handed to it (and
/// written on its thread); without one, it is written at once.
final class TraceColumn<T: ColumnElement>: AnyTraceColumn {
    let dataset: hid_t
    let chunk: Int
    private let writes: TraceWriteQueue?
    private var buffer: [T]
    private(set) var written: Int = 0

    init(in group: hid_t, _ info: ColumnInfo, chunk: Int, deflateLevel: UInt32, writes: TraceWriteQueue? = nil) throws {
        self.chunk = chunk
        self.writes = writes
        buffer = []
        buffer.reserveCapacity(chunk)
        var dims: [hsize_t] = [0]
        var maxDims: [hsize_t] = [iccsim_h5s_unlimited()]
        let space = try H5.check(id: H5Screate_simple(1, &dims, &maxDims), "create a dataspace")
        defer { H5Sclose(space) }
        let dcpl = try H5.untimedPlist(iccsim_h5p_dataset_create())
        defer { H5Pclose(dcpl) }
        var chunkDims: [hsize_t] = [hsize_t(chunk)]
        try H5.check(H5Pset_chunk(dcpl, 1, &chunkDims), "set chunking")
        try H5.check(H5Pset_shuffle(dcpl), "set the shuffle filter")
        try H5.check(H5Pset_deflate(dcpl, deflateLevel), "set the deflate filter")
        // No chunk cache: each chunk is written whole, once, so caching it only delays its
        // compression (to an eviction, or to the close at the end of the run, where every
        // column's cached megabyte was compressed while the run waited).
        let dapl = try H5.check(id: H5Pcreate(iccsim_h5p_dataset_access()), "create a property list")
        defer { H5Pclose(dapl) }
        try H5.check(H5Pset_chunk_cache(dapl, 0, 0, 1), "disable the chunk cache")
        dataset = try H5.check(id: H5Dcreate2(group, info.name, T.fileType, space, iccsim_h5p_default(), dcpl, dapl),
                               "create column '\(info.name)'")
        try H5.setAttribute(dataset, "units", info.units)
        try H5.setAttribute(dataset, "long_name", info.longName)
    }

    @inline(__always)
    func append(_ value: T) throws {
        buffer.append(value)
        if buffer.count == chunk { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let rows = buffer, at = written, dataset = dataset
        written += rows.count
        if let writes {
            buffer = []
            buffer.reserveCapacity(chunk)
            try writes.submit { try Self.write(rows, to: dataset, at: at) }
        } else {
            buffer.removeAll(keepingCapacity: true)
            try Self.write(rows, to: dataset, at: at)
        }
    }

    /// Extends `dataset` by `rows` and writes them from row `at`.
    private static func write(_ rows: [T], to dataset: hid_t, at: Int) throws {
        var newSize: [hsize_t] = [hsize_t(at + rows.count)]
        try H5.check(H5Dset_extent(dataset, &newSize), "extend a column")
        let fileSpace = try H5.check(id: H5Dget_space(dataset), "get a column's dataspace")
        defer { H5Sclose(fileSpace) }
        var start: [hsize_t] = [hsize_t(at)]
        var count: [hsize_t] = [hsize_t(rows.count)]
        try H5.check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &count, nil), "select rows")
        let memSpace = try H5.check(id: H5Screate_simple(1, &count, nil), "create a memory dataspace")
        defer { H5Sclose(memSpace) }
        try rows.withUnsafeBytes { raw in
            try H5.check(H5Dwrite(dataset, T.memoryType, memSpace, fileSpace, iccsim_h5p_default(), raw.baseAddress), "write rows")
        }
    }

    /// Closes the dataset, on the write queue when there is one: closing compresses what the
    /// library still caches of the last chunks.
    func close() throws {
        let dataset = dataset
        let close: @Sendable () throws -> Void = { try H5.check(H5Dclose(dataset), "close a column") }
        if let writes { try writes.submit(close) } else { try close() }
    }
}
