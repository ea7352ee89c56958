// The facility model's state and FacilityModel::Impl, shared by its files (private to models/facility):
//   facility.cpp     construction from the spec, start, the thermal step, the invariants
//   gpu_groups.cpp   GPU thermal groups: creation, advance, throttle control, crossing prediction
//   loops.cpp        cooling loops: the plant step's accounting, unit failures and repairs
//   site_energy.cpp  a site's UPS, fixed load, carbon, attribution to clusters and grid envelope
//   report.cpp       probes, the measured span and the summary
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/ambient/climate.hpp"
#include "models/facility/facility.hpp"
#include "models/facility/plant.hpp"
#include "models/facility/spec.hpp"
#include "models/facility/throttle.hpp"
#include "models/power/electrical.hpp"
#include "models/thermal/network.hpp"
#include "sim/core/calendar.hpp"

namespace dcsim::facility {

struct Group {
  explicit Group(thermal::Network n) : net(std::move(n)) {}
  thermal::Network net;
  double last_s = 0;
  double f_thermal = 1, applied = 1;
  ThrottleState state = kNormal;
  EventHandle crossing;
  double heat_in_j = 0, heat_out_j = 0, stored0_j = 0;
  std::uint32_t gpus = 0;
};

struct ClusterT {
  std::size_t cluster = 0, loop = 0, site = 0;
  Limits lim;
  std::shared_ptr<thermal::Network> proto;
  thermal::NodeId die, sink;
  thermal::BoundaryId coolant;
  std::vector<Group> groups;
  double overhead_last_j = 0, gpu_energy_last_j = 0;
  std::uint32_t throttled = 0, down = 0;
  TimeWeighted throttled_tw{0.0}, down_tw{0.0};
  double throttled_ms = 0, down_ms = 0;
  // The throttled GPUs by cause (kThrottleCauses): the same total as `throttled`.
  std::array<std::uint32_t, kThrottleCauses> throttled_by{};
  std::array<TimeWeighted, kThrottleCauses> throttled_by_tw{TimeWeighted{0.0}, TimeWeighted{0.0}, TimeWeighted{0.0}};
  std::array<double, kThrottleCauses> throttled_by_ms{};
  double max_temp_c = -kInf;
  double it_last_j = 0;       // IT energy at the last plant step
  double it_step_j = 0;       // IT energy of the last step
  double facility_j = 0, water_m3 = 0, co2_kg = 0, energy_usd = 0;  // attributed, since t = 0
  double facility_ms = 0, water_ms = 0, co2_ms = 0, energy_usd_ms = 0;
};

struct Loop {
  LoopSpec spec;
  std::unique_ptr<Plant> plant;
  std::size_t site = 0;
  int units_up = 0;
  double supply_c = 0, return_c = 0;
  double heat_acc_j = 0;
  double heat_in_j = 0, heat_removed_j = 0, stored0_j = 0;
  double power_j = 0, water_m3 = 0;
  double last_power_w = 0, last_heat_w = 0, last_water_m3_s = 0;
  // The plant's power by part (plant.hpp) and its free-cooling share: the last step's, and integrated since
  // t = 0 (energy by part; the share times time; seconds with the economizer full, partial and off), with
  // their values at the start of the measured span.
  std::array<double, kPowerParts> last_part_w{}, part_j{}, part_ms{};
  double last_free = 1, free_s = 0;
  std::array<double, 3> econ_s{}, econ_ms{};  // full (share 1), partial, off (share 0)
  double max_supply_c = -kInf;
  Rng rng;
  EventHandle failure;
  std::vector<std::size_t> clusters;
};

struct Site {
  std::string name;
  std::unique_ptr<ambient::Climate> climate;
  power::EnergyRate carbon = power::EnergyRate::constant(0);
  power::EnergyRate price = power::EnergyRate::constant(0);  // electricity, USD/J
  power::LossCurve ups;
  double fixed_w = 0, grid_limit_w = kInf;
  double clock_cap = 1;
  bool repairs = true;
  std::vector<std::size_t> loops, clusters;
  ambient::AmbientState amb{};
  double it_j = 0, cooling_j = 0, ups_loss_j = 0, fixed_j = 0, facility_j = 0, water_m3 = 0, co2_kg = 0, energy_usd = 0;
  double it_ms = 0, cooling_ms = 0, facility_ms = 0, water_ms = 0, co2_ms = 0, energy_usd_ms = 0;
  double last_it_w = 0, last_cooling_w = 0, last_facility_w = 0, last_co2_kg_s = 0;
};

struct FacilityModel::Impl {
  serving::ServingModel* serving = nullptr;
  Engine* engine = nullptr;
  Calendar calendar;
  SimTime max_step;
  double activation_ev = 0, reference_c = 0;
  bool hazard_on = true;
  std::vector<Site> sites;
  std::vector<Loop> loops;
  std::vector<ClusterT> clusters;
  std::optional<costs::CostParams> costs;
  std::unique_ptr<PeriodicTimer> ticker;
  SimTime last_step;
  SimTime measure_start;

  double now_s() const { return engine->now().to_seconds(); }

  // ---- GPU groups (gpu_groups.cpp) ----
  // The network that each of the cluster's groups starts as: die — sink — coolant at coolant_c.
  static void build_prototype(ClusterT& ct, const ThermalPath& path, Path kind, double coolant_c);
  Group make_group(ClusterT& ct, std::size_t g, double boundary_c);
  void ensure_groups(ClusterT& ct);
  void advance_group(ClusterT& ct, std::size_t g);
  double die_temp(const ClusterT& ct, std::size_t g) const { return ct.groups[g].net.temperature(ct.die); }
  void set_counts(ClusterT& ct);
  bool control(ClusterT& ct, std::size_t g);
  void schedule_crossing(std::size_t ci, std::size_t g, double horizon_s);
  void on_crossing(std::size_t ci, std::size_t g);
  void on_power_change(std::size_t c, std::size_t g, bool after);

  // ---- cooling loops (loops.cpp) ----
  void plant_step(Loop& lp, const Site& site, double dt);
  void schedule_unit_failure(std::size_t li);
  void unit_fails(std::size_t li);
  void unit_back(std::size_t li, int n);

  // ---- site energy (site_energy.cpp) ----
  // Books one step of a site: IT energy it_j, plant power cooling_w and water (m3) over [t0, t1].
  void account_site(Site& site, double it_j, double cooling_w, double water, double dt, double t0, double t1);

  // ---- costs (cost_report.cpp) ----
  // The [costs] entries of the summary, over the measured span ending at `now` (none without [costs]).
  void report_costs(SimTime now, Summary& sum) const;

  // ---- the step (facility.cpp) ----
  void step();
};

}  // namespace dcsim::facility
