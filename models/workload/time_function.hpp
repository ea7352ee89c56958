// A non-negative function of simulated time (seconds since t = 0) that can bound itself over an interval:
// the building block of arrival rates. Exact Poisson arrivals need, for each interval, a lower and an upper
// bound of the rate; every factor of a rate (population, diurnal and weekly profiles, flash crowds) gives
// true bounds of its own, and the product of the factors' bounds bounds the product.
#pragma once

#include <algorithm>
#include <limits>

namespace dcsim::workload {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

struct Bounds {
  double lo = 0, hi = 0;
  Bounds operator*(const Bounds& o) const noexcept { return {lo * o.lo, hi * o.hi}; }  // both non-negative
};

class TimeFunction {
 public:
  virtual ~TimeFunction() = default;
  virtual double value(double t) const = 0;
  // lo <= value(t) <= hi for all t in [t0, t1].
  virtual Bounds bounds(double t0, double t1) const = 0;
  // The first time after t where the function may be discontinuous or change its formula (a segment
  // boundary for integration and for tight bounds); +inf if none.
  virtual double next_break(double /*t*/) const { return kInf; }
};

// Bounds of a monotone function from its end values.
inline Bounds monotone_bounds(double a, double b) noexcept { return {std::min(a, b), std::max(a, b)}; }

}  // namespace dcsim::workload
