// The parameter table of [sites.ambient], read by make_climate (climate.cpp). The presets' values and
// sources are in climate_presets.cpp; the keys' forms are described in climate.hpp.
#include <string>
#include <vector>

#include "models/ambient/climate.hpp"
#include "sim/core/param_table.hpp"

namespace dcsim::ambient {

namespace {
constexpr Range kPeakDay{0, 366, false, true};
constexpr Range kPeakHour{0, 24, false, true};
const std::string kFromPreset = "the preset's; required without a preset";
const std::string kHumidity =
    "the preset's humidity; without a preset exactly one of relative_humidity, wet_bulb_depression and "
    "dew_point_mean is required";
}  // namespace

const std::vector<ParamDef>& parameter_table() {
  static const std::vector<ParamDef> t = {
      {.key = "sites[].ambient", .type = ParamType::table, .basis = Basis::required,
       .help = "The site's weather: a named preset, a synthetic climate's keys, or an EPW weather file."},
      {.key = "sites[].ambient.kind", .type = ParamType::choice, .choices = {"synthetic", "epw"},
       .basis = Basis::derived, .source = "\"epw\" when an epw file is given, else \"synthetic\"",
       .help = "Climate model: synthetic annual and diurnal cycles, or an EnergyPlus weather file."},
      {.key = "sites[].ambient.preset", .type = ParamType::choice, .choices = preset_names(),
       .basis = Basis::optional, .source = "absent: the synthetic climate is given by its keys",
       .help = "A named synthetic climate (approximate normals); the keys given override its values."},
      {.key = "sites[].ambient.dry_bulb_mean", .type = ParamType::quantity, .kind = &qty::temperature,
       .range = Range::closed(-60, 50), .basis = Basis::derived, .source = kFromPreset,
       .help = "Annual mean dry-bulb temperature."},
      {.key = "sites[].ambient.dry_bulb_annual_amplitude", .type = ParamType::quantity,
       .kind = &qty::temperature_difference, .range = Range::closed(0, 40), .basis = Basis::derived,
       .source = kFromPreset, .help = "Amplitude of the dry bulb's annual cosine cycle (half its swing)."},
      {.key = "sites[].ambient.dry_bulb_annual_peak_day", .type = ParamType::quantity, .kind = &qty::dimensionless,
       .range = kPeakDay, .basis = Basis::derived, .source = kFromPreset + " unless the annual amplitude is 0",
       .help = "Day of the year of the warmest dry bulb (0 = 1 January 00:00 UTC, fractional)."},
      {.key = "sites[].ambient.dry_bulb_diurnal_amplitude", .type = ParamType::quantity,
       .kind = &qty::temperature_difference, .range = Range::closed(0, 20), .basis = Basis::derived,
       .source = kFromPreset, .help = "Amplitude of the dry bulb's daily cosine cycle (half its swing)."},
      {.key = "sites[].ambient.dry_bulb_diurnal_peak_hour_utc", .type = ParamType::quantity,
       .kind = &qty::dimensionless, .range = kPeakHour, .basis = Basis::derived,
       .source = kFromPreset + " unless the diurnal amplitude is 0",
       .help = "UTC hour of the day's warmest dry bulb."},
      {.key = "sites[].ambient.relative_humidity", .type = ParamType::quantity, .kind = &qty::fraction,
       .range = Range::unit_interval(), .basis = Basis::derived, .source = kHumidity,
       .help = "Constant relative humidity (one of the three humidity keys)."},
      {.key = "sites[].ambient.wet_bulb_depression", .type = ParamType::quantity,
       .kind = &qty::temperature_difference, .range = Range::closed(0, 50), .basis = Basis::derived,
       .source = kHumidity, .help = "Constant dry bulb minus wet bulb (one of the three humidity keys)."},
      {.key = "sites[].ambient.dew_point_mean", .type = ParamType::quantity, .kind = &qty::temperature,
       .range = Range::closed(-80, 40), .basis = Basis::derived, .source = kHumidity,
       .help = "Annual mean dew point, with an annual cycle of its own (one of the three humidity keys)."},
      {.key = "sites[].ambient.dew_point_annual_amplitude", .type = ParamType::quantity,
       .kind = &qty::temperature_difference, .range = Range::closed(0, 40), .basis = Basis::derived,
       .source = "the preset's, else 0 K",
       .help = "Amplitude of the dew point's annual cycle (with dew_point_mean)."},
      {.key = "sites[].ambient.dew_point_annual_peak_day", .type = ParamType::quantity, .kind = &qty::dimensionless,
       .range = kPeakDay, .basis = Basis::derived, .source = "the preset's, else the dry bulb's peak day",
       .help = "Day of the year of the highest dew point (with dew_point_mean)."},
      {.key = "sites[].ambient.pressure", .type = ParamType::quantity, .kind = &qty::pressure,
       .range = Range::closed(30e3, 120e3), .basis = Basis::derived,
       .source = "from elevation if given, else the preset's, else the standard atmosphere at sea level (101.325 kPa)",
       .help = "Constant barometric pressure (at most one of pressure and elevation)."},
      {.key = "sites[].ambient.elevation", .type = ParamType::quantity, .kind = &qty::length,
       .range = Range::closed(-500, 9000), .basis = Basis::optional, .source = "absent: pressure sets the pressure",
       .help = "Site elevation, setting the standard atmosphere's pressure (at most one of pressure and elevation)."},
      {.key = "sites[].ambient.water_mean", .type = ParamType::quantity, .kind = &qty::temperature,
       .range = Range::closed(-2, 40), .basis = Basis::derived,
       .source = "the preset's water body; absent without a preset: the site has no water body",
       .help = "Annual mean temperature of the site's water body (sea or lake), for underwater and seawater loops."},
      {.key = "sites[].ambient.water_annual_amplitude", .type = ParamType::quantity,
       .kind = &qty::temperature_difference, .range = Range::non_negative(), .basis = Basis::derived,
       .source = "the preset's, else 0 K", .help = "Amplitude of the water temperature's annual cycle."},
      {.key = "sites[].ambient.water_annual_peak_day", .type = ParamType::quantity, .kind = &qty::dimensionless,
       .range = kPeakDay, .basis = Basis::derived,
       .source = "the preset's; required with a water_mean of its own unless the annual amplitude is 0",
       .help = "Day of the year of the warmest water."},
      {.key = "sites[].ambient.epw", .type = ParamType::file, .basis = Basis::optional,
       .source = "absent: a synthetic climate",
       .help = "EnergyPlus weather file (a full year, hourly), relative to the scenario file; implies kind = \"epw\"."},
      {.key = "sites[].ambient.utc_offset_h", .type = ParamType::quantity, .kind = &qty::dimensionless,
       .range = Range::closed(-12, 14), .basis = Basis::optional, .source = "absent: the EPW file's time zone",
       .help = "Hours from UTC of the EPW file's local time, overriding its header."},
  };
  return t;
}

}  // namespace dcsim::ambient
