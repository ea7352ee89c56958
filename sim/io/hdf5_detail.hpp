// Internal to sim/io: RAII for HDF5 C identifiers, error checks that carry libhdf5's own explanation (the
// innermost message of its error stack, and the system error behind a failed read or write), and the
// switch that stops libhdf5 printing its error stack on stderr. Not installed, not used outside sim/io.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace dcsim::io::detail {

// An HDF5 failure: `what()` is one line. `sys_errno` is the errno of the failed system call, or 0.
struct Hdf5Error : std::runtime_error {
  Hdf5Error(const std::string& m, int e) : std::runtime_error(m), sys_errno(e) {}
  int sys_errno;
};

// The most specific message on libhdf5's current error stack ("truncated file: eof = ...", ...), and the
// errno it reports for a failed system call (0 when none).
struct StackInfo {
  std::string message;
  int sys_errno = 0;
};
StackInfo error_stack();

// "No space left on device (ENOSPC)" for an errno.
std::string errno_text(int e);

// Throws Hdf5Error("cannot <what>: <libhdf5's explanation>").
[[noreturn]] void fail(const std::string& what);
inline void check(herr_t r, const std::string& what) {
  if (r < 0) fail(what);
}

class Hid {
 public:
  using Closer = herr_t (*)(hid_t);
  Hid() = default;
  Hid(hid_t id, Closer c, const std::string& what) : id_(id), close_(c) {
    if (id < 0) fail(what);
  }
  Hid(Hid&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Hid& operator=(Hid&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      close_ = o.close_;
      o.id_ = -1;
    }
    return *this;
  }
  ~Hid() { reset(); }
  // Closes the identifier; returns false when libhdf5 reported an error (the identifier is gone either way).
  bool reset() noexcept {
    bool ok = true;
    if (id_ >= 0 && close_) ok = close_(id_) >= 0;
    id_ = -1;
    return ok;
  }
  hid_t get() const noexcept { return id_; }

 private:
  hid_t id_ = -1;
  Closer close_ = nullptr;
};

// A variable-length UTF-8 string type.
Hid string_type();
// Scalar attributes, replacing one of the same name.
void write_attr(hid_t obj, const std::string& name, const std::string& value);
void write_attr(hid_t obj, const std::string& name, double value);
void write_attr(hid_t obj, const std::string& name, std::int64_t value);
void write_attr_u64(hid_t obj, const std::string& name, std::uint64_t value);
// Object creation property lists without modification times: byte-identical files for identical runs.
Hid group_create_plist();
Hid open_or_create_group(hid_t parent, const std::string& name);
// A 1-D dataset of variable-length UTF-8 strings (contiguous, no modification time); returns it open, for
// attributes.
Hid write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values);

// Turns off libhdf5's printing of error stacks (once per thread: the setting is per thread).
void silence_hdf5();

// Whether libhdf5 was built thread-safe (it then serialises its calls with a lock of its own).
bool library_threadsafe();

}  // namespace dcsim::io::detail
