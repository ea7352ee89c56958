#include "models/costs/costs.hpp"

#include <stdexcept>

namespace dcsim::costs {

double CostParams::cooling_capex_usd_per_w(std::string_view kind) const {
  for (const auto& k : cooling_capex) {
    if (k.kind == kind) return k.usd_per_w;
  }
  throw std::logic_error("costs: no capital cost for the cooling kind '" + std::string(kind) + "'");
}

CostParams CostParams::from(const Params& c) {
  CostParams p;
  p.pricing = c.choice("gpu_pricing") == "rent" ? GpuPricing::rent : GpuPricing::own;
  p.gpu_capex_usd = c.quantity("gpu_capex");
  p.gpu_lifetime_s = c.quantity("gpu_lifetime");
  p.gpu_hour_usd_per_s = c.quantity("gpu_hour_price");
  p.cooling_lifetime_s = c.quantity("cooling_lifetime");
  p.water_usd_per_m3 = c.quantity("water_price");
  p.carbon_usd_per_kg = c.quantity("carbon_price");
  // An absent cooling_capex table: every kind's default, read through an empty table at its path.
  const ConfigValue empty = ConfigValue::make_table({});
  const std::optional<Params> given = c.optional_table("cooling_capex");
  const Params cap = given ? *given : Params(empty, c.key_path("cooling_capex"), *c.schema());
  for (const auto& k : cooling_kinds()) p.cooling_capex.push_back({k, cap.quantity(k)});
  return p;
}

power::EnergyRate make_price(const Params& p, const Calendar& cal) {
  std::vector<std::string> given;
  for (const std::string_view k : {"constant", "hourly", "monthly", "peak"}) {
    if (p.has(k)) given.emplace_back(k);
  }
  if (p.has("off_peak") && !p.has("peak")) p.fail("peak", "peak with off_peak (a time-of-use price)");
  if (given.size() > 1) {
    p.fail(given[1], "only one of constant, hourly, monthly or peak/off_peak", "'" + given[0] + "' is also given");
  }
  const std::string kind = given.empty() ? "constant" : given[0];
  if (kind == "constant") return power::EnergyRate::constant(p.quantity("constant"));
  if (kind == "hourly") {
    auto v = p.quantities("hourly");
    if (v.size() != 24) p.fail("hourly", "24 prices, one per UTC hour starting at 00:00");
    const bool linear = p.choice("interpolation") == "linear";
    return power::EnergyRate::hourly(cal, std::move(v),
                                     linear ? power::EnergyRate::Interpolation::linear
                                            : power::EnergyRate::Interpolation::step);
  }
  if (kind == "monthly") {
    auto v = p.quantities("monthly");
    if (v.size() != 12) p.fail("monthly", "12 prices, January first");
    return power::EnergyRate::monthly(cal, std::move(v));
  }
  if (!p.has("off_peak")) p.fail("off_peak", "off_peak with peak (a time-of-use price)");
  const double peak = p.quantity("peak"), off = p.quantity("off_peak");
  const std::int64_t start = p.integer("peak_start"), end = p.integer("peak_end");
  if (end <= start) p.fail("peak_end", "an hour after peak_start (" + std::to_string(start) + ")", std::to_string(end));
  std::vector<double> v(24, off);
  for (std::int64_t h = start; h < end; ++h) v[static_cast<std::size_t>(h)] = peak;
  return power::EnergyRate::hourly(cal, std::move(v), power::EnergyRate::Interpolation::step);
}

CostBreakdown& CostBreakdown::operator+=(const CostBreakdown& o) noexcept {
  gpu_usd += o.gpu_usd;
  cooling_usd += o.cooling_usd;
  energy_usd += o.energy_usd;
  water_usd += o.water_usd;
  carbon_usd += o.carbon_usd;
  return *this;
}

CostBreakdown site_cost(const CostParams& p, const SiteUse& s, double span_s) {
  CostBreakdown b;
  b.gpu_usd = p.pricing == GpuPricing::own ? s.gpus * p.gpu_capex_usd * span_s / p.gpu_lifetime_s
                                           : s.gpus * p.gpu_hour_usd_per_s * span_s;
  for (const auto& pl : s.plants) {
    b.cooling_usd += pl.installed_w * p.cooling_capex_usd_per_w(pl.kind) * span_s / p.cooling_lifetime_s;
  }
  b.energy_usd = s.energy_usd;
  b.water_usd = s.water_m3 * p.water_usd_per_m3;
  b.carbon_usd = s.co2_kg * p.carbon_usd_per_kg;
  return b;
}

}  // namespace dcsim::costs
