// From a scenario file to a run ready to execute, and from a run to an output file: the steps shared by
// `dcsim run`, `dcsim validate`, the tests and (later) sweeps. Everything is checked before t = 0.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/run.hpp"
#include "sim/io/scenario.hpp"

namespace dcsim::cli {

struct Job {
  io::Scenario scenario;
  std::unique_ptr<Run> run;
};

// Loads the scenario, applies overrides, reads [simulation], builds the models and rejects unknown keys.
// Throws ConfigError.
Job prepare_job(const std::string& scenario_path, const std::vector<std::string>& overrides);

struct JobResult {
  RunOutcome outcome;
  Summary summary;
  std::string output_path;  // final path, or the .partial path when incomplete
  std::string error;        // a run-time error (SimulationError, I/O), empty on success
  double wall_s = 0;
};

struct ExecuteOptions {
  std::string output_path;               // final path of the HDF5 file
  const std::atomic<bool>* interrupt = nullptr;
  bool progress = true;
  bool progress_tty = false;
  double progress_interval_s = 10.0;     // between plain progress lines when stderr is not a terminal
};

// Runs the job, recording to HDF5 (OUT.partial, renamed when complete). Does not throw for run-time
// errors: they are reported in JobResult::error and leave an incomplete file.
JobResult execute_job(Job& job, const ExecuteOptions& options);

// Creates the output's directory if needed and checks that it is writable; returns why not, or "".
std::string check_output_path(const std::string& path);

// "out/<scenario stem>.h5" for a scenario path.
std::string default_output_path(const std::string& scenario_path);

}  // namespace dcsim::cli
