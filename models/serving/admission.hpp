// Admission control: what operators did in 2025 ("temporarily rate limiting").
//
// Token bucket (per tier, optionally per class): tokens refill at `rate` up to `burst`; a request takes one
// token or is rejected. Over a long window it admits exactly rate × T (+ the initial burst).
//
// Daily quota per user (e.g. 3 images/day on the free tier), modelled statistically without tracking users:
// the tier's U(t) active users are assumed to make requests as independent Poisson processes (optionally
// with Gamma-distributed intensities: a negative binomial count, shape k, for heavy users). If A attempts
// have been made since the last UTC midnight, a user's attempts so far are Poisson(m), m = A/U (by the Palm
// property the user behind a random new attempt has the same distribution), and the attempt is over quota
// with probability P(N >= Q). The approximation ignores that rejected users may stop trying; it is exact
// for homogeneous Poisson users who keep trying.
//
// Shedding: a tier's arrivals are shed at a cluster whose head-of-line delay (the wait of its oldest queued
// request) exceeds a threshold. Random drop: a fixed probability, for experiments and for load shedding.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

namespace dcsim::serving {

class TokenBucket {
 public:
  TokenBucket() = default;
  TokenBucket(double rate_per_s, double burst) : rate_(rate_per_s), burst_(burst), tokens_(burst) {}
  bool admit(double now_s) noexcept {
    tokens_ = std::min(burst_, tokens_ + rate_ * (now_s - last_s_));
    last_s_ = now_s;
    if (tokens_ >= 1.0) {
      tokens_ -= 1.0;
      return true;
    }
    return false;
  }
  double rate() const noexcept { return rate_; }
  double burst() const noexcept { return burst_; }

 private:
  double rate_ = 0, burst_ = 0, tokens_ = 0, last_s_ = 0;
};

// Retry backoff. Fixed: every retry waits `base`. Exponential with full jitter (AWS Architecture Blog,
// "Exponential Backoff and Jitter", 2015): the retry after attempt n (0 for the first attempt) waits
// U · min(cap, base · 2^n), U uniform on [0, 1), so its mean is min(cap, base · 2^n) / 2.
struct RetryBackoff {
  bool exponential = true;
  double base_s = 1, cap_s = 60;
  // The delay for the retry after attempt `attempt`; `u` is a uniform draw, used only when exponential.
  double delay_s(int attempt, double u) const noexcept {
    if (!exponential) return base_s;
    return u * std::min(cap_s, base_s * std::ldexp(1.0, attempt));
  }
};

// P(N >= q) for N ~ Poisson(mean), or negative binomial with mean `mean` and shape k (k = inf: Poisson).
inline double prob_at_least(int q, double mean, double shape_k = std::numeric_limits<double>::infinity()) {
  if (q <= 0) return 1.0;
  if (!(mean > 0)) return 0.0;
  double cdf = 0, p = 0;
  if (std::isinf(shape_k)) {
    p = std::exp(-mean);
    for (int n = 0; n < q; ++n) {
      cdf += p;
      p *= mean / (n + 1);
    }
  } else {
    // NB(k, prob): P(n) = Γ(n+k)/(n! Γ(k)) (k/(k+m))^k (m/(k+m))^n.
    const double a = shape_k / (shape_k + mean), b = mean / (shape_k + mean);
    p = std::pow(a, shape_k);
    for (int n = 0; n < q; ++n) {
      cdf += p;
      p *= (n + shape_k) / (n + 1) * b;
    }
  }
  return std::clamp(1.0 - cdf, 0.0, 1.0);
}

}  // namespace dcsim::serving
