// What the climate files share and the public header does not show: constants, the number formatting of
// describe() and of error messages, and the preset lookup that make_climate reports its own error for.
#pragma once

#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <string_view>

#include "models/ambient/climate.hpp"

namespace dcsim::ambient::detail {

inline constexpr double kTwoPi = 2 * std::numbers::pi;
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string num(double v);
std::string describe_cycle(const AnnualCycle& c, std::string_view what);

// The preset of that name, or nullopt.
std::optional<SyntheticParams> find_preset(std::string_view name);

}  // namespace dcsim::ambient::detail
