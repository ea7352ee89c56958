// Input files opened with checks: see input_file.hpp.
#include "sim/core/input_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/core/config.hpp"

namespace dcsim {

namespace {

std::string kind_problem(const struct stat& st) {
  if (S_ISREG(st.st_mode)) return "";
  if (S_ISDIR(st.st_mode)) return "is a directory";
  if (S_ISCHR(st.st_mode)) return "is a character device, not a file";
  if (S_ISBLK(st.st_mode)) return "is a block device, not a file";
  if (S_ISFIFO(st.st_mode)) return "is a FIFO (named pipe), not a file";
  if (S_ISSOCK(st.st_mode)) return "is a socket, not a file";
  return "is not a regular file";
}

std::string errno_problem(int err) {
  switch (err) {
    case ENOENT: return "does not exist (no such file)";
    case ENOTDIR: return "does not exist (a part of the path is not a directory)";
    case EACCES:
    case EPERM: return "cannot be read (permission denied)";
    case ELOOP: return "cannot be opened (too many symbolic links)";
    case ENAMETOOLONG: return "cannot be opened (the name is too long)";
    default: return std::string("cannot be opened (") + std::strerror(err) + ")";
  }
}

// Opens `path` for reading if it is a regular file: the descriptor (>= 0) and its size, or -1 and why not.
// The kind is looked at before opening (a device is never opened) and again after (the path may change).
int open_regular(const std::string& path, std::string& why, off_t& size) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    why = errno_problem(errno);
    return -1;
  }
  if (why = kind_problem(st); !why.empty()) return -1;
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    why = errno_problem(errno);
    return -1;
  }
  if (::fstat(fd, &st) != 0 || !(why = kind_problem(st)).empty()) {
    if (why.empty()) why = errno_problem(errno);
    ::close(fd);
    return -1;
  }
  size = st.st_size;
  return fd;
}

std::uint32_t line_loc(std::uint64_t n) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(n, std::numeric_limits<std::uint32_t>::max()));
}

std::string mib(std::size_t bytes) {
  return bytes % (1u << 20) == 0 ? std::to_string(bytes >> 20) + " MiB" : std::to_string(bytes) + " bytes";
}

}  // namespace

std::string input_file_problem(const std::string& path) {
  std::string why;
  off_t size = 0;
  const int fd = open_regular(path, why, size);
  if (fd >= 0) ::close(fd);
  return why;
}

std::string read_input_file(const std::string& path, std::size_t max_bytes, const std::string& what) {
  const SourceLoc loc{path, 0, 0};
  std::string why;
  off_t size = 0;
  const int fd = open_regular(path, why, size);
  if (fd < 0) throw ConfigError(loc, "the " + what + " " + why);
  auto too_big = [&] {
    ::close(fd);
    return ConfigError(loc, "the " + what + " is larger than the limit of " + mib(max_bytes));
  };
  if (static_cast<std::size_t>(size) > max_bytes) throw too_big();
  std::string text;
  text.resize(static_cast<std::size_t>(size) + 1);  // one byte more: a file that grew is noticed
  std::size_t got = 0;
  while (true) {
    if (got == text.size()) {
      if (got > max_bytes) throw too_big();
      text.resize(std::min(text.size() * 2, max_bytes + 1));
    }
    const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      const int err = errno;
      ::close(fd);
      throw ConfigError(loc, "cannot read the " + what + ": " + std::strerror(err));
    }
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got > max_bytes) throw ConfigError(loc, "the " + what + " is larger than the limit of " + mib(max_bytes));
  text.resize(got);
  return text;
}

InputLines::InputLines(const std::string& path, const std::string& what) : path_(path) {
  std::string why;
  off_t size = 0;
  fd_ = open_regular(path, why, size);
  if (fd_ < 0) throw ConfigError(SourceLoc{path, 0, 0}, "the " + what + " " + why);
  // Reads of up to 64 KiB; a small file gets a buffer of its size (plus the byte that sees its end).
  buf_.resize(static_cast<std::size_t>(std::clamp<off_t>(size + 1, 256, 1 << 16)));
}

InputLines::~InputLines() {
  if (fd_ >= 0) ::close(fd_);
}

bool InputLines::fill() {
  if (eof_) return false;
  while (true) {
    const ssize_t n = ::read(fd_, buf_.data(), buf_.size());
    if (n > 0) {
      pos_ = 0;
      end_ = static_cast<std::size_t>(n);
      return true;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    if (errno == EINTR || errno == EAGAIN) continue;
    throw ConfigError(SourceLoc{path_, line_loc(line_ + 1), 0},
                      std::string("read error: ") + std::strerror(errno));
  }
}

bool InputLines::next(std::string& line, std::size_t max_bytes) {
  line.clear();
  bool any = false;
  while (true) {
    if (pos_ == end_ && !fill()) {
      if (!any) return false;
      break;
    }
    if (skip_lf_) {
      skip_lf_ = false;
      if (buf_[pos_] == '\n') {
        ++pos_;
        continue;
      }
    }
    any = true;
    const char* b = buf_.data() + pos_;
    const char* e = buf_.data() + end_;
    const char* stop = b;
    while (stop != e && *stop != '\n' && *stop != '\r') ++stop;
    if (line.size() + static_cast<std::size_t>(stop - b) > max_bytes) {
      throw ConfigError(SourceLoc{path_, line_loc(line_ + 1), 1},
                        "a line longer than the limit of " + mib(max_bytes) + " (is this a text file?)");
    }
    line.append(b, stop);
    pos_ += static_cast<std::size_t>(stop - b);
    if (stop != e) {
      skip_lf_ = *stop == '\r';
      ++pos_;
      break;
    }
  }
  ++line_;
  return true;
}

}  // namespace dcsim
