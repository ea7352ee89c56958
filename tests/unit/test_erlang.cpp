#include <catch2/catch.hpp>

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

TEST_CASE("Erlang B is stable for large server counts", "[erlang]") {
  CHECK(erlang_b(1, 1.0) == Approx(0.5));
  CHECK(erlang_b(20000, 19000.0) >= 0.0);
  CHECK(erlang_c(20000, 19000.0) < 1e-10);
}

TEST_CASE("Pollaczek-Khinchine gives the M/D/1 and M/M/1 waits", "[erlang]") {
  CHECK(mg1_mean_wait(0.8, 1.0, 0.0) == Approx(2.0));
  CHECK(mg1_mean_wait(0.8, 1.0, 1.0) == Approx(4.0));
}
