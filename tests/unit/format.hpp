// Test helper: a number as the shortest-round-trip text TOML reads back exactly ("%.17g"), for scenario
// texts built by concatenation (no fixed buffers to truncate them).
#pragma once

#include <cstdio>
#include <string>

namespace dcsim::test {

inline std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

}  // namespace dcsim::test
