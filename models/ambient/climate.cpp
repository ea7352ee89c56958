// The Climate interface's shared pieces, and make_climate: reading a site's [sites.ambient] table.
#include "models/ambient/climate.hpp"

#include <cmath>
#include <sstream>

#include "models/ambient/climate_impl.hpp"
#include "models/ambient/psychrometrics.hpp"
#include "sim/core/units.hpp"

namespace dcsim::ambient {

namespace {

constexpr double kYearDays = 365.25;

}  // namespace

Climate::~Climate() = default;

double AnnualCycle::at(double day_of_year) const noexcept {
  return mean + amplitude * std::cos(detail::kTwoPi * (day_of_year - peak_day) / kYearDays);
}

namespace detail {

std::string num(double v) {
  std::ostringstream o;
  o.precision(6);
  o << v;
  return o.str();
}

std::string describe_cycle(const AnnualCycle& c, std::string_view what) {
  return std::string(what) + " " + num(c.mean) + " degC +/- " + num(c.amplitude) + " K (peak on day " +
         num(c.peak_day) + ")";
}

}  // namespace detail

// ---- make_climate ---------------------------------------------------------------------------------------

namespace {

// A quantity that overrides `field` when present, or that is required when `required` (kinds and ranges
// are declared in params.cpp).
void read_into(const Params& p, std::string_view key, double& field, bool required) {
  field = required ? p.quantity(key) : p.quantity_or(key, field);
}

// Reads a water_* cycle on top of `base` (a preset's water body, or none).
std::optional<AnnualCycle> read_water(const Params& p, std::optional<AnnualCycle> base) {
  if (!base && !p.has("water_mean")) {
    for (const std::string_view k : {"water_annual_amplitude", "water_annual_peak_day"}) {
      if (p.has(k)) p.fail("water_mean", "a water temperature mean, since " + std::string(k) + " is given");
    }
    return std::nullopt;
  }
  const bool fresh = !base;
  AnnualCycle w = base.value_or(AnnualCycle{});
  read_into(p, "water_mean", w.mean, fresh);
  read_into(p, "water_annual_amplitude", w.amplitude, false);
  read_into(p, "water_annual_peak_day", w.peak_day, fresh && w.amplitude > 0);
  if (w.mean - w.amplitude < -2) {
    p.fail(p.has("water_annual_amplitude") ? "water_annual_amplitude" : "water_mean",
           "a water temperature that stays above -2 degC (mean - amplitude)");
  }
  return w;
}

std::unique_ptr<Climate> make_synthetic(const Params& p, const Calendar& cal) {
  SyntheticParams s;
  const bool from_preset = p.has("preset");
  if (from_preset) {
    s = *detail::find_preset(p.choice("preset"));  // the choices are preset_names()
  }
  const bool fresh = !from_preset;
  read_into(p, "dry_bulb_mean", s.dry_bulb_c.mean, fresh);
  read_into(p, "dry_bulb_annual_amplitude", s.dry_bulb_c.amplitude, fresh);
  read_into(p, "dry_bulb_annual_peak_day", s.dry_bulb_c.peak_day, fresh && s.dry_bulb_c.amplitude > 0);
  read_into(p, "dry_bulb_diurnal_amplitude", s.diurnal_amplitude_k, fresh);
  read_into(p, "dry_bulb_diurnal_peak_hour_utc", s.diurnal_peak_hour_utc, fresh && s.diurnal_amplitude_k > 0);

  // Humidity: at most one of the three parameterisations (exactly one without a preset).
  std::string humidity_key;
  for (const std::string_view k : {"relative_humidity", "wet_bulb_depression", "dew_point_mean"}) {
    if (!p.has(k)) continue;
    if (!humidity_key.empty()) {
      p.fail(k, "no second humidity (" + humidity_key + " is given; use one of relative_humidity, "
                "wet_bulb_depression and dew_point_mean)");
    }
    humidity_key = std::string(k);
  }
  if (humidity_key.empty() && fresh) {
    p.fail("relative_humidity", "a humidity: relative_humidity, wet_bulb_depression or dew_point_mean");
  }
  if (humidity_key == "relative_humidity") {
    s.humidity = HumidityModel::relative_humidity;
    s.relative_humidity = p.quantity("relative_humidity");
  } else if (humidity_key == "wet_bulb_depression") {
    s.humidity = HumidityModel::wet_bulb_depression;
    s.wet_bulb_depression_k = p.quantity("wet_bulb_depression");
  } else if (humidity_key == "dew_point_mean") {
    const bool had_cycle = s.humidity == HumidityModel::dew_point && from_preset;
    if (!had_cycle) s.dew_point_c = AnnualCycle{0, 0, s.dry_bulb_c.peak_day};
    s.humidity = HumidityModel::dew_point;
    s.dew_point_c.mean = p.quantity("dew_point_mean");
  }
  if (s.humidity == HumidityModel::dew_point) {
    read_into(p, "dew_point_annual_amplitude", s.dew_point_c.amplitude, false);
    read_into(p, "dew_point_annual_peak_day", s.dew_point_c.peak_day, false);
  } else {
    for (const std::string_view k : {"dew_point_annual_amplitude", "dew_point_annual_peak_day"}) {
      if (p.has(k)) p.fail(k, "no dew-point cycle unless the humidity is given by dew_point_mean");
    }
  }

  if (p.has("pressure") && p.has("elevation")) p.fail("elevation", "either pressure or elevation, not both");
  s.pressure_pa = p.quantity_or("pressure", s.pressure_pa);
  if (const auto z = p.optional_quantity("elevation")) s.pressure_pa = standard_pressure_pa(*z);
  s.water_c = read_water(p, s.water_c);
  if (!from_preset) s.name = "synthetic";

  try {
    return std::make_unique<SyntheticClimate>(std::move(s), cal);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(p.loc(), "[" + p.path() + "]: " + e.what());
  }
}

}  // namespace

std::unique_ptr<Climate> make_climate(const Params& p, const Calendar& cal) {
  const std::string kind = p.choice_or("kind", p.has("epw") ? "epw" : "synthetic");
  if (kind == "synthetic") {
    if (p.has("epw")) p.fail("epw", "no EPW file with kind = \"synthetic\"");
    return make_synthetic(p, cal);
  }
  if (p.has("preset")) p.fail("preset", "no preset with an EPW file (a preset is a synthetic climate)");
  EpwOptions o;
  const std::string path = p.file_path("epw");
  o.utc_offset_h = p.optional_quantity("utc_offset_h");
  o.water_c = read_water(p, std::nullopt);
  return std::make_unique<EpwClimate>(path, cal, o);
}

}  // namespace dcsim::ambient
