// The interface through which a model takes part in a run.
//
// A model is built from its scenario table before the run (setup errors surface before t = 0), registers
// its probes with the engine, schedules its first events in start(), forgets its measured statistics at
// the end of the warm-up, reports its scalar results in finish(), and checks its conservation invariants
// in check_invariants(), which throws SimulationError when one is broken. Before the run, estimate() says
// how many events and how much memory it will take, so that a run beyond any budget is refused at t = 0,
// and describe() names its entities and how they relate, for the output.
#pragma once

#include <string_view>

#include "sim/core/engine.hpp"
#include "sim/core/probes.hpp"
#include "sim/core/run_estimate.hpp"
#include "sim/core/topology.hpp"

namespace dcsim {

class Model {
 public:
  virtual ~Model() = default;
  virtual std::string_view name() const = 0;
  virtual void start(Engine& engine) = 0;
  virtual void on_warmup_end(SimTime /*now*/) {}
  virtual void finish(SimTime /*now*/, Summary& /*summary*/) {}
  virtual void check_invariants(SimTime /*now*/) const {}
  // What the model will cost over a run of `duration` (run_estimate.hpp), reported before t = 0.
  virtual void estimate(RunEstimate& /*e*/, SimTime /*duration*/) const {}
  // What the model is made of, for the output (topology.hpp): its entities and how they relate.
  virtual void describe(Topology& /*t*/) const {}
};

}  // namespace dcsim
