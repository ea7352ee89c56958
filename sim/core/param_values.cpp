// Params: converting one scenario value (or a declared default) to what a model reads, with the precise
// message when it does not convert; the readers of a distribution's own keys.
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "sim/core/calendar.hpp"
#include "sim/core/config.hpp"
#include "sim/core/echo.hpp"
#include "sim/core/param_table.hpp"
#include "sim/core/params_text.hpp"

namespace dcsim {

using namespace params_text;

// ---- conversions (shared by scenario values and declared defaults) ---------------------------------------

double Params::to_quantity(const ConfigValue& v, std::string_view kp, const QuantityKind& kind, Range r) const {
  const std::string unit(kind.unit);
  const std::string expected = a_kind(kind) +
                               (r.describe(unit).empty() ? "" : " " + r.describe(unit)) + " such as " +
                               std::string(kind.example);
  double x = 0;
  if (v.is_number()) {
    x = v.as_number();
    if (kind.absolute_temperature && x < -273.15) fail_value(v, kp, expected, "below absolute zero");
  } else if (v.is_datetime()) {
    fail_value(v, kp, expected, "a date or time is not a quantity");
  } else if (v.is_string()) {
    try {
      x = parse_quantity(v.as_string(), kind);
    } catch (const UnitError& e) {
      fail_value(v, kp, expected, e.what());
    }
  } else {
    fail_value(v, kp, expected, v.type_name() + " cannot hold a quantity");
  }
  if (!std::isfinite(x)) fail_value(v, kp, expected, "not a finite number");
  if (!r.contains(x)) fail_value(v, kp, expected, "out of range: " + echo_number(x) + " " + unit);
  return x;
}

SimTime Params::to_duration(const ConfigValue& v, std::string_view kp, Range r) const {
  const double s = to_quantity(v, kp, qty::time, r);
  try {
    return SimTime::from_seconds(s);
  } catch (const std::out_of_range& e) {
    fail_value(v, kp, "a time within ±292 years", e.what());
  }
}

std::int64_t Params::to_integer(const ConfigValue& v, std::string_view kp, Range r) const {
  const std::string d = r.describe("");
  const std::string expected = "an integer" + (d.empty() ? std::string() : " " + d);
  if (v.type() != ConfigValue::Type::integer) fail_value(v, kp, expected);
  if (!r.contains(static_cast<double>(v.as_integer()))) fail_value(v, kp, expected);
  return v.as_integer();
}

bool Params::to_boolean(const ConfigValue& v, std::string_view kp) const {
  if (v.type() != ConfigValue::Type::boolean) fail_value(v, kp, "true or false");
  return v.as_bool();
}

std::string Params::to_choice(const ConfigValue& v, std::string_view kp, const std::vector<std::string>& options) const {
  const std::string expected = "one of " + quoted_list(options);
  if (!v.is_string()) fail_value(v, kp, expected);
  for (const auto& o : options) {
    if (v.as_string() == o) return v.as_string();
  }
  fail_value(v, kp, expected, did_you_mean_hint(v.as_string(), options));
}

std::vector<double> Params::to_quantities(const ConfigValue& v, std::string_view kp, const QuantityKind& kind,
                                          Range r) const {
  if (!v.is_array()) {
    fail_value(v, kp, "an array of " + std::string(kind.name) + " values such as [" + std::string(kind.example) + ", ...]");
  }
  std::vector<double> out;
  out.reserve(v.items().size());
  for (std::size_t i = 0; i < v.items().size(); ++i) {
    out.push_back(to_quantity(v.items()[i], std::string(kp) + "[" + std::to_string(i) + "]", kind, r));
  }
  return out;
}

std::int64_t Params::to_datetime(const ConfigValue& v, std::string_view kp) const {
  const std::string expected = "a date-time with a time zone such as 2025-03-25T00:00:00Z (Z or an offset such as +01:00)";
  if (!v.is_string()) fail_value(v, kp, expected);
  std::string why;
  const auto t = parse_utc(v.as_string(), &why);
  if (!t) fail_value(v, kp, expected, why);
  return *t;
}

// ---- explicit reads (a distribution's own keys) ----------------------------------------------------------

double Params::quantity(std::string_view key, const QuantityKind& kind, Range r) const {
  (void)decl(key);
  const ConfigValue* v = get(key);
  if (!v) fail(key, a_kind(kind) + " such as " + std::string(kind.example));
  return to_quantity(*v, key_path(key), kind, r);
}

std::vector<double> Params::quantities(std::string_view key, const QuantityKind& kind, Range r) const {
  (void)decl(key);
  const ConfigValue& v = require(key, "an array of " + std::string(kind.name) + " values");
  return to_quantities(v, key_path(key), kind, r);
}

std::string Params::choice(std::string_view key, std::initializer_list<std::string_view> options) const {
  (void)decl(key);
  const std::vector<std::string> opts(options.begin(), options.end());
  return to_choice(require(key, "one of " + quoted_list(opts)), key_path(key), opts);
}

// ---- distributions ----------------------------------------------------------------------------------------

Distribution Params::read_distribution(const ConfigValue& v, std::string_view kp, const QuantityKind& kind,
                                       Range values) const {
  if (!v.is_table()) return Distribution::deterministic(to_quantity(v, kp, kind, values));
  // The parameters of a distribution are part of its value, not keys of their own in the tables.
  const Params d(v, std::string(kp));
  const std::string k = d.choice("kind", {"deterministic", "exponential", "lognormal", "gamma", "uniform", "empirical", "table"});
  const Range pos = Range::positive();
  try {
    if (k == "deterministic") return Distribution::deterministic(d.quantity("value", kind, values));
    if (k == "exponential") return Distribution::exponential(d.quantity("mean", kind, pos));
    if (k == "lognormal") return Distribution::lognormal(d.quantity("mean", kind, pos), d.quantity("cv", qty::dimensionless, Range::non_negative()));
    if (k == "gamma") return Distribution::gamma(d.quantity("mean", kind, pos), d.quantity("cv", qty::dimensionless, Range::non_negative()));
    if (k == "uniform") {
      const double lo = d.quantity("min", kind, values);
      const double hi = d.quantity("max", kind, values);
      if (hi < lo) d.fail("max", "a value >= min");
      return Distribution::uniform(lo, hi);
    }
    if (k == "empirical") {
      auto vals = d.quantities("values", kind, values);
      auto w = d.has("weights") ? d.quantities("weights", qty::dimensionless, Range::non_negative())
                                : std::vector<double>(vals.size(), 1.0);
      if (w.size() != vals.size()) d.fail("weights", "one weight per value (" + std::to_string(vals.size()) + ")");
      return Distribution::empirical(std::move(vals), std::move(w));
    }
    auto x = d.quantities("x", kind, values);
    auto c = d.quantities("cdf", qty::fraction, Range::unit_interval());
    if (c.size() != x.size()) d.fail("cdf", "one cdf value per x (" + std::to_string(x.size()) + ")");
    return Distribution::table(std::move(x), std::move(c));
  } catch (const std::invalid_argument& e) {
    if (dynamic_cast<const UnitError*>(&e)) throw;
    throw ConfigError(v.loc(), std::string(kp), "a valid " + k + " distribution", v.render(), e.what());
  }
}

}  // namespace dcsim
