#include "fuzz/harness.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "sim/core/echo.hpp"

namespace dcsim::fuzz {

namespace {

// In TMPDIR if set, else in /dev/shm (memory: a file rewritten thousands of times a second costs no disk
// writes), else in /tmp.
std::string make_scratch() {
  const char* tmp = std::getenv("TMPDIR");
  std::error_code ec;
  const std::string base = tmp && *tmp ? tmp : std::filesystem::is_directory("/dev/shm", ec) ? "/dev/shm" : "/tmp";
  std::string pattern = base + "/dcsim-fuzz-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::perror("dcsim fuzz: cannot create a scratch directory");
    std::abort();
  }
  return pattern;
}

}  // namespace

const std::string& scratch_dir() {
  static const std::string dir = [] {
    std::string d = make_scratch();
    static const std::string removed_at_exit = d;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(removed_at_exit, ec);
    });
    return d;
  }();
  return dir;
}

std::string write_scratch(const std::string& name, const std::uint8_t* data, std::size_t size) {
  const std::string path = scratch_dir() + "/" + name;
  // A new file each time: replacing a file by truncation makes some file systems write it back on close.
  std::remove(path.c_str());
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || std::fwrite(data, 1, size, f) != size || std::fclose(f) != 0) {
    std::perror(("dcsim fuzz: cannot write " + path).c_str());
    std::abort();
  }
  return path;
}

void check_error_message(std::string_view m) {
  const char* problem = nullptr;
  if (m.empty()) problem = "is empty";
  else if (m.size() > 4096) problem = "is longer than 4 KiB";
  else if (m.find(": error: ") == std::string_view::npos) problem = "does not say ': error: '";
  else if (invalid_utf8_at(m) != std::string_view::npos) problem = "is not valid UTF-8";
  else {
    for (const char c : m) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\n') || u == 0x7f) {
        problem = "contains a control character";
        break;
      }
    }
  }
  if (problem != nullptr) {
    std::fprintf(stderr, "dcsim fuzz: the error message %s (%zu bytes):\n%.*s\n", problem, m.size(),
                 static_cast<int>(std::min<std::size_t>(m.size(), 8192)), m.data());
    std::abort();
  }
}

}  // namespace dcsim::fuzz
