#include "sim/study/replicas.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "sim/core/echo.hpp"
#include "sim/core/stats.hpp"

namespace dcsim::study {

namespace {

struct Moments {
  std::size_t n = 0;
  double mean = 0, m2 = 0;  // Welford
  void add(double x) {
    ++n;
    const double d = x - mean;
    mean += d / static_cast<double>(n);
    m2 += d * (x - mean);
  }
  double variance() const { return n > 1 ? m2 / static_cast<double>(n - 1) : std::nan(""); }
};

double t_of(double level, double df) { return student_t_quantile(0.5 + level / 2, df); }

void check_level(double level) {
  if (!(level > 0 && level < 1)) throw std::invalid_argument("a confidence level must be in (0, 1)");
}

Interval interval_of(const Moments& m, double level) {
  Interval r;
  r.n = m.n;
  if (m.n == 0) return r;
  r.mean = m.mean;
  if (m.n >= 2) r.half_width = t_of(level, static_cast<double>(m.n - 1)) * std::sqrt(m.variance() / static_cast<double>(m.n));
  return r;
}

}  // namespace

Interval mean_interval(std::span<const double> values, double level) {
  check_level(level);
  Moments m;
  for (double x : values) {
    if (std::isfinite(x)) m.add(x);
  }
  return interval_of(m, level);
}

Interval paired_difference(std::span<const double> a, std::span<const double> b, double level) {
  check_level(level);
  Moments m;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (std::isfinite(a[i]) && std::isfinite(b[i])) m.add(a[i] - b[i]);
  }
  return interval_of(m, level);
}

Interval unpaired_difference(std::span<const double> a, std::span<const double> b, double level) {
  check_level(level);
  Moments ma, mb;
  for (double x : a) {
    if (std::isfinite(x)) ma.add(x);
  }
  for (double x : b) {
    if (std::isfinite(x)) mb.add(x);
  }
  Interval r;
  r.n = std::min(ma.n, mb.n);
  if (r.n == 0) return r;
  r.mean = ma.mean - mb.mean;
  if (r.n < 2) return r;
  const double va = ma.variance() / static_cast<double>(ma.n), vb = mb.variance() / static_cast<double>(mb.n);
  const double se2 = va + vb;
  if (se2 == 0) {
    r.half_width = 0;
    return r;
  }
  const double df = se2 * se2 / (va * va / static_cast<double>(ma.n - 1) + vb * vb / static_cast<double>(mb.n - 1));
  r.half_width = t_of(level, std::max(1.0, std::floor(df))) * std::sqrt(se2);
  return r;
}

bool PrecisionTarget::met_by(const Interval& i) const noexcept {
  if (i.n < 2 || !std::isfinite(i.half_width)) return false;
  return relative ? i.half_width <= value * std::fabs(i.mean) : i.half_width <= value;
}

PrecisionTarget parse_precision(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  const std::string what = "expected METRIC:TARGET (a relative half-width such as 2% or an absolute one "
                           "such as 0.5), found " + echo(text);
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) throw std::invalid_argument(what);
  PrecisionTarget t;
  t.metric = text.substr(0, colon);
  std::string v = text.substr(colon + 1);
  if (v.back() == '%') {
    t.relative = true;
    v.pop_back();
  }
  std::size_t used = 0;
  double x = 0;
  try {
    x = std::stod(v, &used);
  } catch (const std::exception&) {
    throw std::invalid_argument(what);
  }
  if (used != v.size() || !std::isfinite(x) || !(x > 0)) throw std::invalid_argument(what + " (the target must be a number > 0)");
  t.value = t.relative ? x / 100 : x;
  return t;
}

}  // namespace dcsim::study
