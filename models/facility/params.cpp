// The parameter table of the facility's keys: [thermal]; each site's fixed_load and grid_limit; its
// [[sites.cooling]] loops; its clusters' `cooling` and `thermal` keys. Read in spec.cpp. The defaults a loop
// takes from its kind are the kind's preset (KindDefaults, plants/*.cpp): the sources below list them from
// the kinds' table, so they are written once.
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "models/facility/plant.hpp"
#include "sim/core/param_table.hpp"

namespace dcsim::facility {

namespace {

std::string num(double v) {
  std::ostringstream o;
  o.precision(6);
  o << v;
  return o.str();
}

// "the loop kind's preset: air_chiller 24 degC, liquid_dry_cooler 35 degC, ..." for the kinds `has`.
std::string per_kind(const std::function<std::string(const KindDefaults&)>& value,
                     const std::function<bool(const KindDefaults&)>& has = {}) {
  std::string s = "the loop kind's preset (plants/*.cpp):";
  bool first = true;
  for (const PlantKind* k : plant_kinds()) {
    if (has && !has(k->defaults)) continue;
    s += std::string(first ? " " : ", ") + std::string(k->name) + " " + value(k->defaults);
    first = false;
  }
  return s;
}

// The GPU throttle's thresholds and controller, in [thermal] (every cluster) and in a cluster's thermal table.
// In [thermal] max_operating comes from the GPU type; in a cluster, every key defaults to [thermal]'s value.
std::vector<ParamDef> limit_defs(const std::string& table, bool cluster) {
  const std::string from_thermal = "the value in [thermal], else its default there";
  const auto def = [&](ParamDef d, std::string value, Basis basis, std::string source) {
    d.key = table + "." + d.key;
    if (cluster) {
      d.basis = Basis::derived;
      d.source = from_thermal;
    } else {
      d.def = std::move(value);
      d.basis = basis;
      d.source = std::move(source);
    }
    return d;
  };
  const std::string nvsmi = "nvidia-smi thresholds of Hopper and A100 GPUs (DOMAIN.md §4)";
  ParamDef max_op{.key = "max_operating", .type = ParamType::quantity, .kind = &qty::temperature,
                  .range = Range::closed(0, 150),
                  .help = "Die temperature above which software throttling lowers the clock."};
  if (cluster) {
    max_op.basis = Basis::derived;
    max_op.source = from_thermal;
  } else {
    max_op.basis = Basis::derived;
    max_op.source = "the GPU type's: " + num(limits_for("a100").max_operating_c) + " degC for A100, " +
                    num(limits_for("").max_operating_c) + " degC otherwise (" + nvsmi + ")";
  }
  max_op.key = table + "." + max_op.key;
  return {
      max_op,
      def({.key = "slowdown", .type = ParamType::quantity, .kind = &qty::temperature, .range = Range::closed(0, 150),
           .help = "Die temperature at which hardware slowdown sets the clock to hw_slowdown_factor."},
          "89 degC", Basis::sourced, nvsmi),
      def({.key = "shutdown", .type = ParamType::quantity, .kind = &qty::temperature, .range = Range::closed(0, 150),
           .help = "Die temperature at which the GPUs stop (their batches are re-queued)."},
          "92 degC", Basis::sourced, nvsmi),
      def({.key = "restart", .type = ParamType::quantity, .kind = &qty::temperature, .range = Range::closed(0, 150),
           .help = "Die temperature below which stopped GPUs start again."},
          "80 degC", Basis::assumption, "well below shutdown, so that a stopped GPU cools before it restarts"),
      def({.key = "hw_slowdown_factor", .type = ParamType::quantity, .kind = &qty::fraction,
           .range = {0, 1, true, false}, .help = "Clock factor under hardware slowdown."},
          "0.5", Basis::assumption, "unverified (DOMAIN.md §4, §11); the firmware's value is not published"),
      def({.key = "sw_gain", .type = ParamType::quantity, .kind = &qty::dimensionless,
           .range = Range::non_negative(),
           .help = "Software throttling's proportional gain: clock reduction per kelvin above max_operating."},
          "0.1", Basis::assumption, "a controller that holds the die near max_operating; the firmware's is not published"),
      def({.key = "sw_min_clock", .type = ParamType::quantity, .kind = &qty::fraction, .range = {0, 1, true, false},
           .help = "Lowest clock factor software throttling sets."},
          "0.3", Basis::assumption, "the firmware's floor is not published"),
  };
}

// "<air> for air, <cold plate> for a cold plate" of one constant of the default thermal paths.
std::string per_path(double ThermalPath::*field, const std::string& unit) {
  const std::string path =
      "the cooling path of the cluster's loop (assumptions that give, with the other path constant, "
      "junction-to-coolant 0.07 K/W and a sink time constant of ~25 s for air, 0.03 K/W and ~10 s for a cold "
      "plate: DOMAIN.md §4, §10): ";
  return path + num(default_thermal_path(Path::air).*field) + " " + unit + " for air, " +
         num(default_thermal_path(Path::cold_plate).*field) + " " + unit + " for a cold plate";
}

}  // namespace

const std::vector<ParamDef>& parameter_table() {
  static const std::vector<ParamDef> t = [] {
    const auto temp = [](double c) { return num(c) + " degC"; };
    const auto diff = [](double k) { return num(k) + " K"; };
    std::vector<std::string> kinds;
    for (const PlantKind* k : plant_kinds()) kinds.emplace_back(k->name);

    std::vector<ParamDef> v = {
        {.key = "thermal", .type = ParamType::table, .basis = Basis::optional,
         .source = "absent: every default below",
         .help = "Facility-wide thermal settings: the thermal step, the failure hazard and the GPU throttle."},
        {.key = "thermal.max_step", .type = ParamType::duration, .range = Range::closed(1e-3, 3600), .def = "2 s",
         .basis = Basis::assumption, .source = "short against heat-sink time constants of 10–30 s (DOMAIN.md §4)",
         .help = "Longest thermal step (earlier when a threshold crossing is predicted)."},
        {.key = "thermal.activation_energy", .type = ParamType::quantity, .kind = &qty::activation_energy,
         .range = Range::closed(0, 3), .def = "0.5 eV", .basis = Basis::sourced,
         .source = "the convention suggested in DOMAIN.md §6 (range 0.3–1.0 eV; field evidence is weaker)",
         .help = "Arrhenius activation energy of the GPU failure hazard's temperature dependence."},
        {.key = "thermal.reference_temperature", .type = ParamType::quantity, .kind = &qty::temperature,
         .range = Range::closed(0, 150), .def = "70 degC", .basis = Basis::assumption,
         .source = "a loaded GPU's die temperature, at which a fleet's measured failure rate is taken to hold",
         .help = "Die temperature at which the GPUs' base failure rate holds."},
        {.key = "thermal.temperature_dependent_failures", .type = ParamType::boolean, .def = "true",
         .basis = Basis::assumption, .source = "the Arrhenius model DOMAIN.md §6 suggests",
         .help = "Whether the GPU failure hazard scales with die temperature (Arrhenius)."},
    };
    for (auto& d : limit_defs("thermal", false)) v.push_back(std::move(d));

    const std::vector<ParamDef> site = {
        {.key = "sites[].fixed_load", .type = ParamType::quantity, .kind = &qty::power,
         .range = Range::closed(0, 1e10), .def = "0 W", .basis = Basis::assumption,
         .source = "no load beyond IT, UPS losses and cooling unless given",
         .help = "Constant site load besides IT and cooling (lighting, offices)."},
        {.key = "sites[].grid_limit", .type = ParamType::quantity, .kind = &qty::power, .range = Range{0, 1e11, true, false},
         .basis = Basis::optional, .source = "absent: no power envelope",
         .help = "Site power envelope: the GPU clocks are capped while site power would exceed it.", .capacity = true},
        {.key = "sites[].cooling", .type = ParamType::tables, .basis = Basis::required,
         .help = "The site's cooling loops (at least one)."},
        {.key = "sites[].cooling[].name", .type = ParamType::text, .basis = Basis::required,
         .help = "Name of the loop, unique in its site (a cluster's cooling key names it)."},
        {.key = "sites[].cooling[].kind", .type = ParamType::choice, .choices = kinds, .basis = Basis::required,
         .help = "The loop's plant; it sets the defaults of the loop's other keys."},
        {.key = "sites[].cooling[].gpu_cooling", .type = ParamType::choice, .choices = {"air", "cold_plate"},
         .basis = Basis::derived,
         .source = per_kind([](const KindDefaults& d) { return d.gpu_cooling == Path::cold_plate ? "cold_plate" : "air"; }),
         .help = "How the loop takes the GPUs' heat: through an air heat sink or a cold plate."},
        {.key = "sites[].cooling[].design_heat", .type = ParamType::quantity, .kind = &qty::power,
         .range = Range{0, 1e10, true, false}, .basis = Basis::required, .help = "Heat the N units carry together.", .capacity = true},
        {.key = "sites[].cooling[].units", .type = ParamType::integer, .range = Range::closed(1, 10000), .def = "4",
         .basis = Basis::assumption, .source = "a plant of a few large units; give the design's count",
         .help = "N: the units that carry the design heat.", .capacity = true},
        {.key = "sites[].cooling[].spare_units", .type = ParamType::integer, .range = Range::closed(0, 10000),
         .def = "1", .basis = Basis::assumption, .source = "N+1 redundancy",
         .help = "Redundant units beyond N.", .capacity = true},
        {.key = "sites[].cooling[].supply", .type = ParamType::quantity, .kind = &qty::temperature,
         .range = Range::closed(-20, 80), .basis = Basis::derived,
         .source = per_kind([&](const KindDefaults& d) { return temp(d.supply_c); }) +
                   " (air within ASHRAE's recommended 18–27 degC; cold plates: W32 facility water + 3 K CDU approach)",
         .help = "Supply set point: air to the servers, or coolant to the cold plates."},
        {.key = "sites[].cooling[].heat_capacity", .type = ParamType::quantity, .kind = &qty::heat_capacity,
         .range = Range::positive(), .basis = Basis::derived,
         .source = num(kLoopHeatCapacityPerDesignWatt) + " MJ/K per MW of design heat (air, water and structure; an assumption)",
         .help = "Thermal mass of the loop."},
        {.key = "sites[].cooling[].design_delta_t", .type = ParamType::quantity, .kind = &qty::temperature_difference,
         .range = Range::positive(), .basis = Basis::derived,
         .source = per_kind([&](const KindDefaults& d) { return diff(d.design_dt_k); }),
         .help = "Rise from supply to return at design heat."},
        {.key = "sites[].cooling[].unit_failure_rate_per_year", .type = ParamType::quantity,
         .kind = &qty::dimensionless, .range = Range::non_negative(), .def = "0", .basis = Basis::assumption,
         .source = "no random unit failures unless asked for", .help = "Random failures per unit per year."},
        {.key = "sites[].cooling[].unit_repair_time", .type = ParamType::distribution, .kind = &qty::time,
         .range = Range::positive(), .def = "exponential(mean = 12 h)", .basis = Basis::assumption,
         .source = "half a day to repair or replace a unit; no field data",
         .help = "Time to repair a unit after a random failure."},
        {.key = "sites[].cooling[].unit_failures", .type = ParamType::tables, .basis = Basis::optional,
         .source = "absent: no scheduled outages", .help = "Scheduled outages of the loop's units."},
        {.key = "sites[].cooling[].unit_failures[].at", .type = ParamType::quantity, .kind = &qty::time,
         .range = Range::non_negative(), .basis = Basis::required, .help = "Start of the outage, from t = 0."},
        {.key = "sites[].cooling[].unit_failures[].units", .type = ParamType::integer,
         .range = Range::closed(1, 10000), .def = "1", .basis = Basis::assumption, .source = "one unit out",
         .help = "Units taken out of service (at most units + spare_units)."},
        {.key = "sites[].cooling[].unit_failures[].duration", .type = ParamType::quantity, .kind = &qty::time,
         .range = Range::positive(), .basis = Basis::required, .help = "Length of the outage."},
        {.key = "sites[].cooling[].fan_power_fraction", .type = ParamType::quantity, .kind = &qty::fraction,
         .range = Range::unit_interval(), .basis = Basis::derived,
         .source = per_kind([](const KindDefaults& d) { return num(d.fan_fraction); }) + " (assumptions)",
         .help = "Fan power at design heat, as a fraction of the design heat (fan law below it)."},
        {.key = "sites[].cooling[].pumps", .type = ParamType::integer, .range = Range::closed(0, 10),
         .basis = Basis::derived, .source = per_kind([](const KindDefaults& d) { return std::to_string(d.pumps); }),
         .help = "Pumps, each drawing ΔP·Q/η for the flow that carries the heat removed."},
        {.key = "sites[].cooling[].pump_pressure", .type = ParamType::quantity, .kind = &qty::pressure,
         .range = Range::non_negative(), .basis = Basis::derived,
         .source = per_kind([](const KindDefaults& d) { return num(d.pump_pressure_pa / 1e3) + " kPa"; }) +
                   " (DOMAIN.md §5: 100–200 kPa)",
         .help = "Pressure rise ΔP of each pump."},
        {.key = "sites[].cooling[].pump_efficiency", .type = ParamType::quantity, .kind = &qty::fraction,
         .range = {0, 1, true, false}, .def = "0.7", .basis = Basis::assumption,
         .source = "a typical pump and motor; DOMAIN.md §5's example takes 0.6",
         .help = "Pump efficiency η."},
        {.key = "sites[].cooling[].water_delta_t", .type = ParamType::quantity, .kind = &qty::temperature_difference,
         .range = Range::positive(), .basis = Basis::derived,
         .source = per_kind([&](const KindDefaults& d) { return diff(d.water_dt_k); }),
         .help = "Temperature rise of the pumped water, which sets its flow."},
        {.key = "sites[].cooling[].chilled_water", .type = ParamType::quantity, .kind = &qty::temperature,
         .range = Range::closed(0, 30), .def = "10 degC", .basis = Basis::assumption,
         .source = "the warm end of the DOE-2 chiller curves' 5–10 degC (DOMAIN.md §5)",
         .help = "Chilled-water supply temperature (air_chiller)."},
        {.key = "sites[].cooling[].tower_approach", .type = ParamType::quantity,
         .kind = &qty::temperature_difference, .range = Range::positive(), .def = "4 K", .basis = Basis::assumption,
         .source = "typical, unverified (DOMAIN.md §5, §10)",
         .help = "Cooling tower's leaving water above the wet bulb (air_chiller)."},
        {.key = "sites[].cooling[].cycles_of_concentration", .type = ParamType::quantity,
         .kind = &qty::dimensionless, .range = {1, 100, true, false}, .def = "5", .basis = Basis::assumption,
         .source = "unverified; within the 3–10 of DOMAIN.md §5",
         .help = "Cooling tower's cycles of concentration, which set its blow-down water (air_chiller)."},
        {.key = "sites[].cooling[].economizer", .type = ParamType::choice,
         .choices = {"waterside", "airside", "none"}, .def = "waterside", .basis = Basis::assumption,
         .source = "the large chiller plant of LBNL 2024 has a water-side economizer (DOMAIN.md §5)",
         .help = "Free cooling when the weather allows (air_chiller)."},
        {.key = "sites[].cooling[].dry_cooler_approach", .type = ParamType::quantity,
         .kind = &qty::temperature_difference, .range = Range::positive(), .def = "7.5 K",
         .basis = Basis::assumption, .source = "the middle of 5–10 K, unverified (DOMAIN.md §5)",
         .help = "Dry cooler's leaving fluid above the inlet air (liquid_dry_cooler)."},
        {.key = "sites[].cooling[].adiabatic", .type = ParamType::boolean, .def = "true", .basis = Basis::assumption,
         .source = "as LBNL 2024's DLC + dry cooler plant with adiabatic assist (DOMAIN.md §5)",
         .help = "Evaporative pre-cooling pads on the dry coolers (liquid_dry_cooler)."},
        {.key = "sites[].cooling[].cdu_approach", .type = ParamType::quantity, .kind = &qty::temperature_difference,
         .range = Range::non_negative(), .def = "3 K", .basis = Basis::assumption,
         .source = "within 2–5 K, unverified (DOMAIN.md §5)",
         .help = "CDU approach: cold-plate coolant above the facility water (liquid_dry_cooler)."},
        {.key = "sites[].cooling[].trim", .type = ParamType::boolean, .basis = Basis::derived,
         .source = per_kind([](const KindDefaults& d) { return std::string(*d.trim ? "true" : "false"); },
                            [](const KindDefaults& d) { return d.trim.has_value(); }),
         .help = "A mechanical trim chiller when the heat sink alone cannot hold the set point (liquid_dry_cooler, "
                 "free_air, seawater)."},
        {.key = "sites[].cooling[].hx_approach", .type = ParamType::quantity, .kind = &qty::temperature_difference,
         .range = Range::non_negative(), .basis = Basis::derived,
         .source = per_kind([&](const KindDefaults& d) { return diff(*d.water_hx_approach_k); },
                            [](const KindDefaults& d) { return d.water_hx_approach_k.has_value(); }) +
                   " (assumptions)",
         .help = "Water-to-water exchanger's approach to the water body (underwater, seawater)."},
        {.key = "sites[].cooling[].coil_approach", .type = ParamType::quantity, .kind = &qty::temperature_difference,
         .range = Range::non_negative(), .def = "4 K", .basis = Basis::assumption,
         .source = "a typical air-handler coil; unverified",
         .help = "Air handlers' supply air above the exchanger's water (seawater)."},
        {.key = "sites[].clusters[].cooling", .type = ParamType::text, .basis = Basis::derived,
         .source = "the site's first cooling loop", .help = "Name of the site's cooling loop that cools the cluster."},
        {.key = "sites[].clusters[].thermal", .type = ParamType::table, .basis = Basis::optional,
         .source = "absent: [thermal]'s thresholds and the loop path's constants",
         .help = "The cluster's thermal path constants and throttle thresholds."},
        {.key = "sites[].clusters[].thermal.die_heat_capacity", .type = ParamType::quantity,
         .kind = &qty::heat_capacity, .range = Range::positive(), .basis = Basis::derived,
         .source = per_path(&ThermalPath::die_heat_capacity_j_k, "J/K"), .help = "Heat capacity of a GPU's die and package."},
        {.key = "sites[].clusters[].thermal.sink_heat_capacity", .type = ParamType::quantity,
         .kind = &qty::heat_capacity, .range = Range::positive(), .basis = Basis::derived,
         .source = per_path(&ThermalPath::sink_heat_capacity_j_k, "J/K"),
         .help = "Heat capacity of a GPU's heat sink or cold plate."},
        {.key = "sites[].clusters[].thermal.die_to_sink", .type = ParamType::quantity,
         .kind = &qty::thermal_resistance, .range = Range::positive(), .basis = Basis::derived,
         .source = per_path(&ThermalPath::die_to_sink_k_w, "K/W"),
         .help = "Thermal resistance from die to heat sink or cold plate."},
        {.key = "sites[].clusters[].thermal.sink_to_coolant", .type = ParamType::quantity,
         .kind = &qty::thermal_resistance, .range = Range::positive(), .basis = Basis::derived,
         .source = per_path(&ThermalPath::sink_to_coolant_k_w, "K/W"),
         .help = "Thermal resistance from heat sink or cold plate to the loop's supply."},
    };
    for (const auto& d : site) v.push_back(d);
    for (auto& d : limit_defs("sites[].clusters[].thermal", true)) v.push_back(std::move(d));
    return v;
  }();
  return t;
}

}  // namespace dcsim::facility
