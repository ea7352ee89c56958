// Small pieces the workload's source files share: the position of a name in a list, and the latest time a
// simulation can represent.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace dcsim::workload {

// The latest time a simulation can represent (SimTime is int64 nanoseconds: about 292 years).
inline constexpr double kMaxTimeS = 9.2e9;

// The position of `n` in `names`, or names.size().
inline std::size_t index_of(const std::vector<std::string>& names, const std::string& n) {
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), n) - names.begin());
}

}  // namespace dcsim::workload
