// What a fleet costs over the measured span of a run: capital (GPUs and servers amortised over their
// lifetime, or rented by the GPU-hour; cooling plant per MW of installed capacity by kind, amortised),
// electricity (a flat price, an hourly, monthly or time-of-use profile, per site), water and carbon.
//
// Pure arithmetic on what the facility measured: the facility model integrates each site's electricity
// cost exactly over its steps with the site's price profile (power::EnergyRate, in USD/J) and hands the
// totals here; capital accrues linearly in time (straight-line depreciation: capex / lifetime per second
// of the span, the way an operator's books charge it), so a week's run carries a week's share of the
// hardware. Costs are attributed to the request classes like energy: a cluster's GPUs are its own, the
// site's cooling capital, electricity, water and carbon go to its clusters in proportion to their IT energy.
//
// Defaults (the parameter table, params.cpp, cites each): electricity 8.06 ¢/kWh (EIA, US industrial
// average 2023), carbon 72 USD/t (EU ETS 2024 average €67/t, Veyt, at 1.08 USD/EUR), GPU capital 35,000 USD
// per GPU with its share of the server, 5-year life, rental 2.99 USD per GPU-hour, water 2 USD/m3 and
// cooling plant capital per MW by kind: assumptions, stated as such with the reason.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/power/electrical.hpp"
#include "sim/core/calendar.hpp"
#include "sim/core/config.hpp"
#include "sim/core/param_table.hpp"

namespace dcsim::costs {

enum class GpuPricing { own, rent };

struct CostParams {
  GpuPricing pricing = GpuPricing::own;
  double gpu_capex_usd = 0;         // per GPU, with its share of the server
  double gpu_lifetime_s = 0;
  double gpu_hour_usd_per_s = 0;    // rental price per GPU, USD per second of GPU time
  double cooling_lifetime_s = 0;
  double water_usd_per_m3 = 0;
  double carbon_usd_per_kg = 0;
  struct KindCapex {
    std::string kind;
    double usd_per_w = 0;  // of installed cooling capacity
  };
  std::vector<KindCapex> cooling_capex;

  // USD per W of installed capacity for a plant kind; std::logic_error for a kind without a key.
  double cooling_capex_usd_per_w(std::string_view kind) const;

  // Reads [costs]. Throws ConfigError.
  static CostParams from(const Params& costs);
};

// The cooling kinds with a capital-cost key (costs.cooling_capex.<kind>).
const std::vector<std::string>& cooling_kinds();

// The [costs] keys and each site's electricity_price keys.
const std::vector<ParamDef>& parameter_table();

// A price of electricity, USD/J, from a table of exactly one of:
//   { constant = "0.08 USD/kWh" }   { hourly = [24 values], interpolation = "step" | "linear" }
//   { monthly = [12 values] }       { peak = "0.15 USD/kWh", off_peak = "0.06 USD/kWh", peak_start = 8,
//                                     peak_end = 20 }  (time of use: peak over [start, end) UTC hours)
// Throws ConfigError.
power::EnergyRate make_price(const Params& p, const Calendar& cal);

// What a site used over the span, and the clusters it has.
struct SiteUse {
  std::string name;
  double gpus = 0;
  struct Plant {
    std::string kind;
    double installed_w = 0;  // design heat with the spare units: design_heat (units + spares) / units
  };
  std::vector<Plant> plants;
  double energy_usd = 0;   // electricity, integrated over the span with the site's price
  double water_m3 = 0;
  double co2_kg = 0;
};

struct CostBreakdown {
  double gpu_usd = 0, cooling_usd = 0, energy_usd = 0, water_usd = 0, carbon_usd = 0;
  double capital_usd() const noexcept { return gpu_usd + cooling_usd; }
  double total_usd() const noexcept { return capital_usd() + energy_usd + water_usd + carbon_usd; }
  CostBreakdown& operator+=(const CostBreakdown& o) noexcept;
};

// The cost of a site over a span of `span_s` seconds.
CostBreakdown site_cost(const CostParams& p, const SiteUse& s, double span_s);

}  // namespace dcsim::costs
