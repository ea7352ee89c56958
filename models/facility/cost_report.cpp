// The summary's costs ([costs]): per site and for the fleet, split into capital, energy, water and carbon,
// and per 1,000 requests of each class (the clusters' shares, as for energy per request).
#include <cmath>
#include <limits>

#include "models/facility/impl.hpp"

namespace dcsim::facility {

void FacilityModel::Impl::report_costs(SimTime now, Summary& sum) const {
  if (!costs) return;
  const costs::CostParams& p = *costs;
  const double span = (now - measure_start).to_seconds();
  costs::CostBreakdown fleet;
  const std::size_t nc = serving->class_count();
  std::vector<double> usd_c(nc, 0.0);
  std::vector<std::uint64_t> done_c(nc, 0);
  for (const Site& s : sites) {
    costs::SiteUse use;
    use.name = s.name;
    for (const std::size_t c : s.clusters) use.gpus += static_cast<double>(serving->cluster_gpus(clusters[c].cluster));
    for (const std::size_t l : s.loops) {
      const LoopSpec& ls = loops[l].spec;
      use.plants.push_back({std::string(ls.kind->name),
                            ls.design_heat_w * static_cast<double>(ls.units + ls.spares) / static_cast<double>(ls.units)});
    }
    use.energy_usd = s.energy_usd - s.energy_usd_ms;
    use.water_m3 = s.water_m3 - s.water_ms;
    use.co2_kg = s.co2_kg - s.co2_ms;
    const costs::CostBreakdown b = costs::site_cost(p, use, span);
    fleet += b;
    const std::string g = "costs." + s.name;
    const double kwh = (s.facility_j - s.facility_ms) / 3.6e6;
    sum.add(g + ".gpu_usd", b.gpu_usd, "USD", "GPUs and servers: depreciation (own) or rent over the measured span");
    sum.add(g + ".cooling_usd", b.cooling_usd, "USD", "cooling plant depreciation over the measured span");
    sum.add(g + ".capital_usd", b.capital_usd(), "USD", "GPUs, servers and cooling plant over the measured span");
    sum.add(g + ".energy_usd", b.energy_usd, "USD", "electricity drawn by the site");
    sum.add(g + ".water_usd", b.water_usd, "USD", "water drawn by the cooling plants");
    sum.add(g + ".carbon_usd", b.carbon_usd, "USD", "carbon price of the CO2 emitted for the site's electricity");
    sum.add(g + ".total_usd", b.total_usd(), "USD", "capital, energy, water and carbon");
    sum.add(g + ".energy_price_usd_per_kwh", kwh > 0 ? b.energy_usd / kwh : std::numeric_limits<double>::quiet_NaN(),
            "USD/kWh", "mean price paid for the site's electricity (energy-weighted)");
    // The site's cost to its clusters: GPUs their own, the rest by their share of the site's energy.
    const double fac = s.facility_j - s.facility_ms;
    for (const std::size_t c : s.clusters) {
      const ClusterT& ct = clusters[c];
      costs::SiteUse own;
      own.gpus = static_cast<double>(serving->cluster_gpus(ct.cluster));
      const double share = fac > 0 ? (ct.facility_j - ct.facility_ms) / fac : 1.0 / static_cast<double>(s.clusters.size());
      const std::size_t k = serving->cluster_class(ct.cluster);
      usd_c[k] += costs::site_cost(p, own, span).gpu_usd + share * b.cooling_usd + (ct.energy_usd - ct.energy_usd_ms) +
                  (ct.water_m3 - ct.water_ms) * p.water_usd_per_m3 + (ct.co2_kg - ct.co2_ms) * p.carbon_usd_per_kg;
      done_c[k] += serving->cluster_completions_measured(ct.cluster);
    }
  }
  sum.add("costs.gpu_usd", fleet.gpu_usd, "USD", "GPUs and servers of all sites over the measured span");
  sum.add("costs.cooling_usd", fleet.cooling_usd, "USD", "cooling plant of all sites over the measured span");
  sum.add("costs.capital_usd", fleet.capital_usd(), "USD", "capital of all sites over the measured span");
  sum.add("costs.energy_usd", fleet.energy_usd, "USD", "electricity of all sites");
  sum.add("costs.water_usd", fleet.water_usd, "USD", "water of all sites");
  sum.add("costs.carbon_usd", fleet.carbon_usd, "USD", "carbon price of all sites' CO2");
  sum.add("costs.total_usd", fleet.total_usd(), "USD", "what the fleet cost over the measured span");
  for (std::size_t k = 0; k < nc; ++k) {
    const double n = static_cast<double>(done_c[k]);
    sum.add("costs." + serving->class_name(k) + ".per_1000_requests_usd",
            n > 0 ? 1000.0 * usd_c[k] / n : std::numeric_limits<double>::quiet_NaN(), "USD",
            "cost of the class's clusters per 1,000 requests served (NaN when none was served)");
  }
}

}  // namespace dcsim::facility
