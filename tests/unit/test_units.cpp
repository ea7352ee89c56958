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

TEST_CASE("every unit spelling and prefix converts with its own factor", "[units]") {
  // Each alias of the table, one by one, at a value that is not 1, against factors written out here.
  const std::vector<Good> spellings = {
      {"3 s", &qty::time, 3}, {"3 sec", &qty::time, 3}, {"3 second", &qty::time, 3}, {"3 seconds", &qty::time, 3},
      {"3 min", &qty::time, 180}, {"3 minute", &qty::time, 180}, {"3 minutes", &qty::time, 180},
      {"3 h", &qty::time, 10800}, {"3 hr", &qty::time, 10800}, {"3 hour", &qty::time, 10800},
      {"3 hours", &qty::time, 10800}, {"3 d", &qty::time, 259200}, {"3 day", &qty::time, 259200},
      {"3 days", &qty::time, 259200}, {"3 week", &qty::time, 1814400}, {"3 weeks", &qty::time, 1814400},
      {"3 wk", &qty::time, 1814400}, {"3 yr", &qty::time, 3 * 365.25 * 86400}, {"3 year", &qty::time, 3 * 365.25 * 86400},
      {"3 years", &qty::time, 3 * 365.25 * 86400},
      {"3 m", &qty::length, 3}, {"3 ft", &qty::length, 0.9144}, {"3 km", &qty::length, 3000}, {"3 cm", &qty::length, 0.03},
      {"3 mm", &qty::length, 0.003},
      {"3 g", &qty::mass, 0.003}, {"3 kg", &qty::mass, 3}, {"3 t", &qty::mass, 3000}, {"3 gCO2", &qty::mass, 0.003},
      {"3 kgCO2", &qty::mass, 3}, {"3 gCO2e", &qty::mass, 0.003}, {"3 tCO2", &qty::mass, 3000},
      {"3 tCO2e", &qty::mass, 3000},
      {"3 L", &qty::volume, 0.003}, {"3 l", &qty::volume, 0.003}, {"3 mL", &qty::volume, 3e-6}, {"3 ML", &qty::volume, 3000},
      {"3 J", &qty::energy, 3}, {"3 kJ", &qty::energy, 3000}, {"3 MJ", &qty::energy, 3e6}, {"3 Wh", &qty::energy, 10800},
      {"3 kWh", &qty::energy, 1.08e7}, {"3 MWh", &qty::energy, 1.08e10}, {"3 GWh", &qty::energy, 1.08e13},
      {"3 TWh", &qty::energy, 1.08e16}, {"3 mWh", &qty::energy, 10.8},
      {"3 W", &qty::power, 3}, {"3 mW", &qty::power, 0.003}, {"3 kW", &qty::power, 3000}, {"3 MW", &qty::power, 3e6},
      {"3 GW", &qty::power, 3e9},
      {"3 Hz", &qty::frequency, 3}, {"3 kHz", &qty::frequency, 3000}, {"3 MHz", &qty::frequency, 3e6},
      {"3 GHz", &qty::frequency, 3e9},
      {"3 Pa", &qty::pressure, 3}, {"3 kPa", &qty::pressure, 3000}, {"3 bar", &qty::pressure, 3e5},
      {"3 psi", &qty::pressure, 3 * 6894.757293168}, {"3 MPa", &qty::pressure, 3e6},
      {"3 K", &qty::temperature_difference, 3}, {"3 degC", &qty::temperature_difference, 3},
      {"3 \xC2\xB0" "C", &qty::temperature_difference, 3},
      {"3 degC", &qty::temperature, 3}, {"303.15 K", &qty::temperature, 30}, {"50 degF", &qty::temperature, 10},
      {"50 \xC2\xB0" "F", &qty::temperature, 10}, {"-40 degF", &qty::temperature, -40},
      {"3 %", &qty::fraction, 0.03}, {"3 1", &qty::dimensionless, 3},
      {"3 req/s", &qty::rate, 3}, {"3 request/min", &qty::rate, 0.05}, {"3 requests/h", &qty::rate, 3 / 3600.0},
      {"3 user/d", &qty::rate, 3 / 86400.0}, {"3 users/week", &qty::rate, 3 / 604800.0},
      {"3 image/s", &qty::rate, 3}, {"3 images/min", &qty::rate, 0.05}, {"3 img/h", &qty::rate, 3 / 3600.0},
      {"3 query/s", &qty::rate, 3}, {"3 queries/s", &qty::rate, 3}, {"3 token/s", &qty::rate, 3},
      {"3 tokens/ms", &qty::rate, 3000}, {"3 GPU/h", &qty::rate, 3 / 3600.0}, {"3 GPUs/d", &qty::rate, 3 / 86400.0},
      {"3 /yr", &qty::rate, 3 / (365.25 * 86400)}, {"3 /us", &qty::rate, 3e6}, {"3 /\xC2\xB5s", &qty::rate, 3e6},
      {"3 /\xCE\xBCs", &qty::rate, 3e6}, {"3 /ns", &qty::rate, 3e9},
      {"3 eV", &qty::activation_energy, 3}, {"3 meV", &qty::activation_energy, 0.003},
  };
  for (const auto& g : spellings) {
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
      {"5 m*degC", &qty::temperature, "cannot be combined"},
      {"5 s/degC", &qty::temperature, "cannot be combined"},
      {"5 W degF", &qty::temperature, "cannot be combined"},
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
