#include <catch2/catch.hpp>

#include <cmath>

#include "models/reliability/arrhenius.hpp"

using namespace dcsim::reliability;

TEST_CASE("going from 50 to 60 degC accelerates failures by DOMAIN.md's Arrhenius factors", "[arrhenius]") {
  // DOMAIN.md §6 states the factors to three digits: half a unit of the last digit is 0.005.
  CHECK(arrhenius_factor(0.3, 50.0, 60.0) == Approx(1.38).margin(0.005));
  CHECK(arrhenius_factor(0.5, 50.0, 60.0) == Approx(1.71).margin(0.005));
  CHECK(arrhenius_factor(0.7, 50.0, 60.0) == Approx(2.13).margin(0.005));
  CHECK(arrhenius_factor(1.0, 50.0, 60.0) == Approx(2.94).margin(0.005));
}

TEST_CASE("the Arrhenius factor is 1 at the reference and reciprocal when the temperatures swap", "[arrhenius]") {
  CHECK(arrhenius_factor(0.5, 45.0, 45.0) == 1.0);
  CHECK(arrhenius_factor(0.5, 60.0, 50.0) == Approx(1.0 / arrhenius_factor(0.5, 50.0, 60.0)).epsilon(1e-12));
  CHECK(arrhenius_factor(0.0, 20.0, 90.0) == 1.0);
}

TEST_CASE("an activation energy of about 0.64 eV doubles the rate for 10 K near 55 degC", "[arrhenius]") {
  // DOMAIN.md §6: the "10 degC doubles the rate" rule. Solve for E_a at 50 -> 60 degC and check 0.64 to the
  // two digits stated.
  const double ea = std::log(2.0) / std::log(arrhenius_factor(1.0, 50.0, 60.0));
  CHECK(ea == Approx(0.64).margin(0.005));
}
