#include "models/power/electrical.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace dcsim::power {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kJPerKwh = 3.6e6;

constexpr std::array<GridPreset, 10> kGridPresets{{
    {"us_grid", 367.0, "EIA FAQ 74, 2023, combustion only"},
    {"sweden_grid", 40.7, "Ember 2023 via Statista/OWID, lifecycle"},
    {"finland_grid", 79.0, "Ember 2023 via Statista/OWID, lifecycle"},
    {"nuclear", 12.0, "IPCC AR5 WGIII Annex III median, lifecycle"},
    {"smr", 12.0, "nuclear median (IPCC AR5); no SMR-specific value verified"},
    {"wind", 11.0, "IPCC AR5 WGIII Annex III median, onshore, lifecycle"},
    {"hydro", 24.0, "IPCC AR5 WGIII Annex III median, lifecycle"},
    {"solar_pv", 48.0, "IPCC AR5 WGIII Annex III median, utility PV, lifecycle"},
    {"gas", 490.0, "IPCC AR5 WGIII Annex III median, combined cycle, lifecycle"},
    {"coal", 820.0, "IPCC AR5 WGIII Annex III median, pulverised coal, lifecycle"},
}};

bool in_open_unit_interval(double v) noexcept { return v > 0 && v < 1; }

// Year and month (1–12) of the UTC day `day` (days since 1970-01-01).
void year_month(std::int64_t day, std::int64_t& y, unsigned& m) noexcept {
  y = 1970 + static_cast<std::int64_t>(std::floor(static_cast<double>(day) / 365.2425));
  while (days_from_civil(y, 1, 1) > day) --y;
  while (days_from_civil(y + 1, 1, 1) <= day) ++y;
  m = 12;
  while (days_from_civil(y, m, 1) > day) --m;
}

std::int64_t utc_day(const Calendar& cal, double t) noexcept {
  return static_cast<std::int64_t>(std::floor(cal.epoch(t) / 86400.0));
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += i + 1 == words.size() ? " or " : ", ";
    out += "\"" + words[i] + "\"";
  }
  return out;
}

}  // namespace

// ---- Conversion losses -----------------------------------------------------------------------------------

LossCurve loss_curve_through(double rated_power_w, double efficiency, double load_fraction, double no_load,
                             double square_law) {
  if (!(rated_power_w > 0) || !std::isfinite(rated_power_w)) {
    throw std::invalid_argument("loss curve: the rated power must be a finite power > 0 W");
  }
  if (!in_open_unit_interval(efficiency)) throw std::invalid_argument("loss curve: the efficiency must be in (0, 1)");
  if (!(load_fraction > 0) || !std::isfinite(load_fraction)) {
    throw std::invalid_argument("loss curve: the load fraction of the calibration point must be > 0");
  }
  if (!(no_load >= 0) || !(square_law >= 0)) {
    throw std::invalid_argument("loss curve: the no-load and square-law terms must be >= 0");
  }
  // Losses per unit of rating at the calibration point: x (1/η − 1) = a + b x + c x².
  const double x = load_fraction;
  const double b = (x * (1.0 / efficiency - 1.0) - no_load - square_law * x * x) / x;
  if (b < 0) {
    throw std::invalid_argument("loss curve: the no-load and square-law losses alone exceed the losses allowed by "
                                "an efficiency of " + std::to_string(efficiency) + " at load " + std::to_string(x));
  }
  return LossCurve{rated_power_w, no_load, b, square_law};
}

LossCurve ups_double_conversion(double rated_power_w) {
  return loss_curve_through(rated_power_w, 0.95, 0.5, 0.01, 0.01);
}

LossCurve ups_eco_mode(double rated_power_w) { return loss_curve_through(rated_power_w, 0.99, 0.5, 0.003, 0.002); }

double losses_w(const LossCurve& c, double output_w) noexcept {
  const double x = std::max(0.0, output_w) / c.rated_power_w;
  return c.rated_power_w * (c.no_load + c.proportional * x + c.square_law * x * x);
}

double efficiency(const LossCurve& c, double load_fraction) noexcept {
  const double x = std::max(0.0, load_fraction);
  return x / (x + c.no_load + c.proportional * x + c.square_law * x * x);
}

double input_power_w(const LossCurve& c, double output_w) noexcept {
  return std::max(0.0, output_w) + losses_w(c, output_w);
}

double output_power_w(const LossCurve& c, double input_w) noexcept {
  // c x² + (1 + b) x + (a − p) = 0 with p = P_in / P_rated; the positive root, in the cancellation-free form
  // x = 2 (p − a) / ((1 + b) + sqrt((1 + b)² + 4 c (p − a))).
  const double excess = input_w / c.rated_power_w - c.no_load;
  if (excess <= 0) return 0.0;
  const double lin = 1.0 + c.proportional;
  return c.rated_power_w * 2.0 * excess / (lin + std::sqrt(lin * lin + 4.0 * c.square_law * excess));
}

LossCurve make_loss_curve(const Params& p, double rated_power_w) {
  if (p.has("preset")) {
    if (p.has("efficiency")) p.fail("efficiency", "either a preset or an efficiency, not both");
    const std::string preset = p.choice("preset");
    return preset == "eco_mode" ? ups_eco_mode(rated_power_w) : ups_double_conversion(rated_power_w);
  }
  const double eff = p.quantity("efficiency");
  const double at_load = p.quantity("at_load");
  const double no_load = p.quantity("no_load_loss");
  const double square = p.quantity("square_law_loss");
  try {
    return loss_curve_through(rated_power_w, eff, at_load, no_load, square);
  } catch (const std::invalid_argument& e) {
    p.fail("efficiency", "an efficiency reachable with the given no-load and square-law losses", e.what());
  }
}

// ---- Carbon intensity ------------------------------------------------------------------------------------

std::span<const GridPreset> grid_presets() noexcept { return kGridPresets; }

std::optional<double> grid_preset_g_per_kwh(std::string_view name) noexcept {
  for (const auto& g : kGridPresets) {
    if (g.name == name) return g.g_per_kwh;
  }
  return std::nullopt;
}

EnergyRate EnergyRate::constant(double per_j) {
  if (!(per_j >= 0) || !std::isfinite(per_j)) {
    throw std::invalid_argument("energy rate: a finite value >= 0 per J is needed");
  }
  EnergyRate c;
  c.values_ = {per_j};
  return c;
}

EnergyRate EnergyRate::hourly(const Calendar& cal, std::vector<double> per_j, Interpolation interp) {
  if (per_j.size() != 24) throw std::invalid_argument("energy rate: an hourly profile needs 24 values");
  for (const double v : per_j) {
    if (!(v >= 0) || !std::isfinite(v)) throw std::invalid_argument("energy rate: values must be >= 0");
  }
  EnergyRate c;
  c.kind_ = Kind::hourly;
  c.interp_ = interp;
  c.cal_ = cal;
  c.values_ = std::move(per_j);
  return c;
}

EnergyRate EnergyRate::monthly(const Calendar& cal, std::vector<double> per_j) {
  if (per_j.size() != 12) throw std::invalid_argument("energy rate: a monthly profile needs 12 values");
  for (const double v : per_j) {
    if (!(v >= 0) || !std::isfinite(v)) throw std::invalid_argument("energy rate: values must be >= 0");
  }
  EnergyRate c;
  c.kind_ = Kind::monthly;
  c.cal_ = cal;
  c.values_ = std::move(per_j);
  return c;
}

double EnergyRate::value(double t) const noexcept {
  switch (kind_) {
    case Kind::constant: return values_[0];
    case Kind::hourly: {
      const double h = cal_.hour_utc(t);
      if (interp_ == Interpolation::step) return values_[std::min<std::size_t>(static_cast<std::size_t>(h), 23)];
      const double u = h - 0.5;  // hours since the middle of hour 0
      const double fl = std::floor(u);
      const std::size_t i = static_cast<std::size_t>((static_cast<int>(fl) + 24) % 24);
      const double w = u - fl;
      return values_[i] + (values_[(i + 1) % 24] - values_[i]) * w;
    }
    case Kind::monthly: {
      std::int64_t y = 0;
      unsigned m = 1;
      year_month(utc_day(cal_, t), y, m);
      return values_[m - 1];
    }
  }
  return values_[0];
}

double EnergyRate::next_break(double t) const noexcept {
  switch (kind_) {
    case Kind::constant: return kInf;
    case Kind::hourly: {
      // Knots on whole hours (step) or half hours (linear). A t within 3.6 µs below a knot counts as on it,
      // so the step forward is never below floating-point resolution.
      const double u = cal_.hour_utc(t) - (interp_ == Interpolation::linear ? 0.5 : 0.0);
      const double next_u = std::floor(u + 1e-9) + 1.0;
      return t + (next_u - u) * 3600.0;
    }
    case Kind::monthly: {
      std::int64_t y = 0;
      unsigned m = 1;
      year_month(utc_day(cal_, t), y, m);
      const std::int64_t next_day = m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
      return static_cast<double>(next_day * 86400 - cal_.start());
    }
  }
  return kInf;
}

double EnergyRate::mean(double t0, double t1) const noexcept {
  if (!(t1 > t0) || kind_ == Kind::constant) return value(t0);
  // Linear (or constant) between knots: the mean of each piece is its value at the middle.
  double sum = 0;
  for (double a = t0; a < t1;) {
    double b = std::min(next_break(a), t1);
    if (b <= a) b = std::nextafter(a, kInf);
    sum += value(0.5 * (a + b)) * (b - a);
    a = b;
  }
  return sum / (t1 - t0);
}

double EnergyRate::amount(double power_w, double t0, double t1) const noexcept {
  return t1 > t0 ? power_w * (t1 - t0) * mean(t0, t1) : 0.0;
}

EnergyRate make_carbon_intensity(const Params& p, const Calendar& cal) {
  std::vector<std::string> given;
  for (const std::string_view k : {"preset", "constant", "hourly", "monthly"}) {
    if (p.has(k)) given.emplace_back(k);
  }
  if (given.empty()) {
    p.fail("preset", "a carbon intensity: preset = \"us_grid\", constant = \"367 gCO2/kWh\", hourly = [24 values] "
                     "or monthly = [12 values]");
  }
  if (given.size() > 1) {
    p.fail(given[1], "only one of preset, constant, hourly or monthly", "'" + given[0] + "' is also given");
  }
  const std::string& kind = given[0];
  if (kind == "preset") {
    const std::string name = p.text("preset");  // a choice, checked here for the message's "or"
    if (const auto g = grid_preset_g_per_kwh(name)) return EnergyRate::constant(g_per_kwh_to_kg_per_j(*g));
    std::vector<std::string> names;
    for (const auto& g : grid_presets()) names.emplace_back(g.name);
    const std::string hint = did_you_mean_hint(name, names);
    p.fail("preset", "one of " + join(names), hint);
  }
  if (kind == "constant") return EnergyRate::constant(p.quantity("constant"));
  if (kind == "hourly") {
    auto v = p.quantities("hourly");
    if (v.size() != 24) p.fail("hourly", "24 values, one per UTC hour starting at 00:00");
    const std::string interp = p.choice("interpolation");
    return EnergyRate::hourly(cal, std::move(v),
                                   interp == "linear" ? EnergyRate::Interpolation::linear
                                                      : EnergyRate::Interpolation::step);
  }
  auto v = p.quantities("monthly");
  if (v.size() != 12) p.fail("monthly", "12 values, January first");
  return EnergyRate::monthly(cal, std::move(v));
}

// ---- Household yardstick ---------------------------------------------------------------------------------

double household_days(double energy_j) noexcept { return energy_j / (kUsHouseholdKwhPerDay * kJPerKwh); }

}  // namespace dcsim::power
