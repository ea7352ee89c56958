// Running a sweep: its runs in parallel in one process (OpenMP, one engine per thread), each writing
// DIR/runs/<name>.h5 as `dcsim run` would, with a record of how it ended (DIR/runs/<name>.status).
//
//   DIR/sweep.toml          the sweep as resolved (command-line overrides applied): what merge and resume
//                           expand; a directory holding another sweep is refused
//   DIR/runs/<name>.h5      a complete run (OUT.partial while it runs, or when it failed part-way)
//   DIR/runs/<name>.status  "status", "wall_s" and "error" lines: how the run ended and how long it took
//   DIR/index.h5            the table of every run and the statistics over replicas (sweep_index.hpp)
//   DIR/timing.h5           the runs' wall times (linked from index.h5)
//
// A run's file depends only on the scenario, the point and the run index, never on the number of threads
// or on which task ran it, so the index built from the files is the same whatever the split.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sim/cli/sweep.hpp"

namespace dcsim::cli {

struct SweepRunOptions {
  std::string dir;
  int threads = 1;
  std::vector<std::size_t> selection;  // the runs to run (indices into the expansion)
  std::vector<double> expected_cost;   // per point (validate_sweep): runs start longest first; empty: in order
  bool resume = false;                 // skip the runs whose files are complete
  // Where the threads take their next run from: a position in the list of runs to run, handed out once
  // (a value >= that list's size: nothing left). Empty: a counter of this process. Set by MPI jobs, whose
  // ranks all compute the same list and share one counter. Called from several threads at once.
  std::function<std::size_t()> next;
  std::function<void()> before_start;  // called once the list is made, before the first run starts
  const std::atomic<bool>* interrupt = nullptr;
  bool progress = true;
  bool progress_tty = false;
  double progress_interval_s = 10.0;
};

struct SweepRunSummary {
  std::size_t selected = 0, ran = 0, skipped = 0, failed = 0, not_started = 0;
  std::size_t failed_before = 0;  // of `failed`: refused before any run started (the same on every MPI rank)
  bool interrupted = false;
  std::vector<std::string> errors;  // "run NAME: message", for the failed runs
  double wall_s = 0;
};

// Why DIR cannot hold this sweep ("" when it can): a file that is not a directory, a directory holding
// something else than a dcsim sweep, or a sweep whose sweep.toml differs. Creates DIR/runs and writes
// DIR/sweep.toml when it can. When DIR already holds the sweep, the scenario's path is taken from its
// sweep.toml (the path the first call gave), so that every run file of DIR records the same path
// whichever call wrote it (relative here, absolute in a Slurm task).
std::string prepare_sweep_dir(Sweep& sweep, const std::string& dir);

// Runs the selected runs. Never throws for a run's failure: it is counted, recorded in its status file,
// and the other runs go on. After an interrupt no further run starts; the running ones stop at once and
// are left incomplete.
SweepRunSummary run_sweep(const Sweep& sweep, const SweepRunOptions& options);

// The paths of a run's files.
std::string run_file(const std::string& dir, const study::SweepRun& run);
std::string status_file(const std::string& dir, const study::SweepRun& run);

// Records a run that is not to be run (status "skipped": --precision met its point's targets without it).
void record_not_needed(const std::string& dir, const study::SweepRun& run, const std::string& why);

// Whether a run's file exists under its final name and reads as a complete dcsim output.
bool run_complete(const std::string& dir, const study::SweepRun& run);

// The sweep a directory holds, from DIR/sweep.toml. Throws ConfigError when there is none.
Sweep load_sweep_dir(const std::string& dir);

}  // namespace dcsim::cli
