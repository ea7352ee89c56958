// EpwClimate: reading an EnergyPlus weather file into hourly knots, and interpolating them in local time.
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "models/ambient/climate_impl.hpp"
#include "models/ambient/psychrometrics.hpp"
#include "sim/core/csv.hpp"
#include "sim/core/echo.hpp"

namespace dcsim::ambient {

using detail::describe_cycle;
using detail::kNaN;
using detail::num;

namespace {

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
                  "], found " + r.shown(i));
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
                  (open ? ")" : "]") + " or the missing-value code " + num(missing) + ", found " + r.shown(i));
  }
  return v;
}

}  // namespace

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
        r.fail(0, "expected an EPW weather file, whose first line starts with LOCATION, found \"" + echo(first) + "\"");
      }
      if (header > 0 && header < 7 && looks_numeric(first)) {
        r.fail(0, "expected header line " + std::to_string(header + 1) + " of 8 (" + name +
                      "), found a data row: an EPW file has 8 header lines");
      }
      if (header == 7 && upper(first) != name) {
        r.fail(0, "expected the 8th header line, DATA PERIODS, found \"" + echo(first) + "\"");
      }
      if (header == 0) {
        location_ = r.text(1) + ", " + r.text(3);
        file_utc_offset_h = r.number(8, "time zone");
        if (file_utc_offset_h < -12 || file_utc_offset_h > 14) {
          r.fail(8, "time zone: expected hours from UTC in [-12, 14], found " + r.shown(8));
        }
        elevation_m_ = r.number(9, "elevation");
        if (elevation_m_ < -1000 || elevation_m_ > 9000) {
          r.fail(9, "elevation: expected metres in [-1000, 9000], found " + r.shown(9));
        }
      }
      if (header == 7 && r.size() > 2 && r.number(2, "records per hour") != 1) {
        r.fail(2, "expected 1 record per hour (sub-hourly EPW files are not supported), found " + r.shown(2));
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
    if (minute < 0 || minute > 60) r.fail(4, "minute: expected a value in [0, 60], found " + r.shown(4));
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

}  // namespace dcsim::ambient
