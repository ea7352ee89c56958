// Physical quantities with units, as written in scenario files: "700 W", "15 min", "2.907 Wh", "45 degC",
// "3.5 kW", "1e6 /h", "367 gCO2/kWh", "190 L/min".
//
// A unit expression is parsed into a scale, an offset (only for absolute temperatures) and a dimension over
// (length, mass, time, temperature). A key declares the kind of quantity it expects (QuantityKind); its
// value is converted to the kind's canonical unit, which is the SI unit except where the domain's convention
// is clearer and says so here: absolute temperatures are in °C (an SI derived unit) and activation energies
// in eV. A bare number means the canonical unit. Counting words (req, users, images, tokens...) are
// dimensionless and only document what is counted: "1e6 users/h" is a rate, like "1e6 /h".
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dcsim {

struct Dimension {
  std::int8_t length = 0, mass = 0, time = 0, temperature = 0;
  std::int8_t information = 0;  // bytes (of memory): only for the run's own budget
  std::int8_t money = 0;        // US dollars: prices and costs (models/costs)
  constexpr bool operator==(const Dimension&) const = default;
};

struct Unit {
  double scale = 1.0;   // SI value of one unit
  double offset = 0.0;  // SI value of zero units (absolute temperature scales only)
  Dimension dim{};
  bool affine = false;  // °C, °F: only valid alone, for absolute temperatures
};

class UnitError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Parses a unit expression such as "kW", "gCO2/kWh", "L/min", "/h", "m^3/s", "W/K". Throws UnitError.
Unit parse_unit(std::string_view text);

struct QuantityKind {
  std::string_view name;      // "power"
  Dimension dim;
  std::string_view unit;      // canonical unit, used for bare numbers and in messages: "W"
  double unit_scale = 1.0;    // SI value of one canonical unit
  bool absolute_temperature = false;
  std::string_view example;   // "700 W"
};

namespace qty {
inline constexpr QuantityKind dimensionless{"dimensionless number", {}, "1", 1.0, false, "0.4"};
inline constexpr QuantityKind fraction{"fraction", {}, "1", 1.0, false, "0.4 or \"40 %\""};
inline constexpr QuantityKind time{"time", {0, 0, 1, 0}, "s", 1.0, false, "\"15 min\""};
inline constexpr QuantityKind rate{"rate", {0, 0, -1, 0}, "1/s", 1.0, false, "\"1e6 /h\""};
inline constexpr QuantityKind frequency{"frequency", {0, 0, -1, 0}, "Hz", 1.0, false, "\"1980 MHz\""};
inline constexpr QuantityKind power{"power", {2, 1, -3, 0}, "W", 1.0, false, "\"700 W\""};
inline constexpr QuantityKind energy{"energy", {2, 1, -2, 0}, "J", 1.0, false, "\"2.907 Wh\""};
inline constexpr QuantityKind activation_energy{"activation energy", {2, 1, -2, 0}, "eV", 1.602176634e-19, false,
                                                "\"0.5 eV\""};
inline constexpr QuantityKind temperature{"temperature", {0, 0, 0, 1}, "degC", 1.0, true, "\"45 degC\""};
inline constexpr QuantityKind temperature_difference{"temperature difference", {0, 0, 0, 1}, "K", 1.0, false,
                                                     "\"5 K\""};
inline constexpr QuantityKind thermal_conductance{"thermal conductance", {2, 1, -3, -1}, "W/K", 1.0, false,
                                                  "\"35 W/K\""};
inline constexpr QuantityKind thermal_resistance{"thermal resistance", {-2, -1, 3, 1}, "K/W", 1.0, false,
                                                 "\"0.03 K/W\""};
inline constexpr QuantityKind heat_capacity{"heat capacity", {2, 1, -2, -1}, "J/K", 1.0, false, "\"400 J/K\""};
inline constexpr QuantityKind pressure{"pressure", {-1, 1, -2, 0}, "Pa", 1.0, false, "\"150 kPa\""};
inline constexpr QuantityKind volume{"volume", {3, 0, 0, 0}, "m3", 1.0, false, "\"3000 m3\""};
inline constexpr QuantityKind volume_flow{"volume flow", {3, 0, -1, 0}, "m3/s", 1.0, false, "\"190 L/min\""};
inline constexpr QuantityKind mass{"mass", {0, 1, 0, 0}, "kg", 1.0, false, "\"12 t\""};
inline constexpr QuantityKind length{"length", {1, 0, 0, 0}, "m", 1.0, false, "\"36 m\""};
inline constexpr QuantityKind carbon_intensity{"carbon intensity", {-2, 0, 2, 0}, "kg/J", 1.0, false,
                                               "\"367 gCO2/kWh\""};
inline constexpr QuantityKind water_intensity{"water per energy", {1, -1, 2, 0}, "m3/J", 1.0, false,
                                              "\"1.8 L/kWh\""};
inline constexpr QuantityKind specific_heat{"specific heat capacity", {2, 0, -2, -1}, "J/(kg.K)", 1.0, false,
                                            "\"4186 J/kg/K\""};
inline constexpr QuantityKind density{"density", {-3, 1, 0, 0}, "kg/m3", 1.0, false, "\"1000 kg/m3\""};
inline constexpr QuantityKind memory{"amount of memory", {0, 0, 0, 0, 1}, "B", 1.0, false, "\"16 GiB\""};
// Money: costs in USD, and prices per unit of what is bought (energy, water, CO2, GPU-time, cooling capacity).
inline constexpr QuantityKind money{"amount of money", {0, 0, 0, 0, 0, 1}, "USD", 1.0, false, "\"35000 USD\""};
inline constexpr QuantityKind energy_price{"price of energy", {-2, -1, 2, 0, 0, 1}, "USD/J", 1.0, false,
                                           "\"0.08 USD/kWh\""};
inline constexpr QuantityKind volume_price{"price of volume", {-3, 0, 0, 0, 0, 1}, "USD/m3", 1.0, false,
                                           "\"2 USD/m3\""};
inline constexpr QuantityKind mass_price{"price of mass", {0, -1, 0, 0, 0, 1}, "USD/kg", 1.0, false,
                                         "\"72 USD/t\""};
inline constexpr QuantityKind time_price{"price of time", {0, 0, -1, 0, 0, 1}, "USD/s", 1.0, false,
                                         "\"2.99 USD/h\""};
inline constexpr QuantityKind power_price{"price of power capacity", {-2, -1, 3, 0, 0, 1}, "USD/W", 1.0, false,
                                          "\"1.5e6 USD/MW\""};
}  // namespace qty

// Parses "<number> <unit>" (or a number alone when allow_bare) and returns the value in the kind's
// canonical unit. Throws UnitError whose message says what was expected.
double parse_quantity(std::string_view text, const QuantityKind& kind);

// "a power", "an energy": a noun with its indefinite article, for messages.
std::string with_article(std::string_view noun);

// A short rendering of a dimension in SI base units, for messages: "kg·m²/s³".
std::string to_string(const Dimension& d);
// The name of the quantity kind with this dimension, or "" if none of the common ones.
std::string_view dimension_name(const Dimension& d);

}  // namespace dcsim
