// One simulation run: an engine, the models, the sampler and the warm-up, from t = 0 to the horizon.
//
// Everything a run does is reproducible from (scenario, seed, run index): the Run owns its Engine, and the
// Engine owns the random streams. Several Runs may execute concurrently on different threads.
#pragma once

#include <memory>
#include <vector>

#include "sim/core/config.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/model.hpp"
#include "sim/core/param_table.hpp"
#include "sim/core/probes.hpp"
#include "sim/core/run_estimate.hpp"

namespace dcsim {

struct RunSettings {
  SimTime duration = SimTime::hours(1);
  SimTime warmup = SimTime::zero();
  SimTime sample_interval = SimTime::minutes(1);
  std::uint64_t seed = 1;
  std::uint64_t run_index = 0;
  std::int64_t start_epoch = 1742860800;  // UTC instant of t = 0 (default 2025-03-25T00:00:00Z)
  bool fingerprint = false;               // hash the event trace and the draws (not a scenario key)
  RunBudget budget;                       // simulation.max_events, simulation.max_memory

  // Reads the [simulation] table: duration, warmup, sample_interval, seed, run_index, start.
  static RunSettings from(const Params& simulation);
  // The [simulation] keys.
  static const std::vector<ParamDef>& parameter_table();
};

struct RunOutcome {
  StopReason reason = StopReason::horizon;
  SimTime end;
  std::uint64_t events = 0;
  std::uint64_t samples = 0;
  bool complete() const noexcept { return reason == StopReason::horizon || reason == StopReason::no_events; }
};

class Run {
 public:
  explicit Run(const RunSettings& settings);
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  const RunSettings& settings() const noexcept { return settings_; }
  Engine& engine() noexcept { return engine_; }

  Model& add_model(std::unique_ptr<Model> m);
  template <class M, class... Args>
  M& emplace_model(Args&&... args) {
    return static_cast<M&>(add_model(std::make_unique<M>(std::forward<Args>(args)...)));
  }
  const std::vector<std::unique_ptr<Model>>& models() const noexcept { return models_; }
  // Sinks are not owned; they receive the columns before t = 0 and one row per sample.
  void add_sink(SampleSink& sink) { sinks_.push_back(&sink); }

  // Starts the models and runs to the horizon, or until interrupted.
  RunOutcome execute();
  // The run's scalar results: the engine's counters then every model's summary. Call after execute().
  Summary summarize();
  // Checks every model's invariants at the current time; throws SimulationError.
  void check_invariants() const;
  // What the run will cost: the sampler's part and every model's (before execute()).
  RunEstimate estimate() const;
  // What the run is made of: every model's entities (Model::describe), in model order.
  Topology topology() const;

 private:
  void sample(SimTime t);

  RunSettings settings_;
  Engine engine_;
  std::vector<std::unique_ptr<Model>> models_;
  std::vector<SampleSink*> sinks_;
  std::vector<double> row_;
  std::unique_ptr<PeriodicTimer> sampler_;
  SimTime last_sample_ = SimTime::zero();
  std::uint64_t samples_ = 0;
  RunOutcome outcome_;
};

}  // namespace dcsim
