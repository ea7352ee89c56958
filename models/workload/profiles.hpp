// Time-of-day, day-of-week and flash-crowd multipliers on the demand per user.
//
// Diurnal (UTC hours h):
//   regions: D(t) = Σ_r s_r [1 + A_r cos(2π (h - peak_r) / 24)] / Σ_r s_r, a sum of regional sinusoids
//            (share s_r, peak hour peak_r, amplitude A_r <= 1). The daily mean is exactly 1.
//   table:   n values at equally spaced hours, interpolated linearly and cyclically, divided by their mean.
//   flat:    1.
// The amplitude of consumer AI traffic is unverified (DOMAIN.md §8: A ≈ 0.3–0.5 for one region, flatter
// globally); the shipped scenarios use 0.4 and say so.
// Weekly: seven factors (Monday first) applied by UTC day, divided by their mean, so the weekly mean is 1.
// Flash crowds (Bodík et al., SoCC 2010: onset, steepness, magnitude, duration): a multiplier
//   g(t) = 0 before onset, rising linearly to 1 over the ramp, 1 over the plateau, then e^{-(t - t_p)/decay};
//   F(t) = 1 + Σ_i (peak_i - 1) g_i(t): stackable, on top of the population trend.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/workload/time_function.hpp"
#include "sim/core/calendar.hpp"
#include "sim/core/config.hpp"

namespace dcsim::workload {

class Diurnal final : public TimeFunction {
 public:
  struct Region {
    std::string name;
    double share, peak_hour, amplitude;
  };
  static Diurnal flat(const Calendar& cal);
  static Diurnal regions(const Calendar& cal, std::vector<Region> regions);
  static Diurnal table(const Calendar& cal, std::vector<double> hourly);

  double value(double t) const override;
  Bounds bounds(double t0, double t1) const override;
  double next_break(double t) const override;

 private:
  enum class Kind { flat, regions, table };
  explicit Diurnal(const Calendar& cal) : cal_(cal) {}
  Calendar cal_;
  Kind kind_ = Kind::flat;
  std::vector<Region> regions_;  // shares normalised to 1
  std::vector<double> table_;    // normalised to mean 1
};

class Weekly final : public TimeFunction {
 public:
  Weekly(const Calendar& cal, std::vector<double> factors);  // empty: flat
  double value(double t) const override;
  Bounds bounds(double t0, double t1) const override;
  double next_break(double t) const override;

 private:
  Calendar cal_;
  std::vector<double> f_;  // 7 factors, mean 1, or empty
};

struct FlashCrowd {
  double onset = 0, ramp = 0, peak = 1, plateau = 0, decay = 0;  // seconds; peak is a multiplier >= 1
  std::string cls;                                                // empty: every class
  double shape(double t) const noexcept;                          // g(t) in [0, 1]
  Bounds shape_bounds(double t0, double t1) const noexcept;
  double next_break(double t) const noexcept;
};

// The stacked multiplier of the flash crowds that apply to one class.
class FlashMultiplier final : public TimeFunction {
 public:
  explicit FlashMultiplier(std::vector<FlashCrowd> crowds) : crowds_(std::move(crowds)) {}
  double value(double t) const override;
  Bounds bounds(double t0, double t1) const override;
  double next_break(double t) const override;
  bool empty() const noexcept { return crowds_.empty(); }

 private:
  std::vector<FlashCrowd> crowds_;
};

Diurnal make_diurnal(const std::optional<Params>& p, const Calendar& cal);
Weekly make_weekly(const std::optional<Params>& p, const Calendar& cal);
std::vector<FlashCrowd> make_flash_crowds(const std::vector<Params>& ps, const std::vector<std::string>& classes);

}  // namespace dcsim::workload
