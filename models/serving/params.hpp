// The serving model's parameter table: every key of [serving] and the serving keys of [[sites]] and
// [[sites.clusters]] (the layout, models/sites/layout.hpp, declares the sites' and clusters' names).
#pragma once

#include <vector>

#include "sim/core/param_table.hpp"

namespace dcsim::serving {

const std::vector<ParamDef>& parameter_table();

}  // namespace dcsim::serving
