#include "models/cooling/equipment.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace dcsim::cooling {

double biquadratic(const std::array<double, 6>& c, double x, double y) noexcept {
  return c[0] + c[1] * x + c[2] * x * x + c[3] * y + c[4] * y * y + c[5] * x * y;
}

ChillerCurve doe2_centrifugal_5_50cop(double capacity_ref_w) {
  if (!(capacity_ref_w > 0) || !std::isfinite(capacity_ref_w)) {
    throw std::invalid_argument("doe2_centrifugal_5_50cop: the reference capacity must be a finite power > 0 W");
  }
  ChillerCurve c;
  c.capft = {0.257896, 0.0389016, -2.1708e-4, 0.0468684, -9.4284e-4, -3.4344e-4};
  c.eirft = {0.933884, -0.058212, 4.50036e-3, 2.43e-3, 4.86e-4, -1.215e-3};
  c.eirfplr = {0.222903, 0.313387, 0.463710};
  c.cop_ref = 5.5;
  c.capacity_ref_w = capacity_ref_w;
  c.chw_leaving_ref_c = 6.67;
  c.cw_entering_ref_c = 29.4;
  c.chw_leaving_min_c = 5.0;
  c.chw_leaving_max_c = 10.0;
  c.cw_entering_min_c = 24.0;
  c.cw_entering_max_c = 35.0;
  c.plr_min = 0.1;
  c.plr_min_unload = 0.2;
  c.plr_max = 1.0;
  return c;
}

namespace {

double clamp_x(const ChillerCurve& c, double x) noexcept {
  return std::clamp(x, c.chw_leaving_min_c, c.chw_leaving_max_c);
}
double clamp_y(const ChillerCurve& c, double y) noexcept {
  return std::clamp(y, c.cw_entering_min_c, c.cw_entering_max_c);
}

}  // namespace

double chiller_capft(const ChillerCurve& c, double chw_leaving_c, double cw_entering_c) noexcept {
  return std::max(0.0, biquadratic(c.capft, clamp_x(c, chw_leaving_c), clamp_y(c, cw_entering_c)));
}

double chiller_eirft(const ChillerCurve& c, double chw_leaving_c, double cw_entering_c) noexcept {
  return biquadratic(c.eirft, clamp_x(c, chw_leaving_c), clamp_y(c, cw_entering_c));
}

double chiller_eirfplr(const ChillerCurve& c, double plr) noexcept {
  return c.eirfplr[0] + c.eirfplr[1] * plr + c.eirfplr[2] * plr * plr;
}

double chiller_available_capacity_w(const ChillerCurve& c, double chw_leaving_c, double cw_entering_c) noexcept {
  return c.capacity_ref_w * chiller_capft(c, chw_leaving_c, cw_entering_c);
}

double chiller_full_load_cop(const ChillerCurve& c, double chw_leaving_c, double cw_entering_c) noexcept {
  return c.cop_ref / (chiller_eirft(c, chw_leaving_c, cw_entering_c) * chiller_eirfplr(c, 1.0));
}

ChillerOperation chiller_operate(const ChillerCurve& c, double load_w, double chw_leaving_c,
                                 double cw_entering_c) noexcept {
  ChillerOperation op;
  op.temperatures_clamped = clamp_x(c, chw_leaving_c) != chw_leaving_c || clamp_y(c, cw_entering_c) != cw_entering_c;
  op.capacity_w = chiller_available_capacity_w(c, chw_leaving_c, cw_entering_c);
  const double load = std::max(0.0, load_w);
  if (op.capacity_w <= 0) {
    op.unmet_w = load;
    return op;
  }
  op.plr = std::min(load / op.capacity_w, c.plr_max);
  op.cooling_w = op.plr * op.capacity_w;
  op.unmet_w = load - op.cooling_w;
  op.cycling_ratio = c.plr_min > 0 ? std::min(op.plr / c.plr_min, 1.0) : (op.plr > 0 ? 1.0 : 0.0);
  const double plr_compressor = std::max(op.plr, c.plr_min_unload);
  op.power_w = op.capacity_w / c.cop_ref * chiller_eirft(c, chw_leaving_c, cw_entering_c) *
               chiller_eirfplr(c, plr_compressor) * op.cycling_ratio;
  op.heat_rejected_w = op.cooling_w + op.power_w;
  op.cop = op.power_w > 0 ? op.cooling_w / op.power_w : 0.0;
  return op;
}

CarnotChiller carnot_water_cooled() { return CarnotChiller{}; }

CarnotChiller carnot_air_cooled() {
  CarnotChiller m;
  m.condenser_approach_k = 15;
  return m;
}

double carnot_cop(double evaporator_k, double condenser_k, double efficiency) noexcept {
  return efficiency * evaporator_k / (condenser_k - evaporator_k);
}

double carnot_chiller_cop(const CarnotChiller& m, double chw_supply_c, double heat_sink_c) noexcept {
  const double evaporator_k = chw_supply_c - m.evaporator_approach_k + kZeroCelsiusK;
  const double condenser_k =
      std::max(heat_sink_c + m.condenser_approach_k + kZeroCelsiusK, evaporator_k + m.min_lift_k);
  return carnot_cop(evaporator_k, condenser_k, m.efficiency);
}

double heat_rejected_w(double cooling_w, double cop) noexcept { return cooling_w * (1.0 + 1.0 / cop); }

double fan_power_w(double rated_power_w, double flow_ratio, double exponent) noexcept {
  return rated_power_w * std::pow(std::max(0.0, flow_ratio), exponent);
}

double fan_power_for_heat_w(double heat_w, double design_heat_w, double fan_fraction, double exponent) noexcept {
  return fan_power_w(fan_fraction * design_heat_w, heat_w / design_heat_w, exponent);
}

double air_flow_m3_s(double heat_w, double delta_t_k, double density_kg_m3, double specific_heat_j_kg_k) noexcept {
  return heat_w / (density_kg_m3 * specific_heat_j_kg_k * delta_t_k);
}

double liquid_flow_m3_s(double heat_w, double delta_t_k, double density_kg_m3,
                        double specific_heat_j_kg_k) noexcept {
  return heat_w / (density_kg_m3 * specific_heat_j_kg_k * delta_t_k);
}

double pump_power_w(double pressure_rise_pa, double flow_m3_s, double efficiency) noexcept {
  return pressure_rise_pa * flow_m3_s / efficiency;
}

double evaporation_kg_s(double heat_w, double latent_heat_j_kg) noexcept { return heat_w / latent_heat_j_kg; }

double blowdown_kg_s(double evaporation_kg_s, double cycles_of_concentration) noexcept {
  return evaporation_kg_s / (cycles_of_concentration - 1.0);
}

double makeup_kg_s(double evaporation_kg_s, double cycles_of_concentration) noexcept {
  return evaporation_kg_s * cycles_of_concentration / (cycles_of_concentration - 1.0);
}

double tower_leaving_water_c(const CoolingTower& t, double wet_bulb_c) noexcept { return wet_bulb_c + t.approach_k; }

WaterUse tower_water_use(const CoolingTower& t, double heat_rejected_w) noexcept {
  WaterUse w;
  w.evaporation_kg_s = evaporation_kg_s(t.evaporated_fraction * std::max(0.0, heat_rejected_w));
  w.blowdown_kg_s = blowdown_kg_s(w.evaporation_kg_s, t.cycles_of_concentration);
  w.makeup_kg_s = w.evaporation_kg_s + w.blowdown_kg_s;
  return w;
}

double tower_fan_power_w(const CoolingTower& t, double heat_rejected_w, double design_heat_w) noexcept {
  return fan_power_for_heat_w(heat_rejected_w, design_heat_w, t.fan_power_fraction, t.fan_exponent);
}

double dry_cooler_inlet_air_c(const DryCooler& d, double dry_bulb_c, double wet_bulb_c) noexcept {
  if (!d.adiabatic || dry_bulb_c <= d.adiabatic_threshold_c) return dry_bulb_c;
  return dry_bulb_c - d.adiabatic_effectiveness * std::max(0.0, dry_bulb_c - wet_bulb_c);
}

double dry_cooler_leaving_fluid_c(const DryCooler& d, double dry_bulb_c, double wet_bulb_c) noexcept {
  return dry_cooler_inlet_air_c(d, dry_bulb_c, wet_bulb_c) + d.approach_k;
}

DryCoolerOperation dry_cooler_operate(const DryCooler& d, double heat_w, double design_heat_w, double dry_bulb_c,
                                      double wet_bulb_c) noexcept {
  DryCoolerOperation op;
  const double heat = std::max(0.0, heat_w);
  op.adiabatic_on = d.adiabatic && dry_bulb_c > d.adiabatic_threshold_c;
  op.inlet_air_c = dry_cooler_inlet_air_c(d, dry_bulb_c, wet_bulb_c);
  op.leaving_fluid_c = op.inlet_air_c + d.approach_k;
  op.air_flow_kg_s = heat / (kAirSpecificHeatJPerKgK * d.air_temperature_rise_k);
  op.water_kg_s = op.air_flow_kg_s * kAirSpecificHeatJPerKgK * (dry_bulb_c - op.inlet_air_c) / kWaterLatentHeatJPerKg;
  op.fan_power_w = fan_power_for_heat_w(heat, design_heat_w, d.fan_power_fraction, d.fan_exponent);
  return op;
}

double economizer_fraction(double source_c, double supply_c, double return_c) noexcept {
  if (source_c <= supply_c) return 1.0;
  if (return_c <= supply_c) return 0.0;
  return std::clamp((return_c - source_c) / (return_c - supply_c), 0.0, 1.0);
}

double waterside_economizer_supply_c(const WatersideEconomizer& e, double wet_bulb_c) noexcept {
  return wet_bulb_c + e.tower_approach_k + e.hx_approach_k;
}

double waterside_economizer_fraction(const WatersideEconomizer& e, double wet_bulb_c, double chw_supply_c) noexcept {
  return economizer_fraction(waterside_economizer_supply_c(e, wet_bulb_c), chw_supply_c,
                             chw_supply_c + e.chilled_water_range_k);
}

bool waterside_economizer_full(const WatersideEconomizer& e, double wet_bulb_c, double chw_supply_c) noexcept {
  return waterside_economizer_supply_c(e, wet_bulb_c) <= chw_supply_c;
}

bool airside_economizer_full(double dry_bulb_c, double supply_air_c, double margin_k) noexcept {
  return dry_bulb_c <= supply_air_c - margin_k;
}

double airside_economizer_fraction(double dry_bulb_c, double supply_air_c, double return_air_c,
                                   double margin_k) noexcept {
  return economizer_fraction(dry_bulb_c + margin_k, supply_air_c, return_air_c);
}

double water_hx_supply_c(double water_c, double hx_approach_k) noexcept { return water_c + hx_approach_k; }

}  // namespace dcsim::cooling
