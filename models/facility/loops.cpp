// Cooling loops: the accounting around each plant step (heat in, supply and return, energy and water), and
// units that fail at random and come back after repair.
#include <algorithm>

#include "models/facility/impl.hpp"

namespace dcsim::facility {

void FacilityModel::Impl::plant_step(Loop& lp, const Site& site, double dt) {
  const LoopSpec& s = lp.spec;
  const double q_in = lp.heat_acc_j / dt;
  lp.heat_in_j += lp.heat_acc_j;
  lp.heat_acc_j = 0;
  const PlantOutput out = lp.plant->step({q_in, lp.supply_c, lp.units_up}, site.amb, dt);
  lp.supply_c = out.supply_c;
  lp.heat_removed_j += out.heat_removed_w * dt;
  lp.return_c = lp.supply_c + s.design_dt_k * q_in / s.design_heat_w;
  lp.max_supply_c = std::max(lp.max_supply_c, lp.supply_c);
  const double power_w = out.power_w();
  lp.last_power_w = power_w;
  lp.last_heat_w = out.heat_removed_w;
  lp.last_water_m3_s = out.water_m3_s;
  lp.power_j += power_w * dt;
  lp.water_m3 += out.water_m3_s * dt;
  lp.last_part_w = parts(out.power);
  for (std::size_t k = 0; k < kPowerParts; ++k) lp.part_j[k] += lp.last_part_w[k] * dt;
  lp.last_free = out.free_fraction;
  lp.free_s += out.free_fraction * dt;
  lp.econ_s[out.free_fraction >= 1 ? 0 : out.free_fraction > 0 ? 1 : 2] += dt;
}

void FacilityModel::Impl::schedule_unit_failure(std::size_t li) {
  Loop& lp = loops[li];
  engine->cancel(lp.failure);
  const double rate = lp.units_up * lp.spec.unit_failure_rate_per_s;
  if (!(rate > 0)) return;
  const auto l32 = static_cast<std::uint32_t>(li);
  lp.failure = engine->schedule_in(SimTime::from_seconds(lp.rng.exponential(rate)), phase::cooling,
                                   [this, l32] { unit_fails(l32); });
}

void FacilityModel::Impl::unit_fails(std::size_t li) {
  Loop& lp = loops[li];
  step();
  --lp.units_up;
  if (sites[lp.site].repairs) {
    const auto l32 = static_cast<std::uint32_t>(li);
    engine->schedule_in(SimTime::from_seconds(lp.spec.unit_repair.sample(lp.rng)), phase::cooling,
                        [this, l32] { unit_back(l32, 1); });
  }
  schedule_unit_failure(li);
}

void FacilityModel::Impl::unit_back(std::size_t li, int n) {
  Loop& lp = loops[li];
  step();
  lp.units_up = std::min(lp.units_up + n, lp.spec.units + lp.spec.spares);
  schedule_unit_failure(li);
}

}  // namespace dcsim::facility
