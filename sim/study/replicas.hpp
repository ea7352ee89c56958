// Confidence intervals over replicas: the mean of a metric over a point's replicas, and the difference of
// two points, paired replica by replica (common random numbers) or not (independent streams).
//
// Replicas are independent runs, so their values of a metric (a mean, a p99, a count) are independent
// and identically distributed: mean ± t_{n-1, (1+level)/2} · s/√n is an exact interval for normal values
// and an asymptotically right one otherwise (a tail metric such as p99 is estimated from the replicas'
// p99s, not from pooled observations). Values that are not finite (a failed run, a metric a run lacks) are
// left out; n says how many were used.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <string>

namespace dcsim::study {

struct Interval {
  std::size_t n = 0;  // values used
  double mean = std::numeric_limits<double>::quiet_NaN();
  double half_width = std::numeric_limits<double>::quiet_NaN();  // NaN when n < 2
  double low() const noexcept { return mean - half_width; }
  double high() const noexcept { return mean + half_width; }
};

// The mean of the finite values, with its confidence interval at `level` (two-sided).
Interval mean_interval(std::span<const double> values, double level = 0.95);

// The mean difference a_i - b_i over the i where both are finite (paired: common random numbers give
// replica i of both points the same streams), with the interval of a mean of the differences.
Interval paired_difference(std::span<const double> a, std::span<const double> b, double level = 0.95);

// mean(a) - mean(b) for independent samples, with Welch's interval (degrees of freedom by
// Welch-Satterthwaite, rounded down: conservative). n is the smaller of the two counts.
Interval unpaired_difference(std::span<const double> a, std::span<const double> b, double level = 0.95);

// A precision target of --precision: "METRIC:2%" (half-width at most 2 % of |mean|) or "METRIC:0.5"
// (half-width at most 0.5 in the metric's unit).
struct PrecisionTarget {
  std::string metric;
  double value = 0;
  bool relative = false;
  // Whether the interval meets the target (an interval of fewer than two values never does).
  bool met_by(const Interval& i) const noexcept;
};
// Parses a target; throws std::invalid_argument with what was expected and found.
PrecisionTarget parse_precision(const std::string& text);

}  // namespace dcsim::study
