// The dcsim subcommands beyond run, validate, info and keys (main.cpp): each takes the arguments after its
// name and returns the exit code; bad usage throws boost::program_options::error.
#pragma once

#include <string>
#include <vector>

namespace dcsim::cli {

// dcsim sweep SCENARIO (--list | -o DIR | --slurm-script -o DIR) [options]; argv0 is the program's path
// (for the sbatch script).
int cmd_sweep(const std::vector<std::string>& args, const char* argv0);
// dcsim merge DIR
int cmd_merge(const std::vector<std::string>& args);
// dcsim plan SCENARIO -o DIR --vary KEY --slo 'METRIC<V' [options]
int cmd_plan(const std::vector<std::string>& args);

}  // namespace dcsim::cli
