// Opening an input file (a scenario, a trace, a rate profile, a weather file) with checks: a path that is
// missing, a directory, a device, a FIFO or a socket, or that cannot be read, is refused with a message
// saying which, and nothing blocks (a FIFO is opened non-blocking) or reads without bound.
#pragma once

#include <cstddef>
#include <string>

namespace dcsim {

// Why `path` cannot be used as an input file: "" when it is a readable regular file, else a phrase such
// as "no such file", "is a directory", "is a character device, not a file", "cannot be read (permission
// denied)". Opens the file (non-blocking, so a FIFO does not hang) to tell unreadable from missing.
std::string input_file_problem(const std::string& path);

// The whole content of the regular file `path`, at most `max_bytes` long. Throws ConfigError naming the
// file and the problem (one of the above, or the size limit).
std::string read_input_file(const std::string& path, std::size_t max_bytes, const std::string& what);

}  // namespace dcsim
