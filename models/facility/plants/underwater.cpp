// underwater: a sealed vessel; a seawater heat exchanger (sea + approach), fans and pumps only, no water
// consumption (with `repairs = false` on the site nothing is ever repaired).
#include "models/facility/plants/plants.hpp"

namespace dcsim::facility::plants {

namespace {

class UnderwaterPlant final : public Plant {
 public:
  using Plant::Plant;

  PlantOutput step(const PlantInput& in, const ambient::AmbientState& a, double dt) const override {
    const Settled st = settle(in, a.water_c + spec_.hx_approach_k, units_capacity_w(in), dt);
    return {st.supply_c, st.removed_w, PowerSplit{.fans_w = fans_w(in), .pumps_w = pumps_w(st.removed_w)}, 0.0, 1.0};
  }
};

}  // namespace

const PlantKind kUnderwater{
    .name = "underwater",
    .defaults = {.gpu_cooling = Path::air,
                 .supply_c = 22,
                 .design_dt_k = 12,
                 .fan_fraction = 0.02,  // vessel fans (an assumption)
                 .pumps = 1,
                 .pump_pressure_pa = 200e3,
                 .water_dt_k = 5.6,
                 .water_hx_approach_k = 4.0},
    .make = &make<UnderwaterPlant>};

}  // namespace dcsim::facility::plants
