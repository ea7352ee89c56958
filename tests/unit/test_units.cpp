#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/core/units.hpp"

using namespace dcsim;

namespace {
struct Good {
  const char* text;
  const QuantityKind* kind;
  double canonical;
};
struct Bad {
  const char* text;
  const QuantityKind* kind;
  const char* message;  // a fragment the error must contain
};
}  // namespace

TEST_CASE("good quantity strings convert to the canonical unit", "[units]") {
  const std::vector<Good> good = {
      {"700 W", &qty::power, 700},
      {"3.5 kW", &qty::power, 3500},
      {"0.12 MW", &qty::power, 120000},
      {"15 min", &qty::time, 900},
      {"1.5 h", &qty::time, 5400},
      {"6 d", &qty::time, 518400},
      {"2 weeks", &qty::time, 1209600},
      {"250 ms", &qty::time, 0.25},
      {"12 us", &qty::time, 12e-6},
      {"2.907 Wh", &qty::energy, 2.907 * 3600},
      {"2.907 kWh", &qty::energy, 2.907e3 * 3600},
      {"7950 J", &qty::energy, 7950},
      {"45 degC", &qty::temperature, 45},
      {"45 \xC2\xB0" "C", &qty::temperature, 45},
      {"300 K", &qty::temperature, 300 - 273.15},
      {"-10 degC", &qty::temperature, -10},
      {"212 degF", &qty::temperature, 100},
      {"5 K", &qty::temperature_difference, 5},
      {"5 degC", &qty::temperature_difference, 5},
      {"1e6 /h", &qty::rate, 1e6 / 3600},
      {"1e6/h", &qty::rate, 1e6 / 3600},
      {"1e6 users/h", &qty::rate, 1e6 / 3600},
      {"0.049 /day", &qty::rate, 0.049 / 86400},
      {"60 req/min", &qty::rate, 1},
      {"1980 MHz", &qty::frequency, 1.98e9},
      {"367 gCO2/kWh", &qty::carbon_intensity, 0.367 / 3.6e6},
      {"1.8 L/kWh", &qty::water_intensity, 1.8e-3 / 3.6e6},
      {"190 L/min", &qty::volume_flow, 0.19 / 60},
      {"1.2 m3/s", &qty::volume_flow, 1.2},
      {"1.2 m^3/s", &qty::volume_flow, 1.2},
      {"150 kPa", &qty::pressure, 150000},
      {"2 bar", &qty::pressure, 200000},
      {"0.03 K/W", &qty::thermal_resistance, 0.03},
      {"35 W/K", &qty::thermal_conductance, 35},
      {"400 J/K", &qty::heat_capacity, 400},
      {"4186 J/kg/K", &qty::specific_heat, 4186},
      {"0.5 eV", &qty::activation_energy, 0.5},
      {"40 %", &qty::fraction, 0.4},
      {"0.4", &qty::fraction, 0.4},
      {"+12 t", &qty::mass, 12000},
      {"3000 m3", &qty::volume, 3000},
      {"1 kW h", &qty::energy, 3.6e6},
      {"1 kW*h", &qty::energy, 3.6e6},
  };
  for (const auto& g : good) {
    INFO(g.text);
    CHECK(parse_quantity(g.text, *g.kind) == Approx(g.canonical).epsilon(1e-12));
  }
}

TEST_CASE("wrong or missing units are errors that say what was expected", "[units]") {
  const std::vector<Bad> bad = {
      {"700", &qty::power, "has no unit"},
      {"700 Wx", &qty::power, "unknown unit 'Wx'"},
      {"15 min", &qty::power, "is a time, but expected a power"},
      {"700 W", &qty::time, "is a power, but expected a time"},
      {"2.907 Wh", &qty::power, "is an energy, but expected a power"},
      {"45 degC", &qty::time, "expected a time"},
      {"fast", &qty::time, "does not start with a number"},
      {"", &qty::time, "does not start with a number"},
      {"1e400 s", &qty::time, "beyond the range of a double"},
      {"5 kdegC", &qty::temperature, "unknown unit"},
      {"5 degC^2", &qty::temperature, "cannot be raised to a power"},
      {"5 degC/s", &qty::temperature, "cannot be combined"},
      {"-300 degC", &qty::temperature, "below absolute zero"},
      {"10 /", &qty::rate, "malformed unit"},
      {"10 h//s", &qty::dimensionless, "malformed unit"},
      {"10 m^x", &qty::length, "bad exponent"},
      {"10 kmin", &qty::time, "unknown unit 'kmin'"},
      {"3 W/K", &qty::thermal_resistance, "expected a thermal resistance"},
      {"5 degF", &qty::temperature_difference, "use K for a temperature difference"},
  };
  for (const auto& b : bad) {
    INFO(b.text);
    CHECK_THROWS_WITH(parse_quantity(b.text, *b.kind), Catch::Contains(b.message));
  }
}

TEST_CASE("unit expressions have the right dimensions", "[units]") {
  CHECK(parse_unit("kWh").dim == qty::energy.dim);
  CHECK(parse_unit("W/K").dim == qty::thermal_conductance.dim);
  CHECK(parse_unit("gCO2/kWh").dim == qty::carbon_intensity.dim);
  CHECK(parse_unit("/h").dim == qty::rate.dim);
  CHECK(to_string(qty::power.dim) == "kg·m^2/s^3");
  CHECK(dimension_name(parse_unit("L/min").dim) == "volume flow");
}
