#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "models/power/electrical.hpp"
#include "models/world.hpp"
#include "sim/io/scenario.hpp"

using namespace dcsim;
using namespace dcsim::power;

namespace {

constexpr double kHour = 3600.0, kDay = 86400.0;

ConfigValue toml(const std::string& text) { return io::parse_toml(text, "test.toml"); }

// 24 distinct hourly values in gCO2/kWh, converted to kg/J.
std::vector<double> hourly_profile() {
  std::vector<double> v;
  for (int h = 0; h < 24; ++h) v.push_back(g_per_kwh_to_kg_per_j(200.0 + 10.0 * h));
  return v;
}

double mean_of(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

std::string hourly_toml(int n) {
  std::string s = "hourly = [";
  for (int h = 0; h < n; ++h) s += (h ? ", \"" : "\"") + std::to_string(200 + 10 * h) + " gCO2/kWh\"";
  return s + "]\n";
}

}  // namespace

TEST_CASE("a double-conversion UPS is 95 % efficient at half load by construction", "[ups]") {
  const LossCurve c = ups_double_conversion(1e6);
  CHECK(efficiency(c, 0.5) == Approx(0.95).epsilon(1e-12));
  CHECK(input_power_w(c, 5e5) == Approx(5e5 / 0.95).epsilon(1e-12));
  CHECK(losses_w(c, 0.0) == Approx(0.01 * 1e6));  // no-load loss
  CHECK(efficiency(c, 0.0) == 0.0);
  CHECK(efficiency(ups_eco_mode(1e6), 0.5) == Approx(0.99).epsilon(1e-12));
}

TEST_CASE("UPS efficiency falls at light load and rises monotonically up to full load", "[ups]") {
  for (const LossCurve& c : {ups_double_conversion(1e6), ups_eco_mode(1e6)}) {
    CHECK(efficiency(c, 0.1) < efficiency(c, 0.25));
    CHECK(efficiency(c, 0.25) < efficiency(c, 0.5));
    CHECK(efficiency(c, 0.5) < efficiency(c, 1.0));
    double last = 0;
    for (int i = 1; i <= 100; ++i) {
      const double eta = efficiency(c, i / 100.0);
      CHECK(eta > last);
      CHECK(eta < 1.0);
      last = eta;
    }
  }
  // The values quoted in the header.
  const LossCurve c = ups_double_conversion(1e6);
  CHECK(efficiency(c, 0.1) == Approx(0.886).margin(0.0005));
  CHECK(efficiency(c, 0.25) == Approx(0.934).margin(0.0005));
  CHECK(efficiency(c, 1.0) == Approx(0.955).margin(0.0005));
}

TEST_CASE("input and output power of a loss curve are inverse to each other", "[ups]") {
  const LossCurve c = ups_double_conversion(2e6);
  for (const double out_w : {0.0, 1e4, 3e5, 1e6, 2e6, 2.4e6}) {
    const double in_w = input_power_w(c, out_w);
    CHECK(in_w == Approx(out_w + losses_w(c, out_w)));
    CHECK(output_power_w(c, in_w) == Approx(out_w).margin(1e-6));
  }
  CHECK(output_power_w(c, 0.5 * losses_w(c, 0.0)) == 0.0);  // not enough to cover the no-load loss
}

TEST_CASE("a loss curve that cannot reach its efficiency is refused", "[ups]") {
  CHECK_THROWS_AS(loss_curve_through(1e6, 0.99, 0.5, 0.05, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(loss_curve_through(0.0, 0.95, 0.5, 0.01, 0.01), std::invalid_argument);
  CHECK_THROWS_AS(loss_curve_through(1e6, 1.0, 0.5, 0.01, 0.01), std::invalid_argument);
  const LossCurve c = loss_curve_through(1e6, 0.97, 0.4, 0.005, 0.008);
  CHECK(efficiency(c, 0.4) == Approx(0.97).epsilon(1e-12));
}

TEST_CASE("a loss curve is read from a preset or from a calibration point", "[ups]") {
  const ConfigValue a = toml("preset = \"eco_mode\"\n");
  CHECK(efficiency(make_loss_curve(Params(a, "sites[0].ups", models::parameter_schema()), 1e6), 0.5) == Approx(0.99).epsilon(1e-12));
  const ConfigValue b = toml("efficiency = \"96 %\"\nat_load = 0.4\nno_load_loss = 0.005\n");
  CHECK(efficiency(make_loss_curve(Params(b, "sites[0].ups", models::parameter_schema()), 1e6), 0.4) == Approx(0.96).epsilon(1e-12));
  const ConfigValue typo = toml("preset = \"eco\"\n");
  CHECK_THROWS_WITH(make_loss_curve(Params(typo, "sites[0].ups", models::parameter_schema()), 1e6), Catch::Contains("did you mean \"eco_mode\"?"));
  const ConfigValue unreachable = toml("efficiency = 0.99\nno_load_loss = 0.05\n");
  CHECK_THROWS_WITH(make_loss_curve(Params(unreachable, "sites[0].ups", models::parameter_schema()), 1e6),
                    Catch::Contains("ups.efficiency") && Catch::Contains("no-load"));
}

TEST_CASE("grid presets carry the DOMAIN.md intensities", "[carbon]") {
  CHECK(*grid_preset_g_per_kwh("us_grid") == 367.0);
  CHECK(*grid_preset_g_per_kwh("sweden_grid") == 40.7);
  CHECK(*grid_preset_g_per_kwh("finland_grid") == 79.0);
  CHECK(*grid_preset_g_per_kwh("nuclear") == 12.0);
  CHECK(*grid_preset_g_per_kwh("smr") == *grid_preset_g_per_kwh("nuclear"));
  CHECK(*grid_preset_g_per_kwh("gas") == 490.0);
  CHECK(*grid_preset_g_per_kwh("coal") == 820.0);
  CHECK(*grid_preset_g_per_kwh("wind") == 11.0);
  CHECK(*grid_preset_g_per_kwh("hydro") == 24.0);
  CHECK(*grid_preset_g_per_kwh("solar_pv") == 48.0);
  CHECK_FALSE(grid_preset_g_per_kwh("mars"));
  for (const auto& g : grid_presets()) {
    INFO(g.name);
    CHECK(g.g_per_kwh > 0);
    CHECK_FALSE(g.source.empty());
  }
  CHECK(g_per_kwh_to_kg_per_j(367.0) == Approx(367e-3 / 3.6e6));
  CHECK(kg_per_j_to_g_per_kwh(g_per_kwh_to_kg_per_j(367.0)) == Approx(367.0));
}

TEST_CASE("the surge's images equal 69,300 US household-days and 747 t of CO2 on the US grid", "[carbon]") {
  // DOMAIN.md §7: 700 M images x 2.907 Wh.
  const double energy_j = 700e6 * 2.907 * 3600.0;
  CHECK(energy_j / 3.6e12 == Approx(2.035).margin(0.0005));  // GWh
  CHECK(household_days(energy_j) == Approx(69300).margin(50));  // stated to three digits
  CHECK(kUsHouseholdKwhPerDay == Approx(29.4).margin(0.05));    // EIA's rounded figure

  // Emissions through the EnergyRate type: the energy as a constant power over one week.
  const double week_s = 7 * kDay, power_w = energy_j / week_s;
  const auto tonnes = [&](const char* preset, double pue) {
    const EnergyRate ci = EnergyRate::constant(g_per_kwh_to_kg_per_j(*grid_preset_g_per_kwh(preset)));
    return ci.amount(power_w * pue, 0.0, week_s) / 1000.0;
  };
  CHECK(tonnes("us_grid", 1.0) == Approx(747).margin(0.5));
  CHECK(tonnes("us_grid", 1.58) == Approx(1180).margin(5));  // stated to three digits
  CHECK(tonnes("sweden_grid", 1.0) == Approx(83).margin(0.5));
  CHECK(tonnes("nuclear", 1.0) == Approx(24).margin(0.5));
}

TEST_CASE("an hourly step profile holds each value over its UTC hour", "[carbon]") {
  const Calendar cal;  // t = 0 at 2025-03-25T00:00:00Z
  const auto v = hourly_profile();
  const EnergyRate ci = EnergyRate::hourly(cal, v, EnergyRate::Interpolation::step);
  CHECK(ci.value(0.0) == v[0]);
  CHECK(ci.value(5.5 * kHour) == v[5]);
  CHECK(ci.value(23.99 * kHour) == v[23]);
  CHECK(ci.value(kDay + 5.5 * kHour) == v[5]);
  CHECK(ci.next_break(0.0) == Approx(kHour));
  CHECK(ci.next_break(5.5 * kHour) == Approx(6 * kHour));
  CHECK(ci.mean(0.5 * kHour, 1.5 * kHour) == Approx((v[0] + v[1]) / 2).epsilon(1e-12));
  CHECK(ci.mean(0.0, kDay) == Approx(mean_of(v)).epsilon(1e-12));
  CHECK(ci.mean(3.25 * kHour, 3 * kDay + 3.25 * kHour) == Approx(mean_of(v)).epsilon(1e-12));
  CHECK(ci.amount(1e6, 2 * kHour, 3 * kHour) == Approx(1e6 * kHour * v[2]).epsilon(1e-12));

  SECTION("hours are UTC hours, whatever hour t = 0 falls on") {
    const EnergyRate late = EnergyRate::hourly(Calendar(*parse_utc("2025-03-25T06:30:00Z")), v,
                                                         EnergyRate::Interpolation::step);
    CHECK(late.value(0.0) == v[6]);
    CHECK(late.next_break(0.0) == Approx(0.5 * kHour));
  }
}

TEST_CASE("an hourly linear profile places each hour's value at its middle and keeps the daily mean", "[carbon]") {
  const Calendar cal;
  const auto v = hourly_profile();
  const EnergyRate ci = EnergyRate::hourly(cal, v, EnergyRate::Interpolation::linear);
  CHECK(ci.value(5.5 * kHour) == Approx(v[5]).epsilon(1e-12));
  CHECK(ci.value(6.0 * kHour) == Approx((v[5] + v[6]) / 2).epsilon(1e-12));
  CHECK(ci.value(0.0) == Approx((v[23] + v[0]) / 2).epsilon(1e-12));  // cyclic across midnight
  CHECK(ci.value(23.75 * kHour) == Approx(0.75 * v[23] + 0.25 * v[0]).epsilon(1e-12));
  CHECK(ci.next_break(0.0) == Approx(0.5 * kHour));
  CHECK(ci.mean(0.0, kDay) == Approx(mean_of(v)).epsilon(1e-12));
  CHECK(ci.mean(7.1 * kHour, 2 * kDay + 7.1 * kHour) == Approx(mean_of(v)).epsilon(1e-12));
  // Within one piece the mean is the value at the middle.
  CHECK(ci.mean(5.5 * kHour, 6.5 * kHour) == Approx(ci.value(6.0 * kHour)).epsilon(1e-12));
}

TEST_CASE("a monthly profile changes value at UTC month boundaries", "[carbon]") {
  std::vector<double> v;
  for (int m = 0; m < 12; ++m) v.push_back(g_per_kwh_to_kg_per_j(20.0 + m));
  const EnergyRate ci = EnergyRate::monthly(Calendar(), v);  // starts 25 March 2025
  CHECK(ci.value(0.0) == v[2]);
  CHECK(ci.next_break(0.0) == Approx(7 * kDay));  // 1 April
  CHECK(ci.value(7 * kDay) == v[3]);
  CHECK(ci.value(7 * kDay - 1.0) == v[2]);
  CHECK(ci.mean(0.0, 14 * kDay) == Approx((v[2] + v[3]) / 2).epsilon(1e-12));

  const EnergyRate leap = EnergyRate::monthly(Calendar(*parse_utc("2024-02-01T00:00:00Z")), v);
  CHECK(leap.next_break(0.0) == Approx(29 * kDay));
  const EnergyRate new_year = EnergyRate::monthly(Calendar(*parse_utc("2024-12-31T00:00:00Z")), v);
  CHECK(new_year.value(0.0) == v[11]);
  CHECK(new_year.next_break(0.0) == Approx(kDay));
  CHECK(new_year.value(kDay) == v[0]);
}

TEST_CASE("a carbon intensity is read as a preset, a constant, an hourly or a monthly profile", "[carbon]") {
  const Calendar cal;
  const ConfigValue preset = toml("preset = \"us_grid\"\n");
  CHECK(make_carbon_intensity(Params(preset, "sites[0].carbon", models::parameter_schema()), cal).value(0.0) == Approx(g_per_kwh_to_kg_per_j(367.0)));

  const ConfigValue constant = toml("constant = \"40.7 gCO2/kWh\"\n");
  CHECK(make_carbon_intensity(Params(constant, "sites[0].carbon", models::parameter_schema()), cal).value(1e6) == Approx(g_per_kwh_to_kg_per_j(40.7)));

  const ConfigValue hourly = toml(hourly_toml(24) + "interpolation = \"linear\"\n");
  const EnergyRate h = make_carbon_intensity(Params(hourly, "sites[0].carbon", models::parameter_schema()), cal);
  CHECK(h.value(6.0 * kHour) == Approx(g_per_kwh_to_kg_per_j(255.0)));

  std::string monthly_text = "monthly = [";
  for (int m = 0; m < 12; ++m) monthly_text += (m ? ", " : "") + std::string("\"50 gCO2/kWh\"");
  const ConfigValue monthly = toml(monthly_text + "]\n");
  CHECK(make_carbon_intensity(Params(monthly, "sites[0].carbon", models::parameter_schema()), cal).value(0.0) == Approx(g_per_kwh_to_kg_per_j(50.0)));
}

TEST_CASE("a mistaken carbon intensity is reported with its key and a suggestion", "[carbon]") {
  const Calendar cal;
  const auto read = [&](const std::string& text) {
    const ConfigValue v = toml(text);
    return make_carbon_intensity(Params(v, "sites[0].carbon", models::parameter_schema()), cal);
  };
  CHECK_THROWS_WITH(read("preset = \"us_gird\"\n"),
                    Catch::Contains("carbon.preset") && Catch::Contains("did you mean \"us_grid\"?"));
  // The expectation lists every preset: "a", "b", ... or "z".
  std::string listed;
  const auto presets = grid_presets();
  for (std::size_t i = 0; i < presets.size(); ++i) {
    listed += std::string(i == 0 ? "" : i + 1 == presets.size() ? " or " : ", ") + "\"" + std::string(presets[i].name) + "\"";
  }
  REQUIRE(presets.size() >= 3);
  CHECK_THROWS_WITH(read("preset = \"nowhere\"\n"), Catch::Contains("expected one of " + listed + ", found \"nowhere\""));
  // A bare number would mean 367 kg/J: out of the plausible range.
  CHECK_THROWS_WITH(read("constant = 367\n"), Catch::Contains("carbon.constant") && Catch::Contains("out of range"));
  CHECK_THROWS_WITH(read(hourly_toml(23)), Catch::Contains("carbon.hourly") && Catch::Contains("24 values"));
  CHECK_THROWS_WITH(read(hourly_toml(24) + "interpolation = \"linaer\"\n"),
                    Catch::Contains("did you mean \"linear\"?"));
  CHECK_THROWS_WITH(read("preset = \"us_grid\"\nconstant = \"367 gCO2/kWh\"\n"),
                    Catch::Contains("carbon.constant") && Catch::Contains("only one of"));
  CHECK_THROWS_WITH(read("x = 1\n"), Catch::Contains("carbon.preset") && Catch::Contains("hourly"));
  CHECK_THROWS_WITH(read("constant = \"367 W\"\n"), Catch::Contains("carbon.constant"));
}
