// The parameter table of a site's electrical keys: [sites.ups] (conversion losses) and [sites.carbon] (the
// grid's carbon intensity). Read by make_loss_curve and make_carbon_intensity (electrical.cpp); sources of
// the presets are in electrical.hpp.
#include <string>
#include <vector>

#include "models/power/electrical.hpp"
#include "sim/core/param_table.hpp"

namespace dcsim::power {

const std::vector<ParamDef>& parameter_table() {
  static const std::vector<ParamDef> t = [] {
    std::vector<std::string> grids;
    for (const auto& g : grid_presets()) grids.emplace_back(g.name);
    const Range plausible{0, g_per_kwh_to_kg_per_j(kMaxPlausibleGPerKwh), false, false};
    return std::vector<ParamDef>{
        {.key = "sites[].ups", .type = ParamType::table, .basis = Basis::optional,
         .source = "absent: the double_conversion preset",
         .help = "The site's UPS conversion losses: a preset, or a calibration point of the loss curve."},
        {.key = "sites[].ups.preset", .type = ParamType::choice, .choices = {"double_conversion", "eco_mode"},
         .basis = Basis::optional, .source = "absent: the curve through efficiency at at_load",
         .help = "A named loss curve: double conversion (95 % at half load) or eco mode (99 % at half load)."},
        {.key = "sites[].ups.efficiency", .type = ParamType::quantity, .kind = &qty::fraction,
         .range = {0, 1, true, true}, .basis = Basis::required,
         .help = "UPS efficiency at the load at_load (required unless preset is given)."},
        {.key = "sites[].ups.at_load", .type = ParamType::quantity, .kind = &qty::fraction,
         .range = {0, 1, true, false}, .def = "0.5", .basis = Basis::assumption,
         .source = "half load, the calibration point of both presets",
         .help = "Load, as a fraction of the UPS rating, at which efficiency holds."},
        {.key = "sites[].ups.no_load_loss", .type = ParamType::quantity, .kind = &qty::fraction,
         .range = {0, 1, false, true}, .def = "0.01", .basis = Basis::assumption,
         .source = "1 % of the rating, as in the double_conversion preset",
         .help = "Constant loss at any load, as a fraction of the rating."},
        {.key = "sites[].ups.square_law_loss", .type = ParamType::quantity, .kind = &qty::fraction,
         .range = {0, 1, false, true}, .def = "0.01", .basis = Basis::assumption,
         .source = "1 % I2R loss at full load, as in the double_conversion preset",
         .help = "Loss growing with the square of the load, as a fraction of the rating at full load."},
        {.key = "sites[].carbon", .type = ParamType::table, .basis = Basis::optional,
         .source = "absent: no carbon is counted (0 gCO2/kWh)",
         .help = "The carbon intensity of the site's electricity: exactly one of preset, constant, hourly and monthly."},
        {.key = "sites[].carbon.preset", .type = ParamType::choice, .choices = grids, .basis = Basis::optional,
         .help = "A named grid or source (EIA, Ember, IPCC AR5 lifecycle medians; sources in electrical.hpp)."},
        {.key = "sites[].carbon.constant", .type = ParamType::quantity, .kind = &qty::carbon_intensity,
         .range = plausible, .basis = Basis::optional, .help = "A constant carbon intensity."},
        {.key = "sites[].carbon.hourly", .type = ParamType::quantities, .kind = &qty::carbon_intensity,
         .range = plausible, .basis = Basis::optional,
         .help = "24 carbon intensities, one per UTC hour starting at 00:00, repeated every day."},
        {.key = "sites[].carbon.interpolation", .type = ParamType::choice, .choices = {"step", "linear"},
         .def = "step", .basis = Basis::assumption, .source = "each hourly value holds over its hour, as it is given",
         .help = "Hourly values held over their hour (step) or interpolated between the hours' middles (linear)."},
        {.key = "sites[].carbon.monthly", .type = ParamType::quantities, .kind = &qty::carbon_intensity,
         .range = plausible, .basis = Basis::optional,
         .help = "12 carbon intensities, one per UTC calendar month, January first."},
    };
  }();
  return t;
}

}  // namespace dcsim::power
