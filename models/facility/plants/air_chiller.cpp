// air_chiller: CRAH fans (fan law) and DOE-2 centrifugal chillers (chilled water 10 °C) with a cooling tower
// (wet bulb + approach; evaporation and blow-down water), and a water-side (default) or air-side economizer
// when the weather allows; pumps ΔP·Q/η.
#include "models/facility/plants/plants.hpp"

namespace dcsim::facility::plants {

namespace {

class AirChillerPlant final : public Plant {
 public:
  using Plant::Plant;

  PlantOutput step(const PlantInput& in, const ambient::AmbientState& a, double dt) const override {
    const PlantSpec& s = spec_;
    const double ret_est = return_estimate_c(in);
    const double econ = s.economizer == PlantSpec::Economizer::waterside
                            ? cooling::waterside_economizer_fraction(s.wse, a.wet_bulb_c, s.chws_c)
                        : s.economizer == PlantSpec::Economizer::airside
                            ? cooling::airside_economizer_fraction(a.dry_bulb_c, s.setpoint_c, ret_est)
                            : 0.0;
    const double t_cw = cooling::tower_leaving_water_c(s.tower, a.wet_bulb_c);
    const double capft = cooling::chiller_capft(s.chiller, s.chws_c, t_cw);
    const Settled st = settle(in, -kInf, units_capacity_w(in) * (econ + (1 - econ) * capft), dt);
    const double q_rem = st.removed_w;

    const double chiller_load = (1 - econ) * q_rem;
    double chiller_w = 0;
    if (chiller_load > 0 && in.units_up > 0) {
      const auto op = cooling::chiller_operate(s.chiller, chiller_load / in.units_up, s.chws_c, t_cw);
      chiller_w = op.power_w * in.units_up;
    }
    // Heat economized through outdoor air leaves with the exhaust air, not through the towers.
    const double rejected = (s.economizer == PlantSpec::Economizer::airside ? (1 - econ) * q_rem : q_rem) + chiller_w;
    const PowerSplit p{.fans_w = fans_w(in), .pumps_w = pumps_w(q_rem), .chillers_w = chiller_w,
                       .towers_w = cooling::tower_fan_power_w(s.tower, rejected, s.design_heat_w * 1.2)};
    return {st.supply_c, q_rem, p, cooling::tower_water_use(s.tower, rejected).makeup_m3_s(), econ};
  }
};

}  // namespace

const PlantKind kAirChiller{
    .name = "air_chiller",
    .defaults = {.gpu_cooling = Path::air,
                 .supply_c = 24,  // supply air, within ASHRAE's recommended 18–27 °C
                 .design_dt_k = 12,
                 .fan_fraction = 0.04,  // CRAH fans at design (an assumption)
                 .pumps = 2,
                 .pump_pressure_pa = 200e3,
                 .water_dt_k = 5.6,
                 .chiller_plant = true},
    .make = &make<AirChillerPlant>};

}  // namespace dcsim::facility::plants
