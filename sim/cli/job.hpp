// From a scenario file to a run ready to execute, and from a run to an output file: the steps shared by
// `dcsim run`, `dcsim validate`, the tests and (later) sweeps. Everything is checked before t = 0.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/run.hpp"
#include "sim/cli/output_guard.hpp"
#include "sim/io/scenario.hpp"

namespace dcsim::cli {

// The program's parameter tables: the models' and the sweep's (for dcsim keys and the sweep's reader).
const ParamSchema& scenario_schema();

struct Job {
  io::Scenario scenario;
  std::unique_ptr<Run> run;
  std::vector<std::string> inputs;  // every file the run reads: the scenario, traces, profiles, weather
};

// Loads the scenario, applies overrides, reads [simulation], builds the models and rejects unknown keys.
// Throws ConfigError.
// With `fingerprint`, the run hashes its event trace and draws (Engine::fingerprint()).
Job prepare_job(const std::string& scenario_path, const std::vector<std::string>& overrides, bool fingerprint = false);
// The same from a scenario already in memory (`name` stands for its file in messages). For sweeps and
// tests: nothing is read from disk but what the scenario itself names (traces, EPW files).
Job prepare_job_from_text(const std::string& text, const std::string& name, const std::vector<std::string>& overrides,
                          bool fingerprint = false);

// The same from a scenario already read and overridden (a sweep's run); `inputs` starts with its file.
Job prepare_job_from_scenario(io::Scenario scenario, bool fingerprint = false);

struct JobResult {
  RunOutcome outcome;
  Summary summary;
  std::string output_path;  // final path, or the .partial path when incomplete
  std::string error;        // a run-time error (SimulationError, I/O), empty on success
  std::uint64_t samples_saved = 0;  // samples on disk in output_path (execute_job)
  double wall_s = 0;
};

struct ExecuteOptions {
  std::string output_path;               // final path of the HDF5 file
  const std::atomic<bool>* interrupt = nullptr;
  bool progress = true;
  bool progress_tty = false;
  double progress_interval_s = 10.0;     // between plain progress lines when stderr is not a terminal
};

struct RunOptions {
  std::vector<SampleSink*> sinks;        // optional observers of the time series (not owned)
  const std::atomic<bool>* interrupt = nullptr;
  bool progress = false;
  bool progress_tty = false;
  double progress_interval_s = 10.0;
};

// Runs the job to its summary in-process, writing nothing: the sinks, if any, see the time series. Checks
// the invariants at the end. Does not throw for run-time errors: they are reported in JobResult::error
// (output_path stays empty). Jobs share nothing, so several may run at once on different threads.
JobResult run_to_summary(Job& job, const RunOptions& options);

// Runs the job with an HDF5 recorder as one more sink (OUT.partial, renamed when complete). Does not throw
// for run-time errors: they are reported in JobResult::error and leave an incomplete file. The HDF5
// library is not thread-safe in Debian's build: recorders must not write concurrently (sweeps serialise
// them).
JobResult execute_job(Job& job, const ExecuteOptions& options);

// "out/<scenario stem>.h5" for a scenario path.
std::string default_output_path(const std::string& scenario_path);

}  // namespace dcsim::cli
