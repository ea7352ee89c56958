#include "models/facility/facility.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>

#include "models/ambient/climate.hpp"
#include "models/facility/throttle.hpp"
#include "models/cooling/equipment.hpp"
#include "models/power/electrical.hpp"
#include "models/reliability/arrhenius.hpp"
#include "models/thermal/network.hpp"
#include "sim/core/calendar.hpp"

namespace dcsim::facility {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kYear = 365.25 * 86400.0;

enum class Kind { air_chiller, liquid_dry_cooler, underwater, free_air, seawater };
enum class Path { air, cold_plate };

struct ThermalPath {
  double die_heat_capacity_j_k = 33;
  double sink_heat_capacity_j_k = 450;
  double die_to_sink_k_w = 0.015;
  double sink_to_coolant_k_w = 0.055;
};

ThermalPath default_path(Path p) {
  if (p == Path::air) return {33, 450, 0.015, 0.055};
  return {33, 500, 0.01, 0.02};
}

struct UnitOutage {
  double at_s, duration_s;
  int units;
};

struct LoopSpec {
  std::string name;
  Kind kind = Kind::air_chiller;
  Path path = Path::air;
  double design_heat_w = 0, setpoint_c = 24, heat_capacity_j_k = 0, design_dt_k = 12;
  int units = 1, spares = 1;
  double unit_failure_rate_per_s = 0;
  Distribution unit_repair = Distribution::exponential(12 * 3600.0);
  std::vector<UnitOutage> outages;
  double fan_fraction = 0.04, fan_exponent = 3;
  double chws_c = 10;
  cooling::ChillerCurve chiller;
  cooling::CoolingTower tower;
  enum class Economizer { none, waterside, airside } economizer = Economizer::waterside;
  cooling::WatersideEconomizer wse;
  double pump_pressure_pa = 250e3, pump_efficiency = 0.7, water_dt_k = 5.6;
  int pumps = 2;
  cooling::DryCooler dry;
  double cdu_approach_k = 3;
  bool trim = false;
  cooling::CarnotChiller trim_chiller = cooling::carnot_air_cooled();
  double hx_approach_k = 2, coil_approach_k = 4;
};

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
  double max_temp_c = -kInf;
  double it_last_j = 0;       // IT energy at the last plant step
  double it_step_j = 0;       // IT energy of the last step
  double facility_j = 0, water_m3 = 0, co2_kg = 0;  // attributed, since t = 0
  double facility_ms = 0, water_ms = 0, co2_ms = 0;
};

struct Loop {
  LoopSpec spec;
  std::size_t site = 0;
  int units_up = 0;
  double supply_c = 0, return_c = 0;
  double heat_acc_j = 0;
  double heat_in_j = 0, heat_removed_j = 0, stored0_j = 0;
  double power_j = 0, water_m3 = 0;
  double last_power_w = 0, last_heat_w = 0, last_water_m3_s = 0;
  double max_supply_c = -kInf;
  Rng rng;
  EventHandle failure;
  std::vector<std::size_t> clusters;
};

struct Site {
  std::string name;
  std::unique_ptr<ambient::Climate> climate;
  power::CarbonIntensity carbon = power::CarbonIntensity::constant(0);
  power::LossCurve ups;
  double fixed_w = 0, grid_limit_w = kInf;
  double clock_cap = 1;
  bool repairs = true;
  std::vector<std::size_t> loops, clusters;
  ambient::AmbientState amb{};
  double it_j = 0, cooling_j = 0, ups_loss_j = 0, fixed_j = 0, facility_j = 0, water_m3 = 0, co2_kg = 0;
  double it_ms = 0, cooling_ms = 0, facility_ms = 0, water_ms = 0, co2_ms = 0;
  double last_it_w = 0, last_cooling_w = 0, last_facility_w = 0, last_co2_kg_s = 0;
};

// Interval means of cumulative quantities, kept by the probe that reports them (the model keeps no
// per-sample state). Probes read the model as of its last thermal step and never advance it, so the
// recording cannot move the step grid: a mean covers the steps completed since the previous sample, or is
// the last step's rate when none completed (samples closer together than thermal.max_step).
template <std::size_t N>
struct StepMeans {
  double t = 0;
  std::array<double, N> cum{};
  // out[i] = scale[i] × the mean rate of quantity i (scaled before the division, as the figures always were).
  void fill(double t_step, const std::array<double, N>& now, const std::array<double, N>& last_rate,
            std::span<double> out, const std::array<double, N>& scale) {
    const double dt = t_step - t;
    for (std::size_t i = 0; i < N; ++i) out[i] = dt > 0 ? (now[i] - cum[i]) * scale[i] / dt : last_rate[i] * scale[i];
    if (dt > 0) {
      t = t_step;
      cum = now;
    }
  }
};

double default_setpoint(Kind k) {
  switch (k) {
    case Kind::air_chiller: return 24;       // supply air, within ASHRAE's recommended 18–27 °C
    case Kind::liquid_dry_cooler: return 35; // coolant at the cold plates: W32 facility water + 3 K CDU approach
    case Kind::underwater: return 22;
    case Kind::free_air: return 22;
    case Kind::seawater: return 24;
  }
  return 24;
}

}  // namespace

struct FacilityModel::Impl {
  serving::ServingModel* serving = nullptr;
  Engine* engine = nullptr;
  Calendar calendar;
  SimTime max_step = SimTime::seconds(2);
  double activation_ev = 0.5, reference_c = 70;
  bool hazard_on = true;
  std::vector<Site> sites;
  std::vector<Loop> loops;
  std::vector<ClusterT> clusters;
  std::unique_ptr<PeriodicTimer> ticker;
  SimTime last_step;
  SimTime measure_start;

  double now_s() const { return engine->now().to_seconds(); }

  // ---- GPU groups ----
  Group make_group(ClusterT& ct, std::size_t g, double boundary_c) {
    Group grp(*ct.proto);
    grp.gpus = static_cast<std::uint32_t>(serving->group_gpus(ct.cluster, g));
    grp.net.set_boundary(ct.coolant, boundary_c);
    grp.net.set_power(ct.die, 0.0);
    std::vector<double> ss = grp.net.steady_state();
    grp.net.set_temperatures(ss);
    grp.last_s = engine ? now_s() : 0.0;
    grp.stored0_j = grp.net.stored_energy_j() * grp.gpus;
    return grp;
  }

  void ensure_groups(ClusterT& ct) {
    const std::size_t n = serving->group_count(ct.cluster);
    while (ct.groups.size() < n) ct.groups.push_back(make_group(ct, ct.groups.size(), loops[ct.loop].supply_c));
  }

  void advance_group(ClusterT& ct, std::size_t g) {
    Group& grp = ct.groups[g];
    const double now = now_s();
    const double h = now - grp.last_s;
    if (!(h > 0)) return;
    const double p = serving->group_power_w(ct.cluster, g) / grp.gpus;
    grp.net.set_power(ct.die, p);
    const double out = grp.net.advance(h) * grp.gpus;
    grp.heat_in_j += p * h * grp.gpus;
    grp.heat_out_j += out;
    loops[ct.loop].heat_acc_j += out;
    grp.last_s = now;
  }

  double die_temp(const ClusterT& ct, std::size_t g) const { return ct.groups[g].net.temperature(ct.die); }

  void set_counts(ClusterT& ct) {
    std::uint32_t th = 0, dn = 0;
    for (const Group& grp : ct.groups) {
      if (grp.state == kDown) dn += grp.gpus;
      else if (grp.applied < 1.0) th += grp.gpus;
    }
    const SimTime now = engine->now();
    ct.throttled = th;
    ct.down = dn;
    ct.throttled_tw.set(now, th);
    ct.down_tw.set(now, dn);
  }

  // The thermal controller of one group, at its current temperature.
  bool control(ClusterT& ct, std::size_t g) {
    Group& grp = ct.groups[g];
    const double T = die_temp(ct, g);
    ct.max_temp_c = std::max(ct.max_temp_c, T);
    const ThrottleState before = grp.state;
    const ThrottleDecision d = throttle(grp.state, T, ct.lim);
    if (d.state == kDown && before != kDown) serving->set_group_shutdown(ct.cluster, g, true);
    if (d.state != kDown && before == kDown) serving->set_group_shutdown(ct.cluster, g, false);
    grp.state = d.state;
    if (d.state != kDown) grp.f_thermal = d.clock;
    const double f = std::min(grp.f_thermal, sites[ct.site].clock_cap);
    const bool changed = f != grp.applied || before != grp.state;
    if (f != grp.applied) {
      grp.applied = f;
      serving->set_group_clock(ct.cluster, g, f);
    }
    return changed;
  }

  // Schedules an extra thermal step for a group whose temperature will cross a threshold before the next
  // periodic step.
  void schedule_crossing(std::size_t ci, std::size_t g, double horizon_s) {
    ClusterT& ct = clusters[ci];
    Group& grp = ct.groups[g];
    engine->cancel(grp.crossing);
    const Limits& L = ct.lim;
    double t = kInf;
    const auto up = [&](double th) {
      t = std::min(t, grp.net.time_to_reach(ct.die, th, thermal::Crossing::rising, horizon_s));
    };
    const auto down = [&](double th) {
      t = std::min(t, grp.net.time_to_reach(ct.die, th, thermal::Crossing::falling, horizon_s));
    };
    switch (grp.state) {
      case kNormal: up(L.max_operating_c); break;
      case kSoftware: up(L.slowdown_c); down(L.max_operating_c); break;
      case kHardware: up(L.shutdown_c); down(L.max_operating_c); break;
      case kDown: down(L.restart_c); break;
    }
    if (!(t < horizon_s)) return;
    // Round up to the next nanosecond: at the scheduled instant the threshold has been reached.
    const SimTime at = engine->now() + SimTime::nanoseconds(static_cast<std::int64_t>(std::ceil(t * 1e9)) + 1);
    const auto c32 = static_cast<std::uint32_t>(ci);
    const auto g32 = static_cast<std::uint32_t>(g);
    grp.crossing = engine->schedule_at(at, phase::thermal, [this, c32, g32] { on_crossing(c32, g32); });
  }

  void on_crossing(std::size_t ci, std::size_t g) {
    ClusterT& ct = clusters[ci];
    advance_group(ct, g);
    if (control(ct, g)) set_counts(ct);
    const double next_tick = (last_step + max_step).to_seconds();
    schedule_crossing(ci, g, std::max(0.0, next_tick - now_s()));
  }

  // ---- plants ----
  void plant_step(Loop& lp, const Site& site, double dt) {
    const LoopSpec& s = lp.spec;
    const ambient::AmbientState& a = site.amb;
    const double q_in = lp.heat_acc_j / dt;
    lp.heat_in_j += lp.heat_acc_j;
    lp.heat_acc_j = 0;
    const double unit = s.design_heat_w / s.units;
    const double cap_units = lp.units_up * unit;
    const double ret_est = lp.supply_c + s.design_dt_k * q_in / s.design_heat_w;
    double floor_c = -kInf, capacity = cap_units, econ = 0, capft = 1;
    double t_cw = 0, cool_floor = 0;
    switch (s.kind) {
      case Kind::air_chiller:
        econ = s.economizer == LoopSpec::Economizer::waterside
                   ? cooling::waterside_economizer_fraction(s.wse, a.wet_bulb_c, s.chws_c)
               : s.economizer == LoopSpec::Economizer::airside
                   ? cooling::airside_economizer_fraction(a.dry_bulb_c, s.setpoint_c, ret_est)
                   : 0.0;
        t_cw = cooling::tower_leaving_water_c(s.tower, a.wet_bulb_c);
        capft = cooling::chiller_capft(s.chiller, s.chws_c, t_cw);
        capacity = cap_units * (econ + (1 - econ) * capft);
        break;
      case Kind::liquid_dry_cooler:
        cool_floor = cooling::dry_cooler_leaving_fluid_c(s.dry, a.dry_bulb_c, a.wet_bulb_c) + s.cdu_approach_k;
        if (!s.trim) floor_c = cool_floor;
        break;
      case Kind::underwater: floor_c = a.water_c + s.hx_approach_k; break;
      case Kind::free_air:
        cool_floor = a.dry_bulb_c + 1.0;
        if (!s.trim) floor_c = cool_floor;
        break;
      case Kind::seawater:
        cool_floor = a.water_c + s.hx_approach_k + s.coil_approach_k;
        if (!s.trim) floor_c = cool_floor;
        break;
    }
    if (std::isnan(floor_c)) floor_c = -kInf;  // no water body: nothing to float with
    const double target = std::max(s.setpoint_c, floor_c);
    const double M = s.heat_capacity_j_k;
    const double needed = q_in + M * (lp.supply_c - target) / dt;
    double q_rem = 0;
    if (needed < 0) {
      lp.supply_c += q_in * dt / M;  // the supply is below where the plant would hold it: let it warm
    } else if (needed <= capacity) {
      q_rem = needed;
      lp.supply_c = target;
    } else {
      q_rem = capacity;
      lp.supply_c += (q_in - capacity) * dt / M;
    }
    lp.heat_removed_j += q_rem * dt;
    lp.return_c = lp.supply_c + s.design_dt_k * q_in / s.design_heat_w;
    lp.max_supply_c = std::max(lp.max_supply_c, lp.supply_c);

    // Electric power and water for removing q_rem.
    double p = 0, water_m3_s = 0;
    const double fans = cooling::fan_power_for_heat_w(q_in, s.design_heat_w, s.fan_fraction, s.fan_exponent);
    const double pumps = s.pumps * cooling::pump_power_w(s.pump_pressure_pa, cooling::liquid_flow_m3_s(q_rem, s.water_dt_k),
                                                         s.pump_efficiency);
    switch (s.kind) {
      case Kind::air_chiller: {
        const double chiller_load = (1 - econ) * q_rem;
        double chiller_w = 0;
        if (chiller_load > 0 && lp.units_up > 0) {
          const auto op = cooling::chiller_operate(s.chiller, chiller_load / lp.units_up, s.chws_c, t_cw);
          chiller_w = op.power_w * lp.units_up;
        }
        // Heat economized through outdoor air leaves with the exhaust air, not through the towers.
        const double rejected = (s.economizer == LoopSpec::Economizer::airside ? (1 - econ) * q_rem : q_rem) + chiller_w;
        p = fans + pumps + chiller_w + cooling::tower_fan_power_w(s.tower, rejected, s.design_heat_w * 1.2);
        water_m3_s = cooling::tower_water_use(s.tower, rejected).makeup_m3_s();
        break;
      }
      case Kind::liquid_dry_cooler: {
        double free = 1, trim_w = 0;
        if (s.trim && cool_floor > target) {
          free = cooling::economizer_fraction(cool_floor, target, ret_est);
          const double cop = cooling::carnot_chiller_cop(s.trim_chiller, target - s.cdu_approach_k, a.dry_bulb_c);
          trim_w = (1 - free) * q_rem / cop;
        }
        const auto dc = cooling::dry_cooler_operate(s.dry, q_rem + trim_w, s.design_heat_w, a.dry_bulb_c, a.wet_bulb_c);
        p = fans + pumps + dc.fan_power_w + trim_w;
        water_m3_s = dc.water_kg_s / cooling::kWaterDensityKgPerM3;
        break;
      }
      case Kind::underwater: p = fans + pumps; break;
      case Kind::free_air: {
        double trim_w = 0;
        if (s.trim) {
          const double f = cooling::airside_economizer_fraction(a.dry_bulb_c, target, ret_est);
          if (f < 1) trim_w = (1 - f) * q_rem / cooling::carnot_chiller_cop(s.trim_chiller, target, a.dry_bulb_c);
        }
        p = fans + trim_w;
        break;
      }
      case Kind::seawater: {
        double trim_w = 0;
        if (s.trim && cool_floor > target) {
          const double f = cooling::economizer_fraction(cool_floor, target, ret_est);
          trim_w = (1 - f) * q_rem / cooling::carnot_chiller_cop(cooling::carnot_water_cooled(), target, a.water_c);
        }
        p = fans + pumps + trim_w;
        break;
      }
    }
    lp.last_power_w = p;
    lp.last_heat_w = q_rem;
    lp.last_water_m3_s = water_m3_s;
    lp.power_j += p * dt;
    lp.water_m3 += water_m3_s * dt;
  }

  // ---- the step ----
  void step() {
    const SimTime now = engine->now();
    const double dt = (now - last_step).to_seconds();
    if (!(dt > 0)) return;
    const double t0 = last_step.to_seconds(), t1 = now.to_seconds();
    for (ClusterT& ct : clusters) {
      ensure_groups(ct);
      for (std::size_t g = 0; g < ct.groups.size(); ++g) advance_group(ct, g);
      const double oh = serving->cluster_overhead_energy_j(ct.cluster);
      loops[ct.loop].heat_acc_j += oh - ct.overhead_last_j;
      ct.overhead_last_j = oh;
      const double it = serving->cluster_energy_j(ct.cluster);
      ct.it_step_j = it - ct.it_last_j;
      ct.it_last_j = it;
    }
    for (Site& site : sites) {
      site.amb = site.climate->at(0.5 * (t0 + t1));
      double it_j = 0;
      for (const std::size_t c : site.clusters) it_j += clusters[c].it_step_j;
      double cooling_w = 0, water = 0;
      for (const std::size_t l : site.loops) {
        plant_step(loops[l], site, dt);
        cooling_w += loops[l].last_power_w;
        water += loops[l].last_water_m3_s * dt;
      }
      const double it_w = it_j / dt;
      const double ups_in = power::input_power_w(site.ups, it_w);
      const double facility_w = ups_in + cooling_w + site.fixed_w;
      const double co2 = site.carbon.emissions_kg(facility_w, t0, t1);
      site.it_j += it_j;
      site.cooling_j += cooling_w * dt;
      site.ups_loss_j += (ups_in - it_w) * dt;
      site.fixed_j += site.fixed_w * dt;
      site.facility_j += facility_w * dt;
      site.water_m3 += water;
      site.co2_kg += co2;
      site.last_it_w = it_w;
      site.last_cooling_w = cooling_w;
      site.last_facility_w = facility_w;
      site.last_co2_kg_s = co2 / dt;
      // Attribute the site's facility energy, water and carbon to its clusters by IT energy.
      for (const std::size_t c : site.clusters) {
        const double share = it_j > 0 ? clusters[c].it_step_j / it_j : 1.0 / static_cast<double>(site.clusters.size());
        clusters[c].facility_j += share * facility_w * dt;
        clusters[c].water_m3 += share * water;
        clusters[c].co2_kg += share * co2;
      }
      // The grid envelope: cap the clocks when the site would exceed its connection.
      if (std::isfinite(site.grid_limit_w)) {
        if (facility_w > site.grid_limit_w) {
          site.clock_cap = std::max(0.2, site.clock_cap * std::cbrt(site.grid_limit_w / facility_w));
        } else if (site.clock_cap < 1 && facility_w < 0.97 * site.grid_limit_w) {
          site.clock_cap = std::min(1.0, site.clock_cap * std::min(1.05, std::cbrt(site.grid_limit_w / facility_w)));
        }
      }
    }
    last_step = now;
    const double horizon = max_step.to_seconds();
    for (std::size_t ci = 0; ci < clusters.size(); ++ci) {
      ClusterT& ct = clusters[ci];
      bool changed = false;
      for (std::size_t g = 0; g < ct.groups.size(); ++g) {
        ct.groups[g].net.set_boundary(ct.coolant, loops[ct.loop].supply_c);
        changed |= control(ct, g);
        schedule_crossing(ci, g, horizon);
      }
      if (changed) set_counts(ct);
    }
  }

  // ---- cooling units ----
  void schedule_unit_failure(std::size_t li) {
    Loop& lp = loops[li];
    engine->cancel(lp.failure);
    const double rate = lp.units_up * lp.spec.unit_failure_rate_per_s;
    if (!(rate > 0)) return;
    const auto l32 = static_cast<std::uint32_t>(li);
    lp.failure = engine->schedule_in(SimTime::from_seconds(lp.rng.exponential(rate)), phase::cooling,
                                     [this, l32] { unit_fails(l32); });
  }
  void unit_fails(std::size_t li) {
    Loop& lp = loops[li];
    step();
    --lp.units_up;
    if (sites[lp.site].repairs) {
      const auto l32 = static_cast<std::uint32_t>(li);
      engine->schedule_in(SimTime::from_seconds(lp.spec.unit_repair.sample(lp.rng)), phase::cooling,
                          [this, l32] { unit_back(l32, 1); });
    }
    schedule_unit_failure(li);
  }
  void unit_back(std::size_t li, int n) {
    Loop& lp = loops[li];
    step();
    lp.units_up = std::min(lp.units_up + n, lp.spec.units + lp.spec.spares);
    schedule_unit_failure(li);
  }
};

// ---- construction ---------------------------------------------------------------------------------------

bool wanted(const Params& root) {
  if (root.has("thermal")) return true;
  if (!root.has("sites")) return false;
  for (const auto& st : root.tables("sites")) {
    if (st.has("cooling")) return true;
  }
  return false;
}

namespace {

Kind read_kind(const Params& p) {
  const std::string k = p.choice("kind", {"air_chiller", "liquid_dry_cooler", "underwater", "free_air", "seawater"});
  if (k == "air_chiller") return Kind::air_chiller;
  if (k == "liquid_dry_cooler") return Kind::liquid_dry_cooler;
  if (k == "underwater") return Kind::underwater;
  if (k == "free_air") return Kind::free_air;
  return Kind::seawater;
}

LoopSpec read_loop(const Params& p) {
  LoopSpec s;
  s.name = p.text("name");
  s.kind = read_kind(p);
  s.path = p.choice("gpu_cooling", {"air", "cold_plate"}, s.kind == Kind::liquid_dry_cooler ? "cold_plate" : "air") ==
                   "air"
               ? Path::air
               : Path::cold_plate;
  s.design_heat_w = p.quantity("design_heat", qty::power, Range::positive());
  s.units = static_cast<int>(p.integer("units", 4, 1, 10000));
  s.spares = static_cast<int>(p.integer("spare_units", 1, 0, 10000));
  s.setpoint_c = p.quantity("supply", qty::temperature, default_setpoint(s.kind), Range::closed(-20, 80));
  // Thermal mass: 20 MJ/K per MW of design heat (air, water and structure; an assumption).
  s.heat_capacity_j_k = p.quantity("heat_capacity", qty::heat_capacity, 20.0 * s.design_heat_w, Range::positive());
  s.design_dt_k = p.quantity("design_delta_t", qty::temperature_difference,
                             s.kind == Kind::liquid_dry_cooler ? 10.0 : 12.0, Range::positive());
  s.unit_failure_rate_per_s = p.quantity("unit_failure_rate_per_year", qty::dimensionless, 0.0, Range::non_negative()) / kYear;
  s.unit_repair = p.distribution("unit_repair_time", qty::time, s.unit_repair, Range::positive());
  for (const auto& o : p.tables("unit_failures")) {
    UnitOutage u;
    u.at_s = o.quantity("at", qty::time, Range::non_negative());
    u.units = static_cast<int>(o.integer("units", 1, 1, 10000));
    u.duration_s = o.quantity("duration", qty::time, Range::positive());
    s.outages.push_back(u);
  }
  // Kind-specific equipment, with the defaults of the equipment models (sources in equipment.hpp).
  switch (s.kind) {
    case Kind::air_chiller: s.fan_fraction = 0.04; break;       // CRAH fans at design (an assumption)
    case Kind::liquid_dry_cooler: s.fan_fraction = 0.005; break; // residual air movers
    case Kind::underwater: s.fan_fraction = 0.02; break;         // vessel fans (an assumption)
    case Kind::free_air: s.fan_fraction = 0.015; break;          // direct outside-air fans (an assumption)
    case Kind::seawater: s.fan_fraction = 0.03; break;           // air handlers (an assumption)
  }
  s.fan_fraction = p.quantity("fan_power_fraction", qty::fraction, s.fan_fraction, Range::unit_interval());
  s.pumps = s.kind == Kind::free_air ? 0 : (s.kind == Kind::underwater ? 1 : 2);
  s.pumps = static_cast<int>(p.integer("pumps", s.pumps, 0, 10));
  s.pump_pressure_pa = p.quantity("pump_pressure", qty::pressure, s.kind == Kind::liquid_dry_cooler ? 150e3 : 200e3,
                                  Range::non_negative());
  s.pump_efficiency = p.quantity("pump_efficiency", qty::fraction, 0.7, Range{0, 1, true, false});
  s.water_dt_k = p.quantity("water_delta_t", qty::temperature_difference,
                            s.kind == Kind::liquid_dry_cooler ? 10.0 : 5.6, Range::positive());
  if (s.kind == Kind::air_chiller) {
    s.chws_c = p.quantity("chilled_water", qty::temperature, 10.0, Range::closed(0, 30));
    s.chiller = cooling::doe2_centrifugal_5_50cop(s.design_heat_w / s.units);
    s.tower.approach_k = p.quantity("tower_approach", qty::temperature_difference, s.tower.approach_k, Range::positive());
    s.tower.cycles_of_concentration =
        p.quantity("cycles_of_concentration", qty::dimensionless, s.tower.cycles_of_concentration, Range{1, 100, true, false});
    const std::string e = p.choice("economizer", {"waterside", "airside", "none"}, "waterside");
    s.economizer = e == "waterside" ? LoopSpec::Economizer::waterside
                   : e == "airside" ? LoopSpec::Economizer::airside
                                    : LoopSpec::Economizer::none;
    s.wse.tower_approach_k = s.tower.approach_k;
  }
  if (s.kind == Kind::liquid_dry_cooler) {
    s.dry.approach_k = p.quantity("dry_cooler_approach", qty::temperature_difference, s.dry.approach_k, Range::positive());
    s.dry.adiabatic = p.boolean("adiabatic", true);
    s.cdu_approach_k = p.quantity("cdu_approach", qty::temperature_difference, s.cdu_approach_k, Range::non_negative());
  }
  if (s.kind != Kind::air_chiller && s.kind != Kind::underwater) s.trim = p.boolean("trim", s.kind == Kind::free_air);
  if (s.kind == Kind::underwater || s.kind == Kind::seawater) {
    s.hx_approach_k = p.quantity("hx_approach", qty::temperature_difference, s.kind == Kind::underwater ? 4.0 : 2.0,
                                 Range::non_negative());
  }
  if (s.kind == Kind::seawater) {
    s.coil_approach_k = p.quantity("coil_approach", qty::temperature_difference, s.coil_approach_k, Range::non_negative());
  }
  return s;
}

Limits limits_for(const std::string& gpu_type) {
  Limits L;
  if (gpu_type.find("a100") != std::string::npos) L.max_operating_c = 85;  // A100: 85 / 89 / 92 °C
  return L;
}

void read_limits(const Params& p, Limits& L) {
  L.max_operating_c = p.quantity("max_operating", qty::temperature, L.max_operating_c, Range::closed(0, 150));
  L.slowdown_c = p.quantity("slowdown", qty::temperature, L.slowdown_c, Range::closed(0, 150));
  L.shutdown_c = p.quantity("shutdown", qty::temperature, L.shutdown_c, Range::closed(0, 150));
  L.restart_c = p.quantity("restart", qty::temperature, L.restart_c, Range::closed(0, 150));
  L.hw_factor = p.quantity("hw_slowdown_factor", qty::fraction, L.hw_factor, Range{0, 1, true, false});
  L.sw_gain_per_k = p.quantity("sw_gain", qty::dimensionless, L.sw_gain_per_k, Range::non_negative());
  L.sw_floor = p.quantity("sw_min_clock", qty::fraction, L.sw_floor, Range{0, 1, true, false});
  if (!(L.max_operating_c <= L.slowdown_c && L.slowdown_c <= L.shutdown_c)) {
    p.fail("shutdown", "thresholds in order: max_operating <= slowdown <= shutdown");
  }
  if (!(L.restart_c < L.shutdown_c)) p.fail("restart", "a restart temperature below the shutdown temperature");
}

}  // namespace

FacilityModel::~FacilityModel() = default;

FacilityModel::FacilityModel(const Params& root, const RunSettings& rs, serving::ServingModel& serving)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.serving = &serving;
  m.calendar = Calendar(rs.start_epoch);
  Limits global;
  std::optional<Params> thermal = root.optional_table("thermal");
  if (thermal) {
    m.max_step = thermal->duration("max_step", m.max_step, Range::positive());
    m.activation_ev = thermal->quantity("activation_energy", qty::activation_energy, m.activation_ev, Range::closed(0, 3));
    m.reference_c = thermal->quantity("reference_temperature", qty::temperature, m.reference_c, Range::closed(0, 150));
    m.hazard_on = thermal->boolean("temperature_dependent_failures", true);
  }

  const auto site_tables = root.tables("sites");
  for (std::size_t si = 0; si < site_tables.size(); ++si) {
    const Params& st = site_tables[si];
    Site site;
    site.name = serving.sites()[si].name;
    site.repairs = serving.sites()[si].repairs;
    site.climate = ambient::make_climate(st.table("ambient"), m.calendar);
    if (auto c = st.optional_table("carbon")) site.carbon = power::make_carbon_intensity(*c, m.calendar);
    double rated = 0;
    for (const std::size_t c : serving.sites()[si].clusters) rated += serving.cluster_max_power_w(c);
    rated = std::max(rated, 1.0);
    site.ups = st.has("ups") ? power::make_loss_curve(st.table("ups"), rated) : power::ups_double_conversion(rated);
    site.fixed_w = st.quantity("fixed_load", qty::power, 0.0, Range::non_negative());
    site.grid_limit_w = st.quantity("grid_limit", qty::power, kInf, Range::positive());
    const auto loop_tables = st.tables("cooling");
    if (loop_tables.empty()) st.fail("cooling", "at least one [[sites.cooling]] loop");
    std::vector<std::string> loop_names;
    for (const auto& lt : loop_tables) {
      Loop lp;
      lp.spec = read_loop(lt);
      if (std::find(loop_names.begin(), loop_names.end(), lp.spec.name) != loop_names.end()) {
        lt.fail("name", "a loop name not used before in this site");
      }
      if ((lp.spec.kind == Kind::underwater || lp.spec.kind == Kind::seawater) && std::isnan(site.climate->at(0).water_c)) {
        lt.fail("kind", "an ambient with a water temperature for a " +
                            std::string(lp.spec.kind == Kind::underwater ? "underwater" : "seawater") + " loop",
                "give the site's ambient water_mean/... or use a preset with water (finnish_coast, north_sea_seabed)");
      }
      loop_names.push_back(lp.spec.name);
      lp.site = si;
      lp.units_up = lp.spec.units + lp.spec.spares;
      lp.supply_c = lp.spec.setpoint_c;
      lp.return_c = lp.supply_c;
      lp.stored0_j = lp.spec.heat_capacity_j_k * lp.supply_c;
      site.loops.push_back(m.loops.size());
      m.loops.push_back(std::move(lp));
    }
    const auto cluster_tables = st.tables("clusters");
    for (std::size_t k = 0; k < cluster_tables.size(); ++k) {
      const Params& ctab = cluster_tables[k];
      const std::size_t ci = serving.sites()[si].clusters[k];
      ClusterT ct;
      ct.cluster = ci;
      ct.site = si;
      std::size_t loop_local = 0;
      if (ctab.has("cooling")) {
        const std::string ln = ctab.text("cooling");
        const auto it = std::find(loop_names.begin(), loop_names.end(), ln);
        if (it == loop_names.end()) {
          const std::string hint = did_you_mean_hint(ln, loop_names);
          ctab.fail("cooling", "the name of one of the site's cooling loops", hint);
        }
        loop_local = static_cast<std::size_t>(it - loop_names.begin());
      }
      ct.loop = site.loops[loop_local];
      m.loops[ct.loop].clusters.push_back(m.clusters.size());
      ct.lim = limits_for(serving.cluster_gpu_type(ci).name);
      if (thermal) read_limits(*thermal, ct.lim);
      ThermalPath path = default_path(m.loops[ct.loop].spec.path);
      if (auto th = ctab.optional_table("thermal")) {
        read_limits(*th, ct.lim);
        path.die_heat_capacity_j_k = th->quantity("die_heat_capacity", qty::heat_capacity, path.die_heat_capacity_j_k, Range::positive());
        path.sink_heat_capacity_j_k = th->quantity("sink_heat_capacity", qty::heat_capacity, path.sink_heat_capacity_j_k, Range::positive());
        path.die_to_sink_k_w = th->quantity("die_to_sink", qty::thermal_resistance, path.die_to_sink_k_w, Range::positive());
        path.sink_to_coolant_k_w =
            th->quantity("sink_to_coolant", qty::thermal_resistance, path.sink_to_coolant_k_w, Range::positive());
      }
      thermal::NetworkBuilder b;
      ct.die = b.add_node("die", path.die_heat_capacity_j_k);
      ct.sink = b.add_node(m.loops[ct.loop].spec.path == Path::air ? "heat_sink" : "cold_plate", path.sink_heat_capacity_j_k);
      ct.coolant = b.add_boundary("coolant", m.loops[ct.loop].spec.setpoint_c);
      b.connect(ct.die, ct.sink, 1.0 / path.die_to_sink_k_w);
      b.connect(ct.sink, ct.coolant, 1.0 / path.sink_to_coolant_k_w);
      ct.proto = std::make_shared<thermal::Network>(b.build());
      site.clusters.push_back(m.clusters.size());
      m.clusters.push_back(std::move(ct));
    }
    m.sites.push_back(std::move(site));
  }
}

void FacilityModel::start(Engine& engine) {
  Impl& m = *impl_;
  m.engine = &engine;
  for (std::size_t l = 0; l < m.loops.size(); ++l) {
    Loop& lp = m.loops[l];
    lp.rng = engine.stream("facility." + m.sites[lp.site].name + "." + lp.spec.name + ".units");
    m.schedule_unit_failure(l);
    for (const UnitOutage& o : lp.spec.outages) {
      const auto l32 = static_cast<std::uint32_t>(l);
      const int n = o.units;
      engine.schedule_at(SimTime::from_seconds(o.at_s), phase::cooling, [this, l32, n] {
        Impl& mm = *impl_;
        mm.step();
        mm.loops[l32].units_up = std::max(0, mm.loops[l32].units_up - n);
        mm.schedule_unit_failure(l32);
      });
      if (m.sites[lp.site].repairs) {
        engine.schedule_at(SimTime::from_seconds(o.at_s + o.duration_s), phase::cooling,
                           [this, l32, n] { impl_->unit_back(l32, n); });
      }
    }
  }
  // Groups exist once serving has put its initial fleet on line (serving starts first).
  for (ClusterT& ct : m.clusters) {
    m.ensure_groups(ct);
    ct.overhead_last_j = 0;
  }
  m.serving->set_power_listener([this](std::size_t c, std::size_t g, bool after) {
    Impl& mm = *impl_;
    ClusterT& ct = mm.clusters[c];
    if (g >= ct.groups.size()) mm.ensure_groups(ct);
    if (!after) {
      mm.advance_group(ct, g);  // up to now, with the power that held until now
      return;
    }
    // The new power may bring a threshold crossing before the next step: predict it again. In the normal
    // state only a rise in power can bring the next crossing (87 °C, rising) nearer; a crossing predicted
    // with the higher power and no longer due just re-evaluates the group harmlessly when it fires.
    Group& grp = ct.groups[g];
    const double p_new = mm.serving->group_power_w(c, g) / grp.gpus;
    const bool rose = p_new > grp.net.power(ct.die);
    grp.net.set_power(ct.die, p_new);
    if (grp.state == kNormal && !rose) return;
    const double next_tick = (mm.last_step + mm.max_step).to_seconds();
    mm.schedule_crossing(c, g, std::max(0.0, next_tick - mm.now_s()));
  });
  if (m.hazard_on) {
    const double bound = reliability::arrhenius_factor(m.activation_ev, m.reference_c, 100.0);
    m.serving->set_hazard(
        [this, bound](std::size_t c, std::size_t g) {
          const Impl& mm = *impl_;
          const ClusterT& ct = mm.clusters[c];
          if (g >= ct.groups.size()) return 1.0;
          return std::min(bound, reliability::arrhenius_factor(mm.activation_ev, mm.reference_c, mm.die_temp(ct, g)));
        },
        bound);
  }
  m.ticker = std::make_unique<PeriodicTimer>(engine, m.max_step, phase::thermal, [this](SimTime) { impl_->step(); });
  m.ticker->start(m.max_step);

  ProbeRegistry& pr = engine.probes();
  for (std::size_t ci = 0; ci < m.clusters.size(); ++ci) {
    const std::string g = "facility/" + m.serving->cluster_name(m.clusters[ci].cluster) + "/";
    pr.add_group({{g + "gpu_temp_mean_c", "degC", "mean GPU die temperature over the cluster's GPU groups", Sampling::instant},
                  {g + "gpu_temp_p99_c", "degC", "99th percentile of the groups' GPU die temperatures", Sampling::instant},
                  {g + "gpu_temp_max_c", "degC", "hottest group's GPU die temperature", Sampling::instant},
                  {g + "throttled_gpus", "1", "GPUs running at a reduced clock (thermal or power cap)", Sampling::instant},
                  {g + "shutdown_gpus", "1", "GPUs shut down by temperature", Sampling::instant},
                  {g + "clock_factor", "1", "mean clock factor of the cluster's GPUs", Sampling::instant}},
                 [this, ci](SimTime, std::span<double> out) {
                   const Impl& mm = *impl_;
                   const ClusterT& ct = mm.clusters[ci];
                   std::vector<double> temps;
                   temps.reserve(ct.groups.size());
                   double sum = 0, fsum = 0, n = 0;
                   for (std::size_t gi = 0; gi < ct.groups.size(); ++gi) {
                     const double t = mm.die_temp(ct, gi);
                     temps.push_back(t);
                     sum += t * ct.groups[gi].gpus;
                     fsum += (ct.groups[gi].state == kDown ? 0.0 : ct.groups[gi].applied) * ct.groups[gi].gpus;
                     n += ct.groups[gi].gpus;
                   }
                   if (temps.empty()) {
                     for (double& o : out) o = std::numeric_limits<double>::quiet_NaN();
                     return;
                   }
                   out[0] = sum / n;
                   const std::size_t k = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(temps.size()))) - 1;
                   std::nth_element(temps.begin(), temps.begin() + static_cast<std::ptrdiff_t>(k), temps.end());
                   out[1] = temps[k];
                   out[2] = *std::max_element(temps.begin(), temps.end());
                   out[3] = ct.throttled;
                   out[4] = ct.down;
                   out[5] = fsum / n;
                 });
  }
  for (std::size_t l = 0; l < m.loops.size(); ++l) {
    const Loop& lp = m.loops[l];
    const std::string g = "facility/" + m.sites[lp.site].name + "/" + lp.spec.name + "/";
    pr.add_group({{g + "supply_c", "degC", "loop supply temperature (air to the servers, or coolant to the cold plates)",
                   Sampling::instant},
                  {g + "return_c", "degC", "loop return temperature", Sampling::instant},
                  {g + "heat_removed_w", "W", "heat removed by the plant, averaged over the interval", Sampling::interval_mean},
                  {g + "power_w", "W", "electric power of the loop's plant, averaged over the interval", Sampling::interval_mean},
                  {g + "water_l_per_h", "L/h", "water drawn (evaporation, blow-down, adiabatic pads), averaged",
                   Sampling::interval_mean},
                  {g + "units_up", "1", "cooling units in service", Sampling::instant}},
                 [this, l, means = StepMeans<3>{}](SimTime, std::span<double> out) mutable {
                   const Impl& mm = *impl_;
                   const Loop& lp2 = mm.loops[l];
                   out[0] = lp2.supply_c;
                   out[1] = lp2.return_c;
                   means.fill(mm.last_step.to_seconds(), {lp2.heat_removed_j, lp2.power_j, lp2.water_m3},
                              {lp2.last_heat_w, lp2.last_power_w, lp2.last_water_m3_s}, out.subspan(2, 3),
                              {1.0, 1.0, 1000.0});  // water in L
                   out[4] *= 3600.0;                  // L/s -> L/h
                   out[5] = lp2.units_up;
                 });
  }
  for (std::size_t s = 0; s < m.sites.size(); ++s) {
    const std::string g = "facility/" + m.sites[s].name + "/";
    pr.add_group({{g + "dry_bulb_c", "degC", "outdoor dry-bulb temperature", Sampling::instant},
                  {g + "wet_bulb_c", "degC", "outdoor wet-bulb temperature", Sampling::instant},
                  {g + "water_c", "degC", "temperature of the cooling water body (sea), if any", Sampling::instant},
                  {g + "it_power_w", "W", "IT power (GPUs and servers), averaged over the interval", Sampling::interval_mean},
                  {g + "cooling_power_w", "W", "cooling plant power, averaged over the interval", Sampling::interval_mean},
                  {g + "facility_power_w", "W", "site power from the grid, averaged over the interval", Sampling::interval_mean},
                  {g + "pue", "1", "facility energy / IT energy over the interval", Sampling::interval_stat},
                  {g + "carbon_kg_per_h", "kg/h", "CO2 emission rate, averaged over the interval", Sampling::interval_mean},
                  {g + "clock_cap", "1", "clock cap from the grid power envelope", Sampling::instant}},
                 [this, s, means = StepMeans<4>{}](SimTime, std::span<double> out) mutable {
                   const Impl& mm = *impl_;
                   const Site& st = mm.sites[s];
                   out[0] = st.amb.dry_bulb_c;
                   out[1] = st.amb.wet_bulb_c;
                   out[2] = st.amb.water_c;
                   std::array<double, 4> m4;
                   means.fill(mm.last_step.to_seconds(), {st.it_j, st.cooling_j, st.facility_j, st.co2_kg},
                              {st.last_it_w, st.last_cooling_w, st.last_facility_w, st.last_co2_kg_s}, m4,
                              {1.0, 1.0, 1.0, 1.0});
                   out[3] = m4[0];
                   out[4] = m4[1];
                   out[5] = m4[2];
                   out[6] = out[3] > 0 ? out[5] / out[3] : std::numeric_limits<double>::quiet_NaN();
                   out[7] = m4[3] * 3600.0;
                   out[8] = st.clock_cap;
                 });
  }
}

void FacilityModel::on_warmup_end(SimTime now) {
  Impl& m = *impl_;
  m.step();
  m.measure_start = now;
  for (Site& s : m.sites) {
    s.it_ms = s.it_j;
    s.cooling_ms = s.cooling_j;
    s.facility_ms = s.facility_j;
    s.water_ms = s.water_m3;
    s.co2_ms = s.co2_kg;
  }
  for (ClusterT& ct : m.clusters) {
    ct.throttled_ms = ct.throttled_tw.integral(now);
    ct.down_ms = ct.down_tw.integral(now);
    ct.facility_ms = ct.facility_j;
    ct.water_ms = ct.water_m3;
    ct.co2_ms = ct.co2_kg;
    ct.max_temp_c = -kInf;
    for (std::size_t g = 0; g < ct.groups.size(); ++g) ct.max_temp_c = std::max(ct.max_temp_c, m.die_temp(ct, g));
  }
  for (Loop& lp : m.loops) lp.max_supply_c = lp.supply_c;
}

void FacilityModel::finish(SimTime now, Summary& sum) {
  Impl& m = *impl_;
  m.step();
  double it = 0, fac = 0, cool = 0, water = 0, co2 = 0;
  for (const Site& s : m.sites) {
    const double s_it = s.it_j - s.it_ms, s_fac = s.facility_j - s.facility_ms;
    const double s_water = s.water_m3 - s.water_ms, s_co2 = s.co2_kg - s.co2_ms;
    it += s_it;
    fac += s_fac;
    cool += s.cooling_j - s.cooling_ms;
    water += s_water;
    co2 += s_co2;
    const std::string g = "facility." + s.name;
    sum.add(g + ".pue", s_it > 0 ? s_fac / s_it : 0.0, "1", "facility energy / IT energy over the measured span");
    sum.add(g + ".wue_l_per_kwh", s_it > 0 ? s_water * 1000.0 / (s_it / 3.6e6) : 0.0, "L/kWh", "site water per IT kWh");
    sum.add(g + ".energy_kwh", s_fac / 3.6e6, "kWh", "site energy from the grid");
    sum.add(g + ".water_m3", s_water, "m3", "water drawn by the cooling plants");
    sum.add(g + ".co2_t", s_co2 / 1000.0, "t", "CO2 emitted for the site's electricity");
    double max_supply = -kInf;
    for (const std::size_t l : s.loops) max_supply = std::max(max_supply, m.loops[l].max_supply_c);
    sum.add(g + ".max_supply_c", max_supply, "degC", "highest loop supply temperature");
  }
  sum.add("facility.it_energy_kwh", it / 3.6e6, "kWh", "IT energy of all sites");
  sum.add("facility.cooling_energy_kwh", cool / 3.6e6, "kWh", "cooling energy of all sites");
  sum.add("facility.energy_kwh", fac / 3.6e6, "kWh", "energy drawn from the grid by all sites");
  sum.add("facility.pue", it > 0 ? fac / it : 0.0, "1", "fleet PUE over the measured span (energy ratio)");
  sum.add("facility.wue_l_per_kwh", it > 0 ? water * 1000.0 / (it / 3.6e6) : 0.0, "L/kWh", "fleet water per IT kWh");
  sum.add("facility.water_m3", water, "m3", "water drawn by all cooling plants");
  sum.add("facility.co2_t", co2 / 1000.0, "t", "CO2 of all sites' electricity");
  sum.add("facility.household_days", power::household_days(fac), "1",
          "facility energy in US household-days (10,715 kWh/yr, EIA)");
  // Per request, by class: the clusters' attributed shares over the requests they served.
  const std::size_t nc = m.serving->class_count();
  std::vector<double> fac_c(nc, 0.0), water_c(nc, 0.0), co2_c(nc, 0.0);
  std::vector<std::uint64_t> done_c(nc, 0);
  for (const ClusterT& ct : m.clusters) {
    const std::size_t c = m.serving->cluster_class(ct.cluster);
    fac_c[c] += ct.facility_j - ct.facility_ms;
    water_c[c] += ct.water_m3 - ct.water_ms;
    co2_c[c] += ct.co2_kg - ct.co2_ms;
    done_c[c] += m.serving->cluster_completions_measured(ct.cluster);
  }
  for (std::size_t c = 0; c < nc; ++c) {
    const std::string g = "facility." + m.serving->class_name(c);
    const double n = static_cast<double>(done_c[c]);
    sum.add(g + ".energy_per_request_wh", n > 0 ? fac_c[c] / n / 3600.0 : 0.0, "Wh",
            "facility energy (IT, cooling, UPS, fixed loads) per request served");
    sum.add(g + ".water_per_request_ml", n > 0 ? water_c[c] * 1e6 / n : 0.0, "mL", "cooling water per request served");
    sum.add(g + ".co2_per_request_g", n > 0 ? co2_c[c] * 1000.0 / n : 0.0, "g", "CO2 per request served");
  }
  double gpu_h_throttled = 0, gpu_h_down = 0, t_max = -kInf;
  for (const ClusterT& ct : m.clusters) {
    const std::string name = m.serving->cluster_name(ct.cluster);
    const double th = (ct.throttled_tw.integral(now) - ct.throttled_ms) / 3600.0;
    const double dn = (ct.down_tw.integral(now) - ct.down_ms) / 3600.0;
    gpu_h_throttled += th;
    gpu_h_down += dn;
    t_max = std::max(t_max, ct.max_temp_c);
    sum.add("facility." + name + ".gpu_temp_max_c", ct.max_temp_c, "degC", "hottest GPU group temperature seen");
    sum.add("facility." + name + ".gpu_hours_throttled", th, "h", "GPU-hours at a reduced clock");
    sum.add("facility." + name + ".gpu_hours_shutdown", dn, "h", "GPU-hours shut down by temperature");
  }
  sum.add("facility.gpu_temp_max_c", t_max, "degC", "hottest GPU group temperature seen in the fleet");
  sum.add("facility.gpu_hours_throttled", gpu_h_throttled, "h", "GPU-hours at a reduced clock, fleet");
  sum.add("facility.gpu_hours_shutdown", gpu_h_down, "h", "GPU-hours shut down by temperature, fleet");
}

void FacilityModel::check_invariants(SimTime now) const {
  const Impl& m = *impl_;
  // Read-only: the balances are taken as of now without advancing anything. Serving's energy integrals
  // run to now; a GPU group's network has taken its heat up to its own last advance (the power since then
  // is pending), and server overhead reaches the loops at the thermal steps (the overhead since the last
  // step is pending).
  // GPU heat into the networks equals the GPU energy serving integrated, and all IT heat is either
  // removed by a plant, stored in a GPU network or a loop, or pending.
  double gpu_in = 0, gpu_serving = 0, stored = 0, it_heat = 0, removed = 0, pending = 0;
  for (const ClusterT& ct : m.clusters) {
    const double overhead = m.serving->cluster_overhead_energy_j(ct.cluster);
    gpu_serving += m.serving->cluster_energy_j(ct.cluster) - overhead;
    it_heat += m.serving->cluster_energy_j(ct.cluster);
    pending += overhead - ct.overhead_last_j;
    for (std::size_t g = 0; g < ct.groups.size(); ++g) {
      const Group& grp = ct.groups[g];
      const double h = std::max(0.0, now.to_seconds() - grp.last_s);
      const double pending_in = h > 0 ? m.serving->group_power_w(ct.cluster, g) * h : 0.0;
      gpu_in += grp.heat_in_j + pending_in;
      pending += pending_in;
      stored += grp.net.stored_energy_j() * grp.gpus - grp.stored0_j;
    }
  }
  for (const Loop& lp : m.loops) {
    removed += lp.heat_removed_j;
    stored += lp.spec.heat_capacity_j_k * lp.supply_c - lp.stored0_j + lp.heat_acc_j;
  }
  stored += pending;
  const double scale = std::max(1.0, it_heat);
  if (std::abs(gpu_in - gpu_serving) > 1e-6 * scale) {
    throw SimulationError(now, "facility", "GPU heat into the thermal networks (" + std::to_string(gpu_in) +
                                               " J) differs from the GPU energy served (" + std::to_string(gpu_serving) + " J)");
  }
  if (std::abs(it_heat - removed - stored) > 1e-6 * scale) {
    throw SimulationError(now, "facility", "energy balance broken: IT heat " + std::to_string(it_heat) + " J != removed " +
                                               std::to_string(removed) + " J + stored " + std::to_string(stored) + " J");
  }
  // Each site's facility energy, water and carbon are attributed to its clusters in full.
  for (const Site& site : m.sites) {
    double fac = 0, water = 0, co2 = 0;
    for (const std::size_t c : site.clusters) {
      fac += m.clusters[c].facility_j;
      water += m.clusters[c].water_m3;
      co2 += m.clusters[c].co2_kg;
    }
    const auto off = [](double part, double whole) { return std::abs(part - whole) > 1e-9 * std::max(1.0, std::abs(whole)); };
    if (!site.clusters.empty() && (off(fac, site.facility_j) || off(water, site.water_m3) || off(co2, site.co2_kg))) {
      throw SimulationError(now, "facility." + site.name,
                            "the clusters' shares of facility energy (" + std::to_string(fac) + " J), water or carbon do not "
                            "add up to the site's (" + std::to_string(site.facility_j) + " J)");
    }
  }
}

double FacilityModel::gpu_temperature_c(std::size_t cluster, std::size_t group) const {
  return impl_->die_temp(impl_->clusters[cluster], group);
}

double FacilityModel::loop_supply_c(std::size_t site, std::size_t loop) const {
  return impl_->loops[impl_->sites[site].loops[loop]].supply_c;
}

}  // namespace dcsim::facility
