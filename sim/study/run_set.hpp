// Which runs of a sweep one call runs: a list of ranges ("0-9,15"), or the share of one task of a job
// array or one rank of an MPI job. Shares are strided (task t of T runs t, t + T, t + 2T, ...), so that
// every task gets runs of every point and the tasks finish at about the same time.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dcsim::study {

// Parses "0-9,15,20-21" into sorted, distinct run indices, each below `runs`. Throws
// std::invalid_argument naming what was expected and what was found.
std::vector<std::size_t> parse_run_set(const std::string& text, std::size_t runs);

// The runs of task `task` (0-based) of `tasks`.
std::vector<std::size_t> task_share(std::size_t runs, std::size_t task, std::size_t tasks);

// The task of a Slurm array job from its environment: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT and
// SLURM_ARRAY_TASK_MIN (the array need not start at 0: --array=1-8 is tasks 0..7). Throws
// std::invalid_argument when the variables are missing or inconsistent.
struct ArrayTask {
  std::size_t task = 0, tasks = 1;
};
ArrayTask slurm_array_task();

}  // namespace dcsim::study
