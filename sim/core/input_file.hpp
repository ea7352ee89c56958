// Opening an input file (a scenario, a trace, a rate profile, a weather file) with checks: a path that is
// missing, a directory, a device, a FIFO or a socket, or that cannot be read, is refused with a message
// saying which, and nothing blocks (a FIFO is opened non-blocking) or reads without bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dcsim {

// Why `path` cannot be used as an input file: "" when it is a readable regular file, else a phrase such
// as "no such file", "is a directory", "is a character device, not a file", "cannot be read (permission
// denied)". Opens the file (non-blocking, so a FIFO does not hang) to tell unreadable from missing.
std::string input_file_problem(const std::string& path);

// The whole content of the regular file `path`, at most `max_bytes` long. Throws ConfigError naming the
// file and the problem (one of the above, or the size limit).
std::string read_input_file(const std::string& path, std::size_t max_bytes, const std::string& what);

// A regular input file read line by line. It is opened once, with the checks above made on the open
// descriptor (nothing can swap the file between the check and the read). A line ends at "\n", "\r\n" or a
// lone "\r" (files from old Mac tools).
class InputLines {
 public:
  // Throws ConfigError naming the file and why it cannot be used ("the <what> is a directory").
  InputLines(const std::string& path, const std::string& what);
  ~InputLines();
  InputLines(const InputLines&) = delete;
  InputLines& operator=(const InputLines&) = delete;

  // The next line, without its end, into `line`; false at the end of the file. Throws ConfigError for a
  // line longer than `max_bytes` or a read error.
  bool next(std::string& line, std::size_t max_bytes);
  // The number of the line `next` returned last (1-based).
  std::uint64_t line_number() const noexcept { return line_; }

 private:
  bool fill();
  std::string path_;
  int fd_ = -1;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false, skip_lf_ = false;
  std::uint64_t line_ = 0;
};

}  // namespace dcsim
