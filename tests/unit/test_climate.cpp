#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "models/ambient/climate.hpp"
#include "models/ambient/psychrometrics.hpp"
#include "models/world.hpp"
#include "sim/core/quadrature.hpp"
#include "sim/io/scenario.hpp"

using namespace dcsim;
using namespace dcsim::ambient;

namespace {

constexpr double kHour = 3600.0;
constexpr double kDay = 86400.0;
constexpr double kTwoPi = 2 * std::numbers::pi;

Calendar calendar_at(const char* iso) { return Calendar(*parse_utc(iso)); }

std::filesystem::path epw_dir() {
#ifdef DCSIM_SOURCE_DIR
  return std::filesystem::path(DCSIM_SOURCE_DIR) / "tests" / "data" / "epw";
#else
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "data" / "epw";
#endif
}

std::filesystem::path temp_dir() {
  const auto d = std::filesystem::temp_directory_path() / ("dcsim_climate_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
}

std::string write(const std::string& name, const std::string& text) {
  const auto p = temp_dir() / name;
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

// The values of an EPW file's rows, read independently of the reader under test.
struct Row {
  double db, dp, rh_pct, p;
};
using RowKey = std::tuple<int, int, int>;  // month, day, hour

std::map<RowKey, Row> read_rows(const std::string& path) {
  std::ifstream in(path);
  std::map<RowKey, Row> rows;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (n <= 8) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    rows[{std::stoi(f[1]), std::stoi(f[2]), std::stoi(f[3])}] = {std::stod(f[6]), std::stod(f[7]), std::stod(f[8]),
                                                                 std::stod(f[9])};
  }
  return rows;
}

// The state the reader must produce for a complete row.
AmbientState expected_state(const Row& r) {
  const double dp = std::min(r.dp, r.db);
  return {r.db, wet_bulb_from_dew_point_c(r.db, dp, r.p), relative_humidity_from_dew_point(r.db, dp), NAN};
}

void check_state(const AmbientState& got, const AmbientState& want) {
  CHECK(got.dry_bulb_c == Approx(want.dry_bulb_c).margin(1e-12));
  CHECK(got.wet_bulb_c == Approx(want.wet_bulb_c).margin(1e-12));
  CHECK(got.relative_humidity == Approx(want.relative_humidity).margin(1e-12));
}

int day_of_year(int month, int day) {
  const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  return before[month - 1] + day - 1;
}

AmbientState lerp(const AmbientState& a, const AmbientState& b, double w) {
  return {a.dry_bulb_c + (b.dry_bulb_c - a.dry_bulb_c) * w, a.wet_bulb_c + (b.wet_bulb_c - a.wet_bulb_c) * w,
          a.relative_humidity + (b.relative_humidity - a.relative_humidity) * w, NAN};
}

EpwOptions partial() {
  EpwOptions o;
  o.allow_partial_year = true;
  return o;
}

// A small EPW file: 8 header lines (lines 1–8) and three rows for 1 January, hours 1–3 (lines 9–11).
std::vector<std::string> small_epw() {
  const std::string flags = "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9?9?9";
  const std::string tail = "0,0,280,0,0,0,0,0,0,0,180,3.0,5,5,20.0,77777,9,999999999,5,0.1,0,88,0.2,0,1";
  return {"LOCATION,Smallville,-,FIN,test,000000,60.2,24.9,2.0,10.0",
          "DESIGN CONDITIONS,0",
          "TYPICAL/EXTREME PERIODS,0",
          "GROUND TEMPERATURES,0",
          "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
          "COMMENTS 1,test",
          "COMMENTS 2,test",
          "DATA PERIODS,1,1,Data,Monday, 1/ 1,12/31",
          "2001,1,1,1,60," + flags + ",-5.0,-7.0,86,101000," + tail,
          "2001,1,1,2,60," + flags + ",-5.5,-7.4,86,101010," + tail,
          "2001,1,1,3,60," + flags + ",-6.0,-7.9,86,101020," + tail};
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

// A CSV line (without quotes) with field i replaced.
std::string replace_field(const std::string& line, std::size_t i, const std::string& value) {
  std::vector<std::string> f;
  std::stringstream ss(line);
  for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
  f[i] = value;
  std::string s;
  for (std::size_t k = 0; k < f.size(); ++k) s += (k ? "," : "") + f[k];
  return s;
}

// Column (1-based) of field i of a CSV line without quotes.
std::uint32_t column_of(const std::string& line, std::size_t i) {
  std::size_t pos = 0;
  for (std::size_t k = 0; k < i; ++k) pos = line.find(',', pos) + 1;
  return static_cast<std::uint32_t>(pos + 1);
}

// A whole typical year with a known formula (time zone +1 h, sea level).
double full_year_dry_bulb(int doy, int hour) {
  return std::round(10 * (5 + 10 * std::cos(kTwoPi * (doy - 200) / 365.0) +
                          3 * std::cos(kTwoPi * (hour - 14) / 24.0))) / 10;
}

std::string full_year_epw() {
  std::vector<std::string> lines = small_epw();
  lines[0] = "LOCATION,Fullyear,-,FIN,test,000000,60.2,24.9,1.0,0.0";
  lines.resize(8);
  const int days_in_month[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int doy = 0;
  for (int m = 1; m <= 12; ++m) {
    for (int d = 1; d <= days_in_month[m - 1]; ++d, ++doy) {
      for (int h = 1; h <= 24; ++h) {
        const double db = full_year_dry_bulb(doy, h);
        std::ostringstream row;
        row << "2001," << m << ',' << d << ',' << h << ",60,A7A7," << db << ',' << db - 3 << ",80,101325";
        for (int k = 10; k < 35; ++k) row << ",0";
        lines.push_back(row.str());
      }
    }
  }
  return join(lines);
}

// Extremes of the dry bulb sampled on a grid.
struct Extremes {
  double min = 1e9, min_t = 0, max = -1e9, max_t = 0;
};

Extremes extremes(const Climate& c, double t0, double t1, double step) {
  Extremes e;
  for (double t = t0; t < t1; t += step) {
    const double db = c.at(t).dry_bulb_c;
    if (db > e.max) {
      e.max = db;
      e.max_t = t;
    }
    if (db < e.min) {
      e.min = db;
      e.min_t = t;
    }
  }
  return e;
}

ConfigValue toml(const std::string& text, const std::string& source = "test.toml") {
  return io::parse_toml(text, source);
}

std::unique_ptr<Climate> climate_from(const ConfigValue& root, const Calendar& cal) {
  return make_climate(Params(root, "", models::parameter_schema()).tables("sites")[0].table("ambient"), cal);
}

}  // namespace

// ---- Psychrometrics -------------------------------------------------------------------------------------

TEST_CASE("saturation vapour pressure agrees with ASHRAE Table 3 within the Handbook's 300 ppm", "[ambient][psychro]") {
  // ASHRAE Handbook – Fundamentals 2017, ch. 1, Table 3 (IAPWS-based), as quoted in PsychroLib's tests.
  // ASHRAE states its eq. 5/6 agree with the table within 300 ppm (except at -60 degC, given to 3 digits).
  CHECK(saturation_vapour_pressure_pa(-60) == Approx(1.08).margin(0.01));
  const std::vector<std::pair<double, double>> table = {{-20, 103.24},  {-5, 401.74},     {5, 872.6},
                                                        {25, 3169.7},   {50, 12351.3},    {100, 101418.0},
                                                        {150, 476101.4}};
  for (const auto& [t, pws] : table) {
    INFO("t = " << t << " degC");
    CHECK(saturation_vapour_pressure_pa(t) == Approx(pws).epsilon(3e-4));
  }
  // The triple point of water, 611.657 Pa at 0.01 degC (IAPWS), is on the water branch.
  CHECK(saturation_vapour_pressure_pa(0.01) == Approx(611.657).epsilon(3e-4));
  // Over ice and over (supercooled) water differ below 0 degC and meet at the triple point.
  CHECK(saturation_vapour_pressure_ice_pa(-10) < saturation_vapour_pressure_water_pa(-10));
  CHECK(saturation_vapour_pressure_ice_pa(0.01) == Approx(saturation_vapour_pressure_water_pa(0.01)).epsilon(3e-4));
}

TEST_CASE("wet bulb matches ASHRAE Example 1, PsychroLib and psychrometric-chart points", "[ambient][psychro]") {
  // ASHRAE Fundamentals 2017 ch. 1, Example 1: 40 degC dry bulb, 20 degC wet bulb, 101.325 kPa gives
  // W ≈ 0.0065, dew point ≈ 7 degC, RH ≈ 14 % (the Handbook's rounded answers; PsychroLib's test uses the
  // same tolerances).
  const double w = humidity_ratio_from_wet_bulb(40, 20, 101325);
  CHECK(w == Approx(0.0065).margin(1e-4));
  const double td = dew_point_from_vapour_pressure_c(vapour_pressure_from_humidity_ratio_pa(w, 101325));
  CHECK(td == Approx(7).margin(0.5));
  const double rh = relative_humidity_from_humidity_ratio(40, w, 101325);
  CHECK(rh == Approx(0.14).margin(0.01));
  // Back to the wet bulb, exactly (the solver's tolerance is 1e-9 K).
  CHECK(wet_bulb_from_dew_point_c(40, td, 101325) == Approx(20).margin(1e-6));
  CHECK(wet_bulb_from_relative_humidity_c(40, rh, 101325) == Approx(20).margin(1e-6));

  // PsychroLib's test values for eq. 33 and 35 at 500 m (95461 Pa), computed in Excel from the same
  // equations; PsychroLib allows 300 ppm for the saturation-pressure formula's differences.
  CHECK(humidity_ratio_from_wet_bulb(30, 25, 95461) == Approx(0.0192281274241096).epsilon(3e-4));
  CHECK(humidity_ratio_from_wet_bulb(-1, -5, 95461) == Approx(0.00120399819933844).epsilon(3e-4));
  CHECK(wet_bulb_from_humidity_ratio_c(30, humidity_ratio_from_wet_bulb(30, 25, 95461), 95461) ==
        Approx(25).margin(1e-6));
  CHECK(wet_bulb_from_humidity_ratio_c(-1, humidity_ratio_from_wet_bulb(-1, -5, 95461), 95461) ==
        Approx(-5).margin(1e-6));

  // Standard psychrometric chart (sea level): 30 degC / 50 % reads 22.0 degC wet bulb and 25 degC / 50 %
  // reads 17.9 degC. A chart is read to about 0.1 K, hence the margin.
  CHECK(wet_bulb_from_relative_humidity_c(30, 0.5, kStandardPressurePa) == Approx(22.0).margin(0.1));
  CHECK(wet_bulb_from_relative_humidity_c(25, 0.5, kStandardPressurePa) == Approx(17.9).margin(0.1));
  // Saturated air: wet bulb = dry bulb = dew point.
  CHECK(wet_bulb_from_relative_humidity_c(20, 1.0, kStandardPressurePa) == Approx(20).margin(1e-9));
  CHECK(dew_point_from_relative_humidity_c(20, 1.0) == Approx(20).margin(1e-9));
  // Lower pressure evaporates more easily: the same RH gives a lower wet bulb at altitude.
  CHECK(wet_bulb_from_relative_humidity_c(30, 0.5, standard_pressure_pa(1500)) <
        wet_bulb_from_relative_humidity_c(30, 0.5, kStandardPressurePa));
}

TEST_CASE("wet bulb solves the psychrometric equation and round-trips through dew point and RH", "[ambient][psychro]") {
  for (double db = -40; db <= 55; db += 5) {
    for (const double rh : {0.0, 0.05, 0.2, 0.5, 0.8, 0.99}) {
      for (const double p : {kStandardPressurePa, 85000.0}) {
        INFO("db = " << db << " degC, rh = " << rh << ", p = " << p << " Pa");
        const double w = humidity_ratio(rh * saturation_vapour_pressure_pa(db), p);
        const double wb = wet_bulb_from_relative_humidity_c(db, rh, p);
        CHECK(wb <= db);
        // The residual of the psychrometric equation: dW/dt* is at most ~1e-3 /K here, so a 1e-9 K root
        // leaves |ΔW| below 1e-11.
        CHECK(humidity_ratio_from_wet_bulb(db, wb, p) == Approx(w).margin(1e-11));
        if (rh > 0) {
          const double dp = dew_point_from_relative_humidity_c(db, rh);
          CHECK(dp <= wb + 1e-9);
          CHECK(relative_humidity_from_dew_point(db, dp) == Approx(rh).margin(1e-9));
          CHECK(wet_bulb_from_dew_point_c(db, dp, p) == Approx(wb).margin(1e-6));
          CHECK(relative_humidity_from_wet_bulb(db, wb, p) == Approx(rh).margin(1e-6));
        }
      }
    }
  }
}

TEST_CASE("the standard atmosphere matches ASHRAE Table 1", "[ambient][psychro]") {
  // ASHRAE Fundamentals 2017 ch. 1 Table 1 (via PsychroLib's tests), to the pascal.
  CHECK(standard_pressure_pa(0) == Approx(101325).margin(1));
  CHECK(standard_pressure_pa(500) == Approx(95461).margin(1));
  CHECK(standard_pressure_pa(1000) == Approx(89875).margin(1));
  CHECK(standard_pressure_pa(4000) == Approx(61640).margin(1));
}

TEST_CASE("psychrometric functions reject inputs outside their range", "[ambient][psychro]") {
  CHECK_THROWS_AS(saturation_vapour_pressure_pa(250), std::domain_error);
  CHECK_THROWS_AS(saturation_vapour_pressure_ice_pa(5), std::domain_error);
  CHECK_THROWS_AS(wet_bulb_from_relative_humidity_c(20, 1.5, kStandardPressurePa), std::domain_error);
  CHECK_THROWS_AS(wet_bulb_from_dew_point_c(20, 25, kStandardPressurePa), std::domain_error);
  CHECK_THROWS_AS(humidity_ratio(5000, 4000), std::domain_error);
  CHECK_THROWS_AS(relative_humidity_from_wet_bulb(40, 5, kStandardPressurePa), std::domain_error);
}

// ---- Synthetic climates ---------------------------------------------------------------------------------

TEST_CASE("a synthetic climate peaks at its stated day of year and UTC hour", "[ambient][synthetic]") {
  const Calendar cal = calendar_at("2025-01-01T00:00:00Z");  // day_of_year(t) = t / 1 d in 2025
  SyntheticParams s;
  s.dry_bulb_c = {10, 8, 200};
  s.relative_humidity = 0.6;

  SECTION("annual") {
    const SyntheticClimate c(s, cal);
    const Extremes e = extremes(c, 0, 365 * kDay, kDay / 1000);
    const double best_t = e.max_t, best = e.max, worst_t = e.min_t, worst = e.min;
    CHECK(best_t / kDay == Approx(200).margin(1e-3));
    CHECK(best == Approx(18).margin(1e-9));
    // The minimum half a period (182.625 d) away.
    CHECK(worst_t / kDay == Approx(200 - 182.625).margin(1e-3));
    CHECK(worst == Approx(2).margin(1e-9));
  }
  SECTION("diurnal") {
    s.dry_bulb_c.amplitude = 0;
    s.diurnal_amplitude_k = 4;
    s.diurnal_peak_hour_utc = 13.5;
    const SyntheticClimate c(s, cal);
    for (const double day : {0.0, 100.0, 364.0}) {
      const Extremes e = extremes(c, day * kDay, (day + 1) * kDay, 36);
      const double best_t = e.max_t, best = e.max, worst_t = e.min_t, worst = e.min;
      CHECK((best_t - day * kDay) / kHour == Approx(13.5).margin(0.01));
      CHECK((worst_t - day * kDay) / kHour == Approx(1.5).margin(0.01));
      CHECK(best == Approx(14).margin(1e-9));
      CHECK(worst == Approx(6).margin(1e-9));
    }
  }
}

TEST_CASE("a synthetic climate's dry bulb averages to its mean over a calendar year", "[ambient][synthetic]") {
  const Calendar cal = calendar_at("2025-01-01T00:00:00Z");
  SyntheticParams s;
  s.dry_bulb_c = {7.5, 12, 205};
  s.diurnal_amplitude_k = 5;
  s.diurnal_peak_hour_utc = 14;
  s.relative_humidity = 0.7;
  const SyntheticClimate c(s, cal);
  const double mean = integrate([&](double t) { return c.at(t).dry_bulb_c; }, 0, 365 * kDay, kHour) / (365 * kDay);
  // The diurnal term integrates to zero over whole days. The annual term has period 365.25 d but the year
  // has 365: the mean is off by A·(0.25/365)·cos(2π·205/365.25) at most ≈ 6.8e-4·A = 0.008 K.
  CHECK(mean == Approx(7.5).margin(0.009));
}

TEST_CASE("wet bulb stays below dry bulb and RH in [0, 1] for every preset and humidity model", "[ambient][synthetic]") {
  const Calendar cal = calendar_at("2024-01-01T00:00:00Z");
  std::vector<SyntheticParams> all;
  for (const auto& name : preset_names()) all.push_back(preset(name));
  SyntheticParams rh = preset("us_desert");
  rh.humidity = HumidityModel::relative_humidity;
  rh.relative_humidity = 0.3;
  SyntheticParams dep = preset("northern_sweden");
  dep.humidity = HumidityModel::wet_bulb_depression;
  dep.wet_bulb_depression_k = 4;
  all.push_back(rh);
  all.push_back(dep);
  for (const auto& s : all) {
    const SyntheticClimate c(s, cal);
    const AmbientBounds b = c.bounds();
    INFO(c.describe());
    std::string first_failure;
    for (double t = 0; t < 366 * kDay && first_failure.empty(); t += kHour) {
      const AmbientState a = c.at(t);
      const bool ok = a.wet_bulb_c <= a.dry_bulb_c && a.relative_humidity >= 0 && a.relative_humidity <= 1 &&
                      a.dry_bulb_c >= b.dry_bulb_min_c && a.dry_bulb_c <= b.dry_bulb_max_c &&
                      a.wet_bulb_c >= b.wet_bulb_min_c - 1e-9 && a.wet_bulb_c <= b.wet_bulb_max_c + 1e-9;
      if (!ok) {
        first_failure = "t = " + std::to_string(t) + ": db " + std::to_string(a.dry_bulb_c) + ", wb " +
                        std::to_string(a.wet_bulb_c) + ", rh " + std::to_string(a.relative_humidity);
      }
    }
    CHECK(first_failure == "");
  }
}

TEST_CASE("a wet-bulb depression beyond the dry-air limit gives dry air", "[ambient][synthetic]") {
  SyntheticParams s;
  s.dry_bulb_c = {40, 0, 0};
  s.humidity = HumidityModel::wet_bulb_depression;
  s.wet_bulb_depression_k = 30;  // 10 degC: below the wet bulb of bone-dry air at 40 degC (~18 degC)
  const AmbientState a = SyntheticClimate(s, Calendar()).at(0);
  CHECK(a.relative_humidity == 0);
  CHECK(a.wet_bulb_c == Approx(wet_bulb_from_humidity_ratio_c(40, 0, kStandardPressurePa)).margin(1e-9));
  s.wet_bulb_depression_k = 5;
  const AmbientState b = SyntheticClimate(s, Calendar()).at(0);
  CHECK(b.wet_bulb_c == Approx(35).margin(1e-12));
  CHECK(b.relative_humidity == Approx(relative_humidity_from_wet_bulb(40, 35, kStandardPressurePa)).margin(1e-12));
}

TEST_CASE("the presets give plausible climates for their sites", "[ambient][synthetic][presets]") {
  const Calendar cal = calendar_at("2025-01-01T00:00:00Z");
  const auto annual_mean = [&](const Climate& c) {
    return integrate([&](double t) { return c.at(t).dry_bulb_c; }, 0, 365 * kDay, kHour) / (365 * kDay);
  };
  // An instant: day of year (0 = 1 Jan) and UTC hour in 2025.
  const auto at = [](int day, double hour_utc) { return day * kDay + hour_utc * kHour; };

  SECTION("northern_sweden: Luleå, annual mean about 2 degC (DOMAIN.md §5, Meta), no water body") {
    const SyntheticClimate c(preset("northern_sweden"), cal);
    CHECK(annual_mean(c) == Approx(2).margin(1));
    CHECK(std::isnan(c.at(0).water_c));
    CHECK(c.at(at(20, 4)).dry_bulb_c < -10);  // a January night: Luleå's January mean is about -10 degC
  }
  SECTION("us_desert: Phoenix, July afternoons above 38 degC (NOAA normal July mean max ≈ 41 degC)") {
    const SyntheticClimate c(preset("us_desert"), cal);
    const AmbientState a = c.at(at(196, 22.5));  // 15 July, 15:30 MST
    CHECK(a.dry_bulb_c > 38);
    CHECK(a.dry_bulb_c < 45);
    // Dry heat: RH well under 30 % and a wet bulb far below the dry bulb (design wet bulbs ≈ 21–24 degC).
    CHECK(a.relative_humidity < 0.3);
    CHECK(a.wet_bulb_c > 15);
    CHECK(a.wet_bulb_c < 25);
    CHECK(annual_mean(c) == Approx(24.4).margin(1));
    CHECK(c.at(at(15, 13)).dry_bulb_c < 12);  // a January dawn
  }
  SECTION("us_southeast: Atlanta, humid summers") {
    const SyntheticClimate c(preset("us_southeast"), cal);
    const AmbientState a = c.at(at(200, 20));  // 20 July, 15:00 EST
    CHECK(a.dry_bulb_c > 30);
    CHECK(a.dry_bulb_c < 35);
    CHECK(a.wet_bulb_c > 22);
    CHECK(a.wet_bulb_c < 27);
    CHECK(a.dry_bulb_c - a.wet_bulb_c < 10);  // a much smaller depression than in Phoenix
    CHECK(annual_mean(c) == Approx(17).margin(1));
  }
  SECTION("finnish_coast: Hamina with Baltic seawater between freezing and ~15 degC") {
    const SyntheticClimate c(preset("finnish_coast"), cal);
    CHECK(annual_mean(c) == Approx(6).margin(1));
    for (int d = 0; d < 365; d += 5) {
      const double w = c.at(at(d, 0)).water_c;
      CHECK(w >= -0.5);
      CHECK(w <= 15);
    }
    CHECK(c.at(at(219, 0)).water_c == Approx(14).margin(0.01));
    CHECK(c.at(at(40, 3)).dry_bulb_c < 0);  // a February night
  }
  SECTION("north_sea_seabed: Orkney air and an assumed seabed temperature of 7.7–13.3 degC") {
    const SyntheticClimate c(preset("north_sea_seabed"), cal);
    CHECK(annual_mean(c) == Approx(8.3).margin(0.5));
    const AmbientBounds b = c.bounds();
    CHECK(b.dry_bulb_max_c - b.dry_bulb_min_c < 16);  // a maritime climate
    for (int d = 0; d < 365; ++d) {
      const double w = c.at(at(d, 0)).water_c;
      CHECK(w >= 7.6);
      CHECK(w <= 13.4);
    }
  }
  SECTION("every preset describes itself by name") {
    for (const auto& name : preset_names()) {
      CHECK_THAT(SyntheticClimate(preset(name), cal).describe(), Catch::Contains(name));
    }
    CHECK_THROWS_AS(preset("atlantis"), std::invalid_argument);
  }
}

TEST_CASE("synthetic climates reject out-of-range parameters", "[ambient][synthetic]") {
  SyntheticParams s;
  s.dry_bulb_c = {10, -1, 200};
  CHECK_THROWS_AS(SyntheticClimate(s, Calendar()), std::invalid_argument);
  s.dry_bulb_c = {10, 5, 200};
  s.relative_humidity = 1.2;
  CHECK_THROWS_AS(SyntheticClimate(s, Calendar()), std::invalid_argument);
  s.relative_humidity = 0.5;
  s.diurnal_peak_hour_utc = 24;
  CHECK_THROWS_AS(SyntheticClimate(s, Calendar()), std::invalid_argument);
  s.diurnal_peak_hour_utc = 12;
  s.dry_bulb_c = {55, 10, 200};
  CHECK_THROWS_WITH(SyntheticClimate(s, Calendar()), Catch::Contains("[-90, 60]"));
}

// ---- EPW files ------------------------------------------------------------------------------------------

TEST_CASE("an EPW file round-trips its hourly values at exact hours of local standard time", "[ambient][epw]") {
  const std::string path = (epw_dir() / "partial_year.epw").string();
  const auto rows = read_rows(path);
  REQUIRE(rows.size() == 97);
  // The file's LOCATION says UTC+2: local h:00 on day d is (d·24 + h − 2) h after 1 Jan 00:00 UTC.
  const Calendar cal = calendar_at("2025-01-01T00:00:00Z");
  const EpwClimate c(path, cal, partial());
  CHECK(c.utc_offset_h() == 2.0);
  CHECK(c.elevation_m() == 10.0);
  CHECK(c.hours_read() == 97);
  CHECK(c.location() == "Testville, FIN");
  CHECK_THAT(c.describe(), Catch::Contains("partial_year.epw") && Catch::Contains("UTC+2"));
  for (const auto& [key, row] : rows) {
    const auto [m, d, h] = key;
    if (row.dp == 99.9 || row.p == 999999) continue;  // the fallbacks have their own test
    INFO("month " << m << ", day " << d << ", hour " << h);
    const double t = (day_of_year(m, d) * 24 + h - 2) * kHour;
    check_state(c.at(t), expected_state(row));
    CHECK(std::isnan(c.at(t).water_c));
  }
  // Bounds: the extremes of the hourly values.
  double lo = 1e9, hi = -1e9;
  for (const auto& [key, row] : rows) {
    lo = std::min(lo, row.db);
    hi = std::max(hi, row.db);
  }
  CHECK(c.bounds().dry_bulb_min_c == lo);
  CHECK(c.bounds().dry_bulb_max_c == hi);
}

TEST_CASE("an EPW climate interpolates linearly between hours and wraps at the end of the year", "[ambient][epw]") {
  const std::string path = (epw_dir() / "partial_year.epw").string();
  const auto rows = read_rows(path);
  const auto state = [&](int m, int d, int h) { return expected_state(rows.at({m, d, h})); };
  const Calendar cal = calendar_at("2025-12-31T00:00:00Z");  // t = 0 is 02:00 local on 31 December
  const EpwClimate c(path, cal, partial());
  // Within 31 December: local 10:15 lies between hours 10 and 11 (values at 10:00 and 11:00).
  check_state(c.at((10.25 - 2) * kHour), lerp(state(12, 31, 10), state(12, 31, 11), 0.25));
  check_state(c.at((23.5 - 2) * kHour), lerp(state(12, 31, 23), state(12, 31, 24), 0.5));
  // Across New Year: hour 24 of 31 December is 1 January 00:00, followed by hour 1 of 1 January.
  check_state(c.at((24.4 - 2) * kHour), lerp(state(12, 31, 24), state(1, 1, 1), 0.4));
  // (Hours 6 and 7 of 1 January exercise the missing-value fallbacks and are tested separately.)
  for (int h = 8; h < 24; ++h) {
    for (const double f : {0.1, 0.5, 0.9}) {
      const AmbientState got = c.at((24 + h + f - 2) * kHour);
      check_state(got, lerp(state(1, 1, h), state(1, 1, h + 1), f));
      CHECK(got.wet_bulb_c <= got.dry_bulb_c);
    }
  }
  // Outside the rows of a partial year.
  CHECK_THROWS_AS(c.at(100 * kDay), std::out_of_range);
}

TEST_CASE("a leap year reads 29 February as 28 February", "[ambient][epw]") {
  const std::string path = (epw_dir() / "partial_year.epw").string();
  const auto rows = read_rows(path);
  const auto state = [&](int m, int d, int h) { return expected_state(rows.at({m, d, h})); };
  const Calendar cal = calendar_at("2024-02-28T00:00:00Z");  // 2024 is a leap year
  const EpwClimate c(path, cal, partial());
  for (int h = 1; h <= 24; ++h) {
    INFO("hour " << h);
    check_state(c.at((24 + h - 2) * kHour), state(2, 28, h));  // 29 February repeats 28 February
    check_state(c.at((48 + h - 2) * kHour), state(3, 1, h));   // 1 March
    if (h < 24) check_state(c.at((h - 2) * kHour), state(2, 28, h));  // 28 February
  }
  // At local midnight starting 29 February the series steps back a day: it reads 28 February 00:00,
  // which is hour 24 of 27 February, rather than 1 March 00:00 (hour 24 of 28 February).
  check_state(c.at((24 - 2) * kHour), state(2, 27, 24));
  // Continuous into 1 March: just before local midnight ending 29 February it approaches hour 24 of 28 Feb.
  check_state(c.at((48 - 2) * kHour - 1e-3), lerp(state(2, 28, 23), state(2, 28, 24), 1 - 1e-3 / kHour));
}

TEST_CASE("a missing dew point or pressure in an EPW row falls back to RH or the standard atmosphere", "[ambient][epw]") {
  const std::string path = (epw_dir() / "partial_year.epw").string();
  const auto rows = read_rows(path);
  const EpwClimate c(path, calendar_at("2025-01-01T00:00:00Z"), partial());
  // 1 January hour 6: dew point 99.9, RH given.
  const Row r6 = rows.at({1, 1, 6});
  REQUIRE(r6.dp == 99.9);
  const double dp = dew_point_from_relative_humidity_c(r6.db, r6.rh_pct / 100);
  check_state(c.at((6 - 2) * kHour), {r6.db, wet_bulb_from_dew_point_c(r6.db, dp, r6.p), r6.rh_pct / 100, NAN});
  // 1 January hour 7: pressure 999999, so the standard atmosphere at the file's 10 m elevation.
  Row r7 = rows.at({1, 1, 7});
  REQUIRE(r7.p == 999999);
  r7.p = standard_pressure_pa(10);
  check_state(c.at((7 - 2) * kHour), expected_state(r7));
}

TEST_CASE("malformed EPW files are ConfigErrors naming the file, line and column", "[ambient][epw]") {
  const Calendar cal;
  const auto load = [&](const std::string& path) { return EpwClimate(path, cal, partial()); };
  // A variant of the small file with one line replaced (lines are 1-based).
  const auto variant = [](const std::string& name, std::size_t line, const std::string& text) {
    std::vector<std::string> lines = small_epw();
    lines[line - 1] = text;
    return write(name, join(lines));
  };
  const auto field_replaced = [](std::size_t line, std::size_t field, const std::string& value) {
    return replace_field(small_epw()[line - 1], field, value);
  };
  const auto at = [](const std::string& file, std::size_t line, std::size_t field) {
    return file + ":" + std::to_string(line) + ":" +
           std::to_string(column_of(small_epw()[line - 1], field)) + ": error: ";
  };

  REQUIRE_NOTHROW(load(write("good.epw", join(small_epw()))));

  SECTION("a missing file") {
    const std::string p = (temp_dir() / "no_such.epw").string();
    CHECK_THROWS_AS(load(p), ConfigError);
    CHECK_THROWS_WITH(load(p), Catch::Contains("no_such.epw: error: the file does not exist (no such file)"));
  }
  SECTION("a directory or a device, which is not a file") {
    CHECK_THROWS_WITH(load(temp_dir().string()), Catch::Contains("error: the file is a directory"));
    CHECK_THROWS_WITH(load("/dev/zero"), Catch::Contains("/dev/zero: error: the file is a character device, not a file"));
  }
  SECTION("a file that is not EPW") {
    const std::string p = variant("not_epw.epw", 1, "time_s,dry_bulb");
    CHECK_THROWS_WITH(load(p), Catch::Contains("not_epw.epw:1:1: error:") && Catch::Contains("LOCATION"));
  }
  SECTION("a header one line short") {
    std::vector<std::string> lines = small_epw();
    lines.erase(lines.begin() + 6);  // no COMMENTS 2: the first data row lands on line 8
    const std::string p = write("short_header.epw", join(lines));
    CHECK_THROWS_WITH(load(p), Catch::Contains("short_header.epw:8:1: error:") && Catch::Contains("DATA PERIODS"));
  }
  SECTION("a header far too short") {
    std::vector<std::string> lines = small_epw();
    lines.erase(lines.begin() + 3, lines.end());
    lines.push_back(small_epw()[8]);
    const std::string p = write("shorter_header.epw", join(lines));
    CHECK_THROWS_WITH(load(p), Catch::Contains("shorter_header.epw:4:1: error:") &&
                                   Catch::Contains("header line 4 of 8"));
  }
  SECTION("only a header") {
    std::vector<std::string> lines = small_epw();
    lines.resize(8);
    const std::string p = write("header_only.epw", join(lines));
    CHECK_THROWS_WITH(load(p), Catch::Contains("header_only.epw: error:") && Catch::Contains("no hourly data"));
  }
  SECTION("a bad time zone") {
    const std::string p = variant("bad_tz.epw", 1, field_replaced(1, 8, "20"));
    CHECK_THROWS_WITH(load(p), Catch::Contains(at(p, 1, 8)) && Catch::Contains("time zone"));
  }
  SECTION("sub-hourly data") {
    const std::string p = variant("subhourly.epw", 8, "DATA PERIODS,1,4,Data,Monday, 1/ 1,12/31");
    CHECK_THROWS_WITH(load(p), Catch::Contains(p + ":8:") && Catch::Contains("1 record per hour"));
  }
  SECTION("too few fields") {
    const std::string p = variant("few_fields.epw", 10, "2001,1,1,2,60,A7A7,-5.5,-7.4,86,101010,0,0");
    CHECK_THROWS_WITH(load(p), Catch::Contains(p + ":10:") && Catch::Contains("at least 35 fields in an EPW data row, found 12"));
  }
  SECTION("a non-numeric value") {
    const std::string p = variant("non_numeric.epw", 11, field_replaced(11, 6, "warm"));
    CHECK_THROWS_WITH(load(p), Catch::Contains(at(p, 11, 6)) && Catch::Contains("dry bulb") &&
                                   Catch::Contains("\"warm\""));
  }
  SECTION("a month, day or hour out of range") {
    const std::string m = variant("bad_month.epw", 9, field_replaced(9, 1, "13"));
    CHECK_THROWS_WITH(load(m), Catch::Contains(at(m, 9, 1)) && Catch::Contains("month"));
    const std::string april = field_replaced(10, 1, "4");
    const std::string d = variant("bad_day.epw", 10, april.substr(0, 7) + "31" + april.substr(8));
    CHECK_THROWS_WITH(load(d), Catch::Contains(d + ":10:") && Catch::Contains("day: expected an integer in [1, 30]"));
    // Every month's last day is accepted and the day after it refused (February: 29, read as the 28th).
    const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int month = 1; month <= 12; ++month) {
      const std::string mm = std::to_string(month), last = std::to_string(days[month - 1]);
      INFO("month " << month);
      const std::string ok = variant("last_day.epw", 10, replace_field(field_replaced(10, 1, mm), 2, last));
      std::string why;  // the rows may now be out of order, but the day itself must be accepted
      try {
        load(ok);
      } catch (const ConfigError& e) {
        why = e.what();
      }
      CHECK_THAT(why, !Catch::Contains("day: expected"));
      const std::string over = std::to_string(days[month - 1] + 1);
      const std::string bad = variant("day_after.epw", 10, replace_field(field_replaced(10, 1, mm), 2, over));
      CHECK_THROWS_WITH(load(bad), Catch::Contains(bad + ":10:") && Catch::Contains("day: expected an integer in [1, " + last + "]"));
    }
    const std::string h = variant("bad_hour.epw", 11, field_replaced(11, 3, "25"));
    CHECK_THROWS_WITH(load(h), Catch::Contains(at(h, 11, 3)) && Catch::Contains("hour"));
    const std::string z = variant("hour_zero.epw", 11, field_replaced(11, 3, "0"));
    CHECK_THROWS_WITH(load(z), Catch::Contains(at(z, 11, 3)));
    const std::string f = variant("fraction_hour.epw", 11, field_replaced(11, 3, "2.5"));
    CHECK_THROWS_WITH(load(f), Catch::Contains(at(f, 11, 3)));
  }
  SECTION("a missing dry bulb") {
    const std::string p = variant("missing_db.epw", 10, field_replaced(10, 6, "99.9"));
    CHECK_THROWS_WITH(load(p), Catch::Contains(at(p, 10, 6)) && Catch::Contains("missing"));
  }
  SECTION("missing dew point and relative humidity") {
    const std::string p = variant("no_humidity.epw", 10, replace_field(field_replaced(10, 7, "99.9"), 8, "999"));
    CHECK_THROWS_WITH(load(p), Catch::Contains(at(p, 10, 7)) && Catch::Contains("both missing"));
  }
  SECTION("values outside the EPW ranges") {
    const std::string p = variant("low_pressure.epw", 9, field_replaced(9, 9, "20000"));
    CHECK_THROWS_WITH(load(p), Catch::Contains(at(p, 9, 9)) && Catch::Contains("atmospheric pressure"));
    const std::string r = variant("high_rh.epw", 9, field_replaced(9, 8, "120"));
    CHECK_THROWS_WITH(load(r), Catch::Contains(at(r, 9, 8)) && Catch::Contains("relative humidity"));
    const std::string t = variant("hot.epw", 9, field_replaced(9, 6, "75"));
    CHECK_THROWS_WITH(load(t), Catch::Contains(at(t, 9, 6)));
  }
  SECTION("a hot, humid hour at a pressure too low for its wet bulb") {
    // 69.9 degC, saturated, at 310 hPa: water would boil before the air saturates.
    const std::string p = variant("no_wet_bulb.epw", 10, replace_field(replace_field(field_replaced(10, 6, "69.9"), 7, "69.9"), 9, "31001"));
    CHECK_THROWS_WITH(load(p), Catch::Contains(at(p, 10, 6)) && Catch::Contains("cannot derive the wet bulb"));
  }
  SECTION("an hour given twice") {
    const std::string p = variant("duplicate.epw", 11, small_epw()[9]);
    CHECK_THROWS_WITH(load(p), Catch::Contains(at(p, 11, 3)) && Catch::Contains("first on line 10"));
  }
}

TEST_CASE("an EPW file must hold a whole year unless partial years are allowed", "[ambient][epw]") {
  const std::string path = (epw_dir() / "partial_year.epw").string();
  CHECK_THROWS_AS(EpwClimate(path, Calendar()), ConfigError);
  CHECK_THROWS_WITH(EpwClimate(path, Calendar()),
                    Catch::Contains("partial_year.epw: error:") && Catch::Contains("found 97") &&
                        Catch::Contains("first missing is month 1, day 2, hour 1"));
  // 29 February rows are skipped, so a leap-year file with all 8784 hours is a whole year.
  std::string text = full_year_epw();
  std::string feb29;
  for (int h = 1; h <= 24; ++h) {
    feb29 += "2004,2,29," + std::to_string(h) + ",60,A7A7,99.9,99.9,999,999999";
    for (int k = 10; k < 35; ++k) feb29 += ",0";
    feb29 += "\n";
  }
  const std::size_t mar1 = text.find("\n2001,3,1,1,") + 1;
  text.insert(mar1, feb29);
  const EpwClimate leap(write("leap.epw", text), Calendar());
  CHECK(leap.hours_read() == 8760);
}

// ---- Factory --------------------------------------------------------------------------------------------

TEST_CASE("make_climate builds a preset with overrides and asks for every key it is given", "[ambient][factory]") {
  const Calendar cal = calendar_at("2025-01-01T00:00:00Z");
  const ConfigValue root = toml(R"([sites.ambient]
preset = "northern_sweden"
dry_bulb_mean = "3 degC"
dry_bulb_diurnal_amplitude = "5 K"
elevation = "100 m"
water_mean = "4 degC"
water_annual_amplitude = "3 K"
water_annual_peak_day = 230
)");
  const auto c = climate_from(root, cal);
  CHECK_NOTHROW(check_unknown_keys(root));
  const auto* s = dynamic_cast<const SyntheticClimate*>(c.get());
  REQUIRE(s);
  const SyntheticParams& p = s->params();
  const SyntheticParams base = preset("northern_sweden");
  CHECK(p.dry_bulb_c.mean == 3);
  CHECK(p.dry_bulb_c.amplitude == base.dry_bulb_c.amplitude);  // kept from the preset
  CHECK(p.diurnal_amplitude_k == 5);
  CHECK(p.humidity == HumidityModel::dew_point);
  CHECK(p.pressure_pa == Approx(standard_pressure_pa(100)));
  REQUIRE(p.water_c);
  CHECK(c->at(230 * kDay).water_c == Approx(7).margin(1e-12));
  CHECK_THAT(c->describe(), Catch::Contains("northern_sweden"));
}

TEST_CASE("make_climate builds a synthetic climate from explicit keys", "[ambient][factory]") {
  const Calendar cal = calendar_at("2025-01-01T00:00:00Z");
  const ConfigValue root = toml(R"([sites.ambient]
kind = "synthetic"
dry_bulb_mean = "5 degC"
dry_bulb_annual_amplitude = "10 K"
dry_bulb_annual_peak_day = 200
dry_bulb_diurnal_amplitude = "4 K"
dry_bulb_diurnal_peak_hour_utc = 13
wet_bulb_depression = "3 K"
pressure = "100 kPa"
)");
  const auto c = climate_from(root, cal);
  CHECK_NOTHROW(check_unknown_keys(root));
  const AmbientState a = c->at(200 * kDay + 13 * kHour);
  CHECK(a.dry_bulb_c == Approx(5 + 10 * std::cos(kTwoPi * (13.0 / 24) / 365.25) + 4).margin(1e-9));
  CHECK(a.wet_bulb_c == Approx(a.dry_bulb_c - 3).margin(1e-12));
  CHECK(a.relative_humidity == Approx(relative_humidity_from_wet_bulb(a.dry_bulb_c, a.wet_bulb_c, 100e3)));
  CHECK(std::isnan(a.water_c));
}

TEST_CASE("make_climate reads an EPW file relative to the scenario file, with a water body", "[ambient][factory]") {
  write("full_year.epw", full_year_epw());
  const std::string scenario = (temp_dir() / "scenario.toml").string();
  const auto load = [&](const std::string& extra, const char* start) {
    const ConfigValue root = toml("[sites.ambient]\nepw = \"full_year.epw\"\n" + extra, scenario);
    auto c = climate_from(root, calendar_at(start));
    check_unknown_keys(root);
    return c;
  };
  // The file says UTC+1: 12:00 UTC on 19 July (day 199) is local hour 13.
  const auto c = load("water_mean = \"8 degC\"\nwater_annual_amplitude = \"6 K\"\nwater_annual_peak_day = 230\n",
                      "2025-07-19T12:00:00Z");
  const AmbientState a = c->at(0);
  CHECK(a.dry_bulb_c == Approx(full_year_dry_bulb(199, 13)).margin(1e-12));
  CHECK(a.wet_bulb_c == Approx(wet_bulb_from_dew_point_c(a.dry_bulb_c, a.dry_bulb_c - 3, 101325)).margin(1e-12));
  CHECK(a.water_c == Approx(8 + 6 * std::cos(kTwoPi * (199.5 - 230) / 365.25)).margin(1e-12));
  const auto* e = dynamic_cast<const EpwClimate*>(c.get());
  REQUIRE(e);
  CHECK(e->hours_read() == 8760);
  CHECK(e->utc_offset_h() == 1.0);
  // utc_offset_h overrides the file's time zone: UTC+3 makes the same instant local hour 15.
  const auto shifted = load("utc_offset_h = 3\n", "2025-07-19T12:00:00Z");
  CHECK(shifted->at(0).dry_bulb_c == Approx(full_year_dry_bulb(199, 15)).margin(1e-12));
  CHECK(std::isnan(shifted->at(0).water_c));
  // The whole year is there: every instant has a value, wrapping at New Year.
  const auto ny = load("", "2025-12-31T22:00:00Z");
  for (double t = 0; t < 4 * kHour; t += 600) CHECK(std::isfinite(ny->at(t).dry_bulb_c));
}

TEST_CASE("make_climate errors name the file, line and key and suggest near misses", "[ambient][factory]") {
  const Calendar cal;
  const auto error_of = [&](const std::string& body) -> std::string {
    try {
      const ConfigValue root = toml("[sites.ambient]\n" + body);
      climate_from(root, cal);
      check_unknown_keys(root);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK_THAT(error_of("preset = \"finish_coast\"\n"),
             Catch::Contains("test.toml:2:") && Catch::Contains("sites.ambient.preset") &&
                 Catch::Contains("did you mean \"finnish_coast\"?"));
  CHECK_THAT(error_of("preset = \"us_desert\"\ndry_bulb_annual_amplitude = \"10 W\"\n"),
             Catch::Contains("test.toml:3:") && Catch::Contains("sites.ambient.dry_bulb_annual_amplitude") &&
                 Catch::Contains("temperature difference"));
  // A difference in degC is a difference in K (units.hpp); one in degF is refused.
  CHECK_THAT(error_of("preset = \"us_desert\"\ndry_bulb_diurnal_amplitude = \"6 degF\"\n"),
             Catch::Contains("test.toml:3:") && Catch::Contains("dry_bulb_diurnal_amplitude") &&
                 Catch::Contains("use K"));
  CHECK_THAT(error_of("preset = \"us_desert\"\ndry_bulb_mean = \"hot\"\n"),
             Catch::Contains("test.toml:3:") && Catch::Contains("sites.ambient.dry_bulb_mean"));
  CHECK_THAT(error_of("preset = \"us_desert\"\nrelative_humidity = 0.2\nwet_bulb_depression = \"5 K\"\n"),
             Catch::Contains("test.toml:4:") && Catch::Contains("no second humidity"));
  CHECK_THAT(error_of("preset = \"us_desert\"\nrelative_humidity = 1.5\n"),
             Catch::Contains("test.toml:3:") && Catch::Contains("relative_humidity"));
  CHECK_THAT(error_of("dry_bulb_mean = 5\ndry_bulb_annual_amplitude = \"10 K\"\ndry_bulb_annual_peak_day = 200\n"
                      "dry_bulb_diurnal_amplitude = \"0 K\"\n"),
             Catch::Contains("sites.ambient.relative_humidity") && Catch::Contains("a humidity"));
  CHECK_THAT(error_of("dry_bulb_mean = 5\ndry_bulb_annual_amplitude = \"10 K\"\n"
                      "dry_bulb_diurnal_amplitude = \"0 K\"\nrelative_humidity = 0.5\n"),
             Catch::Contains("sites.ambient.dry_bulb_annual_peak_day") && Catch::Contains("missing"));
  CHECK_THAT(error_of("preset = \"us_desert\"\ndry_bulb_mena = \"20 degC\"\n"),
             Catch::Contains("test.toml:3:") && Catch::Contains("did you mean 'dry_bulb_mean'?"));
  CHECK_THAT(error_of("preset = \"us_desert\"\nwater_annual_amplitude = \"3 K\"\n"),
             Catch::Contains("sites.ambient.water_mean"));
  CHECK_THAT(error_of("preset = \"us_desert\"\ndew_point_annual_amplitude = \"3 K\"\nrelative_humidity = 0.3\n"),
             Catch::Contains("test.toml:3:") && Catch::Contains("dew_point_mean"));
  CHECK_THAT(error_of("kind = \"weather\"\n"),
             Catch::Contains("test.toml:2:") && Catch::Contains("\"synthetic\", \"epw\""));
  CHECK_THAT(error_of("epw = \"nowhere.epw\"\n"),
             Catch::Contains("test.toml:2:") && Catch::Contains("sites.ambient.epw") && Catch::Contains("no such file"));
  CHECK_THAT(error_of("epw = \"nowhere.epw\"\npreset = \"us_desert\"\n"),
             Catch::Contains("test.toml:3:") && Catch::Contains("no preset with an EPW file"));
  CHECK_THAT(error_of("preset = \"us_desert\"\npressure = \"100 kPa\"\nelevation = \"10 m\"\n"),
             Catch::Contains("test.toml:4:") && Catch::Contains("either pressure or elevation"));
  // An EPW file that exists but is incomplete: the file's own error.
  const std::string rel = std::filesystem::relative(epw_dir() / "partial_year.epw").string();
  CHECK_THAT(error_of("epw = \"" + rel + "\"\n"), Catch::Contains("partial_year.epw: error:"));
}
