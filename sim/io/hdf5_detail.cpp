// Error reporting shared by the HDF5 writer and reader (see hdf5_detail.hpp).
#include "sim/io/hdf5_detail.hpp"

#include <H5Cpp.h>

#include <cstdlib>
#include <cstring>

namespace dcsim::io::detail {

namespace {
herr_t walk(unsigned n, const H5E_error2_t* e, void* data) {
  auto* info = static_cast<StackInfo*>(data);
  const std::string desc = e->desc ? e->desc : "";
  (void)n;
  info->message = desc;  // the last entry is the deepest: where the error was detected
  if (info->sys_errno == 0) {
    if (const auto p = desc.find("errno = "); p != std::string::npos) info->sys_errno = std::atoi(desc.c_str() + p + 8);
  }
  return 0;
}
}  // namespace

StackInfo error_stack() {
  StackInfo info;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, walk, &info);
  // A system error's description is long ("file write failed: time = ..., filename = ..."): keep its head.
  if (const auto p = info.message.find(": time = "); p != std::string::npos) info.message.resize(p);
  return info;
}

std::string errno_text(int e) {
  const char* name = strerrorname_np(e);
  return std::string(std::strerror(e)) + (name ? std::string(" (") + name + ")" : std::string());
}

void fail(const std::string& what) {
  const StackInfo s = error_stack();
  H5Eclear2(H5E_DEFAULT);
  std::string m = "cannot " + what;
  if (s.sys_errno != 0) {
    m += ": " + errno_text(s.sys_errno);
  } else if (!s.message.empty()) {
    m += ": " + s.message;
  }
  throw Hdf5Error(m, s.sys_errno);
}

Hid string_type() {
  Hid t(H5Tcopy(H5T_C_S1), H5Tclose, "create a string type");
  check(H5Tset_size(t.get(), H5T_VARIABLE), "set string size");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "set string charset");
  return t;
}

// A scalar attribute of `file_type`, written from `value` in `mem_type`, replacing one of the same name.
static void write_scalar_attr(hid_t obj, const std::string& name, hid_t file_type, hid_t mem_type, const void* value) {
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), "replace attribute " + name);
  Hid space(H5Screate(H5S_SCALAR), H5Sclose, "create a dataspace");
  Hid a(H5Acreate2(obj, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "create attribute " + name);
  check(H5Awrite(a.get(), mem_type, value), "write attribute " + name);
}

void write_attr(hid_t obj, const std::string& name, const std::string& value) {
  Hid type = string_type();
  const char* p = value.c_str();
  write_scalar_attr(obj, name, type.get(), type.get(), &p);
}

void write_attr(hid_t obj, const std::string& name, double value) {
  write_scalar_attr(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

void write_attr(hid_t obj, const std::string& name, std::int64_t value) {
  write_scalar_attr(obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

void write_attr_u64(hid_t obj, const std::string& name, std::uint64_t value) {
  write_scalar_attr(obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value);
}

// Object creation property lists without modification times: byte-identical files for identical runs.
Hid group_create_plist() {
  Hid p(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "create a group property list");
  check(H5Pset_obj_track_times(p.get(), 0), "disable time tracking");
  return p;
}

Hid open_or_create_group(hid_t parent, const std::string& name) {
  if (H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0) {
    return Hid(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose, "open group " + name);
  }
  Hid gcpl = group_create_plist();
  return Hid(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose,
             "create group " + name);
}

Hid write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values) {
  const hsize_t dims[1] = {static_cast<hsize_t>(values.size())};
  Hid space(H5Screate_simple(1, dims, nullptr), H5Sclose, "create a dataspace");
  Hid dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create a dataset property list");
  check(H5Pset_obj_track_times(dcpl.get(), 0), "disable time tracking");
  Hid type = string_type();
  Hid ds(H5Dcreate2(parent, name.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), H5Dclose,
         "create dataset " + name);
  std::vector<const char*> p;
  p.reserve(values.size());
  for (const auto& x : values) p.push_back(x.c_str());
  if (!p.empty()) check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), "write " + name);
  return ds;
}

void silence_hdf5() {
  // In a thread-safe libhdf5 (Debian's) the error stack and its printing are per thread: once per thread.
  thread_local const bool once = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    H5::Exception::dontPrint();
    return true;
  }();
  (void)once;
}

bool library_threadsafe() {
  hbool_t ts = 0;
  return H5is_library_threadsafe(&ts) >= 0 && ts;
}

}  // namespace dcsim::io::detail
