// Accessors for HDF5 macros and globals that Swift cannot import: the native type ids are
// macros expanding to H5open() plus a global, and several constants are casts.
#ifndef ICCSIM_CHDF5_SHIM_H
#define ICCSIM_CHDF5_SHIM_H
#include <hdf5.h>

static inline hid_t iccsim_h5t_native_int8(void)   { return H5T_NATIVE_INT8; }
static inline hid_t iccsim_h5t_native_int16(void)  { return H5T_NATIVE_INT16; }
static inline hid_t iccsim_h5t_native_int32(void)  { return H5T_NATIVE_INT32; }
static inline hid_t iccsim_h5t_native_int64(void)  { return H5T_NATIVE_INT64; }
static inline hid_t iccsim_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t iccsim_h5t_c_s1(void)          { return H5T_C_S1; }
/// Little-endian file types, so traces are the same bytes on every platform.
static inline hid_t iccsim_h5t_std_i8le(void)      { return H5T_STD_I8LE; }
static inline hid_t iccsim_h5t_std_i16le(void)  { return H5T_STD_I16LE; }
static inline hid_t iccsim_h5t_std_i32le(void)     { return H5T_STD_I32LE; }
static inline hid_t iccsim_h5t_std_i64le(void)     { return H5T_STD_I64LE; }
static inline hid_t iccsim_h5t_ieee_f64le(void)    { return H5T_IEEE_F64LE; }

static inline hid_t iccsim_h5p_default(void)        { return H5P_DEFAULT; }
static inline hid_t iccsim_h5p_file_create(void)    { return H5P_FILE_CREATE; }
static inline hid_t iccsim_h5p_file_access(void)    { return H5P_FILE_ACCESS; }
static inline hid_t iccsim_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t iccsim_h5p_group_create(void)   { return H5P_GROUP_CREATE; }
static inline hid_t iccsim_h5p_dataset_access(void) { return H5P_DATASET_ACCESS; }
static inline hid_t iccsim_h5s_all(void)            { return H5S_ALL; }
static inline hsize_t iccsim_h5s_unlimited(void)    { return H5S_UNLIMITED; }
static inline unsigned iccsim_h5f_acc_trunc(void)   { return H5F_ACC_TRUNC; }
static inline unsigned iccsim_h5f_acc_rdonly(void)  { return H5F_ACC_RDONLY; }

static inline size_t iccsim_h5t_variable(void)     { return H5T_VARIABLE; }

/// Prepares the library before its first use: no clean-up at process exit (after a write error
/// the library would flush a failed file there and crash; ICCSim closes what it wrote itself,
/// and never calls into a file after it failed), and no automatic error stack printing (ICCSim
/// reports errors itself).
static inline void iccsim_h5_prepare(void) {
    static int prepared = 0;
    if (prepared) return;
    prepared = 1;
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}
/// Where ``iccsim_h5_last_error`` copies a message.
typedef struct { char *buffer; size_t size; } iccsim_h5_message;

static inline herr_t iccsim_h5e_keep_most_specific(unsigned n, const H5E_error2_t *e, void *data) {
    iccsim_h5_message *m = (iccsim_h5_message *)data;
    if (n == 0 && e->desc != NULL && m->size > 0) {
        size_t i = 0;
        for (; i + 1 < m->size && e->desc[i] != 0; i++) m->buffer[i] = e->desc[i];
        m->buffer[i] = 0;
    }
    return 0;
}

/// The most specific message on this thread's HDF5 error stack (why the last call failed, such
/// as "file signature not found" or "unable to lock file"), into `buffer` of `size` bytes ("" when
/// the stack is empty).
static inline void iccsim_h5_last_error(char *buffer, size_t size) {
    iccsim_h5_message m = { buffer, size };
    if (size > 0) buffer[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, iccsim_h5e_keep_most_specific, &m);
}
#endif
