// Numerical integration of smooth functions: composite Gauss–Legendre (8 points per panel, exact for
// polynomials of degree 15). Callers split at discontinuities and keep panels short relative to the
// function's time scale; with 10-minute panels a diurnal sinusoid integrates to ~1e-15 relative error.
#pragma once

#include <algorithm>
#include <cmath>

namespace dcsim {

template <class F>
double gauss_legendre8(F&& f, double a, double b) {
  static constexpr double x[4] = {0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363};
  static constexpr double w[4] = {0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763};
  const double c = 0.5 * (a + b), h = 0.5 * (b - a);
  double s = 0;
  for (int i = 0; i < 4; ++i) s += w[i] * (f(c - h * x[i]) + f(c + h * x[i]));
  return s * h;
}

// ∫_a^b f over panels no longer than max_panel.
template <class F>
double integrate(F&& f, double a, double b, double max_panel) {
  if (!(b > a)) return 0.0;
  const int n = std::max(1, static_cast<int>(std::ceil((b - a) / max_panel)));
  const double step = (b - a) / n;
  double s = 0;
  for (int i = 0; i < n; ++i) s += gauss_legendre8(f, a + i * step, i + 1 == n ? b : a + (i + 1) * step);
  return s;
}

}  // namespace dcsim
