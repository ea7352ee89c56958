#include "sim/core/stats.hpp"

#include <cmath>
#include <cstring>
#include <numbers>
#include <stdexcept>
#include <string>

#include "sim/core/log_gamma.hpp"

namespace dcsim {

void Tally::merge(const Tally& o) noexcept {
  if (o.n_ == 0) return;
  if (n_ == 0) {
    *this = o;
    return;
  }
  const double n = static_cast<double>(n_ + o.n_);
  const double d = o.mean_ - mean_;
  m2_ += o.m2_ + d * d * static_cast<double>(n_) * static_cast<double>(o.n_) / n;
  mean_ += d * static_cast<double>(o.n_) / n;
  n_ += o.n_;
  min_ = std::min(min_, o.min_);
  max_ = std::max(max_, o.max_);
}

Histogram::Histogram(double lo, double hi) {
  if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) {
    throw std::invalid_argument("histogram range must satisfy 0 < lo < hi < inf");
  }
  int elo = 0, ehi = 0;
  std::frexp(lo, &elo);
  std::frexp(hi, &ehi);
  // frexp gives x = m·2^e with m in [0.5, 1): the octave [2^(e-1), 2^e) holds x.
  lo_ = std::ldexp(1.0, elo - 1);
  hi_ = std::ldexp(1.0, ehi);
  min_biased_exp_ = (elo - 1) + 1023;
  counts_.assign(static_cast<std::size_t>(ehi - elo + 1) * kSub, 0);
}

double Histogram::bucket_mid(std::size_t i) const noexcept {
  const std::int64_t e = static_cast<std::int64_t>(i / kSub) + min_biased_exp_ - 1023;
  const double base = std::ldexp(1.0, static_cast<int>(e));
  const double step = base / static_cast<double>(kSub);
  return base + step * (static_cast<double>(i % kSub) + 0.5);
}

double Histogram::quantile(double q) const noexcept {
  double out = 0;
  quantiles(std::span<const double>(&q, 1), std::span<double>(&out, 1));
  return out;
}

void Histogram::quantiles(std::span<const double> qs, std::span<double> out) const noexcept {
  if (count_ == 0) {
    for (double& o : out) o = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  std::size_t k = 0;
  std::uint64_t cum = under_;
  auto rank_of = [&](double q) {
    const double r = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_));
    return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(r));
  };
  // q <= 0 is the minimum and quantiles in the underflow are reported as the exact minimum.
  while (k < qs.size() && (qs[k] <= 0 || rank_of(qs[k]) <= cum)) out[k++] = min_;
  for (std::size_t i = lo_used_; i < hi_used_ && k < qs.size() && qs[k] < 1; ++i) {
    cum += counts_[i];
    while (k < qs.size() && qs[k] < 1 && rank_of(qs[k]) <= cum) out[k++] = std::clamp(bucket_mid(i), min_, max_);
  }
  while (k < qs.size()) out[k++] = max_;  // q >= 1, or in the overflow: the exact maximum
}

void Histogram::merge(const Histogram& o) {
  if (o.counts_.size() != counts_.size() || o.min_biased_exp_ != min_biased_exp_) {
    throw std::invalid_argument("cannot merge histograms with different ranges");
  }
  if (o.count_ == 0) return;
  for (std::size_t i = o.lo_used_; i < o.hi_used_; ++i) counts_[i] += o.counts_[i];
  lo_used_ = std::min(lo_used_, o.lo_used_);
  hi_used_ = std::max(hi_used_, o.hi_used_);
  count_ += o.count_;
  under_ += o.under_;
  over_ += o.over_;
  sum_ += o.sum_;
  min_ = std::min(min_, o.min_);
  max_ = std::max(max_, o.max_);
}

void Histogram::reset() noexcept {
  if (hi_used_ > lo_used_) {
    std::memset(counts_.data() + lo_used_, 0, (hi_used_ - lo_used_) * sizeof(std::uint64_t));
  }
  lo_used_ = std::numeric_limits<std::size_t>::max();
  hi_used_ = 0;
  count_ = under_ = over_ = 0;
  sum_ = 0;
  min_ = std::numeric_limits<double>::infinity();
  max_ = -std::numeric_limits<double>::infinity();
}

namespace {

// Hill's (CACM 396, 1970) series: the starting point of the Newton steps below.
double hill_t_quantile(double p, double df) {
  // Normal quantile by Acklam's rational approximation, then Hill's (CACM 396, 1970) expansion.
  auto norm_q = [](double pp) {
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                               1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01, -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    if (pp < 0.02425) {
      const double q = std::sqrt(-2 * std::log(pp));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
             ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (pp > 1 - 0.02425) {
      const double q = std::sqrt(-2 * std::log(1 - pp));
      return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
             ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    const double q = pp - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  };
  const double z = norm_q(p);
  const double z2 = z * z;
  const double g1 = (z2 + 1) * z / 4;
  const double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df);
}

// The regularized incomplete beta function I_x(a, b) by its continued fraction (modified Lentz), for
// x < (a + 1) / (a + b + 2), and by symmetry otherwise.
double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - incomplete_beta(b, a, 1 - x);
  const double front = std::exp(log_gamma(a + b) - log_gamma(a) - log_gamma(b) + a * std::log(x) + b * std::log1p(-x)) / a;
  constexpr double tiny = 1e-300;
  double f = 1, c = 1, d = 0;
  for (int i = 0; i <= 400; ++i) {
    const int m = i / 2;
    double num;
    if (i == 0) {
      num = 1;
    } else if (i % 2 == 0) {
      num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
    } else {
      num = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    }
    d = 1 + num * d;
    d = std::fabs(d) < tiny ? tiny : d;
    d = 1 / d;
    c = 1 + num / c;
    c = std::fabs(c) < tiny ? tiny : c;
    const double cd = c * d;
    f *= cd;
    if (std::fabs(1 - cd) < 1e-15) break;
  }
  return front * (f - 1);
}

double t_cdf(double t, double df) {
  const double tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
  return t > 0 ? 1 - tail : tail;
}

double t_pdf(double t, double df) {
  return std::exp(log_gamma((df + 1) / 2) - log_gamma(df / 2) - 0.5 * std::log(df * std::numbers::pi) -
                  (df + 1) / 2 * std::log1p(t * t / df));
}

}  // namespace

double student_t_quantile(double p, double df) {
  if (!(df >= 1)) throw std::invalid_argument("student_t_quantile needs df >= 1");
  if (!(p > 0 && p < 1)) throw std::invalid_argument("student_t_quantile needs 0 < p < 1");
  // One and two degrees of freedom (a mean of two or three replicas) have closed forms.
  if (df == 1) return std::tan(std::numbers::pi * (p - 0.5));
  if (df == 2) return (2 * p - 1) / std::sqrt(2 * p * (1 - p));
  // Hill's series is good to ~1e-3 at df 3 and better above; Newton steps on the exact distribution
  // function make it exact to ~1e-12 (replica intervals often have 3 to 10 values).
  double t = hill_t_quantile(p, df);
  for (int i = 0; i < 4; ++i) {
    const double step = (t_cdf(t, df) - p) / t_pdf(t, df);
    t -= step;
    if (std::fabs(step) <= 1e-14 * std::max(1.0, std::fabs(t))) break;
  }
  return t;
}

double BatchMeans::half_width(double level) const {
  const std::uint64_t k = batches_.count();
  if (k < 2) return std::numeric_limits<double>::infinity();
  const double t = student_t_quantile(0.5 + level / 2, static_cast<double>(k - 1));
  return t * batches_.stddev() / std::sqrt(static_cast<double>(k));
}

}  // namespace dcsim
