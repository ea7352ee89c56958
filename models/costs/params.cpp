// The parameter table of [costs] and of each site's electricity_price, with the basis of every default.
#include <string>
#include <vector>

#include "models/costs/costs.hpp"
#include "sim/core/param_table.hpp"

namespace dcsim::costs {

namespace {

// The keys of a price profile under `prefix` (costs.electricity, sites[].electricity_price); the fleet's
// table has a default (a constant price), a site's does not (absent, the fleet's price holds).
std::vector<ParamDef> price_defs(const std::string& prefix, bool fleet) {
  const Range price = Range::closed(0, 1e-3);  // up to 3,600 USD/kWh: a bare number (USD/J) is caught
  std::vector<ParamDef> v;
  if (fleet) {
    v.push_back({.key = prefix, .type = ParamType::table, .basis = Basis::optional,
                 .source = "absent: the constant default price",
                 .help = "The fleet's electricity price: exactly one of constant, hourly, monthly and peak/off_peak "
                         "(a site's electricity_price replaces it for that site)."});
    v.push_back({.key = prefix + ".constant", .type = ParamType::quantity, .kind = &qty::energy_price, .range = price,
                 .def = "0.0806 USD/kWh", .basis = Basis::sourced,
                 .source = "EIA, average retail price to US industrial customers 2023: 8.06 cents/kWh (Electric "
                           "Power Annual 2023; Virginia 8.92, Texas 6.60)",
                 .help = "A constant price of electricity."});
  } else {
    v.push_back({.key = prefix, .type = ParamType::table, .basis = Basis::optional,
                 .source = "absent: the fleet's costs.electricity",
                 .help = "The site's electricity price: exactly one of constant, hourly, monthly and peak/off_peak."});
    v.push_back({.key = prefix + ".constant", .type = ParamType::quantity, .kind = &qty::energy_price, .range = price,
                 .basis = Basis::optional, .help = "A constant price of electricity."});
  }
  v.push_back({.key = prefix + ".hourly", .type = ParamType::quantities, .kind = &qty::energy_price, .range = price,
               .basis = Basis::optional, .help = "24 prices, one per UTC hour starting at 00:00, repeated every day."});
  v.push_back({.key = prefix + ".interpolation", .type = ParamType::choice, .choices = {"step", "linear"},
               .def = "step", .basis = Basis::assumption, .source = "each hourly price holds over its hour, as tariffs do",
               .help = "Hourly prices held over their hour (step) or interpolated between the hours' middles (linear)."});
  v.push_back({.key = prefix + ".monthly", .type = ParamType::quantities, .kind = &qty::energy_price, .range = price,
               .basis = Basis::optional, .help = "12 prices, one per UTC calendar month, January first."});
  v.push_back({.key = prefix + ".peak", .type = ParamType::quantity, .kind = &qty::energy_price, .range = price,
               .basis = Basis::optional, .help = "Time of use: the price from peak_start to peak_end (with off_peak)."});
  v.push_back({.key = prefix + ".off_peak", .type = ParamType::quantity, .kind = &qty::energy_price, .range = price,
               .basis = Basis::optional, .help = "Time of use: the price outside the peak hours (with peak)."});
  v.push_back({.key = prefix + ".peak_start", .type = ParamType::integer, .range = Range::closed(0, 23), .def = "8",
               .basis = Basis::assumption, .source = "a common business-day peak, 08:00-20:00; shift local hours to UTC",
               .help = "Time of use: the UTC hour the peak starts."});
  v.push_back({.key = prefix + ".peak_end", .type = ParamType::integer, .range = Range::closed(1, 24), .def = "20",
               .basis = Basis::assumption, .source = "a common business-day peak, 08:00-20:00; shift local hours to UTC",
               .help = "Time of use: the UTC hour the peak ends (after peak_start)."});
  return v;
}

}  // namespace

const std::vector<std::string>& cooling_kinds() {
  static const std::vector<std::string> k = {"air_chiller", "liquid_dry_cooler", "underwater", "free_air", "seawater"};
  return k;
}

const std::vector<ParamDef>& parameter_table() {
  static const std::vector<ParamDef> t = [] {
    const Range money = Range::closed(0, 1e9), lifetime = Range{0, 100 * 31557600.0, true, false};
    const std::string plant_share =
        "the mechanical plant is about a fifth of a data centre's construction cost of roughly 8-10 M "
        "USD per MW (industry surveys, unverified); the kinds are ranked by the equipment each needs";
    std::vector<ParamDef> v = {
        {.key = "costs", .type = ParamType::table, .basis = Basis::optional,
         .source = "absent: no costs are reported",
         .help = "Prices of GPUs, cooling plant, electricity, water and carbon: the summary reports what the fleet costs."},
        {.key = "costs.gpu_pricing", .type = ParamType::choice, .choices = {"own", "rent"}, .def = "own",
         .basis = Basis::assumption, .source = "an operator of its own data centres buys its GPUs",
         .help = "GPUs bought and depreciated (own: gpu_capex over gpu_lifetime) or rented (rent: gpu_hour_price)."},
        {.key = "costs.gpu_capex", .type = ParamType::quantity, .kind = &qty::money, .range = money,
         .def = "35000 USD", .basis = Basis::assumption,
         .source = "an H100 at roughly 25-30 k USD (press estimates, unverified) plus its eighth of an 8-GPU server",
         .help = "Capital cost per GPU, with its share of the server, network and storage."},
        {.key = "costs.gpu_lifetime", .type = ParamType::quantity, .kind = &qty::time, .range = lifetime,
         .def = "5 yr", .basis = Basis::assumption,
         .source = "hyperscalers depreciate servers over 5-6 years (Amazon shortened some to 5 in 2025)",
         .help = "Straight-line depreciation period of GPUs and servers."},
        {.key = "costs.gpu_hour_price", .type = ParamType::quantity, .kind = &qty::time_price,
         .range = Range::closed(0, 1), .def = "2.99 USD/h", .basis = Basis::assumption,
         .source = "H100 SXM on demand at GPU clouds, typically 2.49-3.99 USD per GPU-hour in early 2026 (price surveys)",
         .help = "Rental price per GPU-hour (gpu_pricing = \"rent\")."},
        {.key = "costs.cooling_capex", .type = ParamType::table, .basis = Basis::optional,
         .source = "absent: every kind's default",
         .help = "Capital cost of cooling plant per MW of installed capacity (design heat with the spares), by kind."},
        {.key = "costs.cooling_capex.air_chiller", .type = ParamType::quantity, .kind = &qty::power_price,
         .range = Range::closed(0, 100), .def = "1.6e6 USD/MW", .basis = Basis::assumption,
         .source = plant_share + ": chillers, towers and CRAHs",
         .help = "Air cooling with chillers and cooling towers."},
        {.key = "costs.cooling_capex.liquid_dry_cooler", .type = ParamType::quantity, .kind = &qty::power_price,
         .range = Range::closed(0, 100), .def = "1.9e6 USD/MW", .basis = Basis::assumption,
         .source = plant_share + ": cold plates, CDUs and dry coolers",
         .help = "Direct-to-chip liquid cooling with dry coolers."},
        {.key = "costs.cooling_capex.underwater", .type = ParamType::quantity, .kind = &qty::power_price,
         .range = Range::closed(0, 100), .def = "2.5e6 USD/MW", .basis = Basis::assumption,
         .source = plant_share + ": a pressure vessel and its seawater exchangers",
         .help = "A sealed underwater vessel."},
        {.key = "costs.cooling_capex.free_air", .type = ParamType::quantity, .kind = &qty::power_price,
         .range = Range::closed(0, 100), .def = "0.9e6 USD/MW", .basis = Basis::assumption,
         .source = plant_share + ": air handlers and a small trim chiller",
         .help = "Outdoor-air cooling in a cold climate."},
        {.key = "costs.cooling_capex.seawater", .type = ParamType::quantity, .kind = &qty::power_price,
         .range = Range::closed(0, 100), .def = "1.3e6 USD/MW", .basis = Basis::assumption,
         .source = plant_share + ": seawater intake, exchangers and air handlers",
         .help = "Cold seawater through heat exchangers."},
        {.key = "costs.cooling_lifetime", .type = ParamType::quantity, .kind = &qty::time, .range = lifetime,
         .def = "15 yr", .basis = Basis::assumption,
         .source = "chillers, towers and pumps are commonly depreciated over 15-20 years",
         .help = "Straight-line depreciation period of the cooling plant."},
        {.key = "costs.water_price", .type = ParamType::quantity, .kind = &qty::volume_price,
         .range = Range::closed(0, 1e4), .def = "2 USD/m3", .basis = Basis::assumption,
         .source = "US commercial water and sewer rates are of the order of 1-4 USD/m3 (unverified)",
         .help = "Price of the water the cooling plants draw."},
        {.key = "costs.carbon_price", .type = ParamType::quantity, .kind = &qty::mass_price,
         .range = Range::closed(0, 10), .def = "72 USD/t", .basis = Basis::sourced,
         .source = "EU ETS allowance, 2024 average 67 EUR/t (Veyt, 2024 year in review), at 1.08 USD/EUR",
         .help = "Price per tonne of CO2 emitted for the sites' electricity."},
    };
    for (auto& d : price_defs("costs.electricity", true)) v.push_back(std::move(d));
    for (auto& d : price_defs("sites[].electricity_price", false)) v.push_back(std::move(d));
    return v;
  }();
  return t;
}

}  // namespace dcsim::costs
