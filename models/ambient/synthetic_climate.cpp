// SyntheticClimate: sinusoidal dry bulb, humidity from one of three parameterisations, optional water body.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/ambient/climate_impl.hpp"
#include "models/ambient/psychrometrics.hpp"

namespace dcsim::ambient {

using detail::describe_cycle;
using detail::kNaN;
using detail::kTwoPi;
using detail::num;

SyntheticClimate::SyntheticClimate(SyntheticParams params, const Calendar& cal)
    : params_(std::move(params)), cal_(cal) {
  const auto require = [](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("synthetic climate: " + what);
  };
  const auto check_cycle = [&](const AnnualCycle& c, const std::string& what) {
    require(std::isfinite(c.mean), what + " mean must be finite");
    require(c.amplitude >= 0 && std::isfinite(c.amplitude), what + " annual amplitude must be >= 0");
    require(c.peak_day >= 0 && c.peak_day < 366, what + " annual peak day must be in [0, 366)");
  };
  const SyntheticParams& p = params_;
  check_cycle(p.dry_bulb_c, "dry bulb");
  require(p.diurnal_amplitude_k >= 0 && std::isfinite(p.diurnal_amplitude_k), "diurnal amplitude must be >= 0");
  require(p.diurnal_peak_hour_utc >= 0 && p.diurnal_peak_hour_utc < 24, "diurnal peak hour must be in [0, 24)");
  const double lo = p.dry_bulb_c.mean - p.dry_bulb_c.amplitude - p.diurnal_amplitude_k;
  const double hi = p.dry_bulb_c.mean + p.dry_bulb_c.amplitude + p.diurnal_amplitude_k;
  require(lo >= -90 && hi <= 60, "the dry bulb ranges over [" + num(lo) + ", " + num(hi) +
                                     "] degC, outside the supported [-90, 60] degC");
  require(p.pressure_pa >= 30e3 && p.pressure_pa <= 120e3, "pressure must be in [30, 120] kPa");
  switch (p.humidity) {
    case HumidityModel::relative_humidity:
      require(p.relative_humidity >= 0 && p.relative_humidity <= 1, "relative humidity must be in [0, 1]");
      break;
    case HumidityModel::wet_bulb_depression:
      require(p.wet_bulb_depression_k >= 0 && lo - p.wet_bulb_depression_k >= kMinPsychroTempC,
              "wet-bulb depression must be >= 0 and keep the wet bulb above -100 degC");
      break;
    case HumidityModel::dew_point:
      check_cycle(p.dew_point_c, "dew point");
      require(p.dew_point_c.mean - p.dew_point_c.amplitude >= -90, "the dew point must stay above -90 degC");
      break;
  }
  if (p.water_c) check_cycle(*p.water_c, "water");
}

double SyntheticClimate::dry_bulb_c(double t) const {
  return params_.dry_bulb_c.at(cal_.day_of_year(t)) +
         params_.diurnal_amplitude_k *
             std::cos(kTwoPi * (cal_.hour_utc(t) - params_.diurnal_peak_hour_utc) / 24.0);
}

std::pair<double, double> SyntheticClimate::humidity(double db, double day_of_year) const {
  const double p = params_.pressure_pa;
  switch (params_.humidity) {
    case HumidityModel::relative_humidity:
      return {wet_bulb_from_relative_humidity_c(db, params_.relative_humidity, p), params_.relative_humidity};
    case HumidityModel::wet_bulb_depression: {
      const double wb = db - params_.wet_bulb_depression_k;
      const double w = humidity_ratio_from_wet_bulb(db, wb, p);
      if (w <= 0) return {wet_bulb_from_humidity_ratio_c(db, 0.0, p), 0.0};
      return {wb, std::min(1.0, relative_humidity_from_humidity_ratio(db, w, p))};
    }
    case HumidityModel::dew_point: {
      const double dp = std::min(db, params_.dew_point_c.at(day_of_year));
      return {wet_bulb_from_dew_point_c(db, dp, p), std::min(1.0, relative_humidity_from_dew_point(db, dp))};
    }
  }
  return {db, 1.0};
}

AmbientState SyntheticClimate::at(double t) const {
  const double d = cal_.day_of_year(t);
  const double db = dry_bulb_c(t);
  const auto [wb, rh] = humidity(db, d);
  return {db, wb, rh, params_.water_c ? params_.water_c->at(d) : kNaN};
}

AmbientBounds SyntheticClimate::bounds() const {
  const SyntheticParams& p = params_;
  const double lo = p.dry_bulb_c.mean - p.dry_bulb_c.amplitude - p.diurnal_amplitude_k;
  const double hi = p.dry_bulb_c.mean + p.dry_bulb_c.amplitude + p.diurnal_amplitude_k;
  // The wet bulb rises with the dry bulb at constant φ, Δ or W, and with W at constant dry bulb.
  double wb_lo = 0, wb_hi = 0;
  switch (p.humidity) {
    case HumidityModel::relative_humidity:
      wb_lo = wet_bulb_from_relative_humidity_c(lo, p.relative_humidity, p.pressure_pa);
      wb_hi = wet_bulb_from_relative_humidity_c(hi, p.relative_humidity, p.pressure_pa);
      break;
    case HumidityModel::wet_bulb_depression:
      wb_lo = std::max(lo - p.wet_bulb_depression_k, wet_bulb_from_humidity_ratio_c(lo, 0.0, p.pressure_pa));
      wb_hi = std::max(hi - p.wet_bulb_depression_k, wet_bulb_from_humidity_ratio_c(hi, 0.0, p.pressure_pa));
      break;
    case HumidityModel::dew_point: {
      const double dp_lo = p.dew_point_c.mean - p.dew_point_c.amplitude;
      const double dp_hi = p.dew_point_c.mean + p.dew_point_c.amplitude;
      wb_lo = wet_bulb_from_dew_point_c(lo, std::min(lo, dp_lo), p.pressure_pa);
      wb_hi = wet_bulb_from_dew_point_c(hi, std::min(hi, dp_hi), p.pressure_pa);
      break;
    }
  }
  return {lo, hi, wb_lo, wb_hi};
}

std::string SyntheticClimate::describe() const {
  const SyntheticParams& p = params_;
  std::string s = "synthetic climate \"" + p.name + "\": " + describe_cycle(p.dry_bulb_c, "dry bulb") + ", diurnal +/- " +
                  num(p.diurnal_amplitude_k) + " K (peak at " + num(p.diurnal_peak_hour_utc) + " h UTC); ";
  switch (p.humidity) {
    case HumidityModel::relative_humidity: s += "relative humidity " + num(p.relative_humidity); break;
    case HumidityModel::wet_bulb_depression: s += "wet-bulb depression " + num(p.wet_bulb_depression_k) + " K"; break;
    case HumidityModel::dew_point: s += describe_cycle(p.dew_point_c, "dew point"); break;
  }
  s += "; pressure " + num(p.pressure_pa) + " Pa; ";
  s += p.water_c ? describe_cycle(*p.water_c, "water") : std::string("no water body");
  return s;
}

}  // namespace dcsim::ambient
