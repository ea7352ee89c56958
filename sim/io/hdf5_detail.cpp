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

void silence_hdf5() {
  static const bool once = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    H5::Exception::dontPrint();
    return true;
  }();
  (void)once;
}

}  // namespace dcsim::io::detail
