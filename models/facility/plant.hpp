// A cooling loop's plant behind one interface. Each cooling kind is one class in plants/ and one row of the
// table in plants/kinds.cpp (its scenario name, the defaults of its keys, its constructor). In a step a plant
// finds how cold its heat sink lets the supply go and how much heat its units in service can remove in the
// weather of the step, settles the loop's supply temperature through the loop's thermal mass (shared by all
// kinds), and says what electric power and water removing that heat takes.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "models/ambient/climate.hpp"
#include "models/facility/spec.hpp"

namespace dcsim::facility {

// The loop at the start of a plant step.
struct PlantInput {
  double heat_in_w;  // heat into the loop over the step (GPUs and servers), W
  double supply_c;   // supply temperature
  int units_up;      // units in service
};

struct PlantOutput {
  double supply_c;  // supply temperature at the end of the step
  double heat_removed_w;
  double power_w;
  double water_m3_s;
};

class Plant {
 public:
  explicit Plant(const PlantSpec& spec) : spec_(spec) {}
  virtual ~Plant();
  Plant(const Plant&) = delete;
  Plant& operator=(const Plant&) = delete;

  // One step of dt seconds in the weather `a`.
  virtual PlantOutput step(const PlantInput& in, const ambient::AmbientState& a, double dt) const = 0;

 protected:
  struct Settled {
    double supply_c;   // at the end of the step
    double removed_w;  // heat removed
    double target_c;   // the supply the plant aimed at
  };

  // The loop's return temperature before the step.
  double return_estimate_c(const PlantInput& in) const;
  // Design capacity of the units in service.
  double units_capacity_w(const PlantInput& in) const;
  // The plant removes the heat it can, up to capacity_w, aiming at the set point or at floor_c if its heat
  // sink cannot go colder (NaN: no water body, nothing to float with); heat it cannot remove warms the loop
  // through its thermal mass, and a supply below the target is let warm.
  Settled settle(const PlantInput& in, double floor_c, double capacity_w, double dt) const;
  // Fans (fan law on the heat load) and pumps (ΔP·Q/η for the flow that carries the heat removed).
  double fans_w(const PlantInput& in) const;
  double pumps_w(double removed_w) const;

  const PlantSpec spec_;
};

struct PlantKind {
  std::string_view name;  // the scenario's `kind`
  KindDefaults defaults;
  std::unique_ptr<Plant> (*make)(const PlantSpec& spec);
};

// The kind of that name; throws std::invalid_argument for a name not in plants/kinds.cpp.
const PlantKind& plant_kind(std::string_view name);
// Every kind, in the order of the table in plants/kinds.cpp (the `kind` choices, in that order).
std::span<const PlantKind* const> plant_kinds();

}  // namespace dcsim::facility
