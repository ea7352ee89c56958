// Sequential precision (dcsim sweep --precision 'METRIC:2%' --max-replicas R): replicas are added to each
// point until the confidence interval of every named metric is within its target, or the point has R.
//
// The sweep is expanded with R replicas per point (run names and indices do not depend on how many run).
// Each point starts with the sweep's own replicas (dcsim sweep: at least 3); after each stage, a point that misses a
// target gets the replicas its sample variance says it needs, n = (t s / h)^2, at most twice as many as it
// has, at most R; the runs it does not need are recorded as not needed. Every decision depends on the
// run files only, so the same command gives the same files whatever the threads (and a resumed one
// continues where it stopped). Stopping when an interval is narrow enough biases it slightly narrow
// (Law & Kelton, Simulation Modeling and Analysis, §9.4): ask for a little more than you need.
#pragma once

#include <string>
#include <vector>

#include "sim/cli/sweep_run.hpp"
#include "sim/study/replicas.hpp"

namespace dcsim::cli {

struct PointPrecision {
  std::size_t replicas = 0;  // replicas that completed
  bool met = false;          // every target is met
  std::string worst;         // the target furthest from being met, as "METRIC: 3.1% > 2%" (empty when met)
};

struct PrecisionOutcome {
  SweepRunSummary runs;              // over every stage
  std::size_t stages = 0;
  std::vector<PointPrecision> points;
};

// Runs the sweep to the targets. `initial` is the replicas each point starts with; `opt.selection` is
// ignored (every point takes part). Throws ConfigError-free std::invalid_argument when a target names a
// metric the runs' summaries lack (after the first stage: nothing else has run).
PrecisionOutcome run_to_precision(const Sweep& sweep, SweepRunOptions opt, const std::vector<study::PrecisionTarget>& targets,
                                  std::size_t initial, double level = 0.95);

}  // namespace dcsim::cli
