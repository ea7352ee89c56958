#include <catch2/catch.hpp>

#include "sim/core/time.hpp"

using namespace dcsim;
using namespace dcsim::literals;

TEST_CASE("unit constructors of simulation time agree with each other", "[time]") {
  CHECK(SimTime::seconds(1).ns() == 1'000'000'000);
  CHECK(SimTime::minutes(15) == SimTime::seconds(900));
  CHECK(SimTime::hours(2) == SimTime::minutes(120));
  CHECK(SimTime::days(7) == SimTime::hours(168));
  CHECK(SimTime::milliseconds(3) == SimTime::microseconds(3000));
  CHECK(90_s == 1_min + 30_s);
  CHECK(1_d / 1_h == 24);
  CHECK((7_d % 1_d) == SimTime::zero());
}

TEST_CASE("seconds convert to the nearest nanosecond and out-of-range times are refused", "[time]") {
  CHECK(SimTime::from_seconds(1.5).ns() == 1'500'000'000);
  CHECK(SimTime::from_seconds(1e-9).ns() == 1);
  CHECK(SimTime::from_seconds(0.4e-9).ns() == 0);
  CHECK(SimTime::from_seconds(-2.0).ns() == -2'000'000'000);
  CHECK(SimTime::from_seconds(86400.0 * 365 * 100) > SimTime::days(36500 - 1));
  CHECK_THROWS_AS(SimTime::from_seconds(1e10 * 3.2e7), std::out_of_range);
  CHECK_THROWS_AS(SimTime::from_seconds(std::nan("")), std::out_of_range);
}

TEST_CASE("the clock does not accumulate floating-point error", "[time]") {
  // 0.1 s is not representable in binary; ten million steps of it must still land exactly on 1e6 s.
  SimTime t = SimTime::zero();
  const SimTime step = SimTime::from_seconds(0.1);
  for (int i = 0; i < 10'000'000; ++i) t += step;
  CHECK(t == SimTime::seconds(1'000'000));
  double d = 0;
  for (int i = 0; i < 10'000'000; ++i) d += 0.1;
  CHECK(d != 1e6);  // what a double clock would have done
}

TEST_CASE("times render for people", "[time]") {
  CHECK(format_time(SimTime::nanoseconds(12)) == "12 ns");
  CHECK(format_time(SimTime::milliseconds(12)) == "12 ms");
  CHECK(format_time(SimTime::seconds(42)) == "42 s");
  CHECK(format_time(SimTime::hours(3) + SimTime::minutes(4) + SimTime::seconds(5)) == "03:04:05");
  CHECK(format_time(SimTime::days(2) + SimTime::hours(1)) == "2d 01:00:00");
}
