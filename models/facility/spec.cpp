// Reading the facility's scenario keys into the structs of spec.hpp.
#include "models/facility/spec.hpp"

#include <algorithm>
#include <cmath>

#include "models/facility/plant.hpp"

namespace dcsim::facility {

namespace {

constexpr double kYear = 365.25 * 86400.0;

LoopSpec read_loop(const Params& p) {
  LoopSpec s;
  s.name = p.name("name");
  s.kind = &plant_kind(p.choice("kind"));
  // The kind's preset fills the keys the scenario leaves out (plants/*.cpp); the other defaults are the
  // parameter table's (params.cpp, sources there).
  const KindDefaults& d = s.kind->defaults;
  s.path = p.choice_or("gpu_cooling", d.gpu_cooling == Path::cold_plate ? "cold_plate" : "air") == "air"
               ? Path::air
               : Path::cold_plate;
  s.design_heat_w = p.quantity("design_heat");
  s.units = static_cast<int>(p.integer("units"));
  s.spares = static_cast<int>(p.integer("spare_units"));
  s.setpoint_c = p.quantity_or("supply", d.supply_c);
  s.heat_capacity_j_k = p.quantity_or("heat_capacity", kLoopHeatCapacityPerDesignWatt * s.design_heat_w);
  s.design_dt_k = p.quantity_or("design_delta_t", d.design_dt_k);
  s.unit_failure_rate_per_s = p.quantity("unit_failure_rate_per_year") / kYear;
  s.unit_repair = p.distribution("unit_repair_time");
  for (const auto& o : p.tables("unit_failures")) {
    UnitOutage u;
    u.at_s = o.quantity("at");
    u.units = static_cast<int>(o.integer("units"));
    if (u.units > s.units + s.spares) {
      o.fail("units", "at most " + std::to_string(s.units + s.spares) + " failing units (the loop has units = " +
                          std::to_string(s.units) + " and spare_units = " + std::to_string(s.spares) + ")");
    }
    u.duration_s = o.quantity("duration");
    s.outages.push_back(u);
  }
  // Kind-specific equipment.
  s.fan_fraction = p.quantity_or("fan_power_fraction", d.fan_fraction);
  s.pumps = static_cast<int>(p.integer_or("pumps", d.pumps));
  s.pump_pressure_pa = p.quantity_or("pump_pressure", d.pump_pressure_pa);
  s.pump_efficiency = p.quantity("pump_efficiency");
  s.water_dt_k = p.quantity_or("water_delta_t", d.water_dt_k);
  if (d.chiller_plant) {
    s.chws_c = p.quantity("chilled_water");
    s.chiller = cooling::doe2_centrifugal_5_50cop(s.design_heat_w / s.units);
    s.tower.approach_k = p.quantity("tower_approach");
    s.tower.cycles_of_concentration = p.quantity("cycles_of_concentration");
    const std::string e = p.choice("economizer");
    s.economizer = e == "waterside" ? LoopSpec::Economizer::waterside
                   : e == "airside" ? LoopSpec::Economizer::airside
                                    : LoopSpec::Economizer::none;
    s.wse.tower_approach_k = s.tower.approach_k;
  }
  if (d.dry_coolers) {
    s.dry.approach_k = p.quantity("dry_cooler_approach");
    s.dry.adiabatic = p.boolean("adiabatic");
    s.cdu_approach_k = p.quantity("cdu_approach");
  }
  if (d.trim) s.trim = p.has("trim") ? p.boolean("trim") : *d.trim;
  if (d.water_hx_approach_k) s.hx_approach_k = p.quantity_or("hx_approach", *d.water_hx_approach_k);
  if (d.coils) s.coil_approach_k = p.quantity("coil_approach");
  return s;
}

// The throttle keys of [thermal] (`cluster` false: their defaults are the table's, max_operating the GPU
// type's) or of a cluster's thermal table (each defaults to [thermal]'s value, already in L).
void read_limits(const Params& p, Limits& L, bool cluster) {
  const auto read = [&](std::string_view key, double& field) {
    field = cluster ? p.quantity_or(key, field) : p.quantity(key);
  };
  L.max_operating_c = p.quantity_or("max_operating", L.max_operating_c);
  read("slowdown", L.slowdown_c);
  read("shutdown", L.shutdown_c);
  read("restart", L.restart_c);
  read("hw_slowdown_factor", L.hw_factor);
  read("sw_gain", L.sw_gain_per_k);
  read("sw_min_clock", L.sw_floor);
  if (!(L.max_operating_c <= L.slowdown_c && L.slowdown_c <= L.shutdown_c)) {
    p.fail("shutdown", "thresholds in order: max_operating <= slowdown <= shutdown");
  }
  if (!(L.restart_c < L.shutdown_c)) p.fail("restart", "a restart temperature below the shutdown temperature");
}

}  // namespace

ThermalPath default_thermal_path(Path p) {
  if (p == Path::air) return {33, 450, 0.015, 0.055};
  return {33, 500, 0.01, 0.02};
}

Limits limits_for(const std::string& gpu_type) {
  Limits L;
  if (gpu_type.find("a100") != std::string::npos) L.max_operating_c = 85;  // A100: 85 / 89 / 92 °C
  return L;
}

FacilitySpec read_spec(const Params& root, const Calendar& calendar, const serving::ServingModel& serving,
                       const sites::Layout& layout) {
  FacilitySpec f;
  // Without a [thermal] table its keys take their defaults: read them from an empty one (the same for an
  // absent costs.electricity).
  const ConfigValue no_thermal = ConfigValue::make_table({});
  const std::optional<Params> given = root.optional_table("thermal");
  const Params thermal = given ? *given : Params(no_thermal, "thermal", *root.schema());
  f.max_step = thermal.duration("max_step");
  f.activation_ev = thermal.quantity("activation_energy");
  f.reference_c = thermal.quantity("reference_temperature");
  f.hazard_on = thermal.boolean("temperature_dependent_failures");
  // Costs: the fleet's electricity price, which a site's electricity_price replaces.
  std::optional<power::EnergyRate> fleet_price;
  if (const auto c = root.optional_table("costs")) {
    f.costs = costs::CostParams::from(*c);
    const std::optional<Params> e = c->optional_table("electricity");
    fleet_price = costs::make_price(e ? *e : Params(no_thermal, "costs.electricity", *root.schema()), calendar);
  }

  for (std::size_t si = 0; si < layout.sites.size(); ++si) {
    const Params& st = layout.sites[si].table;
    SiteSpec site;
    site.climate = ambient::make_climate(st.table("ambient"), calendar);
    if (auto c = st.optional_table("carbon")) site.carbon = power::make_carbon_intensity(*c, calendar);
    if (auto p = st.optional_table("electricity_price")) {
      if (!f.costs) p->fail("constant", "a [costs] section for a site's electricity_price (prices are counted there)");
      site.price = costs::make_price(*p, calendar);
    } else if (fleet_price) {
      site.price = *fleet_price;
    }
    double rated = 0;
    for (const std::size_t c : layout.sites[si].clusters) rated += serving.cluster_max_power_w(c);
    rated = std::max(rated, 1.0);
    site.ups = st.has("ups") ? power::make_loss_curve(st.table("ups"), rated) : power::ups_double_conversion(rated);
    site.fixed_w = st.quantity("fixed_load");
    site.grid_limit_w = st.optional_quantity("grid_limit").value_or(kInf);
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
    for (const std::size_t ci : layout.sites[si].clusters) {
      const Params& ctab = layout.clusters[ci].table;
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
      read_limits(thermal, ct.lim, false);
      ThermalPath path = default_thermal_path(site.loops[ct.loop].path);
      if (auto th = ctab.optional_table("thermal")) {
        read_limits(*th, ct.lim, true);
        path.die_heat_capacity_j_k = th->quantity_or("die_heat_capacity", path.die_heat_capacity_j_k);
        path.sink_heat_capacity_j_k = th->quantity_or("sink_heat_capacity", path.sink_heat_capacity_j_k);
        path.die_to_sink_k_w = th->quantity_or("die_to_sink", path.die_to_sink_k_w);
        path.sink_to_coolant_k_w = th->quantity_or("sink_to_coolant", path.sink_to_coolant_k_w);
      }
      ct.path = path;
      site.clusters.push_back(ct);
    }
    f.sites.push_back(std::move(site));
  }
  return f;
}

}  // namespace dcsim::facility
