#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/stats.hpp"

using namespace dcsim;

TEST_CASE("random streams are pinned by golden values", "[random]") {
  // If one of these changes, every run's results change: that is a breaking change, not a refactor.
  const RandomStreams streams(42, 0);
  CHECK(stable_hash("workload.arrivals") == 0xdc6ec37242b916ffULL);
  Rng a = streams.stream("workload.arrivals");
  CHECK(a.next_u64() == 0x397d31a3f998c95cULL);
  CHECK(a.next_u64() == 0xfce3ef1416476216ULL);
  Rng b = streams.stream("workload.arrivals");
  CHECK(b.exponential(2.0) == 0.74679157303882848);
  Rng c = streams.stream("g");
  CHECK(c.normal() == 0.48067279435258459);
  CHECK(c.gamma(2.5, 1.0) == 3.0350030716232648);
  CHECK(Distribution::lognormal(11.6, 0.3).sample(c) == 7.2720330973851066);
  CHECK(c.poisson(40) == 28);
}

TEST_CASE("a stream's draws depend only on seed, run index and its own name", "[random]") {
  const RandomStreams s1(7, 3);
  Rng x = s1.stream("serving.service");
  std::vector<std::uint64_t> alone(100);
  for (auto& v : alone) v = x.next_u64();
  // Creating and using other streams in between changes nothing.
  const RandomStreams s2(7, 3);
  Rng other = s2.stream("thermal.noise");
  for (int i = 0; i < 1000; ++i) other.next_u64();
  Rng y = s2.stream("serving.service");
  for (int i = 0; i < 100; ++i) REQUIRE(y.next_u64() == alone[static_cast<std::size_t>(i)]);
  // Any change of seed, run index or name gives another stream.
  CHECK(RandomStreams(8, 3).stream("serving.service").next_u64() != alone[0]);
  CHECK(RandomStreams(7, 4).stream("serving.service").next_u64() != alone[0]);
  CHECK(RandomStreams(7, 3).stream("serving.servicf").next_u64() != alone[0]);
}

TEST_CASE("streams with nearby names are uncorrelated", "[random]") {
  // The sample correlation of n independent uniforms has sd 1/sqrt(n); allow 4 sd.
  const RandomStreams s(1, 0);
  const int n = 200'000;
  for (const char* other : {"site1.arrivals", "site0.arrival", "site0.arrivals2"}) {
    Rng a = s.stream("site0.arrivals");
    Rng b = s.stream(other);
    double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < n; ++i) {
      const double u = a.uniform(), v = b.uniform();
      sa += u;
      sb += v;
      sab += u * v;
      saa += u * u;
      sbb += v * v;
    }
    const double cov = sab / n - (sa / n) * (sb / n);
    const double r = cov / std::sqrt((saa / n - sa * sa / n / n) * (sbb / n - sb * sb / n / n));
    CHECK(std::abs(r) < 4.0 / std::sqrt(static_cast<double>(n)));
  }
}

namespace {
// Mean and variance of n draws, checked against theory with a tolerance of 5 standard errors.
template <class F>
void check_moments(F draw, double mean, double var, int n = 400'000) {
  Tally t;
  for (int i = 0; i < n; ++i) t.add(draw());
  const double se_mean = std::sqrt(var / n);
  CHECK(std::abs(t.mean() - mean) <= 5 * se_mean + 1e-12);
  // Var of the sample variance ≈ (μ4 - σ^4)/n; use a generous 5·σ²·sqrt(8/n) bound (kurtosis ≤ 9).
  CHECK(std::abs(t.variance() - var) <= 5 * var * std::sqrt(8.0 / n) + 1e-12);
}
}  // namespace

TEST_CASE("distributions have the moments they promise", "[random]") {
  Rng r(11);
  SECTION("exponential") { check_moments([&] { return r.exponential(4.0); }, 0.25, 0.0625); }
  SECTION("exponential by mean, through Distribution, at a mean that is not its rate") {
    // A mean of 3.7 s is a rate of 0.27 /s: a mix-up of the two is a factor 13.7 in the mean.
    const Distribution d = Distribution::exponential(3.7);
    CHECK(d.mean() == 3.7);
    CHECK(d.variance() == Approx(3.7 * 3.7));
    check_moments([&] { return d.sample(r); }, 3.7, 3.7 * 3.7);
    check_moments([&] { return Distribution::exponential(0.08).sample(r); }, 0.08, 0.0064);
  }
  SECTION("gamma and lognormal at means far from 1") {
    const Distribution g = Distribution::gamma(7.3, 0.5);
    check_moments([&] { return g.sample(r); }, 7.3, std::pow(0.5 * 7.3, 2));
    const Distribution l = Distribution::lognormal(0.042, 1.2);
    check_moments([&] { return l.sample(r); }, 0.042, std::pow(1.2 * 0.042, 2), 2'000'000);
  }
  SECTION("normal") { check_moments([&] { return r.normal(3.0, 2.0); }, 3.0, 4.0); }
  SECTION("lognormal by mean and cv") {
    const Distribution d = Distribution::lognormal(11.6, 0.3);
    check_moments([&] { return d.sample(r); }, 11.6, std::pow(0.3 * 11.6, 2));
  }
  SECTION("gamma by mean and cv, including cv > 1") {
    const Distribution d = Distribution::gamma(2.0, 0.5);
    check_moments([&] { return d.sample(r); }, 2.0, 1.0);
    const Distribution e = Distribution::gamma(1.0, 2.0);  // shape 0.25
    check_moments([&] { return e.sample(r); }, 1.0, 4.0, 2'000'000);
  }
  SECTION("uniform") {
    const Distribution d = Distribution::uniform(2, 5);
    check_moments([&] { return d.sample(r); }, 3.5, 0.75);
  }
  SECTION("poisson, small and large means") {
    check_moments([&] { return static_cast<double>(r.poisson(3.5)); }, 3.5, 3.5);
    check_moments([&] { return static_cast<double>(r.poisson(250.0)); }, 250.0, 250.0);
  }
  SECTION("table (piecewise-linear CDF)") {
    const Distribution d = Distribution::table({0, 1, 3}, {0, 0.5, 1});
    CHECK(d.mean() == Approx(0.25 + 1.0));
    check_moments([&] { return d.sample(r); }, d.mean(), d.variance());
  }
}

TEST_CASE("deterministic draws are exact and scaled distributions keep their shape", "[random]") {
  Rng r(1);
  const Distribution d = Distribution::deterministic(11.6);
  CHECK(d.sample(r) == 11.6);
  CHECK(d.scv() == 0.0);
  const Distribution l = Distribution::lognormal(2.0, 0.4).scaled(3.0);
  CHECK(l.mean() == Approx(6.0));
  CHECK(std::sqrt(l.scv()) == Approx(0.4));
  CHECK(Distribution::exponential(5.0).scv() == Approx(1.0));
}

TEST_CASE("the alias table draws each value with its probability (chi-square)", "[random]") {
  const std::vector<double> w = {1, 2, 3, 4, 0, 10};
  const Distribution d = Distribution::empirical({10, 20, 30, 40, 50, 60}, w);
  Rng r(5);
  const int n = 200'000;
  std::vector<int> counts(6, 0);
  for (int i = 0; i < n; ++i) counts[static_cast<std::size_t>(d.sample(r) / 10 - 1)]++;
  CHECK(counts[4] == 0);  // weight 0: never
  // Mean and variance of the weighted values, exactly: 45, and E[X²] − 45² = 2300 − 2025 = 275.
  CHECK(d.mean() == Approx(45.0).epsilon(1e-12));
  CHECK(d.variance() == Approx(275.0).epsilon(1e-12));
  double chi2 = 0;
  for (std::size_t i = 0; i < 6; ++i) {
    if (w[i] == 0) continue;
    const double e = n * w[i] / 20.0;
    chi2 += (counts[i] - e) * (counts[i] - e) / e;
  }
  CHECK(chi2 < 20.5);  // 99.9th percentile of chi-square with 4 degrees of freedom: 18.47
}

TEST_CASE("exponential inter-arrival times pass a Kolmogorov-Smirnov test", "[random]") {
  Rng r(9);
  const int n = 20'000;
  std::vector<double> x(n);
  for (auto& v : x) v = r.exponential(2.0);
  std::sort(x.begin(), x.end());
  double dmax = 0;
  for (int i = 0; i < n; ++i) {
    const double f = 1 - std::exp(-2.0 * x[static_cast<std::size_t>(i)]);
    dmax = std::max({dmax, std::abs(f - static_cast<double>(i) / n), std::abs(f - static_cast<double>(i + 1) / n)});
  }
  CHECK(dmax < 1.63 / std::sqrt(static_cast<double>(n)));  // 1 % critical value
}

TEST_CASE("ziggurat normals pass a Kolmogorov-Smirnov test, tails included", "[random]") {
  Rng r(13);
  const int n = 400'000;
  std::vector<double> x(n);
  for (auto& v : x) v = r.normal();
  std::sort(x.begin(), x.end());
  double dmax = 0;
  for (int i = 0; i < n; ++i) {
    const double f = 0.5 * std::erfc(-x[static_cast<std::size_t>(i)] / std::sqrt(2.0));
    dmax = std::max({dmax, std::abs(f - static_cast<double>(i) / n), std::abs(f - static_cast<double>(i + 1) / n)});
  }
  CHECK(dmax < 1.63 / std::sqrt(static_cast<double>(n)));
  // Beyond the ziggurat's base r = 3.44: P(|Z| > 3.44) = 5.77e-4, so ~231 ± 15 of 400,000.
  const auto tail = std::count_if(x.begin(), x.end(), [](double v) { return std::abs(v) > 3.442619855899; });
  CHECK(std::abs(static_cast<double>(tail) - 230.8) < 4.5 * std::sqrt(230.8));
}

TEST_CASE("bounded integers are unbiased", "[random]") {
  Rng r(2);
  std::vector<int> c(3, 0);
  for (int i = 0; i < 300'000; ++i) c[r.below(3)]++;
  for (int v : c) CHECK(std::abs(v - 100'000) < 5 * std::sqrt(300'000 * (1.0 / 3) * (2.0 / 3)));
  // A bound just above 2^63 rejects about half of the raw draws (Lemire's loop runs often): the draws stay
  // below the bound and uniform (mean n/2, sd n/√12 per draw).
  const std::uint64_t n = (std::uint64_t{1} << 63) + 12345;
  double sum = 0;
  const int k = 100'000;
  for (int i = 0; i < k; ++i) {
    const std::uint64_t x = r.below(n);
    REQUIRE(x < n);
    sum += static_cast<double>(x) / static_cast<double>(n);
  }
  CHECK(sum / k == Approx(0.5).margin(4 / std::sqrt(12.0 * k)));
}
