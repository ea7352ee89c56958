// The physical side of the data centre, coupled to serving in one run: GPU heat → temperatures →
// throttling → slower service, and cooling plant → power, PUE, water and carbon.
//
// GPU thermal state. Each serving group (a server, or a group of identical servers) is one thermal network
// (models/thermal/network.hpp, built and validated with Boost.Graph) for its average GPU: die (C_d) —
// R_ds — heat sink or cold plate (C_s) — R_sc — the supply temperature of the cooling loop (boundary).
// Defaults (DOMAIN.md §4, assumptions where unverified): air path R_ds 0.015 + R_sa 0.055 = 0.07 K/W,
// C_d 33 J/K (τ_die ≈ 0.5 s), C_s 450 J/K (τ_sink ≈ 25 s); cold plate R_ds 0.01 + R_sc 0.02 = 0.03 K/W,
// C_d 33 J/K, C_s 500 J/K (τ ≈ 10 s). Power is piecewise constant between serving events, and the network is
// advanced exactly at each of a group's power changes and at every thermal step (at most `max_step`, and
// earlier when time_to_reach predicts a threshold crossing before the next step).
//
// Throttling (Hopper thresholds from nvidia-smi, DOMAIN.md §4; A100: 85 °C max operating): above the max
// operating temperature a proportional controller sets the clock factor f = 1 − k (T − T_max); at the
// slowdown temperature f drops to the hardware factor (0.5, unverified) until T falls below T_max; at the
// shutdown temperature the group's GPUs stop (their batches are re-queued) until T falls below the restart
// temperature. The clock factor scales service time (1/f) and busy power (f^α).
// Failures: the serving hazard is multiplied by the Arrhenius factor AF = exp[(E_a/k)(1/T_ref − 1/T)]
// (E_a 0.5 eV, T_ref 70 °C, an assumption: the die temperature of the fleet behind the 0.11/GPU-year rate).
// Power envelope: a site's grid limit caps the clocks of all its GPUs (a proportional controller on the
// site's power, f_cap ← f_cap·(limit/P)^(1/3)).
//
// Cooling loops (one or more per site; each cluster is cooled by one). A loop has N units that carry its
// design heat, plus spares (N+1), which fail at random (rate per unit-year, repair time) or on schedule.
// Its supply temperature T_s has a thermal mass M (air, water, structure; default 20 MJ/K per MW of design
// heat, an assumption): the plant removes the heat it can, up to its capacity (units up × unit capacity ×
// derating), aiming at T_target = max(setpoint, the lowest supply its heat sink allows); heat it cannot
// remove raises T_s at (Q_in − Q_cap)/M — the way a cooling failure turns into throttling.
// Kinds (one class each in plants/, behind plant.hpp; equipment models in models/cooling/equipment.hpp):
//   air_chiller        CRAH fans (fan law) + DOE-2 centrifugal chillers (chilled water 10 °C) with a
//                      cooling tower (wet bulb + approach; evaporation and blow-down water) and a water-side
//                      (default) or air-side economizer when the weather allows; pumps ΔP·Q/η.
//   liquid_dry_cooler  direct-to-chip cold plates, CDU and pumps, warm water (supply 35 °C at the cold
//                      plate, W32 facility water), dry coolers (dry bulb + approach) with optional adiabatic
//                      assist and optional chiller trim; otherwise the supply floats with the weather.
//   underwater         a sealed vessel: seawater heat exchanger (sea + approach), fans and pumps only, no
//                      water consumption; with `repairs = false` on the site nothing is ever repaired.
//   free_air           cold-climate outdoor air (Luleå): air-side economizer, fans, mechanical trim (an
//                      air-cooled Carnot-fraction chiller) when the outdoor air is too warm.
//   seawater           cold-climate seawater (Hamina): water-to-water exchanger, air handlers, no chillers
//                      unless trim is enabled; the supply floats with the sea.
//
// Facility: P_site = P_IT / η_UPS(load) + P_cooling + P_fixed (LossCurve, 95 % at half load, DOMAIN.md §5);
// PUE(t) and the period PUE (energy ratio); WUE = site water / IT kWh (The Green Grid); carbon with a
// per-site intensity (constant, hourly, presets: EIA US grid, Ember Nordic, IPCC nuclear/SMR), integrated
// exactly over each step. Energy, water and carbon are attributed to requests in proportion to the IT
// energy of the clusters that served them.
//
// Checked at the end of every run: IT heat = heat removed by the plants + heat stored in the GPU networks
// and the loops, to 1e-6; GPU heat into the networks = GPU energy from serving, to 1e-6.
#pragma once

#include <memory>
#include <string_view>

#include "models/serving/serving.hpp"
#include "models/sites/layout.hpp"
#include "sim/core/config.hpp"
#include "sim/core/model.hpp"
#include "sim/core/run.hpp"

namespace dcsim::facility {

class FacilityModel final : public Model {
 public:
  // Reads [thermal], and [[sites]] ambient, cooling, carbon, ups, fixed_load, grid_limit, and the
  // clusters' `cooling` and `thermal` keys. Throws ConfigError.
  FacilityModel(const Params& root, const RunSettings& rs, serving::ServingModel& serving,
                const sites::Layout& layout);
  ~FacilityModel() override;

  std::string_view name() const override { return "facility"; }
  void start(Engine& engine) override;
  void on_warmup_end(SimTime now) override;
  void finish(SimTime now, Summary& summary) override;
  void check_invariants(SimTime now) const override;
  void estimate(RunEstimate& e, SimTime duration) const override;
  void describe(Topology& t) const override;

  // For tests.
  double gpu_temperature_c(std::size_t cluster, std::size_t group) const;
  double loop_supply_c(std::size_t site, std::size_t loop) const;

 private:
  void add_probes(ProbeRegistry& pr);  // report.cpp

  struct Impl;  // impl.hpp
  std::unique_ptr<Impl> impl_;
};

// Whether a scenario asks for the facility model (a [thermal] table or any [[sites.cooling]]).
bool wanted(const Params& root, const sites::Layout& layout);

}  // namespace dcsim::facility
