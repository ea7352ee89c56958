#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>

#include "models/workload/azure_trace.hpp"
#include "models/workload/workload.hpp"
#include "sim/core/quadrature.hpp"
#include "sim/core/stats.hpp"
#include "sim/core/run.hpp"
#include "sim/io/scenario.hpp"

using namespace dcsim;
using namespace dcsim::workload;

namespace {

constexpr double kDay = 86400.0;
const Calendar kCal;  // t = 0 at 2025-03-25T00:00:00Z, a Tuesday

// Counts arrivals of a generator in consecutive windows of [0, end).
std::vector<double> window_counts(ArrivalGenerator& g, double end, double width) {
  std::vector<double> n(static_cast<std::size_t>(std::ceil(end / width)), 0.0);
  for (double t = g.next(); t < kInf; t = g.next()) n[static_cast<std::size_t>(t / width)] += 1;
  return n;
}

// Poisson counts N_i against their means Λ_i: every window within 4.5 sd, and Σ (N - Λ)²/Λ ~ χ²(n) within
// its 99.9 % range (Wilson–Hilferty), so that both the means and the variances are checked.
void check_poisson_counts(const std::vector<double>& n, const std::vector<double>& lambda) {
  double chi2 = 0;
  for (std::size_t i = 0; i < n.size(); ++i) {
    INFO("window " << i << ": " << n[i] << " arrivals, expected " << lambda[i]);
    CHECK(std::abs(n[i] - lambda[i]) <= 4.5 * std::sqrt(lambda[i]) + 1e-9);
    if (lambda[i] > 0) chi2 += (n[i] - lambda[i]) * (n[i] - lambda[i]) / lambda[i];
  }
  const double k = static_cast<double>(n.size());
  const double z = (std::cbrt(chi2 / k) - (1 - 2 / (9 * k))) / std::sqrt(2 / (9 * k));
  INFO("chi-square " << chi2 << " on " << k << " windows, z = " << z);
  CHECK(std::abs(z) < 3.3);
}

ConfigValue toml(const std::string& text) { return io::parse_toml(text, "test.toml"); }
// The [workload] table of a parsed text, read through the workload's parameter table alone: a key the
// model reads but the table does not declare is an error here.
Params workload_params(const ConfigValue& cv) {
  static const ParamSchema s = [] {
    ParamSchema x;
    x.add(workload::parameter_table());
    return x;
  }();
  return Params(cv, "workload", s);
}

RunSettings settings(double days) {
  RunSettings rs;
  rs.duration = SimTime::from_seconds(days * kDay);
  rs.sample_interval = SimTime::hours(1);
  return rs;
}

const char* kSurge = R"(
activity_fraction = 0.25
[population]
kind = "bass"
base = 500e6
market = 350e6
p = "0.049 /day"
q = "0.165 /day"
[[classes]]
name = "image"
requests_per_user_day = 0.7
)";

}  // namespace

TEST_CASE("Bass population matches its closed form and the shipped calibration", "[workload][population]") {
  const double p = 0.049 / kDay, q = 0.165 / kDay;
  const BassPopulation b(500e6, 350e6, p, q, 0.0, 0.0, 30 * kDay);
  // F is the integral of f.
  for (const double d : {1.0, 5.0, 15.0, 30.0}) {
    const double integral = integrate([&](double t) { return BassPopulation::f(t, p, q); }, 0.0, d * kDay, 600.0);
    CHECK(BassPopulation::F(d * kDay, p, q) == Approx(integral).epsilon(1e-10));
  }
  // DOMAIN.md §1: N(15 d) = 295 M extra users; peak 24.2 M/day (~1 M/h) at day 5.7.
  CHECK(b.cumulative_adopters(15 * kDay) == Approx(295e6).epsilon(0.05));
  CHECK(b.peak_rate() * 3600 == Approx(1e6).epsilon(0.05));
  CHECK(b.peak_time() / kDay == Approx(5.7).epsilon(0.02));
  CHECK(b.users(15 * kDay) == Approx(795e6).epsilon(0.02));
  // The peak is a maximum of the adoption rate.
  CHECK(b.adoption_rate(b.peak_time()) > b.adoption_rate(b.peak_time() - 3600));
  CHECK(b.adoption_rate(b.peak_time()) > b.adoption_rate(b.peak_time() + 3600));
}

TEST_CASE("churn removes adopters at the given rate", "[workload][population]") {
  const double p = 0.049 / kDay, q = 0.165 / kDay, delta = 0.1 / kDay;
  const BassPopulation b(0.0, 350e6, p, q, 0.0, delta, 20 * kDay);
  for (const double d : {2.0, 7.5, 19.0}) {
    const double t = d * kDay;
    const double r = integrate([&](double s) { return 350e6 * BassPopulation::f(s, p, q) * std::exp(-delta * (t - s)); },
                               0.0, t, 600.0);
    CHECK(b.users(t) == Approx(r).epsilon(1e-8));
    CHECK(b.users(t) < b.cumulative_adopters(t));
  }
}

TEST_CASE("a subcritical Hawkes adoption process has the closed-form mean count", "[workload][population]") {
  // Far from saturation the count of a linear Hawkes process over T has mean μT/(1-n) and, for T much
  // longer than 1/β, variance μT/(1-n)^3 (Hawkes & Oakes 1974). 20 replications of 5,000 expected cohorts.
  HawkesPopulation::Params h;
  h.market = 1e15;
  h.cohort = 1.0;
  h.baseline_per_s = 1.0 / 60;
  h.branching = 0.5;
  h.decay_per_s = 1.0 / 600;
  const double T = 2500 * 60.0;
  const double mean = h.baseline_per_s * T / (1 - h.branching);
  const double sd = std::sqrt(h.baseline_per_s * T / std::pow(1 - h.branching, 3));
  double sum = 0;
  const int reps = 20;
  for (int r = 0; r < reps; ++r) {
    const HawkesPopulation pop(h, T, RandomStreams(7, static_cast<std::uint64_t>(r)).stream("hawkes"));
    sum += pop.cumulative_adopters(T);
  }
  CHECK(std::abs(sum / reps - mean) <= 4 * sd / std::sqrt(reps));
}

TEST_CASE("a supercritical Hawkes surge saturates its market and its users never fall without churn",
          "[workload][population]") {
  HawkesPopulation::Params h;
  h.base = 500e6;
  h.market = 350e6;
  h.cohort = 35000;
  h.baseline_per_s = 1e6 / kDay;
  h.branching = 3.0;
  h.decay_per_s = 1.0 / kDay;
  const HawkesPopulation pop(h, 60 * kDay, Rng(4));
  // The excitation dies out once the free market m(1 - N/m) makes the process subcritical; with branching
  // 3 that happens above 2/3 of m, and the baseline then fills the rest slowly.
  CHECK(pop.cumulative_adopters(60 * kDay) > 0.6 * h.market);
  CHECK(pop.cumulative_adopters(60 * kDay) <= h.market);
  double prev = 0;
  for (double t = 0; t < 60 * kDay; t += 3600) {
    REQUIRE(pop.users(t) >= prev);
    prev = pop.users(t);
  }
  const Bounds b = pop.users_bounds(10 * kDay, 11 * kDay);
  CHECK(b.lo == pop.users(10 * kDay));
  CHECK(b.hi == pop.users(11 * kDay));
}

TEST_CASE("diurnal and weekly profiles keep the daily and weekly means at 1", "[workload][profiles]") {
  const Diurnal regions = Diurnal::regions(kCal, {{"a", 0.6, 20, 0.5}, {"b", 0.4, 9, 0.3}});
  const Diurnal table = Diurnal::table(kCal, {1, 2, 3, 4, 3, 2});
  for (const Diurnal* d : {&regions, &table}) {
    for (int day = 0; day < 3; ++day) {
      const double m = integrate([&](double t) { return d->value(t); }, day * kDay, (day + 1) * kDay, 600.0) / kDay;
      // The table is piecewise linear: integrate exactly by splitting at its knots.
      double exact = 0;
      for (double a = day * kDay; a < (day + 1) * kDay;) {
        const double b = std::min((day + 1) * kDay, d->next_break(a));
        exact += integrate([&](double t) { return d->value(t); }, a, b, 600.0);
        a = b;
      }
      CHECK(exact / kDay == Approx(1.0).epsilon(1e-12));
      if (d == &regions) CHECK(m == Approx(1.0).epsilon(1e-12));
    }
  }
  // Peak hours: region a peaks at 20:00 UTC.
  CHECK(regions.value(20 * 3600.0) > regions.value(8 * 3600.0));
  const Weekly w(kCal, {1, 1, 1, 1, 1, 2, 2});
  double week = 0;
  for (int d = 0; d < 7; ++d) week += w.value(d * kDay + 100);
  CHECK(week / 7 == Approx(1.0));
  // 2025-03-29 (t = 4 d) is a Saturday.
  CHECK(w.value(4 * kDay + 3600) == Approx(2 * 7.0 / 9.0));
  CHECK(w.value(3 * kDay + 3600) == Approx(7.0 / 9.0));
}

TEST_CASE("a diurnal profile peaks at its regions' stated UTC hours and interpolates its table linearly",
          "[workload][profiles]") {
  // One region, peak 20:00 UTC, amplitude 0.5: 1 + 0.5 cos(2π (h − 20)/24), on every day.
  const double kTwoPi = 2 * std::acos(-1.0);
  const Diurnal one = Diurnal::regions(kCal, {{"a", 1.0, 20, 0.5}});
  for (const int day : {0, 1, 6}) {
    const double d0 = day * kDay;
    CHECK(one.value(d0 + 20 * 3600.0) == Approx(1.5).epsilon(1e-12));
    CHECK(one.value(d0 + 8 * 3600.0) == Approx(0.5).epsilon(1e-12));
    CHECK(one.value(d0 + 14 * 3600.0) == Approx(1.0).margin(1e-12));
    CHECK(one.value(d0 + 23 * 3600.0) == Approx(1 + 0.5 * std::cos(kTwoPi * 3 / 24)).epsilon(1e-12));
    CHECK(one.value(d0 + 17 * 3600.0) == Approx(1 + 0.5 * std::cos(kTwoPi * 3 / 24)).epsilon(1e-12));
  }
  // Two regions with shares 0.6 and 0.4: the share-weighted sum of their own curves.
  const Diurnal two = Diurnal::regions(kCal, {{"a", 3.0, 20, 0.5}, {"b", 2.0, 9, 0.3}});  // shares normalised
  for (const double h : {0.0, 5.5, 9.0, 13.25, 20.0}) {
    const double expected = 0.6 * (1 + 0.5 * std::cos(kTwoPi * (h - 20) / 24)) + 0.4 * (1 + 0.3 * std::cos(kTwoPi * (h - 9) / 24));
    CHECK(two.value(h * 3600) == Approx(expected).epsilon(1e-12));
  }
  // A table of 6 values spans 4 h each, normalised to mean 1 (mean 2.5), linear between knots, wrapping.
  const Diurnal tab = Diurnal::table(kCal, {1, 2, 3, 4, 3, 2});
  CHECK(tab.value(0) == Approx(1 / 2.5).epsilon(1e-12));
  CHECK(tab.value(4 * 3600.0) == Approx(2 / 2.5).epsilon(1e-12));
  CHECK(tab.value(2 * 3600.0) == Approx(1.5 / 2.5).epsilon(1e-12));
  CHECK(tab.value(13 * 3600.0) == Approx(3.75 / 2.5).epsilon(1e-12));
  CHECK(tab.value(22 * 3600.0) == Approx(1.5 / 2.5).epsilon(1e-12));  // from 2 back to 1 across midnight
  CHECK(tab.value(kDay + 12 * 3600.0) == Approx(4 / 2.5).epsilon(1e-12));
}

TEST_CASE("profile bounds enclose the profile on every interval", "[workload][profiles]") {
  const Diurnal d = Diurnal::regions(kCal, {{"a", 0.5, 1, 0.9}, {"b", 0.5, 13.5, 0.2}});
  const Diurnal tab = Diurnal::table(kCal, {5, 1, 4, 0.5, 3});
  const Weekly w(kCal, {1, 3, 1, 1, 2, 1, 1});
  FlashCrowd fc;
  fc.onset = 5000;
  fc.ramp = 0;
  fc.peak = 4;
  fc.plateau = 3000;
  fc.decay = 0;
  const FlashMultiplier f({fc});
  Rng r(3);
  for (int i = 0; i < 2000; ++i) {
    const double t0 = r.uniform(0, 3 * kDay);
    const double t1 = t0 + r.uniform(0, 6 * 3600);
    for (const TimeFunction* fn : std::initializer_list<const TimeFunction*>{&d, &tab, &w, &f}) {
      const Bounds b = fn->bounds(t0, t1);
      for (int j = 0; j <= 50; ++j) {
        const double v = fn->value(t0 + (t1 - t0) * j / 50);
        REQUIRE(v >= b.lo - 1e-12);
        REQUIRE(v <= b.hi + 1e-12);
      }
    }
  }
}

TEST_CASE("a flash crowd ramps linearly, holds its plateau and decays exponentially", "[workload][profiles]") {
  FlashCrowd c;
  c.onset = 1000;
  c.ramp = 200;
  c.peak = 5;
  c.plateau = 300;
  c.decay = 400;
  const FlashMultiplier f({c});
  CHECK(f.value(999) == 1.0);
  CHECK(f.value(1100) == Approx(1 + 4 * 0.5));
  CHECK(f.value(1200) == Approx(5.0));
  CHECK(f.value(1499) == Approx(5.0));
  CHECK(f.value(1500 + 400) == Approx(1 + 4 * std::exp(-1.0)));
  CHECK(f.value(1e6) == Approx(1.0));
  // Stacking adds the excess of each crowd.
  FlashCrowd d = c;
  d.peak = 2;
  const FlashMultiplier g({c, d});
  CHECK(g.value(1300) == Approx(1 + 4 + 1));
}

TEST_CASE("NHPP counts over windows match the integral of the rate", "[workload][arrivals]") {
  // A surge trend times a strong diurnal cycle times a step-shaped weekly profile (a factor 4 jump at
  // midnight) times a flash crowd: counts per hour, including the hours on both sides of each step.
  const BassPopulation pop(1e6, 3e6, 0.3 / kDay, 0.9 / kDay, 0.2 * kDay, 0.0, 4 * kDay);
  struct Users final : TimeFunction {
    const Population& p;
    explicit Users(const Population& x) : p(x) {}
    double value(double t) const override { return p.users(t); }
    Bounds bounds(double a, double b) const override { return p.users_bounds(a, b); }
  } users(pop);
  const Diurnal d = Diurnal::regions(kCal, {{"x", 1, 18, 0.8}});
  const Weekly w(kCal, {1, 4, 1, 1, 4, 1, 1});
  FlashCrowd fc;
  fc.onset = 1.5 * kDay;
  fc.ramp = 1800;
  fc.peak = 3;
  fc.plateau = 3600;
  fc.decay = 7200;
  const FlashMultiplier f({fc});
  const Rate rate(0.5 / kDay, {&users, &d, &w, &f});
  const double end = 4 * kDay;
  NhppGenerator g(rate, Rng(11), 0.0, end);
  const auto n = window_counts(g, end, 3600.0);
  std::vector<double> lambda(n.size());
  for (std::size_t i = 0; i < n.size(); ++i) lambda[i] = rate.integral(i * 3600.0, (i + 1) * 3600.0);
  check_poisson_counts(n, lambda);
  // No leakage across the steps at midnight: t = 0 is a Tuesday (factor 4), so the rate falls fourfold
  // into Wednesday and rises fourfold into Friday.
  CHECK(n[23] > 3 * n[24]);
  CHECK(n[72] > 3 * n[71]);
}

TEST_CASE("NHPP arrivals pass the time-rescaling test", "[workload][arrivals]") {
  // If T_i are NHPP(λ) arrivals, Λ(T_i) - Λ(T_{i-1}) are i.i.d. Exp(1) (Brown et al., Neural Computation
  // 14(2), 2002): a Kolmogorov–Smirnov test of the rescaled gaps checks the process, not just its counts.
  const Diurnal d = Diurnal::regions(kCal, {{"x", 1, 6, 0.95}});
  FlashCrowd fc;
  fc.onset = 30000;
  fc.ramp = 600;
  fc.peak = 6;
  fc.plateau = 1200;
  fc.decay = 3000;
  const FlashMultiplier f({fc});
  const Rate rate(0.25, {&d, &f});
  NhppGenerator g(rate, Rng(5), 0.0, kDay);
  std::vector<double> gaps;
  double prev = 0;
  for (double t = g.next(); t < kInf; t = g.next()) {
    gaps.push_back(rate.integral(prev, t));
    prev = t;
  }
  REQUIRE(gaps.size() > 10000);
  std::sort(gaps.begin(), gaps.end());
  const double n = static_cast<double>(gaps.size());
  double dmax = 0;
  for (std::size_t i = 0; i < gaps.size(); ++i) {
    const double F = 1 - std::exp(-gaps[i]);
    dmax = std::max({dmax, std::abs(F - i / n), std::abs(F - (i + 1) / n)});
  }
  CHECK(dmax < 1.63 / std::sqrt(n));
}

TEST_CASE("constant-rate inter-arrival times pass a Kolmogorov-Smirnov test for the exponential", "[workload][arrivals]") {
  struct One final : TimeFunction {
    double value(double) const override { return 1.0; }
    Bounds bounds(double, double) const override { return {1, 1}; }
  } one;
  const Rate rate(7.0, {&one});
  NhppGenerator g(rate, Rng(21), 0.0, 4000.0);
  std::vector<double> gaps;
  double prev = 0;
  for (double t = g.next(); t < kInf; t = g.next()) {
    gaps.push_back(t - prev);
    prev = t;
  }
  std::sort(gaps.begin(), gaps.end());
  const double n = static_cast<double>(gaps.size());
  double dmax = 0;
  for (std::size_t i = 0; i < gaps.size(); ++i) {
    const double F = 1 - std::exp(-7.0 * gaps[i]);
    dmax = std::max({dmax, std::abs(F - i / n), std::abs(F - (i + 1) / n)});
  }
  CHECK(n == Approx(28000).margin(4.5 * std::sqrt(28000)));
  CHECK(dmax < 1.63 / std::sqrt(n));
}

TEST_CASE("Gamma renewal arrivals hit their target mean and coefficient of variation", "[workload][arrivals]") {
  const auto cv = GENERATE(0.5, 2.0, 4.0);
  struct One final : TimeFunction {
    double value(double) const override { return 1.0; }
    Bounds bounds(double, double) const override { return {1, 1}; }
  } one;
  const Rate rate(10.0, {&one});
  RenewalGenerator g(rate, Rng(8), cv, 0.0, 30000.0);
  Tally gaps;
  double prev = 0;
  for (double t = g.next(); t < kInf; t = g.next()) {
    gaps.add(t - prev);
    prev = t;
  }
  // Gamma gaps: mean 0.1 s, sd = cv × 0.1 s. Standard errors from n ≈ 300,000 i.i.d. gaps.
  const double n = static_cast<double>(gaps.count());
  CHECK(std::abs(gaps.mean() - 0.1) <= 4 * cv * 0.1 / std::sqrt(n));
  const double cv_hat = gaps.stddev() / gaps.mean();
  // sd of the sample cv is about cv·sqrt((1 + 2cv²... )/2n); use the Gamma kurtosis bound 6cv² + 3.
  CHECK(std::abs(cv_hat - cv) <= 4 * cv * std::sqrt((6 * cv * cv + 2) / (4 * n)) + 1e-3);
}

TEST_CASE("modulated Gamma renewal arrivals follow the rate on average", "[workload][arrivals]") {
  const Diurnal d = Diurnal::regions(kCal, {{"x", 1, 12, 0.9}});
  const Rate rate(2.0, {&d});
  RenewalGenerator g(rate, Rng(9), 2.0, 0.0, 20 * kDay);
  const auto n = window_counts(g, 20 * kDay, 6 * 3600.0);
  // Sum over the same 6-hour window of each day: the time change maps the mean exactly.
  for (int w = 0; w < 4; ++w) {
    double count = 0, lambda = 0;
    for (int day = 0; day < 20; ++day) {
      count += n[static_cast<std::size_t>(day * 4 + w)];
      lambda += rate.integral((day * 4 + w) * 6 * 3600.0, (day * 4 + w + 1) * 6 * 3600.0);
    }
    // A renewal process's count variance is ~cv² × mean: 4.5 sd with cv = 2.
    INFO("window " << w << ": " << count << " vs " << lambda);
    CHECK(std::abs(count - lambda) <= 4.5 * 2.0 * std::sqrt(lambda));
  }
}

TEST_CASE("the workload model generates the calibrated first week of images", "[workload][model]") {
  const ConfigValue cv = toml(kSurge);
  const RunSettings rs = settings(7);
  const RandomStreams streams(1, 0);
  const WorkloadModel w(workload_params(cv), rs, streams);
  const double expected = w.expected_arrivals(0, 0, 0.0, 7 * kDay);
  // ~700 M images by the end of the first week (DOMAIN.md §1).
  CHECK(expected == Approx(700e6).epsilon(0.03));
  CHECK(w.active_users(0.0) == Approx(0.25 * 500e6));
  CHECK_NOTHROW(check_unknown_keys(cv));
}

TEST_CASE("rates split between tiers by user share and per-user intensity", "[workload][model]") {
  const ConfigValue cv = toml(R"(
[population]
kind = "constant"
users = 1e6
[[tiers]]
name = "free"
share = 0.9
[[tiers]]
name = "paid"
share = 0.1
[[classes]]
name = "image"
requests_per_user_day = { free = 1, paid = 10 }
)");
  const WorkloadModel w(workload_params(cv), settings(1), RandomStreams(1, 0));
  CHECK(w.rate(0, 0, 100) == Approx(0.9e6 * 1 / kDay));
  CHECK(w.rate(0, 1, 100) == Approx(0.1e6 * 10 / kDay));
}

namespace {
struct Capture final : RequestSink {
  std::vector<Request> got;
  void submit(const Request& r) override { got.push_back(r); }
};
std::string write(const std::string& name, const std::string& text) {
  const auto p = std::filesystem::temp_directory_path() / ("dcsim_wl_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(p) << text;
  return p.string();
}
}  // namespace

TEST_CASE("trace replay reproduces the trace exactly", "[workload][trace]") {
  const std::string trace = write("trace.csv",
                                  "time_s,class,tier,size\n"
                                  "0.5,image,free,1.5\n"
                                  "0.5,text,paid,\n"
                                  "# a comment\n"
                                  "10.25,image,paid,2\n"
                                  "3600,text,free,0.25\n"
                                  "90000,image,free,1\n");
  const ConfigValue cv = toml("trace = \"" + trace + "\"\n[[tiers]]\nname = \"free\"\nshare = 0.5\n[[tiers]]\nname = \"paid\"\nshare = 0.5\n"
                              "[[classes]]\nname = \"image\"\n[[classes]]\nname = \"text\"\n[classes.size]\ntokens = 100\n");
  RunSettings rs = settings(1);
  Run run(rs);
  auto& w = run.emplace_model<WorkloadModel>(workload_params(cv), rs, run.engine().random());
  Capture cap;
  w.set_sink(&cap);
  run.execute();
  REQUIRE(cap.got.size() == 4);  // 90000 s is past the 1-day horizon
  CHECK(cap.got[0].created == SimTime::from_seconds(0.5));
  CHECK(cap.got[0].cls == 0);
  CHECK(cap.got[0].tier == 0);
  CHECK(cap.got[0].size == 1.5);
  CHECK(cap.got[1].created == SimTime::from_seconds(0.5));
  CHECK(cap.got[1].cls == 1);
  CHECK(cap.got[1].tier == 1);
  CHECK(cap.got[1].size == 1.0);  // drawn from the class: a deterministic 100 tokens over a reference of 100
  CHECK(cap.got[2].created == SimTime::from_seconds(10.25));
  CHECK(cap.got[2].size == 2.0);
  CHECK(cap.got[3].created == SimTime::seconds(3600));
  CHECK(cap.got[3].cls == 1);
  std::filesystem::remove(trace);
}

TEST_CASE("a workload refuses more than 255 tiers with a located error", "[workload][model]") {
  std::string text = "[population]\nkind = \"constant\"\nusers = 1000\n[[classes]]\nname = \"image\"\nrequests_per_user_day = 1\n";
  for (int i = 0; i < 256; ++i) text += "[[tiers]]\nname = \"t" + std::to_string(i) + "\"\nshare = 0.00390625\n";
  const ConfigValue cv = toml(text);
  RunSettings rs = settings(1);
  Run run(rs);
  CHECK_THROWS_WITH(WorkloadModel(workload_params(cv), rs, run.engine().random()),
                    Catch::Contains("test.toml:") && Catch::Contains("key 'workload.tiers': expected at most 255 tiers"));
}

TEST_CASE("malformed traces and rate profiles give located errors", "[workload][trace]") {
  struct Bad {
    const char* csv;
    const char* message;
  };
  const std::vector<Bad> cases = {
      {"time_s,class,tier\n1,image,free\n0.5,image,free\n", ":3:1: error: timestamps out of order"},
      {"1,imag,free\n", ":1:3: error: column 'class': unknown class \"imag\" (did you mean \"image\"?)"},
      {"1,image,fre\n", ":1:9: error: column 'tier': unknown tier \"fre\" (did you mean \"free\"?)"},
      {"1,image\n", "expected 3 or 4 columns"},
      {"abc,image,free\n", ":1:1: error: column 'time_s': expected a number, found \"abc\""},
      {"-1,image,free\n", ":1:1: error: column 'time_s': expected a time in [0, 9.2e9] s"},
      {"1,image,free\n1e12,image,free\n", ":2:1: error: column 'time_s': expected a time in [0, 9.2e9] s (the simulation's range, about 292 years), found 1e12"},
      {"\xef\xbb\xbftime_s,class,tier\r\n1,image,free\r\n0,image,free\r\n", ":3:1: error: timestamps out of order: 0 s comes after 1 s"},
      {"1e300,image,free\n", "found 1e300"},
      {"1,image,free\n0.5,image,free\n", "0.5 s comes after 1 s (the trace must be sorted by time)"},
      {"1,image,free,0\n", ":1:14: error: column 'size': expected a size factor > 0"},
      {"1,image,free,2,9\n", "expected 3 or 4 columns"},
      {"time,klass,tier\n", "the header must be time_s,class,tier[,size]"},
      {"1,\"image,free\n", "unclosed quote"},
  };
  for (const auto& c : cases) {
    const std::string path = write("bad.csv", c.csv);
    INFO(c.csv);
    CHECK_THROWS_WITH(load_trace(path, {"image", "text"}, {"free", "paid"}),
                      Catch::Contains(path) && Catch::Contains(c.message));
    std::filesystem::remove(path);
  }
  const std::string profile = write("rates.csv", "time_s,image\n0,1\n100,x\n");
  const ConfigValue cv = toml("rate_profile = \"" + profile + "\"\n[[classes]]\nname = \"image\"\n");
  CHECK_THROWS_WITH(WorkloadModel(workload_params(cv), settings(1), RandomStreams(1, 0)),
                    Catch::Contains(profile + ":3:5") && Catch::Contains("column 'image': expected a number"));
  std::filesystem::remove(profile);

  // Rate profiles: the CSV is blamed, at the row and column.
  const std::vector<Bad> profiles = {
      {"time_s,image,image\n0,1,2\n", ":1:14: error: column 'image' appears twice (first as column 2)"},
      {"time_s,text,image,text\n0,1,2,3\n", ":1:19: error: column 'text' appears twice (first as column 2)"},
      {"\xef\xbb\xbftime_s,image\r\n0,1\r\n", ""},
      {"\xef\xbb\xbf" "tijd,image\n0,1\n", ":1:1: error: the first column must be 'time_s', found \"tijd\""},
      {"time_s,image\n0,1\n-1e10,1\n", ":3:1: error: column 'time_s': expected a time in [-9.2e9, 9.2e9] s"},
      {"time_s,image\n0,1\n3600,1\n1800,1\n", ":4:1: error: times must increase (the profile must be sorted by time): 1800 s comes after 3600 s"},
      {"time_s,image\n0,-2\n", ":2:3: error: column 'image': expected a rate in [0, 1e9] requests/s, found -2"},
  };
  for (const auto& c : profiles) {
    const std::string path = write("profile.csv", c.csv);
    INFO(c.csv);
    const ConfigValue pv = toml("rate_profile = \"" + path + "\"\n[[classes]]\nname = \"image\"\n[[classes]]\nname = \"text\"\n"
                                "requests_per_user_day = 1\n[population]\nkind = \"constant\"\nusers = 10\n");
    if (*c.message == 0) {
      CHECK_NOTHROW(WorkloadModel(workload_params(pv), settings(1), RandomStreams(1, 0)));
    } else {
      CHECK_THROWS_WITH(WorkloadModel(workload_params(pv), settings(1), RandomStreams(1, 0)),
                        Catch::Contains(path + c.message));
    }
    std::filesystem::remove(path);
  }
}

TEST_CASE("trace rows after the end of the run are not replayed, and the summary counts them", "[workload][trace]") {
  const std::string trace = write("late.csv", "1,image,free\n3600,image,free\n86400.5,image,free\n9e9,image,free\n");
  const ConfigValue cv = toml("trace = \"" + trace + "\"\n[[tiers]]\nname = \"free\"\nshare = 1\n[[classes]]\nname = \"image\"\n");
  RunSettings rs = settings(1);
  Run run(rs);
  auto& w = run.emplace_model<WorkloadModel>(workload_params(cv), rs, run.engine().random());
  Capture cap;
  w.set_sink(&cap);
  const RunOutcome out = run.execute();
  CHECK(out.complete());
  CHECK(cap.got.size() == 2);  // 1 s and 3600 s
  Summary s;
  w.finish(out.end, s);
  CHECK(s.number("workload.trace_rows_after_end") == 2);
  std::filesystem::remove(trace);
}

TEST_CASE("a rate profile drives its class exactly", "[workload][trace]") {
  const std::string profile = write("rates2.csv", "time_s,image\n0,10\n3600,30\n7200,0\n");
  const ConfigValue cv = toml("rate_profile = \"" + profile + "\"\n[[classes]]\nname = \"image\"\n");
  const WorkloadModel w(workload_params(cv), settings(1), RandomStreams(1, 0));
  CHECK(w.rate(0, 0, 1800) == Approx(20));
  CHECK(w.expected_arrivals(0, 0, 0, 7200) == Approx(20 * 3600 + 15 * 3600));
  auto g = w.make_generator(0, 0, 0, 7200);
  const auto n = window_counts(*g, 7200, 600);
  std::vector<double> lambda(n.size());
  for (std::size_t i = 0; i < n.size(); ++i) lambda[i] = w.expected_arrivals(0, 0, i * 600.0, (i + 1) * 600.0);
  check_poisson_counts(n, lambda);
  std::filesystem::remove(profile);
}

TEST_CASE("adding a class does not change another class's arrivals", "[workload][model]") {
  const ConfigValue one = toml(std::string(kSurge));
  const ConfigValue two = toml(std::string(kSurge) + "[[classes]]\nname = \"text\"\nrequests_per_user_day = 5\n");
  const RunSettings rs = settings(0.01);
  const RandomStreams streams(3, 0);
  const WorkloadModel a(workload_params(one), rs, streams);
  const WorkloadModel b(workload_params(two), rs, streams);
  auto ga = a.make_generator(0, 0, 0, 600);
  auto gb = b.make_generator(0, 0, 0, 600);
  for (int i = 0; i < 1000; ++i) REQUIRE(ga->next() == gb->next());
}

TEST_CASE("the [workload] table: its defaults read, and every key of the shipped scenarios is declared",
          "[workload][params]") {
  ParamSchema s;
  s.add(workload::parameter_table());
  CHECK_NOTHROW(check_defaults(s));
  for (const char* f : {"default.toml", "surge_workload.toml", "surge_fleet.toml"}) {
    INFO(f);
    const io::Scenario sc = io::load_scenario(std::string(DCSIM_SOURCE_DIR) + "/scenarios/" + f);
    const ConfigValue* wl = sc.root.find("workload");
    REQUIRE(wl != nullptr);
    ConfigValue root = ConfigValue::make_table({});
    root.set("workload", *wl);
    CHECK(undeclared_keys(s, root) == std::vector<std::string>{});
  }
}

// ---- the public Azure LLM inference traces -----------------------------------------------------------------

namespace {
// A few rows in the format of AzureLLMInferenceTrace_conv.csv (2023: seven fractional digits, no zone).
const char* kAzure2023 =
    "TIMESTAMP,ContextTokens,GeneratedTokens\n"
    "2023-11-16 18:15:46.6805900,374,44\n"
    "2023-11-16 18:15:50.9951690,396,109\n"
    "2023-11-16 18:15:50.9951690,879,600\n"
    "2023-11-16 18:16:03.2036240,91,1\n";
const char* kTextClass = "[[classes]]\nname = \"text\"\n[classes.size]\ntokens = 600\n";

// A workload alone, run to its horizon: the requests it sent and its summary.
struct Replay {
  explicit Replay(const RunSettings& rs) : run(rs) {}
  Run run;
  WorkloadModel* w = nullptr;
  Capture cap;
  Summary summary;
};
std::unique_ptr<Replay> replay(const ConfigValue& cv, const RunSettings& rs) {
  auto r = std::make_unique<Replay>(rs);
  r->w = &r->run.emplace_model<WorkloadModel>(workload_params(cv), rs, r->run.engine().random());
  r->w->set_sink(&r->cap);
  const RunOutcome out = r->run.execute();
  r->w->finish(out.end, r->summary);
  return r;
}
}  // namespace

TEST_CASE("trace instants parse as the Azure traces write them, in UTC", "[workload][trace][azure]") {
  const auto a = parse_trace_instant("2023-11-16 18:15:46.6805900");
  REQUIRE(a);
  CHECK(a->s == 1700158546);  // date -u -d '2023-11-16 18:15:46' +%s
  CHECK(a->frac == Approx(0.68059).epsilon(1e-12));
  const auto b = parse_trace_instant("2024-05-10T00:00:00.009930+00:00");  // the 2024 traces carry a zone
  REQUIRE(b);
  CHECK(b->s == 1715299200);
  CHECK(b->frac == Approx(0.00993).epsilon(1e-9));
  const auto c = parse_trace_instant("2024-05-10 02:00:00+02:00");
  REQUIRE(c);
  CHECK(c->s == 1715299200);
  CHECK(parse_trace_instant("2024-02-29 00:00:00"));
  for (const char* bad : {"2023-02-29 00:00:00", "2023-11-16", "2023-11-16 18:15", "2023-11-16 24:00:00",
                          "2023-11-16 18:15:46.", "2023-11-16 18:15:46 UTC", "1700158546", "", "2023-13-01 00:00:00"}) {
    INFO(bad);
    CHECK_FALSE(parse_trace_instant(bad));
  }
}

TEST_CASE("an Azure LLM trace replays its rows: times from the first row, tokens to sizes, a chosen class and tier",
          "[workload][trace][azure]") {
  const std::string trace = write("azure.csv", kAzure2023);
  const ConfigValue cv = toml("trace = \"" + trace + "\"\ntrace_class = \"text\"\ntrace_tier = \"paid\"\n"
                              "[[tiers]]\nname = \"free\"\nshare = 0.5\n[[tiers]]\nname = \"paid\"\nshare = 0.5\n" + kTextClass);
  const auto r = replay(cv, settings(1));
  const Capture& cap = r->cap;
  REQUIRE(cap.got.size() == 4);
  CHECK(cap.got[0].created == SimTime::zero());
  // 4.3145790 s after the first row, to the nanosecond (epoch seconds as doubles would be 0.2 µs off).
  CHECK(cap.got[1].created == SimTime::nanoseconds(4314579000));
  CHECK(cap.got[2].created == cap.got[1].created);
  CHECK(cap.got[3].created == SimTime::nanoseconds(16523034000));
  for (const Request& r : cap.got) {
    CHECK(r.cls == 0);
    CHECK(r.tier == 1);
  }
  CHECK(cap.got[0].size == Approx(44.0 / 600));  // GeneratedTokens over the class's reference (600)
  CHECK(cap.got[2].size == 1.0);
  CHECK(cap.got[3].size == Approx(1.0 / 600));
  std::filesystem::remove(trace);
}

TEST_CASE("an Azure trace aligned to the start, scaled and looped", "[workload][trace][azure]") {
  // Rows at 10 s, 20 s and 40 s after 2023-11-16 18:00:00Z; the run starts at 18:00:20.
  const std::string trace = write("azure2.csv",
                                  "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                                  "2023-11-16 18:00:10,10,600\n2023-11-16 18:00:20,10,600\n2023-11-16 18:00:40,10,600\n");
  const std::string tiers = "[[tiers]]\nname = \"all\"\nshare = 1\n";
  RunSettings rs = settings(1);
  rs.start_epoch = 1700157620;  // 2023-11-16T18:00:20Z
  rs.duration = SimTime::seconds(200);
  {  // start: the first row is before the start and skipped; the others at 0 s and 20 s, times 3.
    const ConfigValue cv = toml("trace = \"" + trace + "\"\ntrace_class = \"text\"\ntrace_align = \"start\"\n"
                                "trace_time_scale = 3\n" + tiers + kTextClass);
    const auto r = replay(cv, rs);
    const Capture& cap = r->cap;
    REQUIRE(cap.got.size() == 2);
    CHECK(cap.got[0].created == SimTime::zero());
    CHECK(cap.got[1].created == SimTime::seconds(60));
    CHECK(r->summary.number("workload.trace_rows_before_start") == 1);
  }
  {  // first_row, looped: rows at 0, 10, 30 s, period 30 + 15 = 45 s, until 200 s: 5 repetitions (the last in part).
    const ConfigValue cv = toml("trace = \"" + trace + "\"\ntrace_class = \"text\"\ntrace_loop = true\n" + tiers + kTextClass);
    const auto r = replay(cv, rs);
    std::vector<double> t;
    for (const Request& q : r->cap.got) t.push_back(q.created.to_seconds());
    CHECK(t == std::vector<double>{0, 10, 30, 45, 55, 75, 90, 100, 120, 135, 145, 165, 180, 190});
    CHECK(r->summary.number("workload.trace_repetitions") == 5);
    // The estimate counts the same rows, repetitions included (the run budget relies on it).
    CHECK(r->w->expected_requests(0, 0, 200) == Approx(14));
    CHECK(r->w->expected_requests(0, 0, 1e6) == Approx(3 * std::ceil(1e6 / 45.0)).margin(3));
  }
  std::filesystem::remove(trace);
}

TEST_CASE("an Azure trace without a tier draws each row's tier by share, the same way every run",
          "[workload][trace][azure]") {
  std::string text = "TIMESTAMP,ContextTokens,GeneratedTokens\n";
  for (int i = 0; i < 4000; ++i) text += "2024-05-10 00:" + std::to_string(10 + i / 100) + ":" + std::to_string(10 + (i % 100) / 2) + "." + std::to_string(i % 2) + "00000+00:00,100,200\n";
  const std::string trace = write("azure3.csv", text);
  const ConfigValue cv = toml("trace = \"" + trace + "\"\ntrace_class = \"text\"\n"
                              "[[tiers]]\nname = \"free\"\nshare = 0.9\n[[tiers]]\nname = \"paid\"\nshare = 0.1\n" + kTextClass);
  std::vector<std::uint8_t> first;
  for (int run_no = 0; run_no < 2; ++run_no) {
    const auto r = replay(cv, settings(1));
    const Capture& cap = r->cap;
    REQUIRE(cap.got.size() == 4000);
    std::vector<std::uint8_t> tiers;
    for (const Request& r : cap.got) tiers.push_back(r.tier);
    const double paid = static_cast<double>(std::count(tiers.begin(), tiers.end(), 1));
    CHECK(std::abs(paid - 400) < 4 * std::sqrt(4000 * 0.1 * 0.9));  // binomial, 4 sd
    if (run_no == 0) first = tiers;
    else CHECK(tiers == first);
  }
  std::filesystem::remove(trace);
}

TEST_CASE("bad Azure trace rows are reported at file:line before t = 0", "[workload][trace][azure]") {
  struct Bad {
    std::string rows;
    std::string expect;
  };
  const Bad cases[] = {
      {"2023-11-16 18:15:46.68,10,5\n2023-11-16 18:15:4x,10,5\n", ":3:1: error: column 'TIMESTAMP': expected a UTC date and time"},
      {"2023-11-16 18:15:46,-3,5\n", ":2:21: error: column 'ContextTokens': expected a whole number of tokens >= 0, found \"-3\""},
      {"2023-11-16 18:15:46,3,0\n", "column 'GeneratedTokens': expected a whole number of tokens >= 1, found \"0\""},
      {"2023-11-16 18:15:46,3,2.5\n", "column 'GeneratedTokens': expected a whole number"},
      {"2023-11-16 18:15:46,3,5\n2023-11-16 18:15:45.9,3,5\n", ":3:1: error: timestamps out of order"},
      {"2023-11-16 18:15:46,3\n", "expected 3 columns (TIMESTAMP,ContextTokens,GeneratedTokens), found 2"},
  };
  for (const Bad& b : cases) {
    const std::string trace = write("bad_azure.csv", std::string("TIMESTAMP,ContextTokens,GeneratedTokens\n") + b.rows);
    const ConfigValue cv = toml("trace = \"" + trace + "\"\ntrace_class = \"text\"\n[[tiers]]\nname = \"all\"\nshare = 1\n" +
                                kTextClass);
    RunSettings rs = settings(1);
    Run run(rs);
    INFO(b.rows);
    CHECK_THROWS_WITH(WorkloadModel(workload_params(cv), rs, run.engine().random()),
                      Catch::Contains(trace) && Catch::Contains(b.expect));
    std::filesystem::remove(trace);
  }
  // The scenario's side: a class that is not there, a class without a token size, keys of the other format.
  const std::string trace = write("ok_azure.csv", kAzure2023);
  const std::string tiers = "[[tiers]]\nname = \"all\"\nshare = 1\n";
  const std::pair<std::string, std::string> scen[] = {
      {"trace_class = \"txt\"\n" + tiers + kTextClass, "key 'workload.trace_class': expected the name of a class"},
      {"trace_class = \"image\"\n" + tiers + "[[classes]]\nname = \"image\"\n", "a class with a size.tokens factor"},
      {"trace_class = \"text\"\ntrace_tier = \"gold\"\n" + tiers + kTextClass, "key 'workload.trace_tier': expected the name of a tier"},
      {"trace_class = \"text\"\ntrace_format = \"dcsim\"\n" + tiers + kTextClass, "no 'trace_class' with a dcsim trace"},
      {tiers + kTextClass, "key 'workload.trace_class'"},
  };
  for (const auto& [extra, expect] : scen) {
    const ConfigValue cv = toml("trace = \"" + trace + "\"\n" + extra);
    RunSettings rs = settings(1);
    Run run(rs);
    INFO(extra);
    CHECK_THROWS_WITH(WorkloadModel(workload_params(cv), rs, run.engine().random()), Catch::Contains(expect));
  }
  std::filesystem::remove(trace);
}
