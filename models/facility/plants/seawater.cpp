// seawater: cold-climate seawater (Hamina); a water-to-water exchanger and air handlers, no chillers unless
// trim (a water-cooled Carnot-fraction chiller) is enabled; the supply floats with the sea.
#include "models/facility/plants/plants.hpp"

namespace dcsim::facility::plants {

namespace {

class SeawaterPlant final : public Plant {
 public:
  using Plant::Plant;

  PlantOutput step(const PlantInput& in, const ambient::AmbientState& a, double dt) const override {
    const PlantSpec& s = spec_;
    const double ret_est = return_estimate_c(in);
    const double cool_floor = a.water_c + s.hx_approach_k + s.coil_approach_k;
    double floor_c = -kInf;
    if (!s.trim) floor_c = cool_floor;
    const Settled st = settle(in, floor_c, units_capacity_w(in), dt);
    const double q_rem = st.removed_w, target = st.target_c;

    double trim_w = 0, free = 1;
    if (s.trim && cool_floor > target) {
      free = cooling::economizer_fraction(cool_floor, target, ret_est);
      trim_w = (1 - free) * q_rem / cooling::carnot_chiller_cop(cooling::carnot_water_cooled(), target, a.water_c);
    }
    return {st.supply_c, q_rem, PowerSplit{.fans_w = fans_w(in), .pumps_w = pumps_w(q_rem), .trim_w = trim_w}, 0.0, free};
  }
};

}  // namespace

const PlantKind kSeawater{
    .name = "seawater",
    .defaults = {.gpu_cooling = Path::air,
                 .supply_c = 24,
                 .design_dt_k = 12,
                 .fan_fraction = 0.03,  // air handlers (an assumption)
                 .pumps = 2,
                 .pump_pressure_pa = 200e3,
                 .water_dt_k = 5.6,
                 .trim = false,
                 .water_hx_approach_k = 2.0,
                 .coils = true},
    .make = &make<SeawaterPlant>};

}  // namespace dcsim::facility::plants
