// The user population N(t) of an AI service: the base users plus the adopters of a surge.
//
//   constant:  N(t) = base
//   logistic:  N(t) = base + m / (1 + exp(-r (t - t_mid)))
//   bass:      N(t) = base + m F(t - onset),  F(τ) = (1 - e^{-(p+q)τ}) / (1 + (q/p) e^{-(p+q)τ})
//              (Bass, Management Science 15(5), 1969). Adoption rate dN/dt = m f(τ),
//              f(τ) = ((p+q)^2/p) e^{-(p+q)τ} / (1 + (q/p) e^{-(p+q)τ})^2; its peak falls at
//              τ* = ln(q/p)/(p+q) with rate m (p+q)^2 / (4q).
//   hawkes:    a self-exciting adoption process (Hawkes, Biometrika 58(1), 1971) in cohorts of K users:
//              cohorts arrive with intensity λ(t) = (1 - N(t)/m) [μ/K + n Σ_i β e^{-β (t - t_i)}], so each
//              adoption raises the adoption rate for a while (branching ratio n, decay β) until the market m
//              saturates. Simulated exactly (Ogata's thinning) before the run from its own random stream;
//              N(t) is then a step function with steps of K users.
//
// Churn: adopters leave at rate δ, so the retained adopters are R(t) = ∫ a(s) e^{-δ(t-s)} ds (the base is
// assumed steady: its churn balanced by organic growth). For the smooth models R is integrated on a 60-s
// grid with 8-point Gauss–Legendre and interpolated linearly (relative error < 1e-9, and the interpolant
// is the function the arrivals follow); for hawkes it is exact. users(t) = base + R(t).
//
// The 2025 surge calibration (DOMAIN.md §1): base 500 M, m = 350 M, p = 0.049/day, q = 0.165/day gives
// +295 M by day 15 and a peak of 24.2 M/day (≈ 1 M/h) at day 5.7. It is a fit to two remarks, not to data;
// see docs/workload.md for its caveats.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/workload/time_function.hpp"
#include "sim/core/config.hpp"
#include "sim/core/random.hpp"

namespace dcsim::workload {

class Population {
 public:
  virtual ~Population() = default;
  double base() const noexcept { return base_; }
  // Users now (base plus retained adopters).
  double users(double t) const { return base_ + retained(t); }
  // All adopters so far, churned or not.
  virtual double cumulative_adopters(double t) const = 0;
  // Expected adoption rate dA/dt, users per second.
  virtual double adoption_rate(double t) const = 0;
  virtual Bounds users_bounds(double t0, double t1) const = 0;
  virtual double next_break(double /*t*/) const { return kInf; }
  virtual std::string describe() const = 0;

 protected:
  explicit Population(double base) : base_(base) {}
  virtual double retained(double t) const = 0;
  double base_;
};

// Bass, logistic and constant: smooth cumulative adoption A(t), with optional churn on a grid.
class SmoothPopulation : public Population {
 public:
  double cumulative_adopters(double t) const override { return adopters(t); }
  Bounds users_bounds(double t0, double t1) const override;

 protected:
  SmoothPopulation(double base, double churn_per_s, double t_begin, double t_end);
  virtual double adopters(double t) const = 0;
  // Must be called by the derived constructor once adopters() and adoption_rate() work.
  void build_churn_grid();
  double retained(double t) const override;

 private:
  double churn_;
  double t0_, t1_;
  static constexpr double kGrid = 60.0;
  std::vector<double> grid_;  // R at t0_ + i·kGrid
};

class ConstantPopulation final : public SmoothPopulation {
 public:
  explicit ConstantPopulation(double users) : SmoothPopulation(users, 0, 0, 0) {}
  double adoption_rate(double) const override { return 0; }
  std::string describe() const override;

 protected:
  double adopters(double) const override { return 0; }
};

class BassPopulation final : public SmoothPopulation {
 public:
  // p, q per second; onset in seconds since t = 0 (may be negative: a surge already under way).
  BassPopulation(double base, double market, double p, double q, double onset, double churn_per_s, double t_end);
  double adoption_rate(double t) const override;
  std::string describe() const override;
  // Closed forms, τ in seconds since onset.
  static double F(double tau, double p, double q);
  static double f(double tau, double p, double q);
  double peak_time() const noexcept;  // since t = 0
  double peak_rate() const noexcept;  // users per second

 protected:
  double adopters(double t) const override;

 private:
  double m_, p_, q_, onset_;
};

class LogisticPopulation final : public SmoothPopulation {
 public:
  LogisticPopulation(double base, double market, double rate, double midpoint, double churn_per_s, double t_end);
  double adoption_rate(double t) const override;
  std::string describe() const override;

 protected:
  double adopters(double t) const override;

 private:
  double m_, r_, mid_;
};

class HawkesPopulation final : public Population {
 public:
  struct Params {
    double base = 0, market = 0;
    double baseline_per_s = 0;  // μ, users per second
    double branching = 0;       // n: expected direct offspring cohorts per cohort, in an empty market
    double decay_per_s = 0;     // β
    double cohort = 0;          // K users
    double onset = 0;
    double churn_per_s = 0;
  };
  HawkesPopulation(const Params& p, double t_end, Rng rng);
  double cumulative_adopters(double t) const override;
  double adoption_rate(double t) const override;
  Bounds users_bounds(double t0, double t1) const override;
  double next_break(double t) const override;
  std::string describe() const override;
  std::size_t cohorts() const noexcept { return times_.size(); }

 protected:
  double retained(double t) const override;

 private:
  std::size_t count_at(double t) const;  // cohorts with time <= t
  Params p_;
  std::vector<double> times_;
  std::vector<double> excitation_;  // Σ β e^{-β(t_i - t_j)} over j <= i, just after cohort i
  std::vector<double> retained_;    // retained adopters just after cohort i
};

// Builds the population from its scenario table ([workload.population]).
std::unique_ptr<Population> make_population(const Params& p, double t_end, const RandomStreams& streams);

}  // namespace dcsim::workload
