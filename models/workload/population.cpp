#include "models/workload/population.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/core/quadrature.hpp"

namespace dcsim::workload {

namespace {
std::string fmt(const char* f, double a, double b = 0, double c = 0, double d = 0, double e = 0) {
  char buf[256];
  std::snprintf(buf, sizeof buf, f, a, b, c, d, e);
  return buf;
}
constexpr double kDay = 86400.0;
}  // namespace

// ---- smooth populations -----------------------------------------------------------------------------------

SmoothPopulation::SmoothPopulation(double base, double churn_per_s, double t_begin, double t_end)
    : Population(base), churn_(churn_per_s), t0_(t_begin), t1_(std::max(t_begin, t_end)) {}

void SmoothPopulation::build_churn_grid() {
  if (churn_ <= 0) return;
  const auto n = static_cast<std::size_t>(std::ceil((t1_ - t0_) / kGrid)) + 2;
  grid_.assign(n, 0.0);
  const double decay = std::exp(-churn_ * kGrid);
  grid_[0] = adopters(t0_);
  for (std::size_t k = 0; k + 1 < n; ++k) {
    const double a = t0_ + static_cast<double>(k) * kGrid, b = a + kGrid;
    const double inflow = gauss_legendre8([&](double s) { return adoption_rate(s) * std::exp(-churn_ * (b - s)); }, a, b);
    grid_[k + 1] = grid_[k] * decay + inflow;
  }
}

double SmoothPopulation::retained(double t) const {
  if (churn_ <= 0) return adopters(t);
  if (t <= t0_) return adopters(t);
  const double x = (t - t0_) / kGrid;
  const auto i = static_cast<std::size_t>(x);
  if (i + 1 >= grid_.size()) return grid_.back();
  const double w = x - static_cast<double>(i);
  return grid_[i] + (grid_[i + 1] - grid_[i]) * w;
}

Bounds SmoothPopulation::users_bounds(double t0, double t1) const {
  if (churn_ <= 0) return monotone_bounds(users(t0), users(t1));  // cumulative adoption never falls
  double lo = std::min(users(t0), users(t1)), hi = std::max(users(t0), users(t1));
  // The interpolant's extremes are at its knots.
  if (t1 > t0_ && !grid_.empty()) {
    const double a = std::max(t0, t0_);
    auto k = static_cast<std::size_t>(std::ceil((a - t0_) / kGrid));
    for (; k < grid_.size() && t0_ + static_cast<double>(k) * kGrid < t1; ++k) {
      lo = std::min(lo, base_ + grid_[k]);
      hi = std::max(hi, base_ + grid_[k]);
    }
  }
  return {lo, hi};
}

std::string ConstantPopulation::describe() const { return fmt("constant, %.4g users", base_); }

double BassPopulation::F(double tau, double p, double q) {
  if (tau <= 0) return 0.0;
  const double e = std::exp(-(p + q) * tau);
  return (1 - e) / (1 + (q / p) * e);
}

double BassPopulation::f(double tau, double p, double q) {
  if (tau < 0) return 0.0;
  const double e = std::exp(-(p + q) * tau);
  const double d = 1 + (q / p) * e;
  return (p + q) * (p + q) / p * e / (d * d);
}

BassPopulation::BassPopulation(double base, double market, double p, double q, double onset, double churn_per_s,
                               double t_end)
    : SmoothPopulation(base, churn_per_s, std::min(onset, 0.0), t_end), m_(market), p_(p), q_(q), onset_(onset) {
  build_churn_grid();
}

double BassPopulation::adopters(double t) const { return m_ * F(t - onset_, p_, q_); }
double BassPopulation::adoption_rate(double t) const { return m_ * f(t - onset_, p_, q_); }
double BassPopulation::peak_time() const noexcept {
  return q_ > p_ ? onset_ + std::log(q_ / p_) / (p_ + q_) : onset_;
}
double BassPopulation::peak_rate() const noexcept { return adoption_rate(peak_time()); }

std::string BassPopulation::describe() const {
  return fmt("Bass: base %.4g, m %.4g, p %.4g/day, q %.4g/day, onset %.4g d", base_, m_, p_ * kDay, q_ * kDay,
             onset_ / kDay);
}

LogisticPopulation::LogisticPopulation(double base, double market, double rate, double midpoint, double churn_per_s,
                                       double t_end)
    : SmoothPopulation(base, churn_per_s, std::min(0.0, midpoint - 30.0 / rate), t_end),
      m_(market),
      r_(rate),
      mid_(midpoint) {
  build_churn_grid();
}

double LogisticPopulation::adopters(double t) const { return m_ / (1 + std::exp(-r_ * (t - mid_))); }
double LogisticPopulation::adoption_rate(double t) const {
  const double s = 1 / (1 + std::exp(-r_ * (t - mid_)));
  return m_ * r_ * s * (1 - s);
}
std::string LogisticPopulation::describe() const {
  return fmt("logistic: base %.4g, m %.4g, rate %.4g/day, midpoint %.4g d", base_, m_, r_ * kDay, mid_ / kDay);
}

// ---- Hawkes ------------------------------------------------------------------------------------------------

HawkesPopulation::HawkesPopulation(const Params& p, double t_end, Rng rng) : Population(p.base), p_(p) {
  // Ogata's thinning: between cohorts the intensity only falls (the excitation decays and the market
  // fraction is constant), so its value now bounds it until the next cohort.
  const double mu_cohorts = p.baseline_per_s / p.cohort;
  double t = p.onset, s = 0.0, adopted = 0.0, retained = 0.0, last = p.onset;
  auto intensity = [&](double at) {
    const double free = std::max(0.0, 1.0 - adopted / p.market);
    return free * (mu_cohorts + p.branching * s * std::exp(-p.decay_per_s * (at - last)));
  };
  const auto max_cohorts = static_cast<std::size_t>(std::floor(p.market / p.cohort));
  while (times_.size() < max_cohorts) {
    const double bound = intensity(t);
    if (!(bound > 0)) break;
    t += rng.exponential(bound);
    if (t > t_end) break;
    if (rng.uniform() * bound <= intensity(t)) {
      s = s * std::exp(-p.decay_per_s * (t - last)) + p.decay_per_s;
      retained = retained * std::exp(-p.churn_per_s * (t - last)) + p.cohort;
      last = t;
      adopted += p.cohort;
      times_.push_back(t);
      excitation_.push_back(s);
      retained_.push_back(retained);
    }
  }
}

std::size_t HawkesPopulation::count_at(double t) const {
  return static_cast<std::size_t>(std::upper_bound(times_.begin(), times_.end(), t) - times_.begin());
}

double HawkesPopulation::cumulative_adopters(double t) const { return p_.cohort * static_cast<double>(count_at(t)); }

double HawkesPopulation::retained(double t) const {
  const std::size_t n = count_at(t);
  if (n == 0) return 0.0;
  return retained_[n - 1] * std::exp(-p_.churn_per_s * (t - times_[n - 1]));
}

double HawkesPopulation::adoption_rate(double t) const {
  if (t < p_.onset) return 0.0;
  const std::size_t n = count_at(t);
  const double adopted = p_.cohort * static_cast<double>(n);
  const double s = n ? excitation_[n - 1] * std::exp(-p_.decay_per_s * (t - times_[n - 1])) : 0.0;
  return std::max(0.0, 1.0 - adopted / p_.market) * (p_.baseline_per_s + p_.cohort * p_.branching * s);
}

Bounds HawkesPopulation::users_bounds(double t0, double t1) const {
  if (p_.churn_per_s <= 0) return monotone_bounds(users(t0), users(t1));
  // With churn the users decay between cohorts and jump at them: bound by the jumps inside.
  double lo = std::min(users(t0), users(t1)), hi = std::max(users(t0), users(t1));
  for (std::size_t i = count_at(t0); i < times_.size() && times_[i] <= t1; ++i) {
    hi = std::max(hi, base_ + retained_[i]);
    lo = std::min(lo, base_ + retained_[i] - p_.cohort);
  }
  return {lo, hi};
}

double HawkesPopulation::next_break(double t) const {
  const auto it = std::upper_bound(times_.begin(), times_.end(), t);
  return it == times_.end() ? kInf : *it;
}

std::string HawkesPopulation::describe() const {
  return fmt("Hawkes: base %.4g, m %.4g, branching %.3g, decay %.4g/day, %.0f cohorts", base_, p_.market,
             p_.branching, p_.decay_per_s * kDay, static_cast<double>(times_.size()));
}

// ---- from the scenario ---------------------------------------------------------------------------------------

std::unique_ptr<Population> make_population(const Params& p, double t_end, const RandomStreams& streams) {
  const std::string kind = p.choice("kind");
  if (kind == "constant") return std::make_unique<ConstantPopulation>(p.quantity("users"));
  const double base = p.quantity("base");
  const double market = p.quantity("market");
  const double churn = p.quantity("churn");
  if (kind == "bass") {
    const double pp = p.quantity("p");
    const double qq = p.quantity("q");
    const double onset = p.quantity("onset");
    return std::make_unique<BassPopulation>(base, market, pp, qq, onset, churn, t_end);
  }
  if (kind == "logistic") {
    const double rate = p.quantity("rate");
    const double mid = p.quantity("midpoint");
    return std::make_unique<LogisticPopulation>(base, market, rate, mid, churn, t_end);
  }
  HawkesPopulation::Params h;
  h.base = base;
  h.market = market;
  h.churn_per_s = churn;
  h.baseline_per_s = p.quantity("baseline");
  h.branching = p.quantity("branching");
  h.decay_per_s = p.quantity("decay");
  h.cohort = p.quantity_or("cohort", market / 10000.0);
  if (market / h.cohort > 5e7) p.fail("cohort", "a cohort of at least market/5e7 users (at most 5e7 cohorts)");
  h.onset = p.quantity("onset");
  return std::make_unique<HawkesPopulation>(h, t_end, streams.stream("workload.population.hawkes"));
}

}  // namespace dcsim::workload
