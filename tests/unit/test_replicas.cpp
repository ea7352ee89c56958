// Confidence intervals over replicas (study/replicas), the selection of runs (study/run_set): against
// closed forms and values computed independently (scipy.stats), and the intervals' coverage measured over
// independent replications.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <random>
#include <vector>

#include "sim/study/replicas.hpp"
#include "sim/study/run_set.hpp"

using namespace dcsim;
using study::Interval;

TEST_CASE("the mean of replicas has Student's t interval, values that are not finite are left out", "[study][replicas]") {
  // scipy: mean 3.16, half-width t_{4, 0.975} s / sqrt(5) = 0.5238586147
  const std::vector<double> a = {3.1, 2.7, NAN, 3.8, 3.3, INFINITY, 2.9};
  const Interval i = study::mean_interval(a);
  CHECK(i.n == 5);
  CHECK(i.mean == Approx(3.16).epsilon(1e-12));
  CHECK(i.half_width == Approx(0.5238586147).epsilon(1e-8));
  CHECK(i.low() == Approx(3.16 - 0.5238586147).epsilon(1e-8));
  // Two replicas: df 1, exact (t = 12.706).
  const std::vector<double> two = {1.0, 2.0};
  CHECK(study::mean_interval(two).half_width == Approx(12.70620474 * std::sqrt(0.5) / std::sqrt(2.0)).epsilon(1e-8));
  // One value: a mean without an interval; none: neither.
  const std::vector<double> one = {4.0};
  CHECK(study::mean_interval(one).mean == 4.0);
  CHECK(std::isnan(study::mean_interval(one).half_width));
  CHECK(std::isnan(study::mean_interval(std::vector<double>{}).mean));
  CHECK_THROWS(study::mean_interval(a, 1.0));
}

TEST_CASE("paired differences pair replica k with replica k, Welch's interval serves independent streams", "[study][replicas]") {
  const std::vector<double> x = {1.0, 2.0, 4.0, 7.0}, y = {0.5, 1.0, 3.0, NAN};
  const Interval d = study::paired_difference(x, y);  // pairs 0..2 only; scipy: 0.8333, 0.7171087883 (df 2)
  CHECK(d.n == 3);
  CHECK(d.mean == Approx(0.8333333333).epsilon(1e-8));
  CHECK(d.half_width == Approx(0.7171087883).epsilon(1e-8));
  // A constant shift has a zero-width paired interval.
  const std::vector<double> z = {2.0, 3.0, 5.0, 8.0};
  CHECK(study::paired_difference(z, x).half_width == 0.0);
  CHECK(study::paired_difference(z, x).mean == 1.0);
  // Welch: scipy gives df 6.69 (rounded down to 6), difference 0.71, half-width 0.6764874186.
  const std::vector<double> a = {3.1, 2.7, 3.8, 3.3, 2.9}, b = {2.2, 2.5, 3.0, 2.1};
  const Interval w = study::unpaired_difference(a, b);
  CHECK(w.n == 4);
  CHECK(w.mean == Approx(0.71).epsilon(1e-12));
  CHECK(w.half_width == Approx(0.6764874186).epsilon(1e-8));
}

TEST_CASE("95 % intervals over replicas cover the true mean 95 % of the time, paired or not", "[study][replicas]") {
  // 10,000 independent replications of a 5-replica study: coverage is a binomial proportion, sd
  // sqrt(0.95 * 0.05 / 10000) = 0.0022; the tolerance is 4 sd (0.0087). The normal z instead of t (coverage
  // 87.8 %), a variance without Bessel's correction (93.2 %) or t with n instead of n - 1 degrees of
  // freedom (93.8 %) falls outside.
  std::mt19937_64 gen(20261203);
  std::normal_distribution<double> noise(0.0, 1.0);
  constexpr int kStudies = 10000;
  int mean_hits = 0, paired_hits = 0, welch_hits = 0;
  for (int s = 0; s < kStudies; ++s) {
    std::vector<double> base(5), other(5), indep(5);
    for (int k = 0; k < 5; ++k) {
      const double common = noise(gen) * 3.0;  // the shared part of replica k's streams
      base[k] = 10.0 + common + noise(gen);
      other[k] = 12.0 + common + noise(gen);
      indep[k] = 12.0 + noise(gen) * 2.0;
    }
    const Interval m = study::mean_interval(base);
    mean_hits += m.low() <= 10.0 && 10.0 <= m.high();
    const Interval p = study::paired_difference(other, base);
    paired_hits += p.low() <= 2.0 && 2.0 <= p.high();
    const Interval w = study::unpaired_difference(indep, other);
    welch_hits += w.low() <= 0.0 && 0.0 <= w.high();
  }
  const double tol = 4 * std::sqrt(0.95 * 0.05 / kStudies);
  CHECK(mean_hits / double(kStudies) == Approx(0.95).margin(tol));
  CHECK(paired_hits / double(kStudies) == Approx(0.95).margin(tol));
  // Welch's interval with rounded-down degrees of freedom is slightly conservative: at least 95 %.
  CHECK(welch_hits / double(kStudies) >= 0.95 - tol);
  CHECK(welch_hits / double(kStudies) <= 0.975);
}

TEST_CASE("precision targets are relative (2%) or absolute (0.5), and an interval of one value meets none", "[study][replicas]") {
  const study::PrecisionTarget r = study::parse_precision("serving.p99_s:2%");
  CHECK(r.metric == "serving.p99_s");
  CHECK(r.relative);
  CHECK(r.value == Approx(0.02));
  const study::PrecisionTarget a = study::parse_precision("facility.pue:0.01");
  CHECK_FALSE(a.relative);
  Interval i;
  i.n = 5;
  i.mean = 10;
  i.half_width = 0.19;
  CHECK(r.met_by(i));
  i.half_width = 0.21;
  CHECK_FALSE(r.met_by(i));
  i.n = 1;
  i.half_width = NAN;
  CHECK_FALSE(a.met_by(i));
  for (const char* bad : {"p99", "p99:", ":2%", "p99:abc", "p99:-1%", "p99:0", "p99:2%%"}) {
    INFO(bad);
    CHECK_THROWS_AS(study::parse_precision(bad), std::invalid_argument);
  }
}

TEST_CASE("a run selection takes indices and ranges (--runs), array tasks take strided shares that cover every run once", "[study][runs]") {
  CHECK(study::parse_run_set("0-3,7,2,9-9", 10) == std::vector<std::size_t>{0, 1, 2, 3, 7, 9});
  CHECK_THROWS_WITH(study::parse_run_set("0-10", 10), Catch::Contains("run 10 (in 0-10) does not exist: the sweep has 10 runs, 0-9"));
  CHECK_THROWS_WITH(study::parse_run_set("5-2", 10), Catch::Contains("runs backwards"));
  for (const char* bad : {"", "1,", "a", "1-", "-3", "1--2", "1 2"}) {
    INFO(bad);
    CHECK_THROWS_AS(study::parse_run_set(bad, 10), std::invalid_argument);
  }
  std::vector<int> seen(23, 0);
  for (std::size_t t = 0; t < 4; ++t) {
    const auto share = study::task_share(23, t, 4);
    CHECK(share.size() >= 5);
    CHECK(share.size() <= 6);
    for (std::size_t r : share) ++seen[r];
  }
  for (int c : seen) CHECK(c == 1);
  CHECK(study::task_share(3, 5, 8).empty());
}

TEST_CASE("the Slurm array task comes from SLURM_ARRAY_TASK_ID, _COUNT, _MIN and _STEP", "[study][runs]") {
  ::unsetenv("SLURM_ARRAY_TASK_STEP");
  ::setenv("SLURM_ARRAY_TASK_ID", "7", 1);
  ::setenv("SLURM_ARRAY_TASK_COUNT", "4", 1);
  ::setenv("SLURM_ARRAY_TASK_MIN", "5", 1);
  auto t = study::slurm_array_task();
  CHECK(t.task == 2);
  CHECK(t.tasks == 4);
  ::setenv("SLURM_ARRAY_TASK_STEP", "2", 1);
  ::setenv("SLURM_ARRAY_TASK_ID", "11", 1);
  t = study::slurm_array_task();
  CHECK(t.task == 3);
  ::setenv("SLURM_ARRAY_TASK_ID", "13", 1);
  CHECK_THROWS_WITH(study::slurm_array_task(), Catch::Contains("task 13 is not one of the 4 tasks"));
  ::setenv("SLURM_ARRAY_TASK_ID", "x1", 1);
  CHECK_THROWS_WITH(study::slurm_array_task(), Catch::Contains("SLURM_ARRAY_TASK_ID is x1, expected an integer"));
  ::unsetenv("SLURM_ARRAY_TASK_ID");
  CHECK_THROWS_WITH(study::slurm_array_task(), Catch::Contains("SLURM_ARRAY_TASK_ID is not set"));
  for (const char* v : {"SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_STEP"}) ::unsetenv(v);
}
