// Steady-state component models of the cooling plant: chillers, cooling towers, dry coolers, fans, pumps and
// economizers. Pure functions of their inputs (no state, no time); the plant model composes them. SI units
// throughout, named in identifiers (_w, _c, _k, _m3_s, _pa, _kg_s); temperatures in °C except where a name
// says _k for an absolute temperature in kelvin. Water is taken at 1000 kg/m³, so 1 kg of water = 1 L.
//
// Chiller, DOE-2 electric EIR model (EnergyPlus Chiller:Electric:EIR; Modelica Buildings
// Buildings.Fluid.Chillers.ElectricEIR with record Data.ElectricEIR.DOE_2_Centrifugal_5_50COP; DOMAIN.md §5, H):
//   x = leaving chilled-water temperature, y = entering condenser-water temperature (°C), clamped to the
//   curve's validity range (record: x in [5, 10], y in [24, 35] °C; EnergyPlus limits curve inputs likewise;
//   the result says when it clamped).
//   CAPFT(x, y), EIRFT(x, y) = c0 + c1 x + c2 x² + c3 y + c4 y² + c5 x y;  EIRFPLR(p) = a + b p + c p².
//   Q_avail = Q_ref · max(0, CAPFT)
//   PLR     = min(Q_load / Q_avail, PLR_max); load above PLR_max · Q_avail is returned as unmet heat.
//   CR      = min(PLR / PLR_min, 1): below PLR_min (0.1) the chiller cycles on and off; CR is its on-time.
//   PLR_c   = max(PLR, PLR_min,unload): below PLR_min,unload (0.2) capacity is reduced by hot-gas bypass while
//             the compressor draws the power of PLR_min,unload.
//   P       = (Q_avail / COP_ref) · EIRFT · EIRFPLR(PLR_c) · CR
//   So power is P(0.2) for PLR in [0.1, 0.2] and falls linearly to 0 as the load goes from 0.1 to 0 (cycling);
//   these are the Modelica model's three tests (PLR1, CR, PLR2) without its smoothing. Condenser heat =
//   Q + P (the record's etaMotor = 1: all motor heat enters the refrigerant). Compressor power only; pumps and
//   fans are separate.
//   Coefficients (record): CAPFT {0.257896, 0.0389016, -2.1708e-4, 0.0468684, -9.4284e-4, -3.4344e-4},
//   EIRFT {0.933884, -0.058212, 4.50036e-3, 2.43e-3, 4.86e-4, -1.215e-3}, EIRFPLR {0.222903, 0.313387,
//   0.463710}; COP_ref 5.5 at 6.67 / 29.4 °C; PLR_min 0.1, PLR_min,unload 0.2, PLR_max 1.0.
//   Normalisation: EIRFT is 1 within 5e-6 at 6.67 / 29.44 °C; at the record's rounded 6.67 / 29.4 °C,
//   EIRFT = 0.99909 and CAPFT = 1.00334, so the full-load COP there is 5.505 (+0.09 % on COP_ref) and the
//   capacity 0.33 % above Q_ref. Full-load COP at x = 6.67 °C: 6.18, 5.51, 5.18, 4.81 at y = 24, 29.4, 32,
//   35 °C (DOMAIN.md §5, L).
//
// Chiller, Carnot fraction (DOMAIN.md §5, L): COP = η · T_evap / (T_cond − T_evap) in kelvin, with
//   T_evap = T_chws − 2 K and T_cond = T_cw + 6 K (water-cooled) or T_db + 15 K (air-cooled; DOMAIN gives
//   12–15 K, 15 K chosen as the conservative end: unverified); η = 0.6. The lift is floored at 10 K (head
//   pressure control: a real compressor cannot use an arbitrarily small lift; unverified), which caps the COP
//   at about 16.7. At 6.67 / 29.4 °C this gives 5.424, 1.4 % below the DOE-2 COP_ref of 5.5 (η = 0.608 would
//   give 5.5).
//
// Cooling tower (DOMAIN.md §5):
//   T_cw = T_wb + approach, approach 4 K (typical 3–5 K: unverified).
//   Evaporation E = f_evap · Q_rejected / h_fg, h_fg = 2.43 MJ/kg (latent heat near 30 °C; 1 kWh → 1.48 L);
//   f_evap = 1 by default (all heat rejected by evaporation: an upper bound, real towers reject some
//   sensibly). Blow-down B = E / (C − 1), make-up M = E + B = E · C / (C − 1) for cycles of concentration C;
//   default C = 5 (a mid value of DOMAIN's 3–10; unverified; make-up 1.85 L/kWh). Drift is neglected.
//   Fan power: fan law on the heat rejected, P = f_fan · Q_design · (Q / Q_design)³, assuming the airflow
//   needed is proportional to the heat rejected (fixed air-side range). f_fan = 0.0133: ASHRAE 90.1-2016
//   Table 6.8.1-7's minimum for axial-fan open-circuit towers, 3.23 L/s of water per kW of fan motor at
//   35 / 29.4 / 23.9 °C (95 / 85 / 75 °F, a 5.56 K range), i.e. 3.23 · 4.186 · 5.56 = 75 kW of heat per kW
//   (quoted via unmethours.com; so a code-minimum tower; better towers use less). No capacity limit here:
//   above Q_design the same law is extrapolated, and the plant must check capacity.
//
// Heat rejected by a chiller plant: Q_rej = Q · (1 + 1/COP) (DOMAIN.md §5).
//
// Fans (affinity laws; DOMAIN.md §5, H): P = P_rated · (V̇ / V̇_rated)^n, n = 3 (2.5–3 when static pressure
//   is held). Airflow for a heat load: V̇ = Q / (ρ c_p ΔT), ρ = 1.2 kg/m³, c_p = 1005 J/(kg·K): 0.069 m³/s
//   (146 CFM) per kW at ΔT = 12 K.
// Pumps: P = ΔP · V̇ / η; liquid flow for a heat load V̇ = Q / (ρ_w c_pw ΔT), ρ_w = 1000 kg/m³,
//   c_pw = 4186 J/(kg·K): a 132 kW rack at ΔT = 10 K needs 189 L/min, and at 100–200 kPa, η = 0.6 the pump
//   draws 0.53–1.05 kW (DOMAIN.md §5, L).
//
// Dry cooler (DOMAIN.md §5: approach 5–10 K above dry bulb, unverified):
//   T_fluid,out = T_air,in + approach, approach 7.5 K (mid-range; unverified).
//   Adiabatic assist: when enabled and T_db > threshold (25 °C, unverified), pads pre-cool the inlet air to
//   T_air,in = T_db − ε (T_db − T_wb), ε = 0.8 (typical media 0.7–0.85; unverified). Air mass flow
//   ṁ_air = Q / (c_p ΔT_air) with an air-side temperature rise ΔT_air = 10 K (unverified). The water
//   evaporated is the air's sensible heat loss over the latent heat (adiabatic saturation: the pads take no
//   heat from elsewhere): ṁ_w = ṁ_air c_p (T_db − T_air,in) / h_fg. Pad bleed-off and drift are neglected.
//   Fan power: same fan law as the tower with f_fan = 0.02 of design heat (unverified).
//
// Economizers (DOMAIN.md §5): a free-cooling source at temperature T_src (outside air, or condenser water
//   from a tower through a heat exchanger, or sea/lake water through one) can carry the fraction
//   F = clamp((T_return − T_src) / (T_return − T_supply), 0, 1) of the load, placed in series ahead of the
//   mechanical cooling ("integrated" economizer): it cools the return stream as far as T_src and the chiller
//   trims the rest. F = 1 (full free cooling) exactly when T_src <= T_supply, which is DOMAIN's rule:
//   waterside T_src = T_wb + tower approach + HX approach (HX approach 2 K: unverified) against the chilled-
//   water supply set point, with T_return = T_supply + 5.6 K (10 °F, a conventional chilled-water ΔT;
//   unverified for AI halls); airside T_src = T_db + 1 K against the supply-air set point; seawater/lake
//   T_src = T_water + HX approach. Humidity limits of airside economizers are not modelled.
#pragma once

#include <array>

namespace dcsim::cooling {

// Properties (see the header comment for sources).
inline constexpr double kAirDensityKgPerM3 = 1.2;
inline constexpr double kAirSpecificHeatJPerKgK = 1005.0;
inline constexpr double kWaterDensityKgPerM3 = 1000.0;
inline constexpr double kWaterSpecificHeatJPerKgK = 4186.0;
inline constexpr double kWaterLatentHeatJPerKg = 2.43e6;
inline constexpr double kZeroCelsiusK = 273.15;

// ---- DOE-2 electric EIR chiller ---------------------------------------------------------------------------

// c0 + c1 x + c2 x² + c3 y + c4 y² + c5 x y.
double biquadratic(const std::array<double, 6>& c, double x, double y) noexcept;

struct ChillerCurve {
  std::array<double, 6> capft{};    // capacity factor of (x, y)
  std::array<double, 6> eirft{};    // electric input ratio factor of (x, y)
  std::array<double, 3> eirfplr{};  // electric input ratio factor of the part-load ratio
  double cop_ref = 0;
  double capacity_ref_w = 0;
  double chw_leaving_ref_c = 0, cw_entering_ref_c = 0;  // reference point (documentation; the curves hold it)
  double chw_leaving_min_c = 0, chw_leaving_max_c = 0;  // validity range of x
  double cw_entering_min_c = 0, cw_entering_max_c = 0;  // validity range of y
  double plr_min = 0;         // below: cycling
  double plr_min_unload = 0;  // below: hot-gas bypass at constant compressor power
  double plr_max = 1;         // above: unmet load
};

// Record DOE_2_Centrifugal_5_50COP scaled to a reference capacity (> 0; throws std::invalid_argument).
ChillerCurve doe2_centrifugal_5_50cop(double capacity_ref_w);

// Curve factors at temperatures clamped to the curve's range (CAPFT floored at 0, as in Modelica).
double chiller_capft(const ChillerCurve& c, double chw_leaving_c, double cw_entering_c) noexcept;
double chiller_eirft(const ChillerCurve& c, double chw_leaving_c, double cw_entering_c) noexcept;
double chiller_eirfplr(const ChillerCurve& c, double plr) noexcept;
double chiller_available_capacity_w(const ChillerCurve& c, double chw_leaving_c, double cw_entering_c) noexcept;
// COP at full load (PLR = 1): COP_ref / (EIRFT · EIRFPLR(1)).
double chiller_full_load_cop(const ChillerCurve& c, double chw_leaving_c, double cw_entering_c) noexcept;

struct ChillerOperation {
  double capacity_w = 0;       // available capacity at these temperatures
  double plr = 0;              // part-load ratio, cooling_w / capacity_w, in [0, plr_max]
  double cycling_ratio = 0;    // fraction of time the compressor runs
  double cooling_w = 0;        // heat removed from the chilled water
  double unmet_w = 0;          // load beyond plr_max · capacity
  double power_w = 0;          // compressor electric power
  double heat_rejected_w = 0;  // to the condenser: cooling_w + power_w
  double cop = 0;              // cooling_w / power_w; 0 when there is no load
  bool temperatures_clamped = false;  // x or y was outside the curve's range and was clamped
};

// The chiller meeting a load (>= 0) at the given temperatures.
ChillerOperation chiller_operate(const ChillerCurve& c, double load_w, double chw_leaving_c,
                                 double cw_entering_c) noexcept;

// ---- Carnot-fraction chiller ------------------------------------------------------------------------------

struct CarnotChiller {
  double efficiency = 0.6;            // fraction of the Carnot COP
  double evaporator_approach_k = 2;   // T_evap = T_chws − this
  double condenser_approach_k = 6;    // T_cond = heat-sink temperature + this
  double min_lift_k = 10;             // floor on T_cond − T_evap
};
CarnotChiller carnot_water_cooled();  // sink: entering condenser water, approach 6 K
CarnotChiller carnot_air_cooled();    // sink: outdoor dry bulb, approach 15 K

// η · T_evap / (T_cond − T_evap), kelvin; the lift must be > 0.
double carnot_cop(double evaporator_k, double condenser_k, double efficiency) noexcept;
// COP for a chilled-water supply temperature and a heat-sink temperature (condenser water or dry bulb).
double carnot_chiller_cop(const CarnotChiller& m, double chw_supply_c, double heat_sink_c) noexcept;

// Heat to reject for a cooling load at a COP: Q (1 + 1/COP).
double heat_rejected_w(double cooling_w, double cop) noexcept;

// ---- Fans, pumps, flows ------------------------------------------------------------------------------------

// Affinity law: rated power · flow_ratio^exponent (flow_ratio = V̇ / V̇_rated, >= 0).
double fan_power_w(double rated_power_w, double flow_ratio, double exponent = 3.0) noexcept;
// Fan law on heat: fan_fraction · design_heat · (heat / design_heat)^exponent.
double fan_power_for_heat_w(double heat_w, double design_heat_w, double fan_fraction,
                            double exponent = 3.0) noexcept;
// Volume flow of air that carries a heat load at a temperature rise.
double air_flow_m3_s(double heat_w, double delta_t_k, double density_kg_m3 = kAirDensityKgPerM3,
                     double specific_heat_j_kg_k = kAirSpecificHeatJPerKgK) noexcept;
// Volume flow of liquid that carries a heat load at a temperature rise.
double liquid_flow_m3_s(double heat_w, double delta_t_k, double density_kg_m3 = kWaterDensityKgPerM3,
                        double specific_heat_j_kg_k = kWaterSpecificHeatJPerKgK) noexcept;
// Hydraulic power over efficiency: ΔP · V̇ / η.
double pump_power_w(double pressure_rise_pa, double flow_m3_s, double efficiency) noexcept;

// ---- Evaporation and cooling towers ------------------------------------------------------------------------

// Mass of water evaporated per second to reject a heat flow by evaporation.
double evaporation_kg_s(double heat_w, double latent_heat_j_kg = kWaterLatentHeatJPerKg) noexcept;
// Blow-down E / (C − 1) and make-up E · C / (C − 1) for cycles of concentration C > 1.
double blowdown_kg_s(double evaporation_kg_s, double cycles_of_concentration) noexcept;
double makeup_kg_s(double evaporation_kg_s, double cycles_of_concentration) noexcept;

struct CoolingTower {
  double approach_k = 4;                 // unverified
  double cycles_of_concentration = 5;    // unverified
  double evaporated_fraction = 1;        // of the heat rejected; 1 is an upper bound
  double fan_power_fraction = 0.0133;    // of design heat, at design (ASHRAE 90.1 minimum efficiency)
  double fan_exponent = 3;
};

struct WaterUse {
  double evaporation_kg_s = 0;
  double blowdown_kg_s = 0;
  double makeup_kg_s = 0;  // evaporation + blow-down: what the site draws
  double makeup_m3_s() const noexcept { return makeup_kg_s / kWaterDensityKgPerM3; }
};

double tower_leaving_water_c(const CoolingTower& t, double wet_bulb_c) noexcept;
WaterUse tower_water_use(const CoolingTower& t, double heat_rejected_w) noexcept;
double tower_fan_power_w(const CoolingTower& t, double heat_rejected_w, double design_heat_w) noexcept;

// ---- Dry cooler ---------------------------------------------------------------------------------------------

struct DryCooler {
  double approach_k = 7.5;               // leaving fluid above the inlet air; unverified
  double fan_power_fraction = 0.02;      // of design heat, at design; unverified
  double fan_exponent = 3;
  double air_temperature_rise_k = 10;    // air-side range, sets the air mass flow; unverified
  bool adiabatic = false;                // evaporative pre-cooling pads fitted
  double adiabatic_threshold_c = 25;     // dry bulb above which the pads are wetted; unverified
  double adiabatic_effectiveness = 0.8;  // unverified
};

struct DryCoolerOperation {
  double inlet_air_c = 0;     // after pre-cooling, if any
  double leaving_fluid_c = 0;
  bool adiabatic_on = false;
  double air_flow_kg_s = 0;
  double water_kg_s = 0;      // evaporated on the pads (zero when dry)
  double fan_power_w = 0;
};

// Inlet air temperature: the dry bulb, or the pre-cooled air when the pads are on. A wet bulb above the dry
// bulb (inconsistent weather data) is treated as saturated air: no pre-cooling.
double dry_cooler_inlet_air_c(const DryCooler& d, double dry_bulb_c, double wet_bulb_c) noexcept;
double dry_cooler_leaving_fluid_c(const DryCooler& d, double dry_bulb_c, double wet_bulb_c) noexcept;
DryCoolerOperation dry_cooler_operate(const DryCooler& d, double heat_w, double design_heat_w, double dry_bulb_c,
                                      double wet_bulb_c) noexcept;

// ---- Economizers --------------------------------------------------------------------------------------------

// Fraction of the load a free-cooling source at source_c can carry ahead of mechanical cooling that supplies
// supply_c from return_c (> supply_c): clamp((return − source) / (return − supply), 0, 1).
double economizer_fraction(double source_c, double supply_c, double return_c) noexcept;

struct WatersideEconomizer {
  double tower_approach_k = 4;            // unverified
  double hx_approach_k = 2;               // unverified
  double chilled_water_range_k = 5.6;     // return − supply; unverified
};
// Water the economizer can deliver: T_wb + tower approach + HX approach.
double waterside_economizer_supply_c(const WatersideEconomizer& e, double wet_bulb_c) noexcept;
double waterside_economizer_fraction(const WatersideEconomizer& e, double wet_bulb_c, double chw_supply_c) noexcept;
bool waterside_economizer_full(const WatersideEconomizer& e, double wet_bulb_c, double chw_supply_c) noexcept;

// Airside: full when T_db <= supply − margin (1 K: fan heat and mixing; DOMAIN.md §5); partial up to the
// return-air temperature.
bool airside_economizer_full(double dry_bulb_c, double supply_air_c, double margin_k = 1.0) noexcept;
double airside_economizer_fraction(double dry_bulb_c, double supply_air_c, double return_air_c,
                                   double margin_k = 1.0) noexcept;

// Seawater or lake water through a heat exchanger: supply = water temperature + HX approach.
double water_hx_supply_c(double water_c, double hx_approach_k = 2.0) noexcept;

}  // namespace dcsim::cooling
