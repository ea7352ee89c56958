// Wording shared by the parameter readers' messages (internal to params.cpp and param_values.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/units.hpp"

namespace dcsim::params_text {

// "\"a\", \"b\", \"c\"".
inline std::string quoted_list(const std::vector<std::string>& options) {
  std::string s;
  for (const auto& o : options) {
    if (!s.empty()) s += ", ";
    s += "\"" + o + "\"";
  }
  return s;
}

// "a power", "an energy".
inline std::string a_kind(const QuantityKind& k) { return with_article(k.name); }

}  // namespace dcsim::params_text
