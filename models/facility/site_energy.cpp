// Site energy: P_site = P_IT / η_UPS(load) + P_cooling + P_fixed, carbon integrated over the step, the site's
// energy, water and carbon attributed to its clusters, and the grid envelope's clock cap.
#include <algorithm>
#include <cmath>

#include "models/facility/impl.hpp"

namespace dcsim::facility {

void FacilityModel::Impl::account_site(Site& site, double it_j, double cooling_w, double water, double dt, double t0,
                                       double t1) {
  const double it_w = it_j / dt;
  const double ups_in = power::input_power_w(site.ups, it_w);
  const double facility_w = ups_in + cooling_w + site.fixed_w;
  const double co2 = site.carbon.amount(facility_w, t0, t1);
  const double usd = site.price.amount(facility_w, t0, t1);
  site.it_j += it_j;
  site.cooling_j += cooling_w * dt;
  site.ups_loss_j += (ups_in - it_w) * dt;
  site.fixed_j += site.fixed_w * dt;
  site.facility_j += facility_w * dt;
  site.water_m3 += water;
  site.co2_kg += co2;
  site.energy_usd += usd;
  site.last_it_w = it_w;
  site.last_cooling_w = cooling_w;
  site.last_facility_w = facility_w;
  site.last_co2_kg_s = co2 / dt;
  // Attribute the site's facility energy, water and carbon to its clusters by IT energy.
  for (const std::size_t c : site.clusters) {
    const double share = it_j > 0 ? clusters[c].it_step_j / it_j : 1.0 / static_cast<double>(site.clusters.size());
    clusters[c].facility_j += share * facility_w * dt;
    clusters[c].water_m3 += share * water;
    clusters[c].co2_kg += share * co2;
    clusters[c].energy_usd += share * usd;
  }
  // The grid envelope: cap the clocks when the site would exceed its connection.
  if (std::isfinite(site.grid_limit_w)) {
    if (facility_w > site.grid_limit_w) {
      site.clock_cap = std::max(0.2, site.clock_cap * std::cbrt(site.grid_limit_w / facility_w));
    } else if (site.clock_cap < 1 && facility_w < 0.97 * site.grid_limit_w) {
      site.clock_cap = std::min(1.0, site.clock_cap * std::min(1.05, std::cbrt(site.grid_limit_w / facility_w)));
    }
  }
}

}  // namespace dcsim::facility
