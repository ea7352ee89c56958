#include "sim/study/sweep_spec.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "sim/core/echo.hpp"
#include "sim/core/random.hpp"

namespace dcsim::study {

const std::vector<ParamDef>& parameter_table() {
  static const std::vector<ParamDef> t = {
      {.key = "sweep", .type = ParamType::table, .basis = Basis::optional,
       .source = "absent: the scenario is one run",
       .help = "A study (dcsim sweep): the scenario run at every point of its axes, with replicas; dcsim run refuses it."},
      {.key = "sweep.scenario", .type = ParamType::text, .basis = Basis::optional,
       .source = "absent: the sweep's file is the scenario",
       .help = "The scenario to sweep, when the sweep is a file of its own (a path relative to it); the file then holds [sweep] only."},
      {.key = "sweep.combine", .type = ParamType::choice, .choices = {"grid", "zip"}, .def = "grid",
       .basis = Basis::assumption, .source = "every combination of the axes' values, as a factorial study needs",
       .help = "grid: every combination of the axes' values (the first axis varies slowest); zip: the i-th value of every axis."},
      {.key = "sweep.replicas", .type = ParamType::integer, .range = Range::closed(1, 10'000), .def = "1",
       .basis = Basis::assumption, .source = "one run per point unless confidence intervals are asked for",
       .help = "Runs per point, with run indices 0, 1, ... (added to simulation.run_index)."},
      {.key = "sweep.streams", .type = ParamType::choice, .choices = {"common", "independent"}, .def = "common",
       .basis = Basis::assumption,
       .source = "common random numbers: replica k of every point draws the same streams, so differences between points are paired",
       .help = "common: replica k of every point has run index k; independent: every run has a run index of its own."},
      {.key = "sweep.baseline", .type = ParamType::integer, .range = Range::non_negative(), .def = "0",
       .basis = Basis::assumption, .source = "the first point",
       .help = "Index of the point that paired differences are taken against."},
      {.key = "sweep.samples", .type = ParamType::integer, .range = Range::closed(1, 100'000),
       .basis = Basis::optional, .source = "required when an axis gives an lhs interval",
       .help = "Points of the Latin-hypercube design shared by the axes that give an lhs interval."},
      {.key = "sweep.seed", .type = ParamType::integer, .range = Range::non_negative(), .def = "1",
       .basis = Basis::assumption, .help = "Seed of the Latin-hypercube design (not of the runs: that is simulation.seed)."},
      {.key = "sweep.axes", .type = ParamType::tables, .basis = Basis::optional,
       .source = "absent: one point, the scenario as written", .help = "The parameters the sweep varies, one table each."},
      {.key = "sweep.axes[].key", .type = ParamType::text, .basis = Basis::required,
       .help = "Key path of the parameter, as --set writes it (sites[0].clusters[0].gpus)."},
      {.key = "sweep.axes[].name", .type = ParamType::text, .basis = Basis::derived,
       .source = "the key path's last name", .help = "Short name of the axis in run names and the index."},
      {.key = "sweep.axes[].values", .type = ParamType::texts, .basis = Basis::optional,
       .source = "one of values, range, logrange or lhs is given",
       .help = "The values, each written as the key takes it.", .accepts = "array of values"},
      {.key = "sweep.axes[].range", .type = ParamType::text, .basis = Basis::optional,
       .source = "one of values, range, logrange or lhs is given",
       .help = "\"start:stop:step\": start, start + step, ... up to stop (included when it falls on a step)."},
      {.key = "sweep.axes[].logrange", .type = ParamType::text, .basis = Basis::optional,
       .source = "one of values, range, logrange or lhs is given",
       .help = "\"start:stop:count\": count values from start to stop in geometric progression (start, stop > 0)."},
      {.key = "sweep.axes[].lhs", .type = ParamType::text, .basis = Basis::optional,
       .source = "one of values, range, logrange or lhs is given",
       .help = "\"low:high\": sweep.samples values of a Latin-hypercube design over the interval."},
      {.key = "sweep.axes[].unit", .type = ParamType::text, .basis = Basis::optional,
       .source = "absent: the numbers are bare (the key's canonical unit)",
       .help = "Unit written after each number of a range, logrange or lhs (\"kW\", \"min\")."},
      {.key = "sweep.axes[].integer", .type = ParamType::boolean, .def = "false", .basis = Basis::assumption,
       .source = "a range of integers gives integers; other generated values are real",
       .help = "Rounds the generated values to integers (for counts such as GPUs)."},
  };
  return t;
}

namespace {

// "a:b[:c]" into numbers; nothing when the text is not that.
bool split_numbers(const std::string& text, std::size_t n, std::vector<double>& out, bool& all_integers) {
  out.clear();
  all_integers = true;
  std::size_t start = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t end = i + 1 < n ? text.find(':', start) : text.size();
    if (end == std::string::npos) return false;
    std::string part = text.substr(start, end - start);
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    double v = 0;
    const auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || p != part.data() + part.size() || !std::isfinite(v)) return false;
    if (part.find_first_of(".eE") != std::string::npos || std::abs(v) > 9e15) all_integers = false;
    out.push_back(v);
    start = end + 1;
  }
  return start == text.size() + 1;
}

std::string format_number(double v, bool integer) {
  char buf[40];
  if (integer) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(std::llround(v)));
  } else {
    std::snprintf(buf, sizeof buf, "%.12g", v);
  }
  return buf;
}

// A generated value: a bare number, or a string with its unit, located at the key that generated it.
ConfigValue make_value(double v, bool integer, const std::string& unit, const SourceLoc& loc) {
  if (!unit.empty()) return ConfigValue::make_string(format_number(v, integer) + " " + unit, loc);
  if (integer) return ConfigValue::make_integer(std::llround(v), loc);
  return ConfigValue::make_float(v, loc);
}

std::string last_name(const std::string& key) {
  std::string k = key;
  if (const auto b = k.rfind('['); b != std::string::npos && k.back() == ']') k.erase(b);
  const auto dot = k.rfind('.');
  return dot == std::string::npos ? k : k.substr(dot + 1);
}

// The Latin-hypercube design: for each axis a random permutation of the n strata and a uniform point in
// each stratum (McKay, Beckman & Conover 1979), drawn from a stream of its own.
std::vector<std::vector<double>> latin_hypercube(std::size_t axes, std::size_t n, std::uint64_t seed) {
  Rng rng(splitmix64_mix(seed ^ stable_hash("sweep.lhs")));
  std::vector<std::vector<double>> u(axes, std::vector<double>(n));
  std::vector<std::size_t> perm(n);
  for (std::size_t a = 0; a < axes; ++a) {
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    for (std::size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[rng.below(i)]);
    for (std::size_t i = 0; i < n; ++i) u[a][i] = (static_cast<double>(perm[i]) + rng.uniform()) / static_cast<double>(n);
  }
  return u;
}

}  // namespace

SweepSpec read_sweep(const Params& sweep, const ConfigValue& raw) {
  SweepSpec s;
  s.loc = sweep.loc();
  if (sweep.has("scenario")) (void)sweep.text("scenario");  // read by the caller, which merges the scenario in
  s.combine = sweep.choice("combine") == "zip" ? Combine::zip : Combine::grid;
  s.replicas = sweep.integer("replicas");
  s.replicas_loc = sweep.has("replicas") ? sweep.loc("replicas") : sweep.loc();
  s.streams = sweep.choice("streams") == "independent" ? Streams::independent : Streams::common;
  s.baseline = sweep.integer("baseline");
  s.seed = static_cast<std::uint64_t>(sweep.integer("seed"));
  const bool has_samples = sweep.has("samples");
  if (has_samples) s.samples = sweep.integer("samples");

  const std::vector<Params> axes = sweep.tables("axes");
  const ConfigValue* raw_axes = raw.find("axes");
  std::vector<std::pair<std::size_t, std::pair<double, double>>> lhs;  // axis, interval
  std::vector<bool> lhs_integer;
  std::vector<std::string> lhs_unit;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const Params& a = axes[i];
    Axis axis;
    axis.key = a.text("key");
    axis.loc = a.loc("key");
    if (axis.key.empty()) a.fail("key", "a key path such as sites[0].clusters[0].gpus");
    if (axis.key == "simulation.run_index") {
      a.fail("key", "a parameter of the scenario", "sweep.replicas sets the run index of each run");
    }
    for (const Axis& other : s.axes) {
      if (other.key == axis.key) a.fail("key", "a key no other axis varies", "axis " + echo(other.key) + " already does");
    }
    axis.label = a.has("name") ? a.name("name") : last_name(axis.key);
    const char* given[] = {"values", "range", "logrange", "lhs"};
    std::vector<std::string> present;
    for (const char* g : given) {
      if (a.has(g)) present.push_back(g);
    }
    if (present.size() != 1) {
      a.fail(present.empty() ? "key" : present[1], "exactly one of values, range, logrange or lhs for axis " + echo(axis.key),
             present.empty() ? "" : "this axis gives " + present[0] + " and " + present[1]);
    }
    const std::string unit = a.has("unit") ? a.text("unit") : std::string();
    const bool integer = a.boolean("integer");
    const std::string how = present[0];
    std::vector<double> n;
    bool ints = false;
    if (how == "values") {
      a.acknowledge("values");
      if (a.has("unit")) a.fail("unit", "no unit with a list of values", "write each value with its unit");
      const ConfigValue& list = *raw_axes->items()[i].find("values");
      if (!list.is_array() || list.items().empty()) a.fail("values", "a non-empty array of values");
      if (list.items().size() > kMaxAxisValues) a.fail("values", "at most " + std::to_string(kMaxAxisValues) + " values");
      axis.values = list.items();
    } else if (how == "range") {
      const std::string text = a.text("range");
      if (!split_numbers(text, 3, n, ints)) a.fail("range", "\"start:stop:step\" with three numbers");
      const double start = n[0], stop = n[1], step = n[2];
      if (step == 0 || (stop - start) / step < 0) {
        a.fail("range", "a step that leads from start to stop", "a step of " + format_number(step, false));
      }
      const double count = std::floor((stop - start) / step + 1e-9) + 1;
      if (count > static_cast<double>(kMaxAxisValues)) {
        a.fail("range", "at most " + std::to_string(kMaxAxisValues) + " values", "this range has " + echo_number(count));
      }
      for (std::size_t k = 0; k < static_cast<std::size_t>(count); ++k) {
        axis.values.push_back(make_value(start + static_cast<double>(k) * step, ints || integer, unit, a.loc("range")));
      }
    } else if (how == "logrange") {
      const std::string text = a.text("logrange");
      if (!split_numbers(text, 3, n, ints)) a.fail("logrange", "\"start:stop:count\" with three numbers");
      if (n[0] <= 0 || n[1] <= 0) a.fail("logrange", "a start and a stop > 0");
      if (n[2] < 2 || n[2] != std::floor(n[2]) || n[2] > static_cast<double>(kMaxAxisValues)) {
        a.fail("logrange", "a count that is an integer from 2 to " + std::to_string(kMaxAxisValues));
      }
      const auto count = static_cast<std::size_t>(n[2]);
      for (std::size_t k = 0; k < count; ++k) {
        const double f = static_cast<double>(k) / static_cast<double>(count - 1);
        const double v = k + 1 == count ? n[1] : n[0] * std::pow(n[1] / n[0], f);
        axis.values.push_back(make_value(v, integer, unit, a.loc("logrange")));
      }
    } else {
      const std::string text = a.text("lhs");
      if (!split_numbers(text, 2, n, ints)) a.fail("lhs", "\"low:high\" with two numbers");
      if (!(n[0] < n[1])) a.fail("lhs", "an interval with low < high");
      if (!has_samples) sweep.fail("samples", "the number of Latin-hypercube points, for axis " + echo(axis.key));
      axis.lhs = true;
      lhs.push_back({s.axes.size(), {n[0], n[1]}});
      lhs_integer.push_back(integer);
      lhs_unit.push_back(unit);
    }
    s.axes.push_back(std::move(axis));
  }
  if (!lhs.empty()) {
    const auto u = latin_hypercube(lhs.size(), static_cast<std::size_t>(s.samples), s.seed);
    for (std::size_t j = 0; j < lhs.size(); ++j) {
      Axis& axis = s.axes[lhs[j].first];
      const auto [lo, hi] = lhs[j].second;
      const SourceLoc at = axes[lhs[j].first].loc("lhs");
      for (const double x : u[j]) axis.values.push_back(make_value(lo + (hi - lo) * x, lhs_integer[j], lhs_unit[j], at));
    }
  } else if (has_samples) {
    sweep.fail("samples", "no samples: no axis gives an lhs interval");
  }
  return s;
}

}  // namespace dcsim::study
