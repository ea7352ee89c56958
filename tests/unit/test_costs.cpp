// Costs: the closed forms of depreciation and rent, the price profiles, and a run whose summary is checked
// against the arithmetic of its own energy, water and carbon.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "models/costs/costs.hpp"
#include "models/facility/plant.hpp"
#include "models/world.hpp"
#include "sim/core/param_table.hpp"
#include "sim/io/scenario.hpp"
#include "tests/unit/build_run.hpp"

using namespace dcsim;

namespace {

constexpr double kYear = 31557600.0;  // the "yr" unit: a Julian year

// One site of 16 H100s at a steady load, an air-chiller loop of 2 + 1 units, one day after a 1 h warm-up.
std::string scenario(const std::string& costs, const std::string& site_extra = "") {
  return R"(
[simulation]
start = 2025-01-01T00:00:00Z
duration = "25 h"
warmup = "1 h"
sample_interval = "1 h"
[thermal]
max_step = "10 min"
[workload]
[workload.population]
kind = "constant"
users = 86400
[[workload.classes]]
name = "job"
requests_per_user_day = 0.68
[[workload.tiers]]
name = "all"
share = 1
patience = "infinite"
[[serving.gpu_types]]
name = "long"
preset = "h100_sxm"
[serving.gpu_types.service.job]
batch_time = { t0 = "0 s", t1 = "20 s" }
distribution = { kind = "exponential" }
active_power = "683 W"
[[sites]]
name = "s"
carbon = { constant = "400 gCO2/kWh" }
)" + site_extra + R"(
[sites.ambient]
preset = "us_southeast"
[[sites.cooling]]
name = "loop"
kind = "air_chiller"
design_heat = "16 kW"
units = 2
spare_units = 1
[[sites.clusters]]
name = "c"
class = "job"
gpu = "long"
gpus = 16
)" + costs;
}

Summary run(const std::string& text) {
  auto b = test::build_run(text);
  b->run->execute();
  return b->run->summarize();
}

Params read(const ConfigValue& cv, const std::string& path) { return Params(cv, path, models::parameter_schema()); }

}  // namespace

TEST_CASE("costs: the parameter table's defaults read, and every cooling kind has a capital cost", "[costs][params]") {
  ParamSchema s;
  s.add(costs::parameter_table());
  CHECK_NOTHROW(check_defaults(s));
  for (const auto& k : facility::plant_kinds()) {
    INFO(k->name);
    CHECK(s.find("costs.cooling_capex." + std::string(k->name)) != nullptr);
  }
  CHECK(costs::cooling_kinds().size() == facility::plant_kinds().size());
}

TEST_CASE("costs: depreciation and rent accrue linearly over the span, water and carbon at their prices", "[costs]") {
  costs::CostParams p;
  p.gpu_capex_usd = 35000;
  p.gpu_lifetime_s = 5 * kYear;
  p.gpu_hour_usd_per_s = 2.99 / 3600;
  p.cooling_lifetime_s = 15 * kYear;
  p.water_usd_per_m3 = 2;
  p.carbon_usd_per_kg = 0.072;
  p.cooling_capex = {{"air_chiller", 1.6}, {"seawater", 1.3}};
  costs::SiteUse s{.name = "x", .gpus = 1000, .plants = {{"air_chiller", 1e6}, {"seawater", 5e5}},
                   .energy_usd = 1234.5, .water_m3 = 100, .co2_kg = 2000};
  const double week = 7 * 86400.0;
  const costs::CostBreakdown b = costs::site_cost(p, s, week);
  CHECK(b.gpu_usd == Approx(1000 * 35000.0 * week / (5 * kYear)).epsilon(1e-12));  // 134,155 USD a week
  CHECK(b.gpu_usd == Approx(134155.0).epsilon(1e-4));
  CHECK(b.cooling_usd == Approx((1.6e6 + 0.65e6) * week / (15 * kYear)).epsilon(1e-12));
  CHECK(b.energy_usd == 1234.5);
  CHECK(b.water_usd == 200);
  CHECK(b.carbon_usd == Approx(144));
  CHECK(b.total_usd() == Approx(b.gpu_usd + b.cooling_usd + 1234.5 + 200 + 144));
  p.pricing = costs::GpuPricing::rent;
  CHECK(costs::site_cost(p, s, week).gpu_usd == Approx(1000 * 2.99 * 168).epsilon(1e-12));
  CHECK_THROWS_AS(p.cooling_capex_usd_per_w("free_air"), std::logic_error);
}

TEST_CASE("costs: an electricity price is constant, hourly, monthly or time of use", "[costs]") {
  const Calendar cal(1735689600);  // 2025-01-01T00:00:00Z
  const double kwh = 3.6e6;
  {
    const ConfigValue cv = io::parse_toml("[costs.electricity]\n", "t.toml");
    const auto r = costs::make_price(read(cv, "").table("costs").table("electricity"), cal);
    CHECK(r.value(0) * kwh == Approx(0.0806));  // the EIA default
  }
  {
    const ConfigValue cv = io::parse_toml(
        "[costs.electricity]\npeak = \"0.20 USD/kWh\"\noff_peak = \"0.05 USD/kWh\"\npeak_start = 8\npeak_end = 20\n", "t.toml");
    const auto r = costs::make_price(read(cv, "").table("costs").table("electricity"), cal);
    CHECK(r.value(7.99 * 3600) * kwh == Approx(0.05));
    CHECK(r.value(8 * 3600) * kwh == Approx(0.20));
    CHECK(r.value(19.99 * 3600) * kwh == Approx(0.20));
    CHECK(r.value(20 * 3600) * kwh == Approx(0.05));
    // A day at 1 MW: 12 h at each price.
    CHECK(r.amount(1e6, 0, 86400) == Approx(12 * 1000 * (0.20 + 0.05)));
  }
  const auto refused = [&](const std::string& table, const std::string& what) {
    const ConfigValue cv = io::parse_toml("[costs.electricity]\n" + table, "t.toml");
    try {
      (void)costs::make_price(read(cv, "").table("costs").table("electricity"), cal);
      FAIL("accepted: " << table);
    } catch (const ConfigError& e) {
      CHECK_THAT(e.what(), Catch::Contains(what));
    }
  };
  refused("constant = \"0.1 USD/kWh\"\nmonthly = [0.1]\n", "only one of constant, hourly, monthly or peak/off_peak");
  refused("peak = \"0.2 USD/kWh\"\n", "off_peak with peak");
  refused("off_peak = \"0.2 USD/kWh\"\n", "peak with off_peak");
  refused("peak = \"0.2 USD/kWh\"\noff_peak = \"0.1 USD/kWh\"\npeak_start = 12\npeak_end = 12\n", "an hour after peak_start");
  refused("hourly = [\"0.1 USD/kWh\"]\n", "24 prices");
  refused("constant = 0.1\n", "USD/J");  // a bare number is USD/J: 360,000 USD/kWh, out of range
  refused("constant = \"0.1 USD/m3\"\n", "price of energy");
}

TEST_CASE("costs: a run's summary is the arithmetic of its own energy, water, carbon and GPUs", "[costs][facility]") {
  const Summary s = run(scenario(R"(
[costs]
electricity = { constant = "0.10 USD/kWh" }
water_price = "3 USD/m3"
carbon_price = "50 USD/t"
gpu_capex = "40000 USD"
gpu_lifetime = "4 yr"
cooling_capex = { air_chiller = "2e6 USD/MW" }
cooling_lifetime = "10 yr"
)"));
  const double span = 86400;  // measured: 25 h less the 1 h warm-up
  CHECK(s.number("costs.s.energy_usd") == Approx(s.number("facility.s.energy_kwh") * 0.10).epsilon(1e-9));
  CHECK(s.number("costs.s.energy_price_usd_per_kwh") == Approx(0.10).epsilon(1e-12));
  CHECK(s.number("costs.s.water_usd") == Approx(s.number("facility.s.water_m3") * 3).epsilon(1e-12));
  CHECK(s.number("costs.s.carbon_usd") == Approx(s.number("facility.s.co2_t") * 50).epsilon(1e-12));
  CHECK(s.number("costs.s.gpu_usd") == Approx(16 * 40000.0 * span / (4 * kYear)).epsilon(1e-12));
  CHECK(s.number("costs.s.cooling_usd") == Approx(16e3 * 1.5 * 2.0 * span / (10 * kYear)).epsilon(1e-12));
  const double total = s.number("costs.s.gpu_usd") + s.number("costs.s.cooling_usd") + s.number("costs.s.energy_usd") +
                       s.number("costs.s.water_usd") + s.number("costs.s.carbon_usd");
  CHECK(s.number("costs.s.total_usd") == Approx(total).epsilon(1e-12));
  CHECK(s.number("costs.total_usd") == Approx(total).epsilon(1e-12));
  CHECK(s.number("costs.capital_usd") == Approx(s.number("costs.s.gpu_usd") + s.number("costs.s.cooling_usd")));
  // One cluster serves the one class: its cost per 1,000 requests is the site's over the requests served.
  const double served = s.number("serving.job.all.completed");
  REQUIRE(served > 50000);
  CHECK(s.number("costs.job.per_1000_requests_usd") == Approx(1000 * total / served).epsilon(1e-9));
  // Energy is about 1/8 of the cost of a GPU-day here: 16 x 40,000 USD over 4 years is 438 USD a day.
  CHECK(s.number("costs.s.gpu_usd") == Approx(438.0).epsilon(1e-3));
}

TEST_CASE("costs: a time-of-use price is paid by the hour the energy is drawn, a site's price replaces the fleet's",
          "[costs][facility]") {
  const std::string fleet = "[costs]\nelectricity = { constant = \"0.05 USD/kWh\" }\n";
  const Summary flat = run(scenario(fleet));
  // Peak all day at 0.20: four times the flat bill exactly (the same run: prices change no event).
  const Summary all_peak = run(scenario(fleet, "electricity_price = { peak = \"0.20 USD/kWh\", off_peak = \"0.01 USD/kWh\", "
                                               "peak_start = 0, peak_end = 24 }\n"));
  CHECK(all_peak.number("facility.s.energy_kwh") == flat.number("facility.s.energy_kwh"));
  CHECK(all_peak.number("costs.s.energy_usd") == Approx(4 * flat.number("costs.s.energy_usd")).epsilon(1e-12));
  // Peak half the day: between the two prices, near their mean at a steady load.
  const Summary tou = run(scenario(fleet, "electricity_price = { peak = \"0.20 USD/kWh\", off_peak = \"0.05 USD/kWh\" }\n"));
  const double paid = tou.number("costs.s.energy_price_usd_per_kwh");
  CHECK(paid > 0.05);
  CHECK(paid < 0.20);
  CHECK(paid == Approx(0.125).epsilon(0.05));
  // Rent instead of own: 16 GPUs x 24 h x 2.99 USD.
  const Summary rent = run(scenario("[costs]\ngpu_pricing = \"rent\"\n"));
  CHECK(rent.number("costs.s.gpu_usd") == Approx(16 * 24 * 2.99).epsilon(1e-12));
}

TEST_CASE("costs: without [costs] the summary has no cost, and a site's price needs [costs]", "[costs][facility]") {
  const Summary none = run(scenario(""));
  CHECK(none.find("costs.total_usd") == nullptr);
  CHECK_THROWS_WITH(test::build_run(scenario("", "electricity_price = { constant = \"0.1 USD/kWh\" }\n")),
                    Catch::Contains("a [costs] section"));
}
