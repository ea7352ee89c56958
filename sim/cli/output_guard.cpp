#include "sim/cli/output_guard.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/cli/contain.hpp"
#include "sim/io/hdf5_output.hpp"

namespace dcsim::cli {

namespace {

const char* kind_of(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

bool has_hdf5_signature(const std::string& path) {
  static const char sig[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  std::ifstream in(path, std::ios::binary);
  char buf[8] = {};
  return in.read(buf, 8) && std::equal(buf, buf + 8, sig);
}

// Why an existing `p` must not be replaced, or "".
std::string check_existing(const std::string& p, const struct stat& st, const std::vector<std::string>& inputs,
                           bool force) {
  if (!S_ISREG(st.st_mode)) return p + " exists and is " + kind_of(st.st_mode) + "; dcsim writes only regular files";
  for (const auto& in : inputs) {
    struct stat si {};
    if (::stat(in.c_str(), &si) == 0 && si.st_dev == st.st_dev && si.st_ino == st.st_ino) {
      return p + " is the run's input " + in + "; writing the output would destroy it";
    }
  }
  if (!force && !is_dcsim_output(p)) {
    return p + " exists and is not a dcsim output file; use --force to replace it";
  }
  return "";
}

}  // namespace

bool is_dcsim_output(const std::string& path) {
  if (!has_hdf5_signature(path)) return false;
  try {
    const Contained c = run_contained([&] {
      try {
        (void)io::read_output_info(path);
        return 0;
      } catch (const std::exception&) {
        return 3;
      }
    });
    return c.signal == 0 && c.exit_code == 0;
  } catch (const std::exception&) {
    return false;
  }
}

std::string check_output_path(const std::string& path, const std::vector<std::string>& inputs, bool force) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  if (p.filename().empty() || p.filename() == "." || p.filename() == "..") return "the path names a directory, not a file";
  for (const std::string& target : {path, path + ".partial"}) {
    struct stat st {};
    if (::stat(target.c_str(), &st) == 0) {
      if (std::string why = check_existing(target, st, inputs, force); !why.empty()) return why;
    } else if (struct stat lst {}; ::lstat(target.c_str(), &lst) == 0) {
      return target + " is a dangling symbolic link";
    }
  }
  fs::path dir = p.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) return dir.string() + " is not a directory";
  fs::create_directories(dir, ec);
  if (ec) return "cannot create directory " + dir.string() + ": " + ec.message();
  if (access(dir.c_str(), W_OK) != 0) return "directory " + dir.string() + " is not writable";
  return "";
}

}  // namespace dcsim::cli
