// The sbatch script of `dcsim sweep --slurm-script`: a Slurm job array whose tasks each run their share of
// the sweep's runs (dcsim sweep --runs slurm) into one directory, with --resume so that a requeued or
// resubmitted task skips what it finished; the task that finishes last writes the index.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dcsim::cli {

struct SlurmScriptOptions {
  std::string dcsim;                   // the program (made absolute)
  std::string scenario, dir;           // made absolute
  std::vector<std::string> overrides;  // --set key=value, in order
  std::size_t runs = 0;
  int tasks = 0;                       // 0: one per run, at most kMaxArrayTasks
  int cpus_per_task = 1;
  std::string time = "01:00:00";
  std::string mem, partition;          // empty: Slurm's defaults
};

inline constexpr int kMaxArrayTasks = 1000;

// The script's text. Throws std::invalid_argument for a value sbatch would not take (named, with what
// was found): tasks or cores below 1, more tasks than runs, a malformed time, memory or partition.
std::string slurm_script(const SlurmScriptOptions& options);

}  // namespace dcsim::cli
