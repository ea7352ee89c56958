#include "sim/core/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace dcsim {

namespace {
void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(what);
}
}  // namespace

Distribution Distribution::deterministic(double value) {
  require(std::isfinite(value), "deterministic value must be finite");
  Distribution d;
  d.kind_ = Kind::deterministic;
  d.a_ = value;
  d.mean_ = value;
  d.var_ = 0;
  return d;
}

Distribution Distribution::exponential(double mean) {
  require(mean > 0 && std::isfinite(mean), "exponential mean must be > 0");
  Distribution d;
  d.kind_ = Kind::exponential;
  d.a_ = mean;
  d.mean_ = mean;
  d.var_ = mean * mean;
  return d;
}

Distribution Distribution::lognormal(double mean, double cv) {
  require(mean > 0 && std::isfinite(mean), "lognormal mean must be > 0");
  require(cv >= 0 && std::isfinite(cv), "lognormal cv must be >= 0");
  if (cv == 0) return deterministic(mean);
  Distribution d;
  d.kind_ = Kind::lognormal;
  const double s2 = std::log1p(cv * cv);
  d.b_ = std::sqrt(s2);
  d.a_ = std::log(mean) - 0.5 * s2;
  d.mean_ = mean;
  d.var_ = cv * cv * mean * mean;
  return d;
}

Distribution Distribution::gamma(double mean, double cv) {
  require(mean > 0 && std::isfinite(mean), "gamma mean must be > 0");
  require(cv >= 0 && std::isfinite(cv), "gamma cv must be >= 0");
  if (cv == 0) return deterministic(mean);
  Distribution d;
  d.kind_ = Kind::gamma;
  d.a_ = 1.0 / (cv * cv);
  d.b_ = mean * cv * cv;
  d.mean_ = mean;
  d.var_ = cv * cv * mean * mean;
  return d;
}

Distribution Distribution::uniform(double lo, double hi) {
  require(std::isfinite(lo) && std::isfinite(hi) && lo <= hi, "uniform needs finite lo <= hi");
  Distribution d;
  d.kind_ = Kind::uniform;
  d.a_ = lo;
  d.b_ = hi;
  d.mean_ = 0.5 * (lo + hi);
  d.var_ = (hi - lo) * (hi - lo) / 12.0;
  return d;
}

Distribution Distribution::empirical(std::vector<double> values, std::vector<double> weights) {
  require(!values.empty(), "empirical distribution needs at least one value");
  require(values.size() == weights.size(), "empirical distribution needs one weight per value");
  auto data = std::make_shared<Data>();
  data->alias = AliasTable(weights);
  double m = 0, m2 = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    require(std::isfinite(values[i]), "empirical values must be finite");
    m += data->alias.probability(i) * values[i];
    m2 += data->alias.probability(i) * values[i] * values[i];
  }
  data->values = std::move(values);
  Distribution d;
  d.kind_ = Kind::empirical;
  d.mean_ = m;
  d.var_ = std::max(0.0, m2 - m * m);
  d.data_ = std::move(data);
  return d;
}

Distribution Distribution::table(std::vector<double> x, std::vector<double> cdf) {
  require(x.size() >= 2 && x.size() == cdf.size(), "table distribution needs >= 2 points (x, cdf)");
  for (std::size_t i = 0; i < x.size(); ++i) {
    require(std::isfinite(x[i]) && std::isfinite(cdf[i]), "table points must be finite");
    if (i > 0) {
      require(x[i] >= x[i - 1], "table x values must be non-decreasing");
      require(cdf[i] >= cdf[i - 1], "table cdf values must be non-decreasing");
    }
  }
  require(cdf.front() == 0.0 && cdf.back() == 1.0, "table cdf must start at 0 and end at 1");
  // Moments of a piecewise-uniform density.
  double m = 0, m2 = 0;
  for (std::size_t i = 1; i < x.size(); ++i) {
    const double p = cdf[i] - cdf[i - 1];
    const double a = x[i - 1], b = x[i];
    m += p * 0.5 * (a + b);
    m2 += p * (a * a + a * b + b * b) / 3.0;
  }
  auto data = std::make_shared<Data>();
  data->values = std::move(x);
  data->cdf = std::move(cdf);
  Distribution d;
  d.kind_ = Kind::table;
  d.mean_ = m;
  d.var_ = std::max(0.0, m2 - m * m);
  d.data_ = std::move(data);
  return d;
}

double Distribution::sample_table(double u) const {
  const auto& c = data_->cdf;
  const auto& x = data_->values;
  const auto it = std::upper_bound(c.begin(), c.end(), u);
  const std::size_t i = static_cast<std::size_t>(it - c.begin());
  if (i == 0) return x.front();
  if (i >= c.size()) return x.back();
  const double f0 = c[i - 1], f1 = c[i];
  return x[i - 1] + (x[i] - x[i - 1]) * (u - f0) / (f1 - f0);
}

Distribution Distribution::scaled(double k) const {
  require(k > 0 && std::isfinite(k), "scale factor must be > 0");
  switch (kind_) {
    case Kind::deterministic: return deterministic(a_ * k);
    case Kind::exponential: return exponential(a_ * k);
    case Kind::lognormal: return lognormal(mean_ * k, std::sqrt(scv()));
    case Kind::gamma: return gamma(mean_ * k, std::sqrt(scv()));
    case Kind::uniform: return uniform(a_ * k, b_ * k);
    case Kind::empirical: {
      std::vector<double> v = data_->values, w(v.size());
      for (std::size_t i = 0; i < v.size(); ++i) {
        v[i] *= k;
        w[i] = data_->alias.probability(i);
      }
      return empirical(std::move(v), std::move(w));
    }
    case Kind::table: {
      std::vector<double> v = data_->values;
      for (double& e : v) e *= k;
      return table(std::move(v), data_->cdf);
    }
  }
  return *this;
}

std::string Distribution::describe() const {
  std::ostringstream o;
  switch (kind_) {
    case Kind::deterministic: o << "deterministic(" << a_ << ")"; break;
    case Kind::exponential: o << "exponential(mean=" << mean_ << ")"; break;
    case Kind::lognormal: o << "lognormal(mean=" << mean_ << ", cv=" << std::sqrt(scv()) << ")"; break;
    case Kind::gamma: o << "gamma(mean=" << mean_ << ", cv=" << std::sqrt(scv()) << ")"; break;
    case Kind::uniform: o << "uniform(" << a_ << ", " << b_ << ")"; break;
    case Kind::empirical: o << "empirical(" << data_->values.size() << " values, mean=" << mean_ << ")"; break;
    case Kind::table: o << "table(" << data_->values.size() << " points, mean=" << mean_ << ")"; break;
  }
  return o.str();
}

}  // namespace dcsim
