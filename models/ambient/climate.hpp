// Ambient climate of a site: outdoor dry bulb, wet bulb and relative humidity, and the temperature of a
// natural water body used for cooling (sea or lake water at the intake depth), as functions of simulated
// time. The cooling plant reads it for economizer hours, tower approach and dry-cooler limits.
//
// Time: t is simulated seconds since t = 0; the Calendar maps it to UTC (hour_utc, day_of_year, where
// day_of_year is fractional and 0 at 1 January 00:00 UTC). Relative humidity is a fraction in [0, 1].
// Wet bulb is the thermodynamic wet bulb from psychrometrics.hpp (ASHRAE 2017 ch. 1).
//
// SyntheticClimate (d = UTC day of year, h = UTC hour of day):
//   t_db(t) = mean + A_year cos(2π (d − d_peak)/365.25) + A_day cos(2π (h − h_peak)/24)
//   Humidity, one of three parameterisations (the presets use the third):
//     relative_humidity:    φ constant; t_wb from (t_db, φ, p).
//     wet_bulb_depression:  t_wb = t_db − Δ, but never below the wet bulb of perfectly dry air at t_db
//                           (then φ = 0); φ from (t_db, t_wb, p).
//     dew_point:            t_d(d) = mean_d + A_d cos(2π (d − d_peak,d)/365.25), constant over the day
//                           (absolute humidity changes little from day to night, so afternoon wet bulbs are
//                           not inflated as a constant φ would), capped at t_db (fog: φ = 1).
//   Water (optional): t_w(d) = mean_w + A_w cos(2π (d − d_peak,w)/365.25); NaN when absent.
//   The annual term uses 365.25 days while day_of_year restarts every 1 January, so the dry bulb jumps
//   by at most A_year · 2π · 0.75/365.25 ≈ 0.013 A_year at New Year (0.75 d in leap years, 0.25 d
//   otherwise): 0.15 K for A_year = 11 K, well inside year-to-year weather.
//   Pressure: constant; 101325 Pa unless set, the presets use the standard atmosphere at their station's
//   elevation (ASHRAE 2017 ch. 1 eq. 3).
//   Presets ("finnish_coast", "northern_sweden", "us_desert", "us_southeast", "north_sea_seabed"):
//   approximate climate normals with their derivation and sources in climate_presets.cpp; the water
//   temperatures of finnish_coast and north_sea_seabed are assumptions (DOMAIN.md: the Orkney seabed is
//   unverified).
//
// EpwClimate: an EnergyPlus weather file (EnergyPlus "Auxiliary Programs", ch. "Weather Converter
// Program", EPW data dictionary). 8 header lines, the first "LOCATION,city,state,country,source,WMO,
// latitude,longitude,time zone (h from UTC),elevation (m)" and the last "DATA PERIODS" (one record per
// hour is required); then one row per hour of >= 35 fields: year, month, day, hour (1–24; hour h covers
// (h−1, h] local standard time), minute, flags, dry bulb °C [6], dew point °C [7], relative humidity % [8],
// station pressure Pa [9], ...
//   - The year column is ignored (typical years mix years); rows may come in any order but each
//     (month, day, hour) at most once. Rows dated 29 February are skipped (leap-year AMY files become a
//     365-day year). Unless partial years are allowed, all 8760 hours must be present.
//   - Temperatures are instantaneous values at the end of their hour (as EnergyPlus reads them): row
//     (m, d, h) is the value at local standard time h:00 of day (m, d). Between hours values are linear;
//     the year wraps (31 Dec 24:00 is 1 Jan 00:00).
//   - Local standard time = UTC + utc_offset_h, by default the LOCATION time-zone field (standard time,
//     no daylight saving, as in EPW). The simulated instant is converted to local standard time, and in
//     a leap year 29 February is read as 28 February (the typical day repeats; at local midnight
//     starting 29 Feb the series steps back by one day).
//   - Wet bulb per hour from dry bulb, dew point and pressure; relative humidity per hour from dry bulb
//     and dew point (the file's RH column is used only when the dew point is missing). Dry bulb, wet
//     bulb and relative humidity are interpolated separately (each hour is psychrometrically exact;
//     between hours, wet bulb <= dry bulb still holds since both ends satisfy it).
//   - Missing-value codes (EPW dictionary): dry bulb 99.9 is rejected (a ConfigError at its line and
//     column: gaps in temperature must be repaired upstream); dew point 99.9 falls back to the RH
//     column, and both missing is rejected; pressure 999999 falls back to the standard atmosphere at the
//     LOCATION elevation. Values outside the dictionary's ranges are rejected; a dew point above the dry
//     bulb (rounding in real files) is capped at the dry bulb.
//   - Every malformed input is a dcsim::ConfigError naming file, line and (for a field) column.
// Water for an EPW site comes from the same annual sinusoid as for a synthetic one.
//
// make_climate reads a scenario table:
//   preset = "finnish_coast"      a named synthetic climate; the keys below override its values
//   kind = "synthetic"            the default without an epw key. Without a preset, dry_bulb_mean,
//                                 dry_bulb_annual_amplitude, dry_bulb_diurnal_amplitude and one humidity
//                                 key are required, and each peak key unless its amplitude is 0.
//   dry_bulb_mean = "5 degC", dry_bulb_annual_amplitude = "10 K", dry_bulb_annual_peak_day = 200,
//   dry_bulb_diurnal_amplitude = "4 K", dry_bulb_diurnal_peak_hour_utc = 13,
//   relative_humidity = 0.7  |  wet_bulb_depression = "3 K"  |  dew_point_mean = "2 degC"  (at most one;
//     one given with a preset replaces the preset's humidity). With dew_point_mean:
//     dew_point_annual_amplitude = "9 K" (default 0, or the preset's) and dew_point_annual_peak_day = 205
//     (default the dry bulb's, or the preset's).
//   pressure = "101.3 kPa"  |  elevation = "17 m"                                   (at most one)
//   water_mean = "8 degC", water_annual_amplitude = "6 K" (default 0), water_annual_peak_day = 230
//     (required when the amplitude is not 0); with a preset that has water, each overrides its value.
//   epw = "weather/helsinki.epw"  (kind = "epw" implied; path relative to the scenario file; a full year
//     is required), utc_offset_h = 2 (overrides the file's time zone), water_* as above.
// Peak days use the Calendar's convention (0 = 1 January 00:00 UTC, fractional); peak hours are UTC.
// Errors are ConfigErrors naming file, line and key (an unknown preset gets a "did you mean").
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/calendar.hpp"
#include "sim/core/config.hpp"
#include "sim/core/param_table.hpp"

namespace dcsim::ambient {

struct AmbientState {
  double dry_bulb_c;
  double wet_bulb_c;
  double relative_humidity;  // fraction in [0, 1]
  double water_c;            // NaN when no water body is configured
};

// Extremes over all time (the climate repeats every year). Synthetic climates give bounds that hold but
// need not be attained; EPW climates give the extremes of their hourly values, which are attained.
struct AmbientBounds {
  double dry_bulb_min_c, dry_bulb_max_c;
  double wet_bulb_min_c, wet_bulb_max_c;
};

class Climate {
 public:
  virtual ~Climate();
  virtual AmbientState at(double t) const = 0;
  virtual std::string describe() const = 0;
  virtual AmbientBounds bounds() const = 0;
};

// x(d) = mean + amplitude cos(2π (d − peak_day)/365.25) for a UTC day of year d.
struct AnnualCycle {
  double mean = 0;       // °C
  double amplitude = 0;  // K, >= 0
  double peak_day = 0;   // day of year of the maximum, in [0, 366)
  double at(double day_of_year) const noexcept;
};

enum class HumidityModel { relative_humidity, wet_bulb_depression, dew_point };

struct SyntheticParams {
  std::string name = "synthetic";  // the preset name, for describe()
  AnnualCycle dry_bulb_c;
  double diurnal_amplitude_k = 0;
  double diurnal_peak_hour_utc = 14;
  HumidityModel humidity = HumidityModel::relative_humidity;
  double relative_humidity = 0.7;   // used by HumidityModel::relative_humidity
  double wet_bulb_depression_k = 0; // used by HumidityModel::wet_bulb_depression
  AnnualCycle dew_point_c;          // used by HumidityModel::dew_point
  double pressure_pa = 101325.0;
  std::optional<AnnualCycle> water_c;
};

// The named presets, in a fixed order; values and sources are in climate_presets.cpp.
std::vector<std::string> preset_names();
// Throws std::invalid_argument for an unknown name.
SyntheticParams preset(std::string_view name);

class SyntheticClimate final : public Climate {
 public:
  // Throws std::invalid_argument if the parameters are out of range (negative amplitudes, relative
  // humidity outside [0, 1], temperatures leaving the psychrometric range).
  SyntheticClimate(SyntheticParams params, const Calendar& cal);
  AmbientState at(double t) const override;
  std::string describe() const override;
  AmbientBounds bounds() const override;
  const SyntheticParams& params() const noexcept { return params_; }

 private:
  double dry_bulb_c(double t) const;
  // Wet bulb and relative humidity at a dry bulb on a day of year.
  std::pair<double, double> humidity(double dry_bulb_c, double day_of_year) const;

  SyntheticParams params_;
  Calendar cal_;
};

struct EpwOptions {
  std::optional<double> utc_offset_h;  // hours east of UTC; default: the LOCATION time-zone field
  bool allow_partial_year = false;     // accept files without all 8760 hours (tests, short series)
  std::optional<AnnualCycle> water_c;
};

class EpwClimate final : public Climate {
 public:
  // Reads the whole file; throws ConfigError (file, line, column) for any malformed input.
  EpwClimate(const std::string& path, const Calendar& cal, EpwOptions options = {});
  // With a partial year, throws std::out_of_range for an instant whose neighbouring hours are absent.
  AmbientState at(double t) const override;
  std::string describe() const override;
  AmbientBounds bounds() const override;

  const std::string& path() const noexcept { return path_; }
  const std::string& location() const noexcept { return location_; }  // "city, country"
  double utc_offset_h() const noexcept { return utc_offset_h_; }
  double elevation_m() const noexcept { return elevation_m_; }
  std::size_t hours_read() const noexcept { return hours_read_; }

  static constexpr std::size_t kHoursPerYear = 8760;

 private:
  // Index of the hourly knot at local standard hour-of-year n (knot n is row (n − 1) mod 8760: the row
  // of hour h ends at h:00).
  static std::size_t knot(std::int64_t n) noexcept;

  std::string path_;
  std::string location_;
  Calendar cal_;
  double utc_offset_h_ = 0;
  double elevation_m_ = 0;
  std::size_t hours_read_ = 0;
  // One value per row of the typical year, row k = hour (k mod 24) + 1 of day k / 24; NaN where a
  // partial year has no row.
  std::vector<double> dry_bulb_c_, wet_bulb_c_, relative_humidity_;
  std::optional<AnnualCycle> water_c_;
};

std::unique_ptr<Climate> make_climate(const Params& p, const Calendar& cal);
// The parameter table of the keys make_climate reads, [sites.ambient] (params.cpp).
const std::vector<ParamDef>& parameter_table();

}  // namespace dcsim::ambient
