// What the facility model reports: its probes (per cluster, loop and site), the start of the measured span
// at the end of warm-up, and the summary.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "models/facility/impl.hpp"

namespace dcsim::facility {

namespace {

// Interval means of cumulative quantities, kept by the probe that reports them (the model keeps no
// per-sample state). Probes read the model as of its last thermal step and never advance it, so the
// recording cannot move the step grid: a mean covers the steps completed since the previous sample, or is
// the last step's rate when none completed (samples closer together than thermal.max_step).
template <std::size_t N>
struct StepMeans {
  double t = 0;
  std::array<double, N> cum{};
  // out[i] = scale[i] × the mean rate of quantity i (scaled before the division, as the figures always were).
  void fill(double t_step, const std::array<double, N>& now, const std::array<double, N>& last_rate,
            std::span<double> out, const std::array<double, N>& scale) {
    const double dt = t_step - t;
    for (std::size_t i = 0; i < N; ++i) out[i] = dt > 0 ? (now[i] - cum[i]) * scale[i] / dt : last_rate[i] * scale[i];
    if (dt > 0) {
      t = t_step;
      cum = now;
    }
  }
};

}  // namespace

void FacilityModel::add_probes(ProbeRegistry& pr) {
  Impl& m = *impl_;
  for (std::size_t ci = 0; ci < m.clusters.size(); ++ci) {
    const std::string g = "facility/" + m.serving->cluster_name(m.clusters[ci].cluster) + "/";
    pr.add_group({{g + "gpu_temp_mean_c", "degC", "mean GPU die temperature over the cluster's GPU groups", Sampling::instant},
                  {g + "gpu_temp_p99_c", "degC", "99th percentile of the groups' GPU die temperatures", Sampling::instant},
                  {g + "gpu_temp_max_c", "degC", "hottest group's GPU die temperature", Sampling::instant},
                  {g + "throttled_gpus", "1", "GPUs running at a reduced clock (thermal or power cap)", Sampling::instant},
                  {g + "shutdown_gpus", "1", "GPUs shut down by temperature", Sampling::instant},
                  {g + "clock_factor", "1", "mean clock factor of the cluster's GPUs", Sampling::instant},
                  {g + "throttled_thermal_software_gpus", "1",
                   "GPUs slowed by the software thermal controller (above the max operating temperature)", Sampling::instant},
                  {g + "throttled_thermal_hardware_gpus", "1", "GPUs at the hardware slowdown clock (temperature)",
                   Sampling::instant},
                  {g + "throttled_power_gpus", "1", "GPUs capped by the site's power envelope below their thermal clock",
                   Sampling::instant}},
                 [this, ci](SimTime, std::span<double> out) {
                   const Impl& mm = *impl_;
                   const ClusterT& ct = mm.clusters[ci];
                   std::vector<double> temps;
                   temps.reserve(ct.groups.size());
                   double sum = 0, fsum = 0, n = 0;
                   for (std::size_t gi = 0; gi < ct.groups.size(); ++gi) {
                     const double t = mm.die_temp(ct, gi);
                     temps.push_back(t);
                     sum += t * ct.groups[gi].gpus;
                     fsum += (ct.groups[gi].state == kDown ? 0.0 : ct.groups[gi].applied) * ct.groups[gi].gpus;
                     n += ct.groups[gi].gpus;
                   }
                   if (temps.empty()) {
                     for (double& o : out) o = std::numeric_limits<double>::quiet_NaN();
                     return;
                   }
                   out[0] = sum / n;
                   const std::size_t k = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(temps.size()))) - 1;
                   std::nth_element(temps.begin(), temps.begin() + static_cast<std::ptrdiff_t>(k), temps.end());
                   out[1] = temps[k];
                   out[2] = *std::max_element(temps.begin(), temps.end());
                   out[3] = ct.throttled;
                   out[4] = ct.down;
                   out[5] = fsum / n;
                   for (std::size_t k = 0; k < kThrottleCauses; ++k) out[6 + k] = ct.throttled_by[k];
                 });
  }
  for (std::size_t l = 0; l < m.loops.size(); ++l) {
    const Loop& lp = m.loops[l];
    const std::string g = "facility/" + m.sites[lp.site].name + "/" + lp.spec.name + "/";
    pr.add_group({{g + "supply_c", "degC", "loop supply temperature (air to the servers, or coolant to the cold plates)",
                   Sampling::instant},
                  {g + "return_c", "degC", "loop return temperature", Sampling::instant},
                  {g + "heat_removed_w", "W", "heat removed by the plant, averaged over the interval", Sampling::interval_mean},
                  {g + "power_w", "W", "electric power of the loop's plant, averaged over the interval", Sampling::interval_mean},
                  {g + "water_l_per_h", "L/h", "water drawn (evaporation, blow-down, adiabatic pads), averaged",
                   Sampling::interval_mean},
                  {g + "units_up", "1", "cooling units in service", Sampling::instant}},
                 [this, l, means = StepMeans<3>{}](SimTime, std::span<double> out) mutable {
                   const Impl& mm = *impl_;
                   const Loop& lp2 = mm.loops[l];
                   out[0] = lp2.supply_c;
                   out[1] = lp2.return_c;
                   means.fill(mm.last_step.to_seconds(), {lp2.heat_removed_j, lp2.power_j, lp2.water_m3},
                              {lp2.last_heat_w, lp2.last_power_w, lp2.last_water_m3_s}, out.subspan(2, 3),
                              {1.0, 1.0, 1000.0});  // water in L
                   out[4] *= 3600.0;                  // L/s -> L/h
                   out[5] = lp2.units_up;
                 });
    // The plant's power by part, and its free-cooling share, averaged over the interval.
    static constexpr const char* kPartHelp[kPowerParts] = {
        "fans (CRAH or CDU), averaged over the interval", "loop pumps, averaged over the interval",
        "chillers of a chilled-water plant, averaged over the interval", "cooling-tower fans, averaged over the interval",
        "dry-cooler fans, averaged over the interval", "trim chiller, averaged over the interval"};
    std::vector<SeriesInfo> split;
    for (std::size_t k = 0; k < kPowerParts; ++k) {
      split.push_back({g + kPowerPartNames[k] + "_power_w", "W", kPartHelp[k], Sampling::interval_mean});
    }
    split.push_back({g + "economizer_fraction", "1",
                     "share of the heat removed without mechanical refrigeration (economizer, free cooling), averaged "
                     "over the interval",
                     Sampling::interval_mean});
    pr.add_group(std::move(split), [this, l, means = StepMeans<kPowerParts + 1>{}](SimTime, std::span<double> out) mutable {
      const Impl& mm = *impl_;
      const Loop& lp2 = mm.loops[l];
      std::array<double, kPowerParts + 1> now{}, last{}, scale{};
      for (std::size_t k = 0; k < kPowerParts; ++k) now[k] = lp2.part_j[k], last[k] = lp2.last_part_w[k];
      now[kPowerParts] = lp2.free_s;
      last[kPowerParts] = lp2.last_free;
      scale.fill(1.0);
      means.fill(mm.last_step.to_seconds(), now, last, out, scale);
    });
  }
  for (std::size_t s = 0; s < m.sites.size(); ++s) {
    const std::string g = "facility/" + m.sites[s].name + "/";
    pr.add_group({{g + "dry_bulb_c", "degC", "outdoor dry-bulb temperature", Sampling::instant},
                  {g + "wet_bulb_c", "degC", "outdoor wet-bulb temperature", Sampling::instant},
                  {g + "water_c", "degC", "temperature of the cooling water body (sea), if any", Sampling::instant},
                  {g + "it_power_w", "W", "IT power (GPUs and servers), averaged over the interval", Sampling::interval_mean},
                  {g + "cooling_power_w", "W", "cooling plant power, averaged over the interval", Sampling::interval_mean},
                  {g + "facility_power_w", "W", "site power from the grid, averaged over the interval", Sampling::interval_mean},
                  {g + "pue", "1", "facility energy / IT energy over the interval", Sampling::interval_stat},
                  {g + "carbon_kg_per_h", "kg/h", "CO2 emission rate, averaged over the interval", Sampling::interval_mean},
                  {g + "clock_cap", "1", "clock cap from the grid power envelope", Sampling::instant}},
                 [this, s, means = StepMeans<4>{}](SimTime, std::span<double> out) mutable {
                   const Impl& mm = *impl_;
                   const Site& st = mm.sites[s];
                   out[0] = st.amb.dry_bulb_c;
                   out[1] = st.amb.wet_bulb_c;
                   out[2] = st.amb.water_c;
                   std::array<double, 4> m4;
                   means.fill(mm.last_step.to_seconds(), {st.it_j, st.cooling_j, st.facility_j, st.co2_kg},
                              {st.last_it_w, st.last_cooling_w, st.last_facility_w, st.last_co2_kg_s}, m4,
                              {1.0, 1.0, 1.0, 1.0});
                   out[3] = m4[0];
                   out[4] = m4[1];
                   out[5] = m4[2];
                   out[6] = out[3] > 0 ? out[5] / out[3] : std::numeric_limits<double>::quiet_NaN();
                   out[7] = m4[3] * 3600.0;
                   out[8] = st.clock_cap;
                 });
  }
}

void FacilityModel::on_warmup_end(SimTime now) {
  Impl& m = *impl_;
  m.step();
  m.measure_start = now;
  for (Site& s : m.sites) {
    s.it_ms = s.it_j;
    s.cooling_ms = s.cooling_j;
    s.facility_ms = s.facility_j;
    s.water_ms = s.water_m3;
    s.co2_ms = s.co2_kg;
    s.energy_usd_ms = s.energy_usd;
  }
  for (ClusterT& ct : m.clusters) {
    ct.throttled_ms = ct.throttled_tw.integral(now);
    for (std::size_t k = 0; k < kThrottleCauses; ++k) ct.throttled_by_ms[k] = ct.throttled_by_tw[k].integral(now);
    ct.down_ms = ct.down_tw.integral(now);
    ct.facility_ms = ct.facility_j;
    ct.water_ms = ct.water_m3;
    ct.co2_ms = ct.co2_kg;
    ct.energy_usd_ms = ct.energy_usd;
    ct.max_temp_c = -kInf;
    for (std::size_t g = 0; g < ct.groups.size(); ++g) ct.max_temp_c = std::max(ct.max_temp_c, m.die_temp(ct, g));
  }
  for (Loop& lp : m.loops) {
    lp.max_supply_c = lp.supply_c;
    lp.part_ms = lp.part_j;
    lp.econ_ms = lp.econ_s;
  }
}

void FacilityModel::finish(SimTime now, Summary& sum) {
  Impl& m = *impl_;
  m.step();
  double it = 0, fac = 0, cool = 0, water = 0, co2 = 0;
  for (const Site& s : m.sites) {
    const double s_it = s.it_j - s.it_ms, s_fac = s.facility_j - s.facility_ms;
    const double s_water = s.water_m3 - s.water_ms, s_co2 = s.co2_kg - s.co2_ms;
    it += s_it;
    fac += s_fac;
    cool += s.cooling_j - s.cooling_ms;
    water += s_water;
    co2 += s_co2;
    const std::string g = "facility." + s.name;
    sum.add(g + ".pue", s_it > 0 ? s_fac / s_it : 0.0, "1", "facility energy / IT energy over the measured span");
    sum.add(g + ".wue_l_per_kwh", s_it > 0 ? s_water * 1000.0 / (s_it / 3.6e6) : 0.0, "L/kWh", "site water per IT kWh");
    sum.add(g + ".energy_kwh", s_fac / 3.6e6, "kWh", "site energy from the grid");
    sum.add(g + ".water_m3", s_water, "m3", "water drawn by the cooling plants");
    sum.add(g + ".co2_t", s_co2 / 1000.0, "t", "CO2 emitted for the site's electricity");
    double max_supply = -kInf;
    for (const std::size_t l : s.loops) max_supply = std::max(max_supply, m.loops[l].max_supply_c);
    sum.add(g + ".max_supply_c", max_supply, "degC", "highest loop supply temperature");
  }
  // Each loop's plant energy by part, and the hours its economizer ran full, partial and off.
  for (const Loop& lp : m.loops) {
    const std::string g = "facility." + m.sites[lp.site].name + "." + lp.spec.name;
    for (std::size_t k = 0; k < kPowerParts; ++k) {
      sum.add(g + "." + kPowerPartNames[k] + "_energy_kwh", (lp.part_j[k] - lp.part_ms[k]) / 3.6e6, "kWh",
              std::string("plant energy of the loop's ") + kPowerPartNames[k]);
    }
    static constexpr const char* kEcon[3] = {"full", "partial", "off"};
    static constexpr const char* kEconHelp[3] = {
        "hours with all of the heat removed without mechanical refrigeration (economizer or free cooling)",
        "hours with part of the heat removed by chillers or a trim chiller",
        "hours with all of the heat removed by chillers (economizer off)"};
    for (std::size_t k = 0; k < 3; ++k) {
      sum.add(g + ".economizer_" + kEcon[k] + "_h", (lp.econ_s[k] - lp.econ_ms[k]) / 3600.0, "h", kEconHelp[k]);
    }
  }
  sum.add("facility.it_energy_kwh", it / 3.6e6, "kWh", "IT energy of all sites");
  sum.add("facility.cooling_energy_kwh", cool / 3.6e6, "kWh", "cooling energy of all sites");
  sum.add("facility.energy_kwh", fac / 3.6e6, "kWh", "energy drawn from the grid by all sites");
  sum.add("facility.pue", it > 0 ? fac / it : 0.0, "1", "fleet PUE over the measured span (energy ratio)");
  sum.add("facility.wue_l_per_kwh", it > 0 ? water * 1000.0 / (it / 3.6e6) : 0.0, "L/kWh", "fleet water per IT kWh");
  sum.add("facility.water_m3", water, "m3", "water drawn by all cooling plants");
  sum.add("facility.co2_t", co2 / 1000.0, "t", "CO2 of all sites' electricity");
  sum.add("facility.household_days", power::household_days(fac), "1",
          "facility energy in US household-days (10,715 kWh/yr, EIA)");
  // Per request, by class: the clusters' attributed shares over the requests they served.
  const std::size_t nc = m.serving->class_count();
  std::vector<double> fac_c(nc, 0.0), water_c(nc, 0.0), co2_c(nc, 0.0);
  std::vector<std::uint64_t> done_c(nc, 0);
  for (const ClusterT& ct : m.clusters) {
    const std::size_t c = m.serving->cluster_class(ct.cluster);
    fac_c[c] += ct.facility_j - ct.facility_ms;
    water_c[c] += ct.water_m3 - ct.water_ms;
    co2_c[c] += ct.co2_kg - ct.co2_ms;
    done_c[c] += m.serving->cluster_completions_measured(ct.cluster);
  }
  for (std::size_t c = 0; c < nc; ++c) {
    const std::string g = "facility." + m.serving->class_name(c);
    const double n = static_cast<double>(done_c[c]);
    sum.add(g + ".energy_per_request_wh", n > 0 ? fac_c[c] / n / 3600.0 : 0.0, "Wh",
            "facility energy (IT, cooling, UPS, fixed loads) per request served");
    sum.add(g + ".energy_kwh", fac_c[c] / 3.6e6, "kWh",
            "facility energy of the class's clusters alone (IT with idle, and their share of cooling, UPS, fixed loads)");
    sum.add(g + ".household_days", power::household_days(fac_c[c]), "1",
            "the class's facility energy in US household-days (10,715 kWh/yr, EIA)");
    sum.add(g + ".water_per_request_ml", n > 0 ? water_c[c] * 1e6 / n : 0.0, "mL", "cooling water per request served");
    sum.add(g + ".co2_per_request_g", n > 0 ? co2_c[c] * 1000.0 / n : 0.0, "g", "CO2 per request served");
  }
  static constexpr const char* kCauseHelp[kThrottleCauses] = {
      "GPU-hours slowed by the software thermal controller (above the max operating temperature)",
      "GPU-hours at the hardware slowdown clock (temperature)",
      "GPU-hours capped by the site's power envelope below their thermal clock"};
  double gpu_h_throttled = 0, gpu_h_down = 0, t_max = -kInf;
  std::array<double, kThrottleCauses> gpu_h_by{};
  for (const ClusterT& ct : m.clusters) {
    const std::string name = m.serving->cluster_name(ct.cluster);
    const double th = (ct.throttled_tw.integral(now) - ct.throttled_ms) / 3600.0;
    const double dn = (ct.down_tw.integral(now) - ct.down_ms) / 3600.0;
    gpu_h_throttled += th;
    gpu_h_down += dn;
    t_max = std::max(t_max, ct.max_temp_c);
    sum.add("facility." + name + ".gpu_temp_max_c", ct.max_temp_c, "degC", "hottest GPU group temperature seen");
    sum.add("facility." + name + ".gpu_hours_throttled", th, "h", "GPU-hours at a reduced clock (every cause)");
    for (std::size_t k = 0; k < kThrottleCauses; ++k) {
      const double h = (ct.throttled_by_tw[k].integral(now) - ct.throttled_by_ms[k]) / 3600.0;
      gpu_h_by[k] += h;
      sum.add("facility." + name + ".gpu_hours_throttled_" + kThrottleCauseNames[k], h, "h", kCauseHelp[k]);
    }
    sum.add("facility." + name + ".gpu_hours_shutdown", dn, "h", "GPU-hours shut down by temperature");
  }
  sum.add("facility.gpu_temp_max_c", t_max, "degC", "hottest GPU group temperature seen in the fleet");
  sum.add("facility.gpu_hours_throttled", gpu_h_throttled, "h", "GPU-hours at a reduced clock (every cause), fleet");
  for (std::size_t k = 0; k < kThrottleCauses; ++k) {
    sum.add(std::string("facility.gpu_hours_throttled_") + kThrottleCauseNames[k], gpu_h_by[k], "h",
            std::string(kCauseHelp[k]) + ", fleet");
  }
  sum.add("facility.gpu_hours_shutdown", gpu_h_down, "h", "GPU-hours shut down by temperature, fleet");
  m.report_costs(now, sum);
}

}  // namespace dcsim::facility
