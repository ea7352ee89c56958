// Psychrometrics of moist air: the relations between dry-bulb, wet-bulb and dew-point temperature,
// relative humidity, humidity ratio and pressure that the climate models and the cooling plant need.
//
// Units: temperatures in °C, pressures in Pa, humidity ratio W in kg of water per kg of dry air,
// relative humidity φ as a fraction in [0, 1].
//
// Equations (ASHRAE Handbook – Fundamentals 2017, SI edition, ch. 1 "Psychrometrics"; the same equations
// as PsychroLib, Meyer & Thevenard, JOSS 2019):
//   Saturation vapour pressure, Hyland & Wexler (1983), T = t + 273.15 K:
//     over ice,   −100 ≤ t < 0 °C (eq. 5):  ln p_ws = C1/T + C2 + C3 T + C4 T² + C5 T³ + C6 T⁴ + C7 ln T
//     over water,    0 ≤ t ≤ 200 °C (eq. 6): ln p_ws = C8/T + C9 + C10 T + C11 T² + C12 T³ + C13 ln T
//     ASHRAE states agreement with its Table 3 (IAPWS-based) within 300 ppm over −100…200 °C.
//   Humidity ratio (eq. 20, 22):     W = 0.621945 p_w / (p − p_w)
//   Relative humidity (eq. 24):      φ = p_w / p_ws(t)
//   Dew point (eq. 36 inverted):     p_ws(t_d) = p_w, solved numerically (p_ws is strictly increasing)
//   Psychrometric equation, thermodynamic wet bulb t* (eq. 33 for t* ≥ 0, eq. 35 for t* < 0), with
//   W*_s = W at saturation at t* and p:
//     W = ((2501 − 2.326 t*) W*_s − 1.006 (t − t*)) / (2501 + 1.86 t − 4.186 t*)
//     W = ((2830 − 0.24 t*) W*_s − 1.006 (t − t*)) / (2830 + 1.86 t − 2.1 t*)
//   W(t*) increases strictly with t*, so t* is found in the bracket [−100 °C, t] by Newton's method with
//   the analytic derivative (d ln p_ws/dT from eq. 5/6), falling back to bisection whenever a step would
//   leave the bracket, to 1e-9 K. The dew point is found the same way on ln p_ws.
//   Standard atmosphere (eq. 3):     p = 101325 (1 − 2.25577e−5 Z)^5.2559, Z in m
//
// Conventions and limits:
// - Below 0 °C saturation is taken over ice (the ASHRAE convention, so "dew point" below 0 °C is the frost
//   point). Meteorological records follow the WMO and report humidity over water; the difference in
//   vapour pressure reaches ~10 % at −10 °C but changes the wet bulb there by less than 0.1 K.
// - Temperatures must lie in [−100, 200] °C and p_w must stay below p; anything else throws
//   std::domain_error (a programming error or absurd input, not a condition of a real climate).
#pragma once

namespace dcsim::ambient {

inline constexpr double kStandardPressurePa = 101325.0;  // sea-level standard atmosphere
inline constexpr double kMinPsychroTempC = -100.0;        // validity range of the Hyland–Wexler equations
inline constexpr double kMaxPsychroTempC = 200.0;

// p_ws over water (supercooled below 0 °C) and over ice, Pa.
double saturation_vapour_pressure_water_pa(double t_c);
double saturation_vapour_pressure_ice_pa(double t_c);
// p_ws over ice below 0 °C and over water from 0 °C (ASHRAE), Pa.
double saturation_vapour_pressure_pa(double t_c);

// W from the partial pressure of water vapour, and back.
double humidity_ratio(double vapour_pressure_pa, double pressure_pa);
double vapour_pressure_from_humidity_ratio_pa(double humidity_ratio, double pressure_pa);

// p_w = p_ws(t_d), and its exact inverse.
double vapour_pressure_from_dew_point_pa(double dew_point_c);
double dew_point_from_vapour_pressure_c(double vapour_pressure_pa);

// φ ↔ t_d at a given dry bulb (φ = 0 has no dew point: dew_point_from_relative_humidity_c throws).
double relative_humidity_from_dew_point(double dry_bulb_c, double dew_point_c);
double dew_point_from_relative_humidity_c(double dry_bulb_c, double relative_humidity);
double relative_humidity_from_humidity_ratio(double dry_bulb_c, double humidity_ratio, double pressure_pa);

// The psychrometric equation: W of air at t with thermodynamic wet bulb t* (t* ≤ t). Negative when t* is
// below the wet bulb of perfectly dry air at t (no real air has that wet bulb).
double humidity_ratio_from_wet_bulb(double dry_bulb_c, double wet_bulb_c, double pressure_pa);

// Thermodynamic wet bulb t* solving the psychrometric equation, to 1e-9 K.
double wet_bulb_from_humidity_ratio_c(double dry_bulb_c, double humidity_ratio, double pressure_pa);
double wet_bulb_from_dew_point_c(double dry_bulb_c, double dew_point_c, double pressure_pa);
double wet_bulb_from_relative_humidity_c(double dry_bulb_c, double relative_humidity, double pressure_pa);
double relative_humidity_from_wet_bulb(double dry_bulb_c, double wet_bulb_c, double pressure_pa);

// Pressure of the standard atmosphere at an elevation above sea level, Pa (valid below ~11 km).
double standard_pressure_pa(double elevation_m);

}  // namespace dcsim::ambient
