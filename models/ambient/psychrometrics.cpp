#include "models/ambient/psychrometrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace dcsim::ambient {

namespace {

constexpr double kKelvinOffset = 273.15;
constexpr double kMolarMassRatio = 0.621945;  // M_water / M_dry_air (ASHRAE 2017 ch. 1 eq. 22)
constexpr double kSolveToleranceK = 1e-9;

void check_temperature(double t_c, const char* what) {
  if (!(t_c >= kMinPsychroTempC && t_c <= kMaxPsychroTempC)) {
    throw std::domain_error(std::string(what) + " " + std::to_string(t_c) +
                            " degC is outside the range of the psychrometric equations [-100, 200] degC");
  }
}

void check_pressure(double pressure_pa) {
  if (!(pressure_pa > 0 && std::isfinite(pressure_pa))) {
    throw std::domain_error("atmospheric pressure must be positive, got " + std::to_string(pressure_pa) + " Pa");
  }
}

// ln p_ws and its derivative with respect to temperature (per K), over ice below 0 °C and over water
// from 0 °C (ASHRAE 2017 ch. 1 eq. 5 and 6).
struct LogSaturation {
  double ln_p, dln_p_dt;
};

LogSaturation log_saturation_water(double t_c) {
  const double t = t_c + kKelvinOffset;
  constexpr double c8 = -5.8002206e3, c9 = 1.3914993, c10 = -4.8640239e-2, c11 = 4.1764768e-5,
                   c12 = -1.4452093e-8, c13 = 6.5459673;
  return {c8 / t + c9 + c10 * t + c11 * t * t + c12 * t * t * t + c13 * std::log(t),
          -c8 / (t * t) + c10 + 2 * c11 * t + 3 * c12 * t * t + c13 / t};
}

LogSaturation log_saturation_ice(double t_c) {
  const double t = t_c + kKelvinOffset;
  constexpr double c1 = -5.6745359e3, c2 = 6.3925247, c3 = -9.6778430e-3, c4 = 6.2215701e-7, c5 = 2.0747825e-9,
                   c6 = -9.4840240e-13, c7 = 4.1635019;
  return {c1 / t + c2 + c3 * t + c4 * t * t + c5 * t * t * t + c6 * t * t * t * t + c7 * std::log(t),
          -c1 / (t * t) + c3 + 2 * c4 * t + 3 * c5 * t * t + 4 * c6 * t * t * t + c7 / t};
}

LogSaturation log_saturation(double t_c) {
  check_temperature(t_c, "temperature");
  return t_c < 0 ? log_saturation_ice(t_c) : log_saturation_water(t_c);
}

// The root of a non-decreasing f on [lo, hi] with f(lo) <= 0 <= f(hi), given f and f' by `fd`, starting
// from x: Newton's method kept inside the shrinking bracket, with a bisection step whenever Newton would
// leave it (so it converges even where f has the small jump of eq. 33/35 at 0 °C). Stops when a step or
// the bracket is below kSolveToleranceK.
template <class F>
double solve_increasing(F&& fd, double lo, double hi, double x) {
  for (int i = 0; i < 200; ++i) {
    const auto [f, df] = fd(x);
    if (f == 0) return x;
    if (f < 0) {
      lo = x;
    } else {
      hi = x;
    }
    if (hi - lo <= kSolveToleranceK) return 0.5 * (lo + hi);
    double next = df > 0 ? x - f / df : lo - 1;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::abs(next - x) <= kSolveToleranceK) return next;
    x = next;
  }
  return 0.5 * (lo + hi);
}

// W of the psychrometric equation (eq. 33/35) at wet bulb ts and its derivative dW/dts.
std::pair<double, double> psychrometric_w(double t, double ts, double pressure_pa) {
  const LogSaturation sat = log_saturation(ts);
  const double pws = std::exp(sat.ln_p);
  if (!(pws < pressure_pa)) {
    throw std::domain_error("saturation pressure at " + std::to_string(ts) + " degC exceeds the pressure " +
                            std::to_string(pressure_pa) + " Pa");
  }
  const double ws = kMolarMassRatio * pws / (pressure_pa - pws);
  const double dws = ws * pressure_pa / (pressure_pa - pws) * sat.dln_p_dt;
  // W = ((a − b ts) Ws − 1.006 (t − ts)) / (c + 1.86 t − e ts)
  const bool water = ts >= 0;
  const double a = water ? 2501 : 2830, b = water ? 2.326 : 0.24, e = water ? 4.186 : 2.1;
  const double den = a + 1.86 * t - e * ts;
  const double w = ((a - b * ts) * ws - 1.006 * (t - ts)) / den;
  const double dnum = -b * ws + (a - b * ts) * dws + 1.006;
  return {w, (dnum + e * w) / den};
}

}  // namespace

double saturation_vapour_pressure_water_pa(double t_c) {
  check_temperature(t_c, "temperature");
  return std::exp(log_saturation_water(t_c).ln_p);
}

double saturation_vapour_pressure_ice_pa(double t_c) {
  check_temperature(t_c, "temperature");
  if (t_c > 0.01) {
    throw std::domain_error("saturation over ice is undefined above the triple point (0.01 degC), got " +
                            std::to_string(t_c) + " degC");
  }
  return std::exp(log_saturation_ice(t_c).ln_p);
}

double saturation_vapour_pressure_pa(double t_c) { return std::exp(log_saturation(t_c).ln_p); }

double humidity_ratio(double vapour_pressure_pa, double pressure_pa) {
  check_pressure(pressure_pa);
  if (!(vapour_pressure_pa >= 0 && vapour_pressure_pa < pressure_pa)) {
    throw std::domain_error("vapour pressure " + std::to_string(vapour_pressure_pa) +
                            " Pa must be in [0, atmospheric pressure " + std::to_string(pressure_pa) + " Pa)");
  }
  return kMolarMassRatio * vapour_pressure_pa / (pressure_pa - vapour_pressure_pa);
}

double vapour_pressure_from_humidity_ratio_pa(double w, double pressure_pa) {
  check_pressure(pressure_pa);
  if (!(w >= 0 && std::isfinite(w))) {
    throw std::domain_error("humidity ratio must be finite and >= 0, got " + std::to_string(w));
  }
  return pressure_pa * w / (kMolarMassRatio + w);
}

double vapour_pressure_from_dew_point_pa(double dew_point_c) { return saturation_vapour_pressure_pa(dew_point_c); }

double dew_point_from_vapour_pressure_c(double vapour_pressure_pa) {
  const double lo = saturation_vapour_pressure_pa(kMinPsychroTempC);
  const double hi = saturation_vapour_pressure_pa(kMaxPsychroTempC);
  if (!(vapour_pressure_pa >= lo && vapour_pressure_pa <= hi)) {
    throw std::domain_error("vapour pressure " + std::to_string(vapour_pressure_pa) +
                            " Pa has no dew point in [-100, 200] degC");
  }
  // ln p_ws is smooth and nearly linear in t: Newton converges in a few steps from a Magnus-type guess.
  const double target = std::log(vapour_pressure_pa);
  const double guess = std::clamp(243.12 * (target - std::log(611.2)) / (17.62 - (target - std::log(611.2))),
                                  kMinPsychroTempC, kMaxPsychroTempC);
  return solve_increasing(
      [&](double t) {
        const LogSaturation s = log_saturation(t);
        return std::pair{s.ln_p - target, s.dln_p_dt};
      },
      kMinPsychroTempC, kMaxPsychroTempC, guess);
}

double relative_humidity_from_dew_point(double dry_bulb_c, double dew_point_c) {
  if (!(dew_point_c <= dry_bulb_c)) {
    throw std::domain_error("dew point " + std::to_string(dew_point_c) + " degC is above the dry bulb " +
                            std::to_string(dry_bulb_c) + " degC");
  }
  return saturation_vapour_pressure_pa(dew_point_c) / saturation_vapour_pressure_pa(dry_bulb_c);
}

double dew_point_from_relative_humidity_c(double dry_bulb_c, double relative_humidity) {
  if (!(relative_humidity > 0 && relative_humidity <= 1)) {
    throw std::domain_error("relative humidity must be in (0, 1] to have a dew point, got " +
                            std::to_string(relative_humidity));
  }
  if (relative_humidity == 1) return dry_bulb_c;
  return std::min(dry_bulb_c,
                  dew_point_from_vapour_pressure_c(relative_humidity * saturation_vapour_pressure_pa(dry_bulb_c)));
}

double relative_humidity_from_humidity_ratio(double dry_bulb_c, double w, double pressure_pa) {
  return vapour_pressure_from_humidity_ratio_pa(w, pressure_pa) / saturation_vapour_pressure_pa(dry_bulb_c);
}

double humidity_ratio_from_wet_bulb(double dry_bulb_c, double wet_bulb_c, double pressure_pa) {
  check_pressure(pressure_pa);
  if (!(wet_bulb_c <= dry_bulb_c)) {
    throw std::domain_error("wet bulb " + std::to_string(wet_bulb_c) + " degC is above the dry bulb " +
                            std::to_string(dry_bulb_c) + " degC");
  }
  return psychrometric_w(dry_bulb_c, wet_bulb_c, pressure_pa).first;
}

double wet_bulb_from_humidity_ratio_c(double dry_bulb_c, double w, double pressure_pa) {
  check_temperature(dry_bulb_c, "dry bulb");
  check_pressure(pressure_pa);
  if (!(w >= 0 && std::isfinite(w))) {
    throw std::domain_error("humidity ratio must be finite and >= 0, got " + std::to_string(w));
  }
  // Saturated (or supersaturated, i.e. fog) air: the wet bulb is the dry bulb.
  if (w >= humidity_ratio(saturation_vapour_pressure_pa(dry_bulb_c), pressure_pa)) return dry_bulb_c;
  // W(t*) rises with t* and is mostly convex (W*_s grows exponentially), so Newton from t* = t usually
  // approaches the root from above in a few steps; the bracket [−100 °C, t] is valid because W(−100 °C)
  // is negative for any t above −100 °C.
  return solve_increasing(
      [&](double ts) {
        const auto [wp, dw] = psychrometric_w(dry_bulb_c, ts, pressure_pa);
        return std::pair{wp - w, dw};
      },
      kMinPsychroTempC, dry_bulb_c, dry_bulb_c);
}

double wet_bulb_from_dew_point_c(double dry_bulb_c, double dew_point_c, double pressure_pa) {
  if (!(dew_point_c <= dry_bulb_c)) {
    throw std::domain_error("dew point " + std::to_string(dew_point_c) + " degC is above the dry bulb " +
                            std::to_string(dry_bulb_c) + " degC");
  }
  const double w = humidity_ratio(vapour_pressure_from_dew_point_pa(dew_point_c), pressure_pa);
  return wet_bulb_from_humidity_ratio_c(dry_bulb_c, w, pressure_pa);
}

double wet_bulb_from_relative_humidity_c(double dry_bulb_c, double relative_humidity, double pressure_pa) {
  if (!(relative_humidity >= 0 && relative_humidity <= 1)) {
    throw std::domain_error("relative humidity must be in [0, 1], got " + std::to_string(relative_humidity));
  }
  const double w = humidity_ratio(relative_humidity * saturation_vapour_pressure_pa(dry_bulb_c), pressure_pa);
  return wet_bulb_from_humidity_ratio_c(dry_bulb_c, w, pressure_pa);
}

double relative_humidity_from_wet_bulb(double dry_bulb_c, double wet_bulb_c, double pressure_pa) {
  const double w = humidity_ratio_from_wet_bulb(dry_bulb_c, wet_bulb_c, pressure_pa);
  if (w < 0) {
    throw std::domain_error("wet bulb " + std::to_string(wet_bulb_c) + " degC is below that of dry air at " +
                            std::to_string(dry_bulb_c) + " degC");
  }
  return relative_humidity_from_humidity_ratio(dry_bulb_c, w, pressure_pa);
}

double standard_pressure_pa(double elevation_m) {
  if (!(elevation_m >= -1000 && elevation_m <= 11000)) {
    throw std::domain_error("elevation " + std::to_string(elevation_m) +
                            " m is outside the standard-atmosphere range [-1000, 11000] m");
  }
  return kStandardPressurePa * std::pow(1 - 2.25577e-5 * elevation_m, 5.2559);
}

}  // namespace dcsim::ambient
