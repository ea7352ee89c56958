#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "models/queueing/erlang.hpp"

using namespace dcsim::queueing;

TEST_CASE("Erlang C reproduces the DOMAIN.md test vectors", "[erlang]") {
  CHECK(erlang_c(10, 8.0) == Approx(0.409180).epsilon(1e-5));
  CHECK(mmc_mean_wait(10, 8.0, 1.0) == Approx(0.204590).epsilon(1e-5));
  CHECK(erlang_c(100, 90.0) == Approx(0.216940).epsilon(1e-5));
  CHECK(mmc_mean_wait(100, 90.0, 1.0) == Approx(0.021694).epsilon(1e-4));
  CHECK(mmc_mean_wait(1, 0.8, 1.0) == Approx(4.0));
  CHECK(std::isinf(mmc_mean_wait(4, 4.0, 1.0)));
}

TEST_CASE("Erlang C scales with the time unit and saturates at or above full load", "[erlang]") {
  // The DOMAIN.md vector c = 10, λ = 8, μ = 1 on a time scale stretched 2.5 times: μ = 0.4 /s, λ = 3.2 /s.
  CHECK(mmc_mean_wait(10, 3.2, 0.4) == Approx(0.204590 * 2.5).epsilon(1e-5));
  CHECK(mmc_mean_wait(1, 0.32, 0.4) == Approx(4.0 * 2.5));
  CHECK(erlang_c(10, 10.0) == 1.0);
  CHECK(erlang_c(10, 13.0) == 1.0);
  CHECK(std::isinf(mmc_mean_wait(10, 4.0, 0.4)));
  CHECK(erlang_c(1, 0.8) == Approx(0.8));  // M/M/1: P(wait) = ρ
}

TEST_CASE("Erlang-A gives the birth-death chain's abandonment, waiting probability and wait", "[erlang]") {
  // Reference values from the chain's product form summed directly to n = 2000 (no logarithms).
  const ErlangA a = erlang_a(10, 10.0, 1.0, 0.5);
  CHECK(a.prob_abandon == Approx(0.10391321232630817).epsilon(1e-9));
  CHECK(a.prob_wait == Approx(0.6196552308840779).epsilon(1e-9));
  CHECK(a.mean_wait == Approx(0.20782642465261633).epsilon(1e-9));
  // The same system on a 2.5× longer time scale: probabilities unchanged, the wait 2.5× longer.
  const ErlangA s = erlang_a(10, 4.0, 0.4, 0.2);
  CHECK(s.prob_abandon == Approx(a.prob_abandon).epsilon(1e-9));
  CHECK(s.mean_wait == Approx(2.5 * a.mean_wait).epsilon(1e-9));
  // Patience as fast as service: N is Poisson(λ/μ) (the M/M/∞ count), so P(wait) = P(N >= c).
  const ErlangA m = erlang_a(5, 3.0, 1.0, 1.0);
  double below = 0, term = std::exp(-3.0);
  for (int n = 0; n < 5; ++n) {
    below += term;
    term *= 3.0 / (n + 1);
  }
  CHECK(m.prob_wait == Approx(1 - below).epsilon(1e-9));
  CHECK(erlang_a(5, 3.0, 1.0, 2.0).prob_abandon == Approx(0.060324671010637876).epsilon(1e-9));
  // One server works too (M/M/1+M); no server, or a rate that is not positive, is refused.
  const ErlangA one = erlang_a(1, 0.8, 1.0, 0.5);
  CHECK(one.prob_abandon == Approx(0.2559407020437067).epsilon(1e-9));
  CHECK(one.prob_wait == Approx(0.595247438365035).epsilon(1e-9));
  CHECK(one.mean_wait == Approx(0.5118814040874134).epsilon(1e-9));
  CHECK_THROWS_AS(erlang_a(0, 0.8, 1.0, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(erlang_a(1, 0.8, 1.0, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(erlang_a(1, 0.0, 1.0, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(erlang_a(1, 0.8, -1.0, 0.5), std::invalid_argument);
}

TEST_CASE("Erlang B is stable for large server counts", "[erlang]") {
  CHECK(erlang_b(1, 1.0) == Approx(0.5));
  CHECK(erlang_b(20000, 19000.0) >= 0.0);
  CHECK(erlang_c(20000, 19000.0) < 1e-10);
}

TEST_CASE("Pollaczek-Khinchine gives the M/D/1 and M/M/1 waits", "[erlang]") {
  CHECK(mg1_mean_wait(0.8, 1.0, 0.0) == Approx(2.0));
  CHECK(mg1_mean_wait(0.8, 1.0, 1.0) == Approx(4.0));
}
