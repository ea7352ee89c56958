// A univariate distribution chosen at run time (from a scenario): deterministic, exponential, lognormal,
// gamma, uniform, a discrete empirical table, or a continuous table (piecewise-linear CDF).
//
// Lognormal and gamma are parameterised by mean and coefficient of variation, the figures users know:
//   lognormal: sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2 / 2
//   gamma:     shape = 1 / cv^2, scale = mean * cv^2
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/core/random.hpp"

namespace dcsim {

class Distribution {
 public:
  enum class Kind { deterministic, exponential, lognormal, gamma, uniform, empirical, table };

  Distribution() = default;  // deterministic 0

  static Distribution deterministic(double value);
  static Distribution exponential(double mean);
  static Distribution lognormal(double mean, double cv);
  static Distribution gamma(double mean, double cv);
  static Distribution uniform(double lo, double hi);
  // Discrete values with weights (need not sum to one).
  static Distribution empirical(std::vector<double> values, std::vector<double> weights);
  // Continuous: points (x_i, F_i) with x and F non-decreasing, F from 0 to 1; sampled by inverting the
  // piecewise-linear CDF.
  static Distribution table(std::vector<double> x, std::vector<double> cdf);

  double sample(Rng& rng) const {
    switch (kind_) {
      case Kind::deterministic: return a_;
      case Kind::exponential: return -a_ * std::log(rng.uniform_pos());
      case Kind::lognormal: return rng.lognormal(a_, b_);
      case Kind::gamma: return rng.gamma(a_, b_);
      case Kind::uniform: return a_ + (b_ - a_) * rng.uniform();
      case Kind::empirical: return data_->values[data_->alias.sample(rng)];
      case Kind::table: return sample_table(rng.uniform());
    }
    return a_;
  }

  Kind kind() const noexcept { return kind_; }
  double mean() const noexcept { return mean_; }
  double variance() const noexcept { return var_; }
  // Squared coefficient of variation, Var/E^2 (0 for deterministic, 1 for exponential).
  double scv() const noexcept { return mean_ != 0 ? var_ / (mean_ * mean_) : 0.0; }
  // The same shape with every value multiplied by k > 0.
  Distribution scaled(double k) const;
  std::string describe() const;

 private:
  struct Data {
    std::vector<double> values;
    std::vector<double> cdf;
    AliasTable alias;
  };
  double sample_table(double u) const;

  Kind kind_ = Kind::deterministic;
  double a_ = 0, b_ = 0;
  double mean_ = 0, var_ = 0;
  std::shared_ptr<const Data> data_;
};

}  // namespace dcsim
