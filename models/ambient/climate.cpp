#include "models/ambient/climate.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numbers>
#include <sstream>
#include <stdexcept>

#include "models/ambient/psychrometrics.hpp"
#include "sim/core/csv.hpp"
#include "sim/core/units.hpp"

namespace dcsim::ambient {

namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kYearDays = 365.25;

// ---- Presets --------------------------------------------------------------------------------------------
//
// Approximate climate normals, written from general knowledge of the published normals (FMI, SMHI, NOAA
// NCEI 1991–2020, Met Office 1991–2020) and NOT checked against those tables here: treat every number as
// approximate (±1 K on means and amplitudes) and replace it with an EPW file when the answer depends on it.
// How the sinusoid parameters follow from monthly normals:
//   mean = annual mean; annual amplitude ≈ (warmest − coldest monthly mean)/2; peak day = the warmest
//   time of year (0 = 1 Jan); diurnal amplitude ≈ (mean daily max − mean daily min)/2 averaged over the
//   year; diurnal peak hour ≈ local solar noon (12 h − longitude/15° in UTC) + 2.5 h (an assumption:
//   the daily maximum comes some 2–3 h after solar noon); dew point from monthly mean dew points.
// Pressures are the standard atmosphere at the station elevation (ASHRAE 2017 ch. 1 eq. 3).
//
// finnish_coast (Google Hamina, FI; 60.6 °N 27.2 °E; ~10 m): air ≈ coastal south-east Finland
//   (Kotka/Hamina; Helsinki Kaisaniemi 1991–2020 is 6.5 °C with Feb −4 and Jul 18 °C, Hamina is a little
//   colder): mean 5.8 °C, ±11.5 K peaking 22 Jul, ±3 K daily at 12.5 h UTC; dew point 2.5 °C ± 10 K peaking 25 Jul
//   (Helsinki RH ≈ 80 % annual). Water: Baltic seawater (Gulf of Finland) through Google's seawater
//   intake; intake depth not public, so this is an ASSUMPTION from the surface climatology of the eastern
//   Gulf of Finland (near 0 °C under winter ice, ~17 °C at the surface in August, cooler at depth):
//   7 °C ± 7 K peaking 8 Aug, i.e. 0–14 °C.
// northern_sweden (Meta Luleå, SE; 65.6 °N 22.1 °E; ~17 m): mean 2 °C as quoted for the site
//   (DOMAIN.md §5, Meta; M); SMHI's 1991–2020 normal for Luleå is somewhat higher (~2.5–3 °C, from
//   memory, unverified). Jan ≈ −10, Jul ≈ 16.5 °C: ±13 K peaking 18 Jul; ±3.5 K daily at 13 h UTC; dew
//   point −1 °C ± 12 K (RH ≈ 80 %). No water body: Luleå is cooled with outside air.
// us_desert (Phoenix, AZ, US; 33.4 °N 112.0 °W; 337 m): NOAA 1991–2020 Sky Harbor, approximately: Jan
//   mean 13.8 °C, Jul 35.3 °C (mean max 41.4 °C), annual mean max/min 30.9/17.8 °C: mean 24.4 °C,
//   ±10.7 K peaking 14 Jul, ±6.5 K daily at 22.5 h UTC (15:30 MST); the July afternoon reaches 41.6 °C.
//   Dew point 4.5 °C ± 7 K peaking 10 Aug (dry spring near 0 °C, monsoon August ~14 °C: a sinusoid
//   flattens the monsoon peak).
// us_southeast (Atlanta, GA, US; 33.6 °N 84.4 °W; 313 m): NOAA 1991–2020 Hartsfield, approximately:
//   Jan 7 °C, Jul 27 °C, annual mean max/min 22.8/12.0 °C: mean 17.2 °C, ±10 K peaking 20 Jul, ±5.3 K
//   daily at 20 h UTC; dew point 9 °C ± 10.5 K peaking 24 Jul (Jan ≈ −1 °C, Jul ≈ 19.5 °C).
// north_sea_seabed (Microsoft Natick Northern Isles, EMEC Billia Croo off Orkney, UK; 59.0 °N 3.3 °W;
//   vessel 36 m deep): air ≈ Kirkwall (Met Office 1991–2020, approximately 8.3 °C mean, Feb ~4 °C, Aug
//   ~13 °C): ±4.4 K peaking 10 Aug, ±2.5 K daily at 14.5 h UTC, dew point 6 °C ± 4 K (RH ≈ 85 %).
//   Water: the seabed temperature at the vessel is UNVERIFIED (DOMAIN.md §5 and §11). ASSUMPTION: the
//   tidally mixed shelf water around Orkney is about as warm at 36 m as at the surface, ~7.7 °C in late
//   February to ~13.3 °C at the end of August: 10.5 °C ± 2.8 K peaking 29 Aug. Drive it from a measured
//   sea-temperature series when one is available.

constexpr std::array<std::string_view, 5> kPresetNames = {"finnish_coast", "northern_sweden", "us_desert",
                                                          "us_southeast", "north_sea_seabed"};

SyntheticParams synthetic(std::string_view name, AnnualCycle dry_bulb, double diurnal_k, double peak_hour_utc,
                          AnnualCycle dew_point, double elevation_m, std::optional<AnnualCycle> water) {
  SyntheticParams s;
  s.name = std::string(name);
  s.dry_bulb_c = dry_bulb;
  s.diurnal_amplitude_k = diurnal_k;
  s.diurnal_peak_hour_utc = peak_hour_utc;
  s.humidity = HumidityModel::dew_point;
  s.dew_point_c = dew_point;
  s.pressure_pa = standard_pressure_pa(elevation_m);
  s.water_c = water;
  return s;
}

std::optional<SyntheticParams> find_preset(std::string_view name) {
  // Day numbers: 1 Jul = 181, 1 Aug = 212 (0-based, non-leap year).
  if (name == "finnish_coast") {
    return synthetic(name, {5.8, 11.5, 202}, 3.0, 12.5, {2.5, 10.0, 205}, 10, AnnualCycle{7.0, 7.0, 219});
  }
  if (name == "northern_sweden") {
    return synthetic(name, {2.0, 13.0, 198}, 3.5, 13.0, {-1.0, 12.0, 200}, 17, std::nullopt);
  }
  if (name == "us_desert") {
    return synthetic(name, {24.4, 10.7, 194}, 6.5, 22.5, {4.5, 7.0, 221}, 337, std::nullopt);
  }
  if (name == "us_southeast") {
    return synthetic(name, {17.2, 10.0, 200}, 5.3, 20.0, {9.0, 10.5, 204}, 313, std::nullopt);
  }
  if (name == "north_sea_seabed") {
    return synthetic(name, {8.3, 4.4, 221}, 2.5, 14.5, {6.0, 4.0, 221}, 20, AnnualCycle{10.5, 2.8, 240});
  }
  return std::nullopt;
}

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

// Position of an instant (seconds since the epoch, in some local time) in its civil year: the whole day of
// the year (0 = 1 January), the seconds into that day, and whether the year is a leap year.
struct YearPosition {
  std::int64_t day = 0;
  double second_of_day = 0;
  bool leap = false;
};

YearPosition year_position(double epoch_s) {
  const double days_f = std::floor(epoch_s / 86400.0);
  const auto days = static_cast<std::int64_t>(days_f);
  auto y = static_cast<std::int64_t>(std::floor(1970.0 + (days_f + 0.5) / 365.2425));
  while (days_from_civil(y, 1, 1) > days) --y;
  while (days_from_civil(y + 1, 1, 1) <= days) ++y;
  const std::int64_t jan1 = days_from_civil(y, 1, 1);
  return {days - jan1, epoch_s - days_f * 86400.0, days_from_civil(y + 1, 1, 1) - jan1 == 366};
}

// ---- EPW rows -------------------------------------------------------------------------------------------

constexpr std::array<int, 12> kDaysInMonth = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
constexpr std::array<int, 12> kDaysBeforeMonth = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

std::string upper(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

bool looks_numeric(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

// An integer field in [lo, hi].
int integer_field(const CsvRow& r, std::size_t i, std::string_view what, int lo, int hi) {
  const double v = r.number(i, what);
  if (v != std::floor(v) || v < lo || v > hi) {
    r.fail(i, std::string(what) + ": expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                  "], found " + r.text(i));
  }
  return static_cast<int>(v);
}

// A number with an EPW missing-value code: nullopt if missing, else a value required in (lo, hi) or [lo, hi].
std::optional<double> epw_value(const CsvRow& r, std::size_t i, std::string_view what, double missing, double lo,
                                double hi, bool open) {
  const double v = r.number(i, what);
  if (v == missing) return std::nullopt;
  if (open ? !(v > lo && v < hi) : !(v >= lo && v <= hi)) {
    r.fail(i, std::string(what) + ": expected a value in " + (open ? "(" : "[") + num(lo) + ", " + num(hi) +
                  (open ? ")" : "]") + " or the missing-value code " + num(missing) + ", found " + r.text(i));
  }
  return v;
}

}  // namespace

// ---- Climate, AnnualCycle -------------------------------------------------------------------------------

Climate::~Climate() = default;

double AnnualCycle::at(double day_of_year) const noexcept {
  return mean + amplitude * std::cos(kTwoPi * (day_of_year - peak_day) / kYearDays);
}

std::vector<std::string> preset_names() { return {kPresetNames.begin(), kPresetNames.end()}; }

SyntheticParams preset(std::string_view name) {
  if (auto p = find_preset(name)) return *p;
  throw std::invalid_argument("unknown climate preset \"" + std::string(name) + "\"");
}

// ---- SyntheticClimate -----------------------------------------------------------------------------------

SyntheticClimate::SyntheticClimate(SyntheticParams params, const Calendar& cal)
    : params_(std::move(params)), cal_(cal) {
  const auto require = [](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("synthetic climate: " + what);
  };
  const auto check_cycle = [&](const AnnualCycle& c, const std::string& what) {
    require(std::isfinite(c.mean), what + " mean must be finite");
    require(c.amplitude >= 0 && std::isfinite(c.amplitude), what + " annual amplitude must be >= 0");
    require(c.peak_day >= 0 && c.peak_day < 366, what + " annual peak day must be in [0, 366)");
  };
  const SyntheticParams& p = params_;
  check_cycle(p.dry_bulb_c, "dry bulb");
  require(p.diurnal_amplitude_k >= 0 && std::isfinite(p.diurnal_amplitude_k), "diurnal amplitude must be >= 0");
  require(p.diurnal_peak_hour_utc >= 0 && p.diurnal_peak_hour_utc < 24, "diurnal peak hour must be in [0, 24)");
  const double lo = p.dry_bulb_c.mean - p.dry_bulb_c.amplitude - p.diurnal_amplitude_k;
  const double hi = p.dry_bulb_c.mean + p.dry_bulb_c.amplitude + p.diurnal_amplitude_k;
  require(lo >= -90 && hi <= 60, "the dry bulb ranges over [" + num(lo) + ", " + num(hi) +
                                     "] degC, outside the supported [-90, 60] degC");
  require(p.pressure_pa >= 30e3 && p.pressure_pa <= 120e3, "pressure must be in [30, 120] kPa");
  switch (p.humidity) {
    case HumidityModel::relative_humidity:
      require(p.relative_humidity >= 0 && p.relative_humidity <= 1, "relative humidity must be in [0, 1]");
      break;
    case HumidityModel::wet_bulb_depression:
      require(p.wet_bulb_depression_k >= 0 && lo - p.wet_bulb_depression_k >= kMinPsychroTempC,
              "wet-bulb depression must be >= 0 and keep the wet bulb above -100 degC");
      break;
    case HumidityModel::dew_point:
      check_cycle(p.dew_point_c, "dew point");
      require(p.dew_point_c.mean - p.dew_point_c.amplitude >= -90, "the dew point must stay above -90 degC");
      break;
  }
  if (p.water_c) check_cycle(*p.water_c, "water");
}

double SyntheticClimate::dry_bulb_c(double t) const {
  return params_.dry_bulb_c.at(cal_.day_of_year(t)) +
         params_.diurnal_amplitude_k *
             std::cos(kTwoPi * (cal_.hour_utc(t) - params_.diurnal_peak_hour_utc) / 24.0);
}

std::pair<double, double> SyntheticClimate::humidity(double db, double day_of_year) const {
  const double p = params_.pressure_pa;
  switch (params_.humidity) {
    case HumidityModel::relative_humidity:
      return {wet_bulb_from_relative_humidity_c(db, params_.relative_humidity, p), params_.relative_humidity};
    case HumidityModel::wet_bulb_depression: {
      const double wb = db - params_.wet_bulb_depression_k;
      const double w = humidity_ratio_from_wet_bulb(db, wb, p);
      if (w <= 0) return {wet_bulb_from_humidity_ratio_c(db, 0.0, p), 0.0};
      return {wb, std::min(1.0, relative_humidity_from_humidity_ratio(db, w, p))};
    }
    case HumidityModel::dew_point: {
      const double dp = std::min(db, params_.dew_point_c.at(day_of_year));
      return {wet_bulb_from_dew_point_c(db, dp, p), std::min(1.0, relative_humidity_from_dew_point(db, dp))};
    }
  }
  return {db, 1.0};
}

AmbientState SyntheticClimate::at(double t) const {
  const double d = cal_.day_of_year(t);
  const double db = dry_bulb_c(t);
  const auto [wb, rh] = humidity(db, d);
  return {db, wb, rh, params_.water_c ? params_.water_c->at(d) : kNaN};
}

AmbientBounds SyntheticClimate::bounds() const {
  const SyntheticParams& p = params_;
  const double lo = p.dry_bulb_c.mean - p.dry_bulb_c.amplitude - p.diurnal_amplitude_k;
  const double hi = p.dry_bulb_c.mean + p.dry_bulb_c.amplitude + p.diurnal_amplitude_k;
  // The wet bulb rises with the dry bulb at constant φ, Δ or W, and with W at constant dry bulb.
  double wb_lo = 0, wb_hi = 0;
  switch (p.humidity) {
    case HumidityModel::relative_humidity:
      wb_lo = wet_bulb_from_relative_humidity_c(lo, p.relative_humidity, p.pressure_pa);
      wb_hi = wet_bulb_from_relative_humidity_c(hi, p.relative_humidity, p.pressure_pa);
      break;
    case HumidityModel::wet_bulb_depression:
      wb_lo = std::max(lo - p.wet_bulb_depression_k, wet_bulb_from_humidity_ratio_c(lo, 0.0, p.pressure_pa));
      wb_hi = std::max(hi - p.wet_bulb_depression_k, wet_bulb_from_humidity_ratio_c(hi, 0.0, p.pressure_pa));
      break;
    case HumidityModel::dew_point: {
      const double dp_lo = p.dew_point_c.mean - p.dew_point_c.amplitude;
      const double dp_hi = p.dew_point_c.mean + p.dew_point_c.amplitude;
      wb_lo = wet_bulb_from_dew_point_c(lo, std::min(lo, dp_lo), p.pressure_pa);
      wb_hi = wet_bulb_from_dew_point_c(hi, std::min(hi, dp_hi), p.pressure_pa);
      break;
    }
  }
  return {lo, hi, wb_lo, wb_hi};
}

std::string SyntheticClimate::describe() const {
  const SyntheticParams& p = params_;
  std::string s = "synthetic climate \"" + p.name + "\": " + describe_cycle(p.dry_bulb_c, "dry bulb") + ", diurnal +/- " +
                  num(p.diurnal_amplitude_k) + " K (peak at " + num(p.diurnal_peak_hour_utc) + " h UTC); ";
  switch (p.humidity) {
    case HumidityModel::relative_humidity: s += "relative humidity " + num(p.relative_humidity); break;
    case HumidityModel::wet_bulb_depression: s += "wet-bulb depression " + num(p.wet_bulb_depression_k) + " K"; break;
    case HumidityModel::dew_point: s += describe_cycle(p.dew_point_c, "dew point"); break;
  }
  s += "; pressure " + num(p.pressure_pa) + " Pa; ";
  s += p.water_c ? describe_cycle(*p.water_c, "water") : std::string("no water body");
  return s;
}

// ---- EpwClimate -----------------------------------------------------------------------------------------

std::size_t EpwClimate::knot(std::int64_t n) noexcept {
  const auto h = static_cast<std::int64_t>(kHoursPerYear);
  return static_cast<std::size_t>(((n - 1) % h + h) % h);
}

EpwClimate::EpwClimate(const std::string& path, const Calendar& cal, EpwOptions options)
    : path_(path),
      cal_(cal),
      dry_bulb_c_(kHoursPerYear, kNaN),
      wet_bulb_c_(kHoursPerYear, kNaN),
      relative_humidity_(kHoursPerYear, kNaN),
      water_c_(options.water_c) {
  static constexpr std::array<std::string_view, 8> kHeaders = {
      "LOCATION",           "DESIGN CONDITIONS", "TYPICAL/EXTREME PERIODS", "GROUND TEMPERATURES",
      "HOLIDAYS/DAYLIGHT SAVINGS", "COMMENTS 1", "COMMENTS 2",              "DATA PERIODS"};
  std::vector<std::uint32_t> line_of(kHoursPerYear, 0);
  std::size_t header = 0;
  double file_utc_offset_h = 0;

  read_csv(path, [&](const CsvRow& r) {
    if (header < kHeaders.size()) {
      const std::string name(kHeaders[header]);
      const std::string first = r.text(0);
      if (header == 0 && upper(first) != name) {
        r.fail(0, "expected an EPW weather file, whose first line starts with LOCATION, found \"" + first + "\"");
      }
      if (header > 0 && header < 7 && looks_numeric(first)) {
        r.fail(0, "expected header line " + std::to_string(header + 1) + " of 8 (" + name +
                      "), found a data row: an EPW file has 8 header lines");
      }
      if (header == 7 && upper(first) != name) {
        r.fail(0, "expected the 8th header line, DATA PERIODS, found \"" + first + "\"");
      }
      if (header == 0) {
        location_ = r.text(1) + ", " + r.text(3);
        file_utc_offset_h = r.number(8, "time zone");
        if (file_utc_offset_h < -12 || file_utc_offset_h > 14) {
          r.fail(8, "time zone: expected hours from UTC in [-12, 14], found " + r.text(8));
        }
        elevation_m_ = r.number(9, "elevation");
        if (elevation_m_ < -1000 || elevation_m_ > 9000) {
          r.fail(9, "elevation: expected metres in [-1000, 9000], found " + r.text(9));
        }
      }
      if (header == 7 && r.size() > 2 && r.number(2, "records per hour") != 1) {
        r.fail(2, "expected 1 record per hour (sub-hourly EPW files are not supported), found " + r.text(2));
      }
      ++header;
      return;
    }

    if (r.size() < 35) {
      r.fail(r.size() - 1, "expected at least 35 fields in an EPW data row, found " + std::to_string(r.size()));
    }
    r.number(0, "year");
    const int month = integer_field(r, 1, "month", 1, 12);
    const int day = integer_field(r, 2, "day", 1, month == 2 ? 29 : kDaysInMonth[month - 1]);
    const int hour = integer_field(r, 3, "hour", 1, 24);
    const double minute = r.number(4, "minute");
    if (minute < 0 || minute > 60) r.fail(4, "minute: expected a value in [0, 60], found " + r.text(4));
    if (month == 2 && day == 29) return;  // leap-year files: 29 February is not part of the typical year

    const std::optional<double> db = epw_value(r, 6, "dry bulb", 99.9, -70, 70, true);
    if (!db) r.fail(6, "dry bulb is missing (99.9): fill gaps in the temperature series before use");
    std::optional<double> dp = epw_value(r, 7, "dew point", 99.9, -70, 70, true);
    const std::optional<double> rh_pct = epw_value(r, 8, "relative humidity", 999, 0, 110, false);
    const std::optional<double> p = epw_value(r, 9, "atmospheric pressure", 999999, 31000, 120000, true);
    if (!dp && !rh_pct) {
      r.fail(7, "dew point and relative humidity are both missing (99.9 and 999): no humidity for this hour");
    }
    const double pressure_pa = p ? *p : standard_pressure_pa(elevation_m_);
    double wb = 0, rh = 0;
    try {
      if (!dp && *rh_pct <= 0) {
        wb = wet_bulb_from_humidity_ratio_c(*db, 0.0, pressure_pa);
      } else {
        if (!dp) dp = dew_point_from_relative_humidity_c(*db, std::min(*rh_pct, 100.0) / 100.0);
        const double dew = std::min(*dp, *db);
        wb = wet_bulb_from_dew_point_c(*db, dew, pressure_pa);
        rh = std::min(1.0, relative_humidity_from_dew_point(*db, dew));
      }
    } catch (const std::domain_error& e) {
      r.fail(6, std::string("cannot derive the wet bulb: ") + e.what());
    }

    const auto k = static_cast<std::size_t>((kDaysBeforeMonth[month - 1] + day - 1) * 24 + hour - 1);
    if (line_of[k] != 0) {
      r.fail(3, "month " + std::to_string(month) + ", day " + std::to_string(day) + ", hour " +
                    std::to_string(hour) + " is given twice (first on line " + std::to_string(line_of[k]) + ")");
    }
    line_of[k] = r.line();
    dry_bulb_c_[k] = *db;
    wet_bulb_c_[k] = wb;
    relative_humidity_[k] = rh;
    ++hours_read_;
  });

  if (header < kHeaders.size()) {
    throw ConfigError(SourceLoc{path, 0, 0}, "expected 8 header lines (LOCATION ... DATA PERIODS), found " +
                                                 std::to_string(header) + " and no data");
  }
  if (hours_read_ == 0) throw ConfigError(SourceLoc{path, 0, 0}, "no hourly data rows after the 8 header lines");
  if (hours_read_ < kHoursPerYear && !options.allow_partial_year) {
    const auto k = static_cast<std::size_t>(std::find(line_of.begin(), line_of.end(), 0u) - line_of.begin());
    const int doy = static_cast<int>(k / 24);
    const auto m = static_cast<std::size_t>(
        std::upper_bound(kDaysBeforeMonth.begin(), kDaysBeforeMonth.end(), doy) - kDaysBeforeMonth.begin() - 1);
    throw ConfigError(SourceLoc{path, 0, 0},
                      "expected all 8760 hours of a year (29 February excluded), found " +
                          std::to_string(hours_read_) + "; the first missing is month " + std::to_string(m + 1) +
                          ", day " + std::to_string(doy - kDaysBeforeMonth[m] + 1) + ", hour " +
                          std::to_string(k % 24 + 1));
  }
  utc_offset_h_ = options.utc_offset_h.value_or(file_utc_offset_h);
}

AmbientState EpwClimate::at(double t) const {
  const YearPosition y = year_position(cal_.epoch(t) + std::round(utc_offset_h_ * 3600.0));
  std::int64_t day = y.day;
  if (y.leap && day >= 59) --day;  // 29 February reads as 28 February; March onwards shifts back a day
  const double x = static_cast<double>(day) * 24.0 + y.second_of_day / 3600.0;
  const double n_f = std::floor(x);
  const double w = x - n_f;
  const auto n = static_cast<std::int64_t>(n_f);
  const std::size_t a = knot(n), b = knot(n + 1);
  if (std::isnan(dry_bulb_c_[a]) || (w > 0 && std::isnan(dry_bulb_c_[b]))) {
    throw std::out_of_range("EPW file " + path_ + " has no data around local standard hour " + num(x) +
                            " of the year (a partial year)");
  }
  const auto lerp = [&](const std::vector<double>& v) { return w > 0 ? v[a] + (v[b] - v[a]) * w : v[a]; };
  return {lerp(dry_bulb_c_), lerp(wet_bulb_c_), lerp(relative_humidity_),
          water_c_ ? water_c_->at(cal_.day_of_year(t)) : kNaN};
}

AmbientBounds EpwClimate::bounds() const {
  AmbientBounds b{kNaN, kNaN, kNaN, kNaN};
  for (std::size_t k = 0; k < kHoursPerYear; ++k) {
    if (std::isnan(dry_bulb_c_[k])) continue;
    b.dry_bulb_min_c = std::fmin(b.dry_bulb_min_c, dry_bulb_c_[k]);
    b.dry_bulb_max_c = std::fmax(b.dry_bulb_max_c, dry_bulb_c_[k]);
    b.wet_bulb_min_c = std::fmin(b.wet_bulb_min_c, wet_bulb_c_[k]);
    b.wet_bulb_max_c = std::fmax(b.wet_bulb_max_c, wet_bulb_c_[k]);
  }
  return b;
}

std::string EpwClimate::describe() const {
  return "EPW weather file " + path_ + " (" + location_ + "; local standard time UTC" +
         (utc_offset_h_ < 0 ? "" : "+") + num(utc_offset_h_) + " h; " + std::to_string(hours_read_) +
         " hours); " + (water_c_ ? describe_cycle(*water_c_, "water") : std::string("no water body"));
}

// ---- Factory --------------------------------------------------------------------------------------------

namespace {

constexpr Range kPeakDay{0, 366, false, true};
constexpr Range kPeakHour{0, 24, false, true};

// A quantity that overrides `field` when present, or that is required when `required`.
void read_into(const Params& p, std::string_view key, const QuantityKind& kind, double& field, Range r,
               bool required) {
  field = required ? p.quantity(key, kind, r) : p.quantity(key, kind, field, r);
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
  read_into(p, "water_mean", qty::temperature, w.mean, Range::closed(-2, 40), fresh);
  read_into(p, "water_annual_amplitude", qty::temperature_difference, w.amplitude, Range::non_negative(), false);
  read_into(p, "water_annual_peak_day", qty::dimensionless, w.peak_day, kPeakDay, fresh && w.amplitude > 0);
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
    const std::string name = p.text("preset");
    const auto found = find_preset(name);
    if (!found) {
      std::string expected = "one of";
      for (std::size_t i = 0; i < kPresetNames.size(); ++i) {
        expected += std::string(i ? ", \"" : " \"") + std::string(kPresetNames[i]) + "\"";
      }
      const std::string hint = did_you_mean_hint(name, preset_names());
      p.fail("preset", expected, hint);
    }
    s = *found;
  }
  const bool fresh = !from_preset;
  read_into(p, "dry_bulb_mean", qty::temperature, s.dry_bulb_c.mean, Range::closed(-60, 50), fresh);
  read_into(p, "dry_bulb_annual_amplitude", qty::temperature_difference, s.dry_bulb_c.amplitude,
            Range::closed(0, 40), fresh);
  read_into(p, "dry_bulb_annual_peak_day", qty::dimensionless, s.dry_bulb_c.peak_day, kPeakDay,
            fresh && s.dry_bulb_c.amplitude > 0);
  read_into(p, "dry_bulb_diurnal_amplitude", qty::temperature_difference, s.diurnal_amplitude_k,
            Range::closed(0, 20), fresh);
  read_into(p, "dry_bulb_diurnal_peak_hour_utc", qty::dimensionless, s.diurnal_peak_hour_utc, kPeakHour,
            fresh && s.diurnal_amplitude_k > 0);

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
    s.relative_humidity = p.quantity("relative_humidity", qty::fraction, Range::unit_interval());
  } else if (humidity_key == "wet_bulb_depression") {
    s.humidity = HumidityModel::wet_bulb_depression;
    s.wet_bulb_depression_k = p.quantity("wet_bulb_depression", qty::temperature_difference, Range::closed(0, 50));
  } else if (humidity_key == "dew_point_mean") {
    const bool had_cycle = s.humidity == HumidityModel::dew_point && from_preset;
    if (!had_cycle) s.dew_point_c = AnnualCycle{0, 0, s.dry_bulb_c.peak_day};
    s.humidity = HumidityModel::dew_point;
    s.dew_point_c.mean = p.quantity("dew_point_mean", qty::temperature, Range::closed(-80, 40));
  }
  if (s.humidity == HumidityModel::dew_point) {
    read_into(p, "dew_point_annual_amplitude", qty::temperature_difference, s.dew_point_c.amplitude,
              Range::closed(0, 40), false);
    read_into(p, "dew_point_annual_peak_day", qty::dimensionless, s.dew_point_c.peak_day, kPeakDay, false);
  } else {
    for (const std::string_view k : {"dew_point_annual_amplitude", "dew_point_annual_peak_day"}) {
      if (p.has(k)) p.fail(k, "no dew-point cycle unless the humidity is given by dew_point_mean");
    }
  }

  if (p.has("pressure") && p.has("elevation")) p.fail("elevation", "either pressure or elevation, not both");
  if (p.has("pressure")) s.pressure_pa = p.quantity("pressure", qty::pressure, Range::closed(30e3, 120e3));
  if (p.has("elevation")) {
    s.pressure_pa = standard_pressure_pa(p.quantity("elevation", qty::length, Range::closed(-500, 9000)));
  }
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
  const std::string kind = p.choice("kind", {"synthetic", "epw"}, p.has("epw") ? "epw" : "synthetic");
  if (kind == "synthetic") {
    if (p.has("epw")) p.fail("epw", "no EPW file with kind = \"synthetic\"");
    return make_synthetic(p, cal);
  }
  if (p.has("preset")) p.fail("preset", "no preset with an EPW file (a preset is a synthetic climate)");
  EpwOptions o;
  const std::string path = p.file_path("epw");
  o.utc_offset_h = p.optional_quantity("utc_offset_h", qty::dimensionless, Range::closed(-12, 14));
  o.water_c = read_water(p, std::nullopt);
  return std::make_unique<EpwClimate>(path, cal, o);
}

}  // namespace dcsim::ambient
