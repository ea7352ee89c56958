// A cooling loop's plant behind one interface. Each cooling kind is one class in plants/ and one row of the
// table in plants/kinds.cpp (its scenario name, the defaults of its keys, its constructor). In a step a plant
// finds how cold its heat sink lets the supply go and how much heat its units in service can remove in the
// weather of the step, settles the loop's supply temperature through the loop's thermal mass (shared by all
// kinds), and says what electric power and water removing that heat takes.
#pragma once

#include <array>
#include <cstddef>
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

// Where a plant's electric power goes.
struct PowerSplit {
  double fans_w = 0;         // CRAH / CRAC and server-room fans (air), or the CDU's (liquid)
  double pumps_w = 0;        // loop pumps
  double chillers_w = 0;     // mechanical chillers of a chilled-water plant
  double towers_w = 0;       // cooling-tower fans
  double dry_coolers_w = 0;  // dry-cooler fans
  double trim_w = 0;         // a trim chiller topping up free cooling
  double total() const { return fans_w + pumps_w + chillers_w + towers_w + dry_coolers_w + trim_w; }
};
inline constexpr std::size_t kPowerParts = 6;
inline constexpr const char* kPowerPartNames[kPowerParts] = {"fans", "pumps", "chillers", "towers", "dry_coolers", "trim"};
inline std::array<double, kPowerParts> parts(const PowerSplit& p) {
  return {p.fans_w, p.pumps_w, p.chillers_w, p.towers_w, p.dry_coolers_w, p.trim_w};
}

struct PlantOutput {
  double supply_c;  // supply temperature at the end of the step
  double heat_removed_w;
  PowerSplit power;
  double water_m3_s;
  // The share of the heat removed without mechanical refrigeration over the step: the economizer's for a
  // chilled-water plant, and for a kind cooled by outdoor air or water 1 unless its trim chiller runs.
  double free_fraction;
  double power_w() const { return power.total(); }
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
