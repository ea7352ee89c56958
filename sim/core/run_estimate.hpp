// What a run will cost, estimated before t = 0 from what its models were built with: events per simulated
// second and memory at the peak, each part naming the scenario key that drives it. A run whose estimate
// exceeds its budget (simulation.max_events, simulation.max_memory) is refused before it starts, with the
// estimate and the key responsible, instead of running out of memory after minutes or never finishing.
//
// An "event" here is a unit of the engine's work: an event of the event set, or one GPU group's update in
// a thermal step (each costs about as much). The estimates are upper bounds of the right order, not
// predictions: a model counts what its parameters allow (every arrival served, every queue full).
#pragma once

#include <string>
#include <vector>

#include "sim/core/time.hpp"

namespace dcsim {

struct Demand {
  std::string key;          // the scenario key that drives it: "mmc.arrival_rate"
  std::string what;         // what is counted: "arrivals and departures at 1e+09 /s"
  double events_per_s = 0;  // per simulated second, averaged over the run
  double bytes = 0;         // memory held at the peak
};

class RunEstimate {
 public:
  void add(Demand d) { demands_.push_back(std::move(d)); }
  const std::vector<Demand>& demands() const noexcept { return demands_; }
  // Events over a run of `duration`.
  double events(SimTime duration) const;
  double bytes() const;
  // The part with the most events, or the most memory (nullptr when there is none).
  const Demand* most_events() const;
  const Demand* most_memory() const;

 private:
  std::vector<Demand> demands_;
};

struct RunBudget {
  double max_events = 1e12;  // simulation.max_events
  double max_bytes = 0;      // simulation.max_memory (resolved: "auto" is a share of physical memory)
};

// Why the run exceeds its budget ("" when it does not): the estimate, the budget, the part responsible and
// what to change. `key` receives the responsible key (for the message's location).
std::string over_budget(const RunEstimate& e, const RunBudget& b, SimTime duration, std::string& key);

// Physical memory of this machine, bytes (0 if unknown).
double physical_memory_bytes();

// "3.2 GiB", "512 MiB", "1.5 TiB".
std::string format_bytes(double bytes);

}  // namespace dcsim
