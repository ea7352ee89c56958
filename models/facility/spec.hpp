// The facility's scenario keys, read into plain structs: [thermal]; each site's ambient, carbon, ups,
// fixed_load and grid_limit; its [[sites.cooling]] loops; its clusters' `cooling` and `thermal` keys.
// All the reading (keys, defaults, ranges, messages) is in spec.cpp; the model is built from its result.
#pragma once

#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/ambient/climate.hpp"
#include "models/cooling/equipment.hpp"
#include "models/facility/throttle.hpp"
#include "models/costs/costs.hpp"
#include "models/power/electrical.hpp"
#include "models/serving/serving.hpp"
#include "models/sites/layout.hpp"
#include "sim/core/config.hpp"
#include "sim/core/param_table.hpp"

namespace dcsim::facility {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// How a loop takes the GPUs' heat: through an air heat sink, or a cold plate.
enum class Path { air, cold_plate };

struct ThermalPath {
  double die_heat_capacity_j_k = 33;
  double sink_heat_capacity_j_k = 450;
  double die_to_sink_k_w = 0.015;
  double sink_to_coolant_k_w = 0.055;
};

struct UnitOutage {
  double at_s, duration_s;
  int units;
};

// What a plant's equations use: its size, set point and thermal mass, its fans and pumps, and the equipment
// of its kind (the keys of the other kinds keep their defaults and go unused).
struct PlantSpec {
  double design_heat_w = 0, setpoint_c = 24, heat_capacity_j_k = 0, design_dt_k = 12;
  int units = 1;
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

// The defaults that a cooling kind gives its loops' keys, and which of the kind-specific keys it reads.
struct KindDefaults {
  Path gpu_cooling = Path::air;
  double supply_c = 24;
  double design_dt_k = 12;
  double fan_fraction = 0.04;
  int pumps = 2;
  double pump_pressure_pa = 200e3;
  double water_dt_k = 5.6;
  bool chiller_plant = false;  // chilled_water, tower_approach, cycles_of_concentration, economizer
  bool dry_coolers = false;    // dry_cooler_approach, adiabatic, cdu_approach
  std::optional<bool> trim = std::nullopt;  // a kind with an optional trim chiller: whether it is on by default
  // A kind that rejects its heat to the site's water body through an exchanger: the exchanger's default
  // approach (hx_approach); such a loop needs an ambient with a water temperature.
  std::optional<double> water_hx_approach_k = std::nullopt;
  bool coils = false;  // coil_approach: air handlers on the exchanger's water
};

struct PlantKind;  // plant.hpp

// A cooling loop: its plant, and the loop's own keys.
struct LoopSpec : PlantSpec {
  std::string name;
  const PlantKind* kind = nullptr;
  Path path = Path::air;
  int spares = 1;
  double unit_failure_rate_per_s = 0;
  Distribution unit_repair = Distribution::exponential(12 * 3600.0);
  std::vector<UnitOutage> outages;
};

struct ClusterSpec {
  std::size_t loop = 0;  // the loop that cools it: an index into its site's loops
  Limits lim;
  ThermalPath path;
};

struct SiteSpec {
  std::unique_ptr<ambient::Climate> climate;
  power::EnergyRate carbon = power::EnergyRate::constant(0);
  power::EnergyRate price = power::EnergyRate::constant(0);  // electricity, USD/J ([costs])
  power::LossCurve ups;
  double fixed_w = 0, grid_limit_w = kInf;
  std::vector<LoopSpec> loops;
  std::vector<ClusterSpec> clusters;  // in the order of the site's clusters in serving
};

struct FacilitySpec {
  SimTime max_step = SimTime::seconds(2);
  double activation_ev = 0.5, reference_c = 70;
  bool hazard_on = true;
  std::vector<SiteSpec> sites;  // in the order of the layout's sites
  std::optional<costs::CostParams> costs;  // a [costs] section: the summary reports what the fleet costs
};

// Thermal mass of a loop per watt of design heat, J/K per W (= MJ/K per MW): air, water and structure (an
// assumption).
inline constexpr double kLoopHeatCapacityPerDesignWatt = 20.0;

// The thermal path constants of a GPU cooled through `p` (assumptions; see params.cpp).
ThermalPath default_thermal_path(Path p);
// The throttle thresholds of a GPU type (nvidia-smi: A100 85 degC max operating, others 87).
Limits limits_for(const std::string& gpu_type);

// The parameter table of the keys read here (params.cpp).
const std::vector<ParamDef>& parameter_table();

// Reads the facility's keys of a scenario whose serving fleet is `serving`. Throws ConfigError.
FacilitySpec read_spec(const Params& root, const Calendar& calendar, const serving::ServingModel& serving,
                       const sites::Layout& layout);

}  // namespace dcsim::facility
