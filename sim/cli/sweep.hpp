// From a scenario with a [sweep] table to the runs of the sweep, each a Job ready to execute: the study
// layer expands the axes, the models check every point before any run starts.
#pragma once

#include <string>
#include <vector>

#include "sim/cli/job.hpp"
#include "sim/study/expand.hpp"

namespace dcsim::cli {

struct Sweep {
  std::string path;           // the scenario file
  std::string resolved_text;  // the whole scenario, [sweep] included, overrides applied (DIR/sweep.toml)
  io::Scenario base;          // the scenario without [sweep], command-line overrides applied
  study::SweepSpec spec;
  study::Expansion expansion;
};

// Whether a scenario's tree holds a [sweep] table.
bool has_sweep(const ConfigValue& root);

// Reads a scenario with a [sweep] table, applies the command-line overrides (to the scenario, before the
// axes) and expands it. Throws ConfigError (also for a scenario without [sweep]).
Sweep load_sweep(const std::string& path, const std::vector<std::string>& overrides);
// The same from a scenario's text (`name` stands for its file), for tests.
Sweep sweep_from_text(const std::string& text, const std::string& name, const std::vector<std::string>& overrides);

// The job of one run: the base scenario with the run's overrides. Throws ConfigError naming the run, its
// point and the axes' values after the message of the key that was refused.
Job prepare_sweep_run(const Sweep& sweep, const study::SweepRun& run, bool fingerprint = false);

// Builds every point (its first replica: the replicas differ only in their run index) and throws the
// first ConfigError; nothing is run. Returns each point's expected number of events (the run estimate),
// by which the runs are handed out, longest first.
std::vector<double> validate_sweep(const Sweep& sweep);

// "point 3 of 12 (kind = "liquid", gpus = 8000)": a run's place in messages.
std::string describe_point(const Sweep& sweep, const study::SweepRun& run);

// The listing of `dcsim sweep --list`: a header line and one line per run.
std::string list_runs(const Sweep& sweep);

}  // namespace dcsim::cli
