// Constant-memory statistics: tallies, time-weighted values, log-linear histograms, batch means.
//
// Time-weighted values and counters are monotone accumulators: whoever needs the mean over a window keeps
// the accumulator's value at the window's start (samplers for each interval, the summary for the span after
// warm-up), so one object serves any number of windows and nothing is ever reset behind a reader's back.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "sim/core/time.hpp"

namespace dcsim {

// Count, mean, variance (Welford), min and max of observations.
class Tally {
 public:
  void add(double x) noexcept {
    ++n_;
    const double d = x - mean_;
    mean_ += d / static_cast<double>(n_);
    m2_ += d * (x - mean_);
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  void merge(const Tally& o) noexcept;
  void reset() noexcept { *this = Tally{}; }

  std::uint64_t count() const noexcept { return n_; }
  double mean() const noexcept { return n_ ? mean_ : std::numeric_limits<double>::quiet_NaN(); }
  double variance() const noexcept { return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : 0.0; }
  double stddev() const noexcept { return std::sqrt(variance()); }
  double sum() const noexcept { return mean_ * static_cast<double>(n_); }
  double min() const noexcept { return n_ ? min_ : std::numeric_limits<double>::quiet_NaN(); }
  double max() const noexcept { return n_ ? max_ : std::numeric_limits<double>::quiet_NaN(); }

 private:
  std::uint64_t n_ = 0;
  double mean_ = 0, m2_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

// Count, sum, min and max: a tally without the variance, for hot paths (no division per observation).
class SumStat {
 public:
  void add(double x) noexcept {
    ++n_;
    sum_ += x;
    if (x < min_) min_ = x;
    if (x > max_) max_ = x;
  }
  void reset() noexcept { *this = SumStat{}; }
  std::uint64_t count() const noexcept { return n_; }
  double sum() const noexcept { return sum_; }
  double mean() const noexcept { return n_ ? sum_ / static_cast<double>(n_) : std::numeric_limits<double>::quiet_NaN(); }
  double min() const noexcept { return n_ ? min_ : std::numeric_limits<double>::quiet_NaN(); }
  double max() const noexcept { return n_ ? max_ : std::numeric_limits<double>::quiet_NaN(); }

 private:
  std::uint64_t n_ = 0;
  double sum_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

// A piecewise-constant quantity integrated over time: integral() = ∫ value dt in value·seconds.
class TimeWeighted {
 public:
  explicit TimeWeighted(double initial = 0.0, SimTime start = SimTime::zero()) noexcept
      : value_(initial), last_(start), max_(initial) {}

  void set(SimTime now, double v) noexcept {
    integral_ns_ += value_ * static_cast<double>((now - last_).ns());
    last_ = now;
    value_ = v;
    max_ = std::max(max_, v);
  }
  void add(SimTime now, double dv) noexcept { set(now, value_ + dv); }

  double value() const noexcept { return value_; }
  // ∫ value dt from the start to `now`, in value·seconds.
  double integral(SimTime now) const noexcept {
    return (integral_ns_ + value_ * static_cast<double>((now - last_).ns())) * 1e-9;
  }
  // Largest value held since the start (or since reset_max).
  double max() const noexcept { return max_; }
  void reset_max() noexcept { max_ = value_; }

 private:
  double value_;
  SimTime last_;
  double integral_ns_ = 0;
  double max_;
};

// Mean of a TimeWeighted over a window, from a snapshot of its integral taken at the window's start.
struct TimeWindow {
  SimTime start;
  double integral_at_start = 0;
  void open(const TimeWeighted& tw, SimTime now) noexcept {
    start = now;
    integral_at_start = tw.integral(now);
  }
  double mean(const TimeWeighted& tw, SimTime now) const noexcept {
    const double span = (now - start).to_seconds();
    return span > 0 ? (tw.integral(now) - integral_at_start) / span : tw.value();
  }
};

// Log-linear histogram of non-negative values (HdrHistogram's layout over IEEE-754 doubles): each power of
// two is split into 2^7 = 128 equal buckets, so a value is located to within 1/128 of its octave and a
// quantile reported at the bucket midpoint is within 0.4 % of the true order statistic. Values below `lo`
// and above `hi` are counted in under/overflow and reported as the exact minimum/maximum seen.
class Histogram {
 public:
  static constexpr int kSubBits = 7;
  static constexpr std::size_t kSub = std::size_t{1} << kSubBits;

  // Range [lo, hi) in the value's unit; defaults suit latencies in seconds (1 µs to ~190 days).
  explicit Histogram(double lo = 1e-6, double hi = 1.6e7);

  void record(double v) noexcept {
    ++count_;
    sum_ += v;
    if (v < min_) min_ = v;
    if (v > max_) max_ = v;
    if (!(v >= lo_)) {  // also catches NaN
      ++under_;
      return;
    }
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
    const std::int64_t e = static_cast<std::int64_t>(bits >> 52) - min_biased_exp_;
    const std::size_t i = static_cast<std::size_t>(e) * kSub + ((bits >> (52 - kSubBits)) & (kSub - 1));
    if (i >= counts_.size()) {
      ++over_;
      return;
    }
    ++counts_[i];
    lo_used_ = std::min(lo_used_, i);
    hi_used_ = std::max(hi_used_, i + 1);
  }

  std::uint64_t count() const noexcept { return count_; }
  double mean() const noexcept { return count_ ? sum_ / static_cast<double>(count_) : std::numeric_limits<double>::quiet_NaN(); }
  double min() const noexcept { return count_ ? min_ : std::numeric_limits<double>::quiet_NaN(); }
  double max() const noexcept { return count_ ? max_ : std::numeric_limits<double>::quiet_NaN(); }
  double sum() const noexcept { return sum_; }

  // Nearest-rank quantile (the smallest value with at least q·n observations at or below it), at the
  // midpoint of its bucket, clamped to [min, max]. NaN when empty.
  double quantile(double q) const noexcept;
  // Several quantiles in one pass; qs must be sorted ascending.
  void quantiles(std::span<const double> qs, std::span<double> out) const noexcept;

  void merge(const Histogram& o);
  void reset() noexcept;

 private:
  double bucket_mid(std::size_t i) const noexcept;

  std::vector<std::uint64_t> counts_;
  double lo_, hi_;
  std::int64_t min_biased_exp_;
  std::uint64_t count_ = 0, under_ = 0, over_ = 0;
  double sum_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
  std::size_t lo_used_ = std::numeric_limits<std::size_t>::max();
  std::size_t hi_used_ = 0;
};

// A histogram for the current sampling interval and one for the measured span (after warm-up): each
// observation goes to both, so the two windows stay exact whichever way they overlap.
class IntervalHistogram {
 public:
  explicit IntervalHistogram(double lo = 1e-6, double hi = 1.6e7) : interval_(lo, hi), total_(lo, hi) {}
  void record(double v) noexcept {
    interval_.record(v);
    total_.record(v);
  }
  const Histogram& interval() const noexcept { return interval_; }
  const Histogram& total() const noexcept { return total_; }
  // Starts a new sampling interval.
  void roll() noexcept { interval_.reset(); }
  // Starts a new measured span (end of warm-up); the sampling interval is untouched.
  void reset_total() noexcept { total_.reset(); }

 private:
  Histogram interval_;
  Histogram total_;
};

// Student-t quantile t_{df, p} for two-sided confidence intervals (p = 0.975 for 95 %): closed forms for
// df 1 and 2, otherwise Hill's (1970) series refined by Newton steps on the exact distribution function
// (regularized incomplete beta), to ~1e-12 relative.
double student_t_quantile(double p, double df);

// Batch means for a steady-state estimate from one long run: observations are grouped into consecutive
// batches of a fixed size; the batch averages are nearly independent when batches are much longer than
// the autocorrelation time, so mean ± t·s/√k is a confidence interval.
class BatchMeans {
 public:
  explicit BatchMeans(std::uint64_t batch_size) : batch_size_(batch_size) {}
  void add(double x) noexcept {
    acc_ += x;
    if (++in_batch_ == batch_size_) {
      batches_.add(acc_ / static_cast<double>(batch_size_));
      acc_ = 0;
      in_batch_ = 0;
    }
  }
  std::uint64_t batches() const noexcept { return batches_.count(); }
  double mean() const noexcept { return batches_.mean(); }
  // Half-width of the confidence interval at the given two-sided level (default 95 %).
  double half_width(double level = 0.95) const;

 private:
  std::uint64_t batch_size_;
  std::uint64_t in_batch_ = 0;
  double acc_ = 0;
  Tally batches_;
};

}  // namespace dcsim
