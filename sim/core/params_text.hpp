// Wording shared by the parameter readers' messages (internal to params.cpp and param_values.cpp).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/units.hpp"

namespace dcsim::params_text {

inline std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

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
inline std::string a_kind(const QuantityKind& k) {
  const bool vowel = std::string_view("aeiou").find(k.name.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(k.name);
}

}  // namespace dcsim::params_text
