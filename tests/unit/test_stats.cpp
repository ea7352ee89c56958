#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/stats.hpp"

using namespace dcsim;
using namespace dcsim::literals;

TEST_CASE("a tally's mean and variance match the direct formulas, also after merging", "[stats]") {
  const std::vector<double> x = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
  Tally all, a, b;
  double sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    all.add(x[i]);
    (i < 4 ? a : b).add(x[i]);
    sum += x[i];
  }
  const double mean = sum / static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  CHECK(all.mean() == Approx(mean));
  CHECK(all.variance() == Approx(ss / static_cast<double>(x.size() - 1)));
  CHECK(all.min() == 1);
  CHECK(all.max() == 9);
  a.merge(b);
  CHECK(a.count() == x.size());
  CHECK(a.mean() == Approx(mean));
  CHECK(a.variance() == Approx(all.variance()));
}

TEST_CASE("a time-weighted value integrates a step function exactly", "[stats]") {
  TimeWeighted q(0.0);
  TimeWindow w;
  q.set(10_s, 2);  // 0 over [0, 10)
  w.open(q, 12_s);
  q.set(15_s, 5);  // 2 over [10, 15)
  CHECK(w.mean(q, 20_s) == Approx((2 * 3 + 5 * 5) / 8.0));
  q.add(20_s, -4);  // 5 over [15, 20), then 1
  CHECK(q.integral(30_s) == Approx(0 + 2 * 5 + 5 * 5 + 1 * 10));
  CHECK(q.max() == 5);
}

namespace {
// Exact nearest-rank quantile of sorted data.
double exact_quantile(const std::vector<double>& sorted, double q) {
  const auto r = static_cast<std::size_t>(std::max(1.0, std::ceil(q * static_cast<double>(sorted.size()))));
  return sorted[r - 1];
}
}  // namespace

TEST_CASE("histogram quantiles are within the documented 0.4 % of the exact order statistics", "[stats]") {
  const auto kind = GENERATE(0, 1, 2, 3);
  const auto n = GENERATE(100, 10'000, 1'000'000);
  Rng r(static_cast<std::uint64_t>(kind * 10 + n));
  std::vector<double> x(static_cast<std::size_t>(n));
  for (auto& v : x) {
    switch (kind) {
      case 0: v = r.exponential(1.0 / 11.6); break;                 // service times, seconds
      case 1: v = r.lognormal(std::log(0.2), 1.5); break;           // heavy right tail
      case 2: v = 1e-3 * std::pow(r.uniform_pos(), -1.0 / 1.5); break;  // Pareto, alpha 1.5
      default: v = r.uniform(5.0, 6.0); break;                      // narrow
    }
  }
  Histogram h;
  for (double v : x) h.record(v);
  std::sort(x.begin(), x.end());
  for (const double q : {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999}) {
    const double exact = exact_quantile(x, q);
    const double est = h.quantile(q);
    INFO("kind " << kind << ", n " << n << ", q " << q << ": exact " << exact << ", histogram " << est);
    // The estimate is the middle of the bucket holding the order statistic: a bucket spans 1/128 of its
    // octave's lower edge, so the error is at most half that, 1/256 (0.39 %) of the value.
    CHECK(std::abs(est - exact) <= exact / 256 * (1 + 1e-12));
  }
  CHECK(h.quantile(1.0) == x.back());
  CHECK(h.quantile(0.0) == x.front());
  CHECK(h.count() == x.size());
}

TEST_CASE("a quantile is the middle of the bucket holding the order statistic", "[stats]") {
  // Two observations in different octaves, so that the clamp to [min, max] cannot hide the bucket maths.
  // 1.0 opens the bucket [1, 1 + 1/128); 3.3 lies in [3.296875, 3.3125) of the octave [2, 4).
  // Observations beyond both ends keep the clamp to [min, max] out of the way.
  Histogram h;
  h.record(1.0);
  h.record(3.3);
  h.record(100.0);
  CHECK(h.quantile(0.3) == 1.0 + 1.0 / 256);
  CHECK(h.quantile(0.5) == 3.296875 + 1.0 / 128);
  // 1/3 is in the octave [0.25, 0.5), buckets 1/512 wide: [0.33203125, 0.333984375). A value just below a
  // power of two sits in the top bucket of the octave below: [2 − 1/128, 2).
  Histogram g;
  g.record(0.01);
  g.record(1.0 / 3);
  g.record(1.999);
  g.record(50.0);
  CHECK(g.quantile(0.5) == 0.33203125 + 1.0 / 1024);
  CHECK(g.quantile(0.75) == 2.0 - 1.0 / 256);
}

TEST_CASE("histograms merge, reset and report values outside their range exactly", "[stats]") {
  Histogram a(1e-3, 10), b(1e-3, 10);
  a.record(0.0);   // underflow: reported as the exact minimum
  a.record(0.5);
  b.record(2.0);
  b.record(1e6);   // overflow: reported as the exact maximum
  a.merge(b);
  CHECK(a.count() == 4);
  CHECK(a.quantile(0.25) == 0.0);
  CHECK(a.quantile(1.0) == 1e6);
  CHECK(a.quantile(0.5) == Approx(0.5).epsilon(0.01));
  a.reset();
  CHECK(a.count() == 0);
  CHECK(std::isnan(a.quantile(0.5)));
  Histogram other(1e-6, 1);
  CHECK_THROWS(a.merge(other));
  // The range must be 0 < lo < hi < inf: an empty range is refused, the narrowest non-empty one is not.
  CHECK_THROWS_AS(Histogram(1.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Histogram(0.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Histogram(2.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Histogram(1.0, std::numeric_limits<double>::infinity()), std::invalid_argument);
  CHECK_NOTHROW(Histogram(1.0, 1.0 + 1e-9));
}

TEST_CASE("an interval histogram keeps the interval and the measured span apart", "[stats]") {
  IntervalHistogram h;
  h.record(1.0);
  h.reset_total();  // end of warm-up: the interval keeps its observation
  h.record(3.0);
  CHECK(h.interval().count() == 2);
  CHECK(h.total().count() == 1);
  h.roll();
  CHECK(h.interval().count() == 0);
  CHECK(h.total().quantile(0.5) == Approx(3.0).epsilon(0.005));
}

TEST_CASE("Student t quantiles match the tables", "[stats]") {
  CHECK(student_t_quantile(0.975, 10) == Approx(2.228).epsilon(1e-3));
  CHECK(student_t_quantile(0.975, 31) == Approx(2.040).epsilon(1e-3));
  CHECK(student_t_quantile(0.975, 1e6) == Approx(1.960).epsilon(1e-3));
  CHECK(student_t_quantile(0.995, 20) == Approx(2.845).epsilon(1e-3));
}

TEST_CASE("Student t quantiles are exact to 1e-8 from one degree of freedom up, tails included", "[stats]") {
  // Exact quantiles (scipy.stats.t.ppf). df 1 and 2 have closed forms; above, Hill's series (off by up to
  // 3e-3 in the tails at df 7) is refined by Newton steps on the exact distribution function, so a wrong
  // incomplete beta, density or closed form is caught at 1e-8.
  struct Row {
    double p, df, exact, rel_tol;
  };
  const std::vector<Row> rows = {
      {0.975, 1, 12.70620474, 1e-08},  // df 1 and 2: closed forms (means of two or three replicas)
      {0.9, 1, 3.077683537, 1e-08},
      {0.025, 1, -12.70620474, 1e-08},
      {0.975, 2, 4.302652730, 1e-08},
      {0.995, 2, 9.924843201, 1e-08},
      {0.05, 2, -2.919985580, 1e-08},
      {0.975, 3, 3.182446305, 1e-08},
      {0.975, 4, 2.776445105, 1e-08},
      {0.9, 7, 1.414923928, 1e-08},
      {0.975, 7, 2.364624251, 1e-08},
      {0.995, 7, 3.499483297, 1e-08},
      {0.9995, 7, 5.407882521, 1e-08},
      {0.01, 7, -2.997951567, 1e-08},
      {0.001, 7, -4.785289629, 1e-08},
      {0.9, 10, 1.372183641, 1e-08},
      {0.975, 10, 2.228138852, 1e-08},
      {0.995, 10, 3.169272667, 1e-08},
      {0.9995, 10, 4.586893859, 1e-08},
      {0.01, 10, -2.763769457, 1e-08},
      {0.001, 10, -4.143700494, 1e-08},
      {0.9, 30, 1.310415023, 1e-08},
      {0.975, 30, 2.042272456, 1e-08},
      {0.995, 30, 2.749995654, 1e-08},
      {0.9995, 30, 3.645958635, 1e-08},
      {0.01, 30, -2.457261542, 1e-08},
      {0.001, 30, -3.385184867, 1e-08},
      {0.9, 100, 1.290074761, 1e-08},
      {0.975, 100, 1.983971518, 1e-08},
      {0.995, 100, 2.625890521, 1e-08},
      {0.9995, 100, 3.390491319, 1e-08},
      {0.01, 100, -2.364217366, 1e-08},
      {0.001, 100, -3.173739489, 1e-08},
      {0.9, 1e6, 1.281552412, 1e-08},
      {0.975, 1e6, 1.959966357, 1e-08},
      {0.995, 1e6, 2.575834220, 1e-08},
      {0.9995, 1e6, 3.290536461, 1e-08},
      {0.01, 1e6, -2.326351603, 1e-08},
      {0.001, 1e6, -3.090240456, 1e-08},
  };
  for (const Row& r : rows) {
    INFO("p " << r.p << ", df " << r.df);
    CHECK(student_t_quantile(r.p, r.df) == Approx(r.exact).epsilon(r.rel_tol));
  }
  CHECK_THROWS(student_t_quantile(0.975, 0.5));
  CHECK_THROWS(student_t_quantile(1.0, 5));
}

TEST_CASE("batch-means confidence intervals cover the true mean about 95 % of the time", "[stats]") {
  // 400 replications of an AR(1) process with known mean 0: the 95 % intervals should miss ~20 times;
  // a binomial(400, 0.05) lies in [7, 35] with probability > 0.999.
  Rng r(77);
  int misses = 0;
  for (int rep = 0; rep < 400; ++rep) {
    BatchMeans bm(1000);
    double x = 0;
    for (int i = 0; i < 32'000; ++i) {
      x = 0.9 * x + r.normal();
      bm.add(x);
    }
    if (std::abs(bm.mean()) > bm.half_width()) ++misses;
  }
  CHECK(misses >= 7);
  CHECK(misses <= 35);
}
