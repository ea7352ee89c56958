// Arrhenius temperature acceleration of a failure rate (NIST/SEMATECH e-Handbook of Statistical Methods
// §8.1.5.1; DOMAIN.md §6):
//   AF(T) = λ(T) / λ(T_ref) = exp[(E_a / k) (1/T_ref − 1/T)],  temperatures in kelvin,
// with Boltzmann's constant k = 8.617333262e-5 eV/K (exact since the 2019 SI; the Handbook rounds it to
// 8.617e-5). AF > 1 above T_ref. From 50 to 60 °C: 1.38, 1.71, 2.13, 2.94 for E_a = 0.3, 0.5, 0.7, 1.0 eV.
// Default E_a 0.5 eV is a convention (DOMAIN.md §10, L); field data (El-Sayed et al. 2012, Schroeder et al.
// 2009) show far weaker temperature effects than a strong exponential, so treat E_a as a parameter.
#pragma once

namespace dcsim::reliability {

inline constexpr double kBoltzmannEvPerK = 8.617333262e-5;

// Acceleration factor at temperature_c relative to reference_c (°C), activation energy in eV.
double arrhenius_factor(double activation_energy_ev, double reference_c, double temperature_c) noexcept;

}  // namespace dcsim::reliability
