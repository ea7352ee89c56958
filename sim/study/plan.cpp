#include "sim/study/plan.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/core/echo.hpp"
#include "sim/core/units.hpp"
#include "sim/io/scenario.hpp"

namespace dcsim::study {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string trim(const std::string& s) {
  const std::size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

// "sites[0].clusters[12].gpus" -> "sites[].clusters[].gpus"
std::string pattern_of(const std::string& key) {
  std::string p;
  for (std::size_t i = 0; i < key.size(); ++i) {
    p += key[i];
    if (key[i] == '[') {
      while (i + 1 < key.size() && key[i + 1] != ']') ++i;
    }
  }
  return p;
}

// The value at a key path in the scenario, or nullptr.
const ConfigValue* value_at(const ConfigValue& root, const std::string& key) {
  const ConfigValue* v = &root;
  std::size_t i = 0;
  while (i < key.size() && v) {
    std::size_t j = i;
    while (j < key.size() && key[j] != '.' && key[j] != '[') ++j;
    if (!v->is_table()) return nullptr;
    v = v->find(key.substr(i, j - i));
    while (v && j < key.size() && key[j] == '[') {
      const std::size_t close = key.find(']', j);
      if (close == std::string::npos || !v->is_array()) return nullptr;
      std::size_t idx = 0;
      const auto r = std::from_chars(key.data() + j + 1, key.data() + close, idx);
      if (r.ec != std::errc() || idx >= v->items().size()) return nullptr;
      v = &v->items()[idx];
      j = close + 1;
    }
    i = j < key.size() && key[j] == '.' ? j + 1 : j;
  }
  return v;
}

// A number in the key's terms: an integer, or a quantity of its kind ("250 kW", or a bare number in the
// canonical unit).
double read_number(const std::string& text, const PlanVar& v, const std::string& what) {
  const std::string t = trim(text);
  if (v.integer) {
    std::int64_t x = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), x);
    if (r.ec != std::errc() || r.ptr != t.data() + t.size()) {
      throw std::invalid_argument(what + ": expected an integer for " + echo(v.key) + ", found '" + echo(t) + "'");
    }
    return static_cast<double>(x);
  }
  try {
    return parse_quantity(t, *v.kind);
  } catch (const UnitError& e) {
    throw std::invalid_argument(what + " of " + echo(v.key) + ": " + e.what());
  }
}

// The largest power of ten at most x / 100 (at least the canonical unit): a quantity's default step.
double default_step(double x) {
  if (!(x > 100)) return 1;
  return std::pow(10.0, std::floor(std::log10(x / 100.0)));
}

}  // namespace

// ---- SLOs ---------------------------------------------------------------------------------------------------

Slo parse_slo(const std::string& text) {
  const std::size_t at = text.find_first_of("<>");
  if (at == std::string::npos || at == 0) {
    throw std::invalid_argument("expected METRIC<VALUE or METRIC>VALUE (a summary metric and a number), found '" +
                                echo(text) + "'");
  }
  Slo s;
  s.text = text;
  s.metric = trim(text.substr(0, at));
  s.below = text[at] == '<';
  std::size_t v = at + 1;
  if (v < text.size() && text[v] == '=') ++v;
  const std::string num = trim(text.substr(v));
  const auto r = std::from_chars(num.data(), num.data() + num.size(), s.bound);
  if (num.empty() || r.ec != std::errc() || r.ptr != num.data() + num.size() || !std::isfinite(s.bound)) {
    throw std::invalid_argument("expected a finite number after '" + std::string(1, text[at]) + "' in '" + echo(text) +
                                "' (in the metric's unit, as dcsim info prints it), found '" + echo(num) + "'");
  }
  if (s.metric.empty() || s.metric.find_first_of(" \t=") != std::string::npos) {
    throw std::invalid_argument("expected a metric name before '" + std::string(1, text[at]) + "' in '" + echo(text) + "'");
  }
  return s;
}

const char* statistic_name(Statistic s) { return s == Statistic::median ? "median" : "mean"; }

Statistic parse_statistic(const std::string& text) {
  if (text == "median") return Statistic::median;
  if (text == "mean") return Statistic::mean;
  throw std::invalid_argument("expected 'median' or 'mean', found '" + echo(text) + "'");
}

std::size_t min_replicas(double confidence) {
  std::size_t n = 1;
  while (std::ldexp(1.0, -static_cast<int>(n)) > 1 - confidence + 1e-12) ++n;
  return n;
}

namespace {

// The finite values, in increasing order.
std::vector<double> finite_sorted(std::span<const double> values) {
  std::vector<double> v;
  for (const double x : values) {
    if (std::isfinite(x)) v.push_back(x);
  }
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

double median(std::span<const double> values) {
  const std::vector<double> v = finite_sorted(values);
  if (v.empty()) return kNaN;
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double slo_bound(const Slo& slo, std::span<const double> values, double confidence, Statistic stat) {
  if (stat == Statistic::mean) {
    // The one-sided γ bound is the end of the two-sided interval at 2γ − 1.
    const Interval iv = mean_interval(values, 2 * confidence - 1);
    if (iv.n < 2) return kNaN;
    return slo.below ? iv.high() : iv.low();
  }
  const std::vector<double> v = finite_sorted(values);
  const std::size_t n = v.size();
  if (n == 0) return kNaN;
  // P(Binomial(n, 1/2) >= k) for k = n, n - 1, ...: the least k whose tail is at most 1 − γ. The k-th
  // smallest value is below the median only if at least k values are, which has that probability when
  // the median is the bound.
  std::vector<double> pmf(n + 1);
  double c = 1;  // C(n, j)
  for (std::size_t j = 0; j <= n; ++j) {
    pmf[j] = c * std::ldexp(1.0, -static_cast<int>(n));
    c = c * static_cast<double>(n - j) / static_cast<double>(j + 1);
  }
  double tail = 0;
  std::size_t k = n + 1;
  for (std::size_t j = n; j >= 1; --j) {
    if (tail + pmf[j] > 1 - confidence + 1e-12) break;
    tail += pmf[j];
    k = j;
  }
  if (k > n) return kNaN;                 // too few replicas for this confidence
  return slo.below ? v[k - 1] : v[n - k];  // the k-th smallest, or the k-th largest
}

bool slo_met(const Slo& slo, std::span<const double> values, double confidence, Statistic stat, double* bound) {
  const double b = slo_bound(slo, values, confidence, stat);
  if (bound) *bound = b;
  if (!std::isfinite(b)) return false;
  return slo.below ? b < slo.bound : b > slo.bound;
}

// ---- variables ----------------------------------------------------------------------------------------------

ConfigValue PlanVar::value(std::int64_t k) const {
  const SourceLoc at{"--vary " + key, 0, 0};
  if (integer) return ConfigValue::make_integer(k * static_cast<std::int64_t>(step), at);
  return ConfigValue::make_float(static_cast<double>(k) * step, at);
}

std::string PlanVar::text(std::int64_t k) const {
  if (integer) return std::to_string(k * static_cast<std::int64_t>(step));
  return echo_number(static_cast<double>(k) * step) + " " + std::string(kind->unit);
}

PlanVar read_var(const std::string& arg, const ParamSchema& schema, const ConfigValue& root, const VaryBounds& b) {
  PlanVar v;
  const std::size_t eq = arg.find('=');
  v.key = trim(arg.substr(0, eq));
  if (v.key.empty()) throw std::invalid_argument("--vary: expected KEY, KEY=A..B or KEY=V1,V2,..., found '" + echo(arg) + "'");
  const std::size_t dot = v.key.find_last_of(".]");
  v.label = dot == std::string::npos ? v.key : v.key.substr(dot + 1);
  if (v.label.empty()) v.label = v.key;
  const std::string spec = eq == std::string::npos ? "" : arg.substr(eq + 1);
  const ParamDef* def = schema.find(normalize_pattern(pattern_of(v.key)));
  const std::size_t dots = spec.find("..");
  const bool search = eq == std::string::npos || dots != std::string::npos;
  if (!def) {
    if (search) throw std::invalid_argument("--vary " + echo(v.key) + ": not a scenario key (dcsim keys lists them)");
  } else {
    v.integer = def->type == ParamType::integer;
    v.kind = def->type == ParamType::quantity ? def->kind : nullptr;
  }
  if (!search) {
    // Enumerated: a list, or a range A:B:S.
    if (spec.find(',') == std::string::npos && std::count(spec.begin(), spec.end(), ':') == 2 && def &&
        (v.integer || v.kind)) {
      const std::size_t c1 = spec.find(':'), c2 = spec.find(':', c1 + 1);
      const double a = read_number(spec.substr(0, c1), v, "--vary"), z = read_number(spec.substr(c1 + 1, c2 - c1 - 1), v, "--vary"),
                   s = read_number(spec.substr(c2 + 1), v, "--vary");
      if (!(s > 0) || z < a || (z - a) / s > 10000) {
        throw std::invalid_argument("--vary " + echo(v.key) + "=A:B:S: expected A <= B and a step S > 0 giving at most 10,000 values");
      }
      for (double x = a; x <= z + 1e-9 * std::fabs(s); x += s) {
        v.values.push_back(v.integer ? ConfigValue::make_integer(static_cast<std::int64_t>(std::llround(x)), {"--vary " + v.key, 0, 0})
                                     : ConfigValue::make_float(x, {"--vary " + v.key, 0, 0}));
      }
    } else {
      std::size_t from = 0;
      while (true) {
        const std::size_t comma = spec.find(',', from);
        const std::string item = trim(spec.substr(from, comma == std::string::npos ? std::string::npos : comma - from));
        if (item.empty()) throw std::invalid_argument("--vary " + echo(v.key) + ": an empty value in '" + echo(spec) + "'");
        ConfigValue cv = io::parse_override("x=" + item).value;
        v.values.push_back(std::move(cv));
        if (comma == std::string::npos) break;
        from = comma + 1;
      }
    }
    return v;  // --min, --max and --step belong to the searched variable
  }
  // Searched.
  if (!def->capacity) {
    throw std::invalid_argument("--vary " + echo(v.key) + ": not a capacity the planner can size (it searches GPUs, "
                                "servers, cooling units, design heat, a power envelope: the keys whose help in dcsim keys "
                                "says 'Capacity'); give its values as KEY=V1,V2,... to compare them instead");
  }
  if (!v.integer && !v.kind) throw std::invalid_argument("--vary " + echo(v.key) + ": not a number");
  const ConfigValue* now = value_at(root, v.key);
  double current = kNaN;
  if (now && now->is_number()) current = now->as_number();
  if (now && now->is_string() && v.kind) {
    try {
      current = parse_quantity(now->as_string(), *v.kind);
    } catch (const UnitError&) {
    }
  }
  std::string lo_t = b.min, hi_t = b.max;
  if (dots != std::string::npos) {
    if (!b.min.empty() || !b.max.empty()) {
      throw std::invalid_argument("--vary " + echo(v.key) + ": give the range as KEY=A..B or with --min and --max, not both");
    }
    lo_t = spec.substr(0, dots);
    hi_t = spec.substr(dots + 2);
  }
  v.search = true;
  if (!b.step.empty()) {
    v.step = read_number(b.step, v, "--step");
    if (!(v.step > 0)) throw std::invalid_argument("--step: expected a step > 0 for " + echo(v.key));
  } else if (!v.integer) {
    v.step = default_step(std::isfinite(current) ? current : 100);
  }
  const Range& r = def->range;
  const double lo = !trim(lo_t).empty() ? read_number(lo_t, v, "--min") : std::max(r.lo + (r.lo_open ? v.step : 0), v.step);
  double hi = 0;
  if (!trim(hi_t).empty()) {
    hi = read_number(hi_t, v, "--max");
  } else {
    if (!(current > 0)) throw std::invalid_argument("--vary " + echo(v.key) + ": the scenario gives no value to start from; give --max");
    hi = std::min(r.hi, 64 * current);
  }
  if (!r.contains(lo) || !r.contains(hi)) {
    throw std::invalid_argument("--vary " + echo(v.key) + ": expected bounds " + describe_range(*def) + ", found " +
                                echo_number(lo) + " .. " + echo_number(hi));
  }
  v.lo = static_cast<std::int64_t>(std::ceil(lo / v.step - 1e-9));
  v.hi = static_cast<std::int64_t>(std::floor(hi / v.step + 1e-9));
  if (v.hi < v.lo) {
    throw std::invalid_argument("--vary " + echo(v.key) + ": expected min <= max, found " + echo_number(lo) + " > " + echo_number(hi));
  }
  v.start = std::isfinite(current) ? std::clamp<std::int64_t>(std::llround(current / v.step), v.lo, v.hi) : v.lo;
  return v;
}

// ---- LeastFeasible --------------------------------------------------------------------------------------

LeastFeasible::LeastFeasible(std::int64_t lo, std::int64_t hi, std::int64_t start)
    : lo_(lo), hi_(hi), start_(std::clamp(start, lo, hi)) {
  if (hi < lo) throw std::invalid_argument("LeastFeasible: hi < lo");
}

std::int64_t LeastFeasible::least_feasible() const {
  for (const auto& [x, ok] : tried_) {
    if (ok) return x;
  }
  return hi_ + 1;
}

std::int64_t LeastFeasible::largest_infeasible_below(std::int64_t b) const {
  std::int64_t a = lo_ - 1;
  for (const auto& [x, ok] : tried_) {
    if (x >= b) break;
    if (!ok) a = x;
  }
  return a;
}

bool LeastFeasible::done() const {
  const std::int64_t b = least_feasible(), a = largest_infeasible_below(b);
  if (b == hi_ + 1) return a == hi_;
  return b - a == 1;
}

std::vector<std::int64_t> LeastFeasible::propose(std::size_t k) const {
  k = std::max<std::size_t>(k, 1);
  std::vector<std::int64_t> out;
  const auto add = [&](std::int64_t x) {
    x = std::clamp(x, lo_, hi_);
    if (!tried_.count(x) && std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
  };
  if (done()) return out;
  const std::int64_t b = least_feasible(), a = largest_infeasible_below(b);
  // Growth from x by a factor 2^i (by 2^i - 1 steps when x < 1).
  const auto up = [&](std::int64_t x, int i) {
    const double f = std::ldexp(1.0, i);
    const double y = x >= 1 ? static_cast<double>(x) * f : static_cast<double>(x) + f - 1;
    return y >= static_cast<double>(hi_) ? hi_ : static_cast<std::int64_t>(y);
  };
  const auto down = [&](std::int64_t x, int i) {
    const double y = x >= 2 ? std::floor(static_cast<double>(x) / std::ldexp(1.0, i)) : static_cast<double>(x) - std::ldexp(1.0, i - 1);
    return y <= static_cast<double>(lo_) ? lo_ : static_cast<std::int64_t>(y);
  };
  if (tried_.empty()) {
    add(start_);
    for (int i = 1; out.size() < k && i < 63; ++i) {
      add(up(start_, i));
      if (up(start_, i) >= hi_) break;
    }
  } else if (b == hi_ + 1) {
    for (int i = 1; out.size() < k && i < 63; ++i) {  // none feasible yet: up from the largest infeasible
      add(up(a, i));
      if (up(a, i) >= hi_) break;
    }
  } else if (a == lo_ - 1) {
    for (int i = 1; out.size() < k && i < 63; ++i) {  // feasible, nothing infeasible below: down from it
      add(down(b, i));
      if (down(b, i) <= lo_) break;
    }
  } else {
    const double g = static_cast<double>(b - a);  // >= 2: split (a, b) into k + 1 parts
    for (std::size_t i = 1; i <= k; ++i) {
      const auto x = a + static_cast<std::int64_t>(std::llround(g * static_cast<double>(i) / static_cast<double>(k + 1)));
      if (x > a && x < b) add(x);
    }
    if (out.empty()) add(a + 1);
  }
  return out;
}

void LeastFeasible::observe(std::int64_t x, bool feasible) { tried_[x] = feasible; }

std::optional<std::int64_t> LeastFeasible::answer() const {
  const std::int64_t b = least_feasible();
  if (b == hi_ + 1) return std::nullopt;
  return b;
}

std::size_t LeastFeasible::contradictions() const {
  std::size_t n = 0;
  for (const auto& [x, ok] : tried_) {
    if (!ok) continue;
    for (auto it = tried_.upper_bound(x); it != tried_.end(); ++it) {
      if (!it->second) {
        ++n;
        break;
      }
    }
  }
  return n;
}

// ---- objectives -------------------------------------------------------------------------------------------

std::vector<std::size_t> pareto_front(const std::vector<std::vector<double>>& rows) {
  const auto finite = [](const std::vector<double>& r) {
    return std::all_of(r.begin(), r.end(), [](double x) { return std::isfinite(x); });
  };
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!finite(rows[i])) continue;
    bool dominated = false;
    for (std::size_t j = 0; j < rows.size() && !dominated; ++j) {
      if (j == i || !finite(rows[j]) || rows[j].size() != rows[i].size()) continue;
      bool no_worse = true, better = false;
      for (std::size_t m = 0; m < rows[i].size(); ++m) {
        if (rows[j][m] > rows[i][m]) no_worse = false;
        if (rows[j][m] < rows[i][m]) better = true;
      }
      dominated = no_worse && better;
    }
    if (!dominated) out.push_back(i);
  }
  return out;
}

std::vector<std::pair<std::size_t, std::size_t>> wrong_way(const Slo& slo, const std::vector<std::vector<double>>& values,
                                                          double confidence) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t i = 0; i + 1 < values.size(); ++i) {
    const Interval d = paired_difference(values[i + 1], values[i], confidence);
    if (d.n < 2 || !std::isfinite(d.half_width)) continue;
    if (slo.below ? d.low() > 0 : d.high() < 0) out.emplace_back(i, i + 1);
  }
  return out;
}

}  // namespace dcsim::study
