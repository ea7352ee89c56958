#include "models/reliability/arrhenius.hpp"

#include <cmath>

namespace dcsim::reliability {

double arrhenius_factor(double activation_energy_ev, double reference_c, double temperature_c) noexcept {
  constexpr double kZeroCelsiusK = 273.15;
  const double t_ref_k = reference_c + kZeroCelsiusK;
  const double t_k = temperature_c + kZeroCelsiusK;
  return std::exp(activation_energy_ev / kBoltzmannEvPerK * (1.0 / t_ref_k - 1.0 / t_k));
}

}  // namespace dcsim::reliability
