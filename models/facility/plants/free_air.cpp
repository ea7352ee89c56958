// free_air: cold-climate outdoor air (Luleå); an air-side economizer and fans, with mechanical trim (an
// air-cooled Carnot-fraction chiller, on by default) when the outdoor air is too warm. No pumps are drawn.
#include "models/facility/plants/plants.hpp"

namespace dcsim::facility::plants {

namespace {

class FreeAirPlant final : public Plant {
 public:
  using Plant::Plant;

  PlantOutput step(const PlantInput& in, const ambient::AmbientState& a, double dt) const override {
    const PlantSpec& s = spec_;
    const double ret_est = return_estimate_c(in);
    const double cool_floor = a.dry_bulb_c + 1.0;
    double floor_c = -kInf;
    if (!s.trim) floor_c = cool_floor;
    const Settled st = settle(in, floor_c, units_capacity_w(in), dt);
    const double q_rem = st.removed_w, target = st.target_c;

    double trim_w = 0, free = 1;
    if (s.trim) {
      const double f = cooling::airside_economizer_fraction(a.dry_bulb_c, target, ret_est);
      if (f < 1) {
        free = f;
        trim_w = (1 - f) * q_rem / cooling::carnot_chiller_cop(s.trim_chiller, target, a.dry_bulb_c);
      }
    }
    return {st.supply_c, q_rem, PowerSplit{.fans_w = fans_w(in), .trim_w = trim_w}, 0.0, free};
  }
};

}  // namespace

const PlantKind kFreeAir{
    .name = "free_air",
    .defaults = {.gpu_cooling = Path::air,
                 .supply_c = 22,
                 .design_dt_k = 12,
                 .fan_fraction = 0.015,  // direct outside-air fans (an assumption)
                 .pumps = 0,
                 .pump_pressure_pa = 200e3,
                 .water_dt_k = 5.6,
                 .trim = true},
    .make = &make<FreeAirPlant>};

}  // namespace dcsim::facility::plants
