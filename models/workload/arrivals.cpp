#include "models/workload/arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/core/quadrature.hpp"

namespace dcsim::workload {

namespace {
constexpr double kMaxSegment = 3600.0;
constexpr double kMinSegment = 1.0;
constexpr double kTolerance = 0.02;
constexpr double kPanel = 600.0;
}  // namespace

double Rate::integral(double t0, double t1) const {
  double s = 0;
  for (double a = t0; a < t1;) {
    const double b = std::min(t1, next_break(a));
    s += integrate([this](double t) { return value(t); }, a, b, kPanel);
    a = b;
  }
  return s;
}

PiecewiseLinear::PiecewiseLinear(std::vector<double> t, std::vector<double> v) : t_(std::move(t)), v_(std::move(v)) {
  if (t_.empty() || t_.size() != v_.size()) throw std::invalid_argument("piecewise-linear rate needs points");
}

double PiecewiseLinear::value(double t) const {
  if (t <= t_.front()) return v_.front();
  if (t >= t_.back()) return v_.back();
  const auto i = static_cast<std::size_t>(std::upper_bound(t_.begin(), t_.end(), t) - t_.begin());
  const double w = (t - t_[i - 1]) / (t_[i] - t_[i - 1]);
  return v_[i - 1] + (v_[i] - v_[i - 1]) * w;
}

Bounds PiecewiseLinear::bounds(double t0, double t1) const {
  double lo = std::min(value(t0), value(t1)), hi = std::max(value(t0), value(t1));
  for (auto it = std::upper_bound(t_.begin(), t_.end(), t0); it != t_.end() && *it < t1; ++it) {
    const double v = v_[static_cast<std::size_t>(it - t_.begin())];
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return {lo, hi};
}

double PiecewiseLinear::next_break(double t) const {
  const auto it = std::upper_bound(t_.begin(), t_.end(), t);
  return it == t_.end() ? kInf : *it;
}

NhppGenerator::NhppGenerator(const Rate& rate, Rng rng, double start, double end)
    : rate_(&rate), rng_(rng), end_(end) {
  seg_end_ = start;
  if (start < end) new_segment(start);
}

void NhppGenerator::new_segment(double t0) {
  double len = std::min({kMaxSegment, rate_->next_break(t0) - t0, end_ - t0});
  Bounds b = rate_->bounds(t0, t0 + len);
  // Halve until the bounds are tight, or the extra process expects less than one candidate anyway.
  while (len > kMinSegment && b.hi - b.lo > kTolerance * b.hi && (b.hi - b.lo) * len > 1.0) {
    len *= 0.5;
    b = rate_->bounds(t0, t0 + len);
  }
  ++segments_;
  seg_end_ = t0 + len;
  lo_ = std::max(0.0, b.lo);
  extra_ = std::max(0.0, b.hi - lo_);
  inv_lo_ = lo_ > 0 ? 1.0 / lo_ : 0.0;
  inv_extra_ = extra_ > 0 ? 1.0 / extra_ : 0.0;
  next_base_ = lo_ > 0 ? t0 - std::log(rng_.uniform_pos()) * inv_lo_ : kInf;
  next_extra_ = extra_ > 0 ? t0 - std::log(rng_.uniform_pos()) * inv_extra_ : kInf;
}

RenewalGenerator::RenewalGenerator(const Rate& rate, Rng rng, double cv, double start, double end)
    : rate_(&rate), rng_(rng), shape_(1.0 / (cv * cv)), scale_(cv * cv), end_(end), t_(start), piece_end_(start) {
  if (!(cv > 0)) throw std::invalid_argument("renewal arrivals need cv > 0");
}

double RenewalGenerator::next() {
  due_ += rng_.gamma(shape_, scale_);  // operational time to the next renewal epoch (mean 1)
  while (t_ < end_) {
    if (piece_left_ < 0 || t_ >= piece_end_) {
      // A new piece: to the next breakpoint, at most an hour long. Its integral is computed once; each
      // arrival inside it then takes exactly `due_` off the remainder.
      piece_end_ = std::min({end_, rate_->next_break(t_), t_ + kMaxSegment});
      piece_left_ = rate_->integral(t_, piece_end_);
    }
    if (piece_left_ < due_) {
      due_ -= piece_left_;
      t_ = piece_end_;
      piece_left_ = -1;
      continue;
    }
    // Solve ∫_{t_}^{x} λ = due_ on [t_, piece_end_]: Newton steps kept inside a shrinking bracket.
    double lo = t_, hi = piece_end_;
    const double r0 = rate_->value(t_);
    double x = r0 > 0 ? t_ + due_ / r0 : 0.5 * (lo + hi);
    if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);
    for (int it = 0; it < 100; ++it) {
      const double g = integrate([this](double s) { return rate_->value(s); }, t_, x, kPanel) - due_;
      if (std::abs(g) <= 1e-12 * (1.0 + due_) || hi - lo < 1e-9) break;
      (g > 0 ? hi : lo) = x;
      const double d = rate_->value(x);
      const double nx = d > 0 ? x - g / d : 0.5 * (lo + hi);
      // Converged to the resolution of x itself (a few ulps): Λ cannot be matched more closely.
      if (std::abs(nx - x) <= 1e-13 * std::max(1.0, std::abs(x))) {
        x = std::clamp(nx, lo, hi);
        break;
      }
      x = (nx > lo && nx < hi) ? nx : 0.5 * (lo + hi);
    }
    piece_left_ = std::max(0.0, piece_left_ - due_);
    t_ = x;
    due_ = 0;
    return x;
  }
  return kInf;
}

}  // namespace dcsim::workload
