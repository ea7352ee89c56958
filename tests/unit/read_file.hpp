// Test helper: a whole file as a string (empty if it cannot be read).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace dcsim::test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace dcsim::test
