// Reading the facility's scenario keys into the structs of spec.hpp.
#include "models/facility/spec.hpp"

#include <algorithm>
#include <cmath>

#include "models/facility/plant.hpp"

namespace dcsim::facility {

namespace {

constexpr double kYear = 365.25 * 86400.0;

ThermalPath default_path(Path p) {
  if (p == Path::air) return {33, 450, 0.015, 0.055};
  return {33, 500, 0.01, 0.02};
}

LoopSpec read_loop(const Params& p) {
  LoopSpec s;
  s.name = p.text("name");
  s.kind = &plant_kind(p.choice("kind", {"air_chiller", "liquid_dry_cooler", "underwater", "free_air", "seawater"}));
  const KindDefaults& d = s.kind->defaults;
  s.path = p.choice("gpu_cooling", {"air", "cold_plate"}, d.gpu_cooling == Path::cold_plate ? "cold_plate" : "air") ==
                   "air"
               ? Path::air
               : Path::cold_plate;
  s.design_heat_w = p.quantity("design_heat", qty::power, Range::positive());
  s.units = static_cast<int>(p.integer("units", 4, 1, 10000));
  s.spares = static_cast<int>(p.integer("spare_units", 1, 0, 10000));
  s.setpoint_c = p.quantity("supply", qty::temperature, d.supply_c, Range::closed(-20, 80));
  // Thermal mass: 20 MJ/K per MW of design heat (air, water and structure; an assumption).
  s.heat_capacity_j_k = p.quantity("heat_capacity", qty::heat_capacity, 20.0 * s.design_heat_w, Range::positive());
  s.design_dt_k = p.quantity("design_delta_t", qty::temperature_difference, d.design_dt_k, Range::positive());
  s.unit_failure_rate_per_s = p.quantity("unit_failure_rate_per_year", qty::dimensionless, 0.0, Range::non_negative()) / kYear;
  s.unit_repair = p.distribution("unit_repair_time", qty::time, s.unit_repair, Range::positive());
  for (const auto& o : p.tables("unit_failures")) {
    UnitOutage u;
    u.at_s = o.quantity("at", qty::time, Range::non_negative());
    u.units = static_cast<int>(o.integer("units", 1, 1, 10000));
    u.duration_s = o.quantity("duration", qty::time, Range::positive());
    s.outages.push_back(u);
  }
  // Kind-specific equipment, with the defaults of the kind (plants/*.cpp) and of the equipment models (sources
  // in equipment.hpp).
  s.fan_fraction = p.quantity("fan_power_fraction", qty::fraction, d.fan_fraction, Range::unit_interval());
  s.pumps = static_cast<int>(p.integer("pumps", d.pumps, 0, 10));
  s.pump_pressure_pa = p.quantity("pump_pressure", qty::pressure, d.pump_pressure_pa, Range::non_negative());
  s.pump_efficiency = p.quantity("pump_efficiency", qty::fraction, 0.7, Range{0, 1, true, false});
  s.water_dt_k = p.quantity("water_delta_t", qty::temperature_difference, d.water_dt_k, Range::positive());
  if (d.chiller_plant) {
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
  if (d.dry_coolers) {
    s.dry.approach_k = p.quantity("dry_cooler_approach", qty::temperature_difference, s.dry.approach_k, Range::positive());
    s.dry.adiabatic = p.boolean("adiabatic", true);
    s.cdu_approach_k = p.quantity("cdu_approach", qty::temperature_difference, s.cdu_approach_k, Range::non_negative());
  }
  if (d.trim) s.trim = p.boolean("trim", *d.trim);
  if (d.water_hx_approach_k) {
    s.hx_approach_k =
        p.quantity("hx_approach", qty::temperature_difference, *d.water_hx_approach_k, Range::non_negative());
  }
  if (d.coils) {
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

FacilitySpec read_spec(const Params& root, const Calendar& calendar, const serving::ServingModel& serving) {
  FacilitySpec f;
  std::optional<Params> thermal = root.optional_table("thermal");
  if (thermal) {
    f.max_step = thermal->duration("max_step", f.max_step, Range::positive());
    f.activation_ev = thermal->quantity("activation_energy", qty::activation_energy, f.activation_ev, Range::closed(0, 3));
    f.reference_c = thermal->quantity("reference_temperature", qty::temperature, f.reference_c, Range::closed(0, 150));
    f.hazard_on = thermal->boolean("temperature_dependent_failures", true);
  }

  const auto site_tables = root.tables("sites");
  for (std::size_t si = 0; si < site_tables.size(); ++si) {
    const Params& st = site_tables[si];
    SiteSpec site;
    site.climate = ambient::make_climate(st.table("ambient"), calendar);
    if (auto c = st.optional_table("carbon")) site.carbon = power::make_carbon_intensity(*c, calendar);
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
      LoopSpec ls = read_loop(lt);
      if (std::find(loop_names.begin(), loop_names.end(), ls.name) != loop_names.end()) {
        lt.fail("name", "a loop name not used before in this site");
      }
      if (ls.kind->defaults.water_hx_approach_k && std::isnan(site.climate->at(0).water_c)) {
        lt.fail("kind", "an ambient with a water temperature for a " + std::string(ls.kind->name) + " loop",
                "give the site's ambient water_mean/... or use a preset with water (finnish_coast, north_sea_seabed)");
      }
      loop_names.push_back(ls.name);
      site.loops.push_back(std::move(ls));
    }
    const auto cluster_tables = st.tables("clusters");
    for (std::size_t k = 0; k < cluster_tables.size(); ++k) {
      const Params& ctab = cluster_tables[k];
      const std::size_t ci = serving.sites()[si].clusters[k];
      ClusterSpec ct;
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
      ct.loop = loop_local;
      ct.lim = limits_for(serving.cluster_gpu_type(ci).name);
      if (thermal) read_limits(*thermal, ct.lim);
      ThermalPath path = default_path(site.loops[ct.loop].path);
      if (auto th = ctab.optional_table("thermal")) {
        read_limits(*th, ct.lim);
        path.die_heat_capacity_j_k = th->quantity("die_heat_capacity", qty::heat_capacity, path.die_heat_capacity_j_k, Range::positive());
        path.sink_heat_capacity_j_k = th->quantity("sink_heat_capacity", qty::heat_capacity, path.sink_heat_capacity_j_k, Range::positive());
        path.die_to_sink_k_w = th->quantity("die_to_sink", qty::thermal_resistance, path.die_to_sink_k_w, Range::positive());
        path.sink_to_coolant_k_w =
            th->quantity("sink_to_coolant", qty::thermal_resistance, path.sink_to_coolant_k_w, Range::positive());
      }
      ct.path = path;
      site.clusters.push_back(ct);
    }
    f.sites.push_back(std::move(site));
  }
  return f;
}

}  // namespace dcsim::facility
