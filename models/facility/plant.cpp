// What every plant shares: the loop's thermal mass, its fans and its pumps.
#include "models/facility/plant.hpp"

#include <algorithm>
#include <cmath>

namespace dcsim::facility {

Plant::~Plant() = default;

double Plant::return_estimate_c(const PlantInput& in) const {
  return in.supply_c + spec_.design_dt_k * in.heat_in_w / spec_.design_heat_w;
}

double Plant::units_capacity_w(const PlantInput& in) const {
  const double unit = spec_.design_heat_w / spec_.units;
  return in.units_up * unit;
}

Plant::Settled Plant::settle(const PlantInput& in, double floor_c, double capacity_w, double dt) const {
  if (std::isnan(floor_c)) floor_c = -kInf;
  const double q_in = in.heat_in_w;
  const double target = std::max(spec_.setpoint_c, floor_c);
  const double M = spec_.heat_capacity_j_k;
  const double needed = q_in + M * (in.supply_c - target) / dt;
  double supply_c = in.supply_c;
  double q_rem = 0;
  if (needed < 0) {
    supply_c += q_in * dt / M;  // the supply is below where the plant would hold it: let it warm
  } else if (needed <= capacity_w) {
    q_rem = needed;
    supply_c = target;
  } else {
    q_rem = capacity_w;
    supply_c += (q_in - capacity_w) * dt / M;
  }
  return {supply_c, q_rem, target};
}

double Plant::fans_w(const PlantInput& in) const {
  return cooling::fan_power_for_heat_w(in.heat_in_w, spec_.design_heat_w, spec_.fan_fraction, spec_.fan_exponent);
}

double Plant::pumps_w(double removed_w) const {
  return spec_.pumps *
         cooling::pump_power_w(spec_.pump_pressure_pa, cooling::liquid_flow_m3_s(removed_w, spec_.water_dt_k),
                               spec_.pump_efficiency);
}

}  // namespace dcsim::facility
