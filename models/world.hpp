// Builds the models a scenario asks for: one entry point from a scenario's root table to the models of a
// run. The [simulation] table belongs to the run itself (RunSettings); every other top-level table is a
// model section read here.
#pragma once

#include <string>
#include <vector>

#include "sim/core/config.hpp"
#include "sim/core/param_table.hpp"
#include "sim/core/run.hpp"

namespace dcsim::models {

// The top-level sections this build of dcsim understands, besides [simulation].
const std::vector<std::string>& known_sections();

// Every scenario key this build of dcsim understands: the [simulation] table and every model's table.
const ParamSchema& parameter_schema();

// Reads each present section, builds its models and adds them to the run. Throws ConfigError.
void build(const Params& root, Run& run);

}  // namespace dcsim::models
