// liquid_dry_cooler: direct-to-chip cold plates, CDU and pumps, warm water (supply 35 °C at the cold plate, W32
// facility water), dry coolers (dry bulb + approach) with optional adiabatic assist and optional chiller trim;
// otherwise the supply floats with the weather.
#include "models/facility/plants/plants.hpp"

namespace dcsim::facility::plants {

namespace {

class LiquidDryCoolerPlant final : public Plant {
 public:
  using Plant::Plant;

  PlantOutput step(const PlantInput& in, const ambient::AmbientState& a, double dt) const override {
    const PlantSpec& s = spec_;
    const double ret_est = return_estimate_c(in);
    const double cool_floor = cooling::dry_cooler_leaving_fluid_c(s.dry, a.dry_bulb_c, a.wet_bulb_c) + s.cdu_approach_k;
    double floor_c = -kInf;
    if (!s.trim) floor_c = cool_floor;
    const Settled st = settle(in, floor_c, units_capacity_w(in), dt);
    const double q_rem = st.removed_w, target = st.target_c;

    double free = 1, trim_w = 0;
    if (s.trim && cool_floor > target) {
      free = cooling::economizer_fraction(cool_floor, target, ret_est);
      const double cop = cooling::carnot_chiller_cop(s.trim_chiller, target - s.cdu_approach_k, a.dry_bulb_c);
      trim_w = (1 - free) * q_rem / cop;
    }
    const auto dc = cooling::dry_cooler_operate(s.dry, q_rem + trim_w, s.design_heat_w, a.dry_bulb_c, a.wet_bulb_c);
    const PowerSplit p{.fans_w = fans_w(in), .pumps_w = pumps_w(q_rem), .dry_coolers_w = dc.fan_power_w, .trim_w = trim_w};
    return {st.supply_c, q_rem, p, dc.water_kg_s / cooling::kWaterDensityKgPerM3, free};
  }
};

}  // namespace

const PlantKind kLiquidDryCooler{
    .name = "liquid_dry_cooler",
    .defaults = {.gpu_cooling = Path::cold_plate,
                 .supply_c = 35,  // coolant at the cold plates: W32 facility water + 3 K CDU approach
                 .design_dt_k = 10,
                 .fan_fraction = 0.005,  // residual air movers
                 .pumps = 2,
                 .pump_pressure_pa = 150e3,
                 .water_dt_k = 10,
                 .dry_coolers = true,
                 .trim = false},
    .make = &make<LiquidDryCoolerPlant>};

}  // namespace dcsim::facility::plants
