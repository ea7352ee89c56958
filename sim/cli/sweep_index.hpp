// A sweep's index: DIR/index.h5, built from the run files and their status files only, so that it is the
// same whether the runs ran in one call, on several threads, in several Slurm tasks or MPI ranks, or were
// resumed (`dcsim merge DIR` builds it the same way, also after a partial failure).
//
//   /                    attributes: dcsim_version, scenario_file, combine, streams, points, replicas, runs,
//                        baseline, confidence_level, runs_complete, runs_failed, runs_missing,
//                        runs_not_needed, status
//   /scenario            [1] string: the sweep as resolved (DIR/sweep.toml without its first line)
//   /runs/{run, point, replica, run_index, seed, name, file, status, error}   one row per run; status is
//                        complete, failed, incomplete, missing, or skipped (not needed by --precision)
//   /runs/wall_s         external link to timing.h5:/wall_s, the wall time of each run
//   /runs/params/<axis key>      the run's value of each axis
//   /runs/metrics/<metric>       every numeric summary value (NaN for a run that did not complete)
//   /points/{point, name, replicas}   one row per point; replicas: how many completed
//   /points/params/<axis key>
//   /points/{mean, half_width, low, high, n}/<metric>   over the point's replicas, at confidence_level
//   /differences/{mean, half_width, low, high, n}/<metric>   point minus the baseline point: paired
//                        replica by replica under common random numbers, Welch's interval otherwise
//   /files/<run name>    external link to the run's file (runs/<name>.h5, or .partial when incomplete)
//
// Only the wall times depend on the machine, and they are in DIR/timing.h5 (linked): every byte of
// index.h5 is a function of the run files.
#pragma once

#include <cstddef>
#include <string>

#include "sim/cli/sweep.hpp"

namespace dcsim::cli {

struct IndexCounts {
  std::size_t complete = 0, failed = 0, incomplete = 0, missing = 0;
  std::size_t not_needed = 0;  // replicas that --precision did not need
  // Every run has ended, completed or failed, or is not needed: nothing is left to run.
  bool all_ended() const noexcept { return incomplete == 0 && missing == 0; }
  // Every run completed, or is not needed.
  bool all_complete() const noexcept { return failed == 0 && all_ended(); }
};

// How the sweep's runs stand, from the files' names and the status files (cheap: no file is opened).
IndexCounts count_runs(const Sweep& sweep, const std::string& dir);

// Reads every run's file and status and writes DIR/index.h5 (whole, then renamed). Throws
// std::runtime_error when it cannot be written.
IndexCounts write_index(const Sweep& sweep, const std::string& dir, double level = 0.95);

}  // namespace dcsim::cli
