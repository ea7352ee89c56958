// The electrical side of a site: conversion losses (UPS, distribution), grid carbon intensity, and the
// household-energy yardstick. Pure functions and small value types; SI units (W, J, kg/J, s).
//
// Conversion losses (UPS, PDU, transformer) in the three-term form used for data-centre electrical
// efficiency models (no-load, proportional and square-law losses, e.g. Rasmussen, APC/Schneider White Paper
// 113; the form is standard, that paper was not re-read here): with load fraction x = P_out / P_rated,
//   losses = P_rated · (a + b x + c x²),  η(x) = x / (x + a + b x + c x²),  P_in = P_out + losses.
//   η rises with x up to x = sqrt(a / c) (= 1 for both presets below), so it falls at light load.
//   Presets, calibrated so that η(0.5) hits the target exactly, b solved from a and c:
//     double conversion: η(0.5) = 0.95 (DOMAIN.md §5/§10: 0.95, range 0.90–0.99, LBNL 2024 Table 4.3 via
//       third-party notes; M), a = 0.01, c = 0.01 (1 % no-load loss and 1 % I²R loss at full load: assumptions),
//       giving η = 0.886 / 0.934 / 0.95 / 0.955 at x = 0.1 / 0.25 / 0.5 / 1.
//     eco mode (bypass path, inverter on standby): η(0.5) = 0.99, a = 0.003, c = 0.002 (vendor claims of
//       ~99 %; unverified).
//   Loads above rating (x > 1) extrapolate the same polynomial; capacity limits belong to the plant.
//
// Grid carbon intensity, presets in gCO2/kWh (converted to kg/J, 1 g/kWh = 2.778e-10 kg/J):
//   us_grid 367 (2023, combustion only, EIA FAQ 74; H); sweden_grid 40.7 and finland_grid 79 (2023,
//   lifecycle, Ember via Statista/OWID; M); lifecycle medians of IPCC AR5 WGIII Annex III (2014; H): nuclear
//   12, wind 11 (onshore), hydro 24, solar_pv 48 (utility), gas 490, coal 820. smr = 12: no SMR-specific
//   lifecycle value is verified, so the nuclear distribution is used (DOMAIN.md §7).
// An EnergyRate is an amount per joule of a site's electricity that may vary in time: the grid's carbon
// intensity (kg/J) here, the electricity price (USD/J) in models/costs. It is constant, hourly (24 values by
// UTC hour) or monthly (12 values by UTC calendar month):
//   hourly, step:   value i holds over [i h, (i+1) h) UTC;
//   hourly, linear: value i is the hour's mean, placed at its middle (i + 0.5 h) and interpolated linearly
//                   and cyclically between the middles, so the daily mean is the mean of the 24 values;
//   monthly:        value m (January first) holds over that UTC calendar month (step).
//   Local-time profiles must be shifted to UTC by the scenario. mean(t0, t1) is exact (piecewise linear).
// Scenario form (make_carbon_intensity), exactly one of:
//   { preset = "us_grid" }   { constant = "367 gCO2/kWh" }
//   { hourly = ["300 gCO2/kWh", ... 24 values], interpolation = "step" | "linear" (default "step") }
//   { monthly = ["45 gCO2/kWh", ... 12 values] }
//   Values must lie in [0, 2000] gCO2/kWh (lignite is ~1,100–1,200), so a bare number, which would mean
//   kg/J, is caught.
//
// US household: 10,715 kWh/yr (EIA FAQ 97, 2020 data; H) = 29.36 kWh/day, which EIA rounds to 29.4. The
//   unrounded value is used: DOMAIN.md §7's 69,300 household-days for 2.035 GWh follows from it (29.4 would
//   give 69,200).
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sim/core/calendar.hpp"
#include "sim/core/config.hpp"
#include "sim/core/param_table.hpp"

namespace dcsim::power {

// ---- Conversion losses -----------------------------------------------------------------------------------

struct LossCurve {
  double rated_power_w = 0;
  double no_load = 0;       // a: losses at zero load, per unit of rating
  double proportional = 0;  // b
  double square_law = 0;    // c
};

// A curve with the given no-load and square-law terms whose efficiency at load_fraction is `efficiency`
// (the proportional term is solved for; throws std::invalid_argument if it would be negative, i.e. the fixed
// terms alone already lose more than the target allows, or if an argument is out of range).
LossCurve loss_curve_through(double rated_power_w, double efficiency, double load_fraction, double no_load,
                             double square_law);
LossCurve ups_double_conversion(double rated_power_w);
LossCurve ups_eco_mode(double rated_power_w);

double losses_w(const LossCurve& c, double output_w) noexcept;
double efficiency(const LossCurve& c, double load_fraction) noexcept;  // 0 at no load
double input_power_w(const LossCurve& c, double output_w) noexcept;
// Inverse of input_power_w (the positive root of the quadratic); 0 when the input does not cover the
// no-load loss.
double output_power_w(const LossCurve& c, double input_w) noexcept;

// { preset = "double_conversion" | "eco_mode" } or { efficiency = 0.95, at_load = 0.5 (default),
// no_load_loss = 0.01, square_law_loss = 0.01 } (fractions of the rating).
LossCurve make_loss_curve(const Params& p, double rated_power_w);

// ---- Carbon intensity and other per-joule rates ----------------------------------------------------------

inline constexpr double kKgPerJPerGPerKwh = 1e-3 / 3.6e6;  // 1 gCO2/kWh in kg/J
// Carbon intensities above this are rejected as a unit mistake (a bare number is read as kg/J).
inline constexpr double kMaxPlausibleGPerKwh = 2000.0;
constexpr double g_per_kwh_to_kg_per_j(double g_per_kwh) noexcept { return g_per_kwh * kKgPerJPerGPerKwh; }
constexpr double kg_per_j_to_g_per_kwh(double kg_per_j) noexcept { return kg_per_j / kKgPerJPerGPerKwh; }

struct GridPreset {
  std::string_view name;
  double g_per_kwh;
  std::string_view source;
};
std::span<const GridPreset> grid_presets() noexcept;
std::optional<double> grid_preset_g_per_kwh(std::string_view name) noexcept;

class EnergyRate {
 public:
  enum class Interpolation { step, linear };

  static EnergyRate constant(double per_j);
  // 24 values, per J, by UTC hour.
  static EnergyRate hourly(const Calendar& cal, std::vector<double> per_j, Interpolation interp);
  // 12 values, per J, January first.
  static EnergyRate monthly(const Calendar& cal, std::vector<double> per_j);

  // The amount per J of electricity at t (seconds since t = 0): kg of CO2, USD.
  double value(double t) const noexcept;
  // The next time after t at which the profile changes formula (a knot); +inf for a constant.
  double next_break(double t) const noexcept;
  // Time-average over [t0, t1] (t0 < t1), exact for these piecewise-linear profiles; value(t0) if t1 <= t0.
  double mean(double t0, double t1) const noexcept;
  // The amount (kg of CO2, USD) for a constant power over [t0, t1].
  double amount(double power_w, double t0, double t1) const noexcept;

 private:
  enum class Kind { constant, hourly, monthly };
  EnergyRate() = default;
  Kind kind_ = Kind::constant;
  Interpolation interp_ = Interpolation::step;
  Calendar cal_;
  std::vector<double> values_;  // 1, 24 or 12 values, per J
};

EnergyRate make_carbon_intensity(const Params& p, const Calendar& cal);

// The parameter table of the keys make_loss_curve and make_carbon_intensity read, [sites.ups] and
// [sites.carbon] (params.cpp).
const std::vector<ParamDef>& parameter_table();

// ---- Household yardstick ---------------------------------------------------------------------------------

inline constexpr double kUsHouseholdKwhPerYear = 10715.0;
inline constexpr double kUsHouseholdKwhPerDay = kUsHouseholdKwhPerYear / 365.0;
// Days of an average US household's electricity use equal to an energy.
double household_days(double energy_j) noexcept;

}  // namespace dcsim::power
