// Arrival processes with a time-varying rate, generated exactly.
//
// Rate: λ(t) = scale × Π factors(t), each factor a TimeFunction with true bounds over an interval.
//
// NhppGenerator — a non-homogeneous Poisson process, exactly. Time is cut into segments (at the factors'
// breakpoints, at most 1 h long, halved until the rate's bounds [lo, hi] on the segment are within 2 % of
// each other or the expected number of extra candidates is below one). On a segment, arrivals are the
// superposition of a homogeneous Poisson process at rate lo and a Poisson process at rate hi - lo thinned
// with acceptance (λ(t) - lo)/(hi - lo) (Lewis & Shedler, Naval Res. Logistics Q. 26(3), 1979). The
// superposition of independent Poisson processes is Poisson with the summed rate, so the result is exactly
// NHPP(λ); no time step is involved, the cost is O(arrivals) + O(segments), and λ(t) is evaluated only for
// the few candidates of the second process.
//
// RenewalGenerator — a renewal process of Gamma inter-arrival times with a given coefficient of variation
// (burstier than Poisson when cv > 1; BurstGPT, arXiv 2401.17644, fits Gamma), modulated by the same rate
// through a time change: renewal epochs U_k of unit mean rate in operational time become arrivals
// T_k = Λ^{-1}(U_k), Λ(t) = ∫_0^t λ (Gerhardt & Nelson, INFORMS J. Computing 21(4), 2009). Λ is integrated
// by Gauss–Legendre and inverted by safeguarded Newton steps to 1e-12 relative. The process starts as an
// ordinary renewal process at the start time.
#pragma once

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "models/workload/time_function.hpp"
#include "sim/core/random.hpp"

namespace dcsim::workload {

class Rate final : public TimeFunction {
 public:
  Rate(double scale, std::vector<const TimeFunction*> factors) : scale_(scale), factors_(std::move(factors)) {}
  double value(double t) const override {
    double v = scale_;
    for (const auto* f : factors_) v *= f->value(t);
    return v;
  }
  Bounds bounds(double t0, double t1) const override {
    Bounds b{scale_, scale_};
    for (const auto* f : factors_) b = b * f->bounds(t0, t1);
    return b;
  }
  double next_break(double t) const override {
    double n = kInf;
    for (const auto* f : factors_) n = std::min(n, f->next_break(t));
    return n;
  }
  // ∫_{t0}^{t1} λ: split at breakpoints, Gauss–Legendre on panels of at most 10 minutes.
  double integral(double t0, double t1) const;
  double scale() const noexcept { return scale_; }

 private:
  double scale_;
  std::vector<const TimeFunction*> factors_;
};

// A rate given as a table of (time, rate) points, interpolated linearly; constant beyond its ends.
class PiecewiseLinear final : public TimeFunction {
 public:
  PiecewiseLinear(std::vector<double> t, std::vector<double> v);
  double value(double t) const override;
  Bounds bounds(double t0, double t1) const override;
  double next_break(double t) const override;

 private:
  std::vector<double> t_, v_;
};

class ArrivalGenerator {
 public:
  virtual ~ArrivalGenerator() = default;
  // The next arrival time (seconds since t = 0), strictly increasing; +inf when there is none before the end.
  virtual double next() = 0;
};

class NhppGenerator final : public ArrivalGenerator {
 public:
  NhppGenerator(const Rate& rate, Rng rng, double start, double end);
  double next() override {
    for (;;) {
      if (next_base_ <= next_extra_) {
        if (next_base_ < seg_end_) {
          const double t = next_base_;
          next_base_ += -std::log(rng_.uniform_pos()) * inv_lo_;
          return t;
        }
      } else if (next_extra_ < seg_end_) {
        const double t = next_extra_;
        next_extra_ += -std::log(rng_.uniform_pos()) * inv_extra_;
        ++candidates_;
        if (rng_.uniform() * extra_ < rate_->value(t) - lo_) return t;
        continue;
      }
      if (seg_end_ >= end_) return kInf;
      new_segment(seg_end_);
    }
  }
  std::uint64_t segments() const noexcept { return segments_; }
  std::uint64_t extra_candidates() const noexcept { return candidates_; }

 private:
  void new_segment(double t0);
  const Rate* rate_;
  Rng rng_;
  double end_;
  double seg_end_ = 0, lo_ = 0, extra_ = 0, inv_lo_ = 0, inv_extra_ = 0;
  double next_base_ = kInf, next_extra_ = kInf;
  std::uint64_t segments_ = 0, candidates_ = 0;
};

class RenewalGenerator final : public ArrivalGenerator {
 public:
  RenewalGenerator(const Rate& rate, Rng rng, double cv, double start, double end);
  double next() override;

 private:
  const Rate* rate_;
  Rng rng_;
  double shape_, scale_;
  double end_;
  double t_;                  // current position (the last arrival, or a piece boundary)
  double due_ = 0;            // operational time still to cover from t_ to the next arrival
  double piece_end_;          // end of the current piece (a breakpoint, or at most an hour ahead)
  double piece_left_ = -1;    // ∫ λ from t_ to piece_end_ (negative: not computed yet)
};

}  // namespace dcsim::workload
