// Running a plan (dcsim plan): the candidates the search proposes, stage by stage, as sweeps of the sweep
// layer (their replicas in parallel, common random numbers across candidates), each run a file of
// DIR/runs; then the answer, the points tried, the Pareto front and the warnings (study/plan.hpp).
//
//   DIR/plan.toml          the scenario and the plan's arguments: a directory holding another plan is refused,
//                          the same plan resumes (its complete runs are not run again)
//   DIR/runs/<name>.h5     a run: "<label>-<value>[_<label>-<value>...]_r<k>", the same name at every stage
//   DIR/plan.h5            the points tried with their metrics' means and bounds, the answer, the front
//
// Lockstep: every line (a combination of the enumerated variables) proposes its next candidates and one
// sweep runs them all, so that the lines' searches share the cores.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/io/scenario.hpp"
#include "sim/study/plan.hpp"

namespace dcsim::cli {

struct PlanSpec {
  std::string path;                 // the scenario
  std::vector<std::string> overrides;
  std::vector<study::PlanVar> vars;  // at most one searched; the enumerated ones make the lines
  std::vector<study::Slo> slos;
  std::size_t replicas = 5;
  double confidence = 0.95;
  study::Statistic statistic = study::Statistic::median;  // what an SLO is on: the metric's median or mean over runs
  std::string minimise;             // a metric ("cost" is costs.total_usd); empty: the searched variable
};

struct PlanOptions {
  std::string dir;
  int threads = 1;
  const std::atomic<bool>* interrupt = nullptr;
  bool progress = true;
};

struct PlanPoint {
  std::size_t line = 0;                 // the combination of enumerated values
  std::optional<std::int64_t> k;        // the searched variable's value, in steps
  std::size_t stage = 0;
  std::vector<std::string> runs;        // names of its replicas' runs
  std::vector<std::uint64_t> run_index;
  std::map<std::string, std::vector<double>> metrics;  // per replica (NaN when a run failed or lacks it)
  std::size_t complete = 0;             // replicas that completed
  std::vector<double> slo_bound;        // the one-sided bound of each SLO's metric
  bool feasible = false;
  bool pareto = false, chosen = false;
  double objective = 0;                 // mean of the objective's metric (or the searched value)
};

struct PlanResult {
  std::vector<std::vector<std::size_t>> lines;  // per line, the index of each enumerated variable's value
  std::vector<PlanPoint> points;                // in the order tried
  std::vector<std::optional<std::size_t>> line_answer;  // per line, its least feasible point
  std::optional<std::size_t> chosen;            // the answer: least (or cheapest) feasible point
  std::vector<std::string> warnings;
  std::map<std::string, std::string> units;     // of every metric seen
  std::size_t stages = 0, runs = 0, failed = 0;
  double wall_s = 0;
  bool interrupted = false;
  std::string objective;                        // the metric minimised ("" for the searched value)
};

// Checks every line at the search's bounds before anything runs (throws ConfigError), then runs the plan.
// Throws std::invalid_argument for an SLO or --minimise metric no run reports, std::runtime_error when the
// directory cannot hold the plan.
PlanResult run_plan(const PlanSpec& spec, const PlanOptions& opt);

// The text of `dcsim plan`'s report: the points tried, the answer, the warnings.
std::string render_plan(const PlanSpec& spec, const PlanResult& r);

// Writes DIR/plan.h5.
void write_plan_file(const PlanSpec& spec, const PlanResult& r, const std::string& dir);

}  // namespace dcsim::cli
