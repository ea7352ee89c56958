// The table of cooling kinds: the one place that maps a scenario's `kind` to a plant.
#include <array>
#include <span>
#include <stdexcept>
#include <string>

#include "models/facility/plants/plants.hpp"

namespace dcsim::facility {

namespace {
constexpr std::array<const PlantKind*, 5> kKinds = {&plants::kAirChiller, &plants::kLiquidDryCooler,
                                                    &plants::kUnderwater, &plants::kFreeAir, &plants::kSeawater};
}  // namespace

std::span<const PlantKind* const> plant_kinds() { return kKinds; }

const PlantKind& plant_kind(std::string_view name) {
  for (const PlantKind* k : kKinds) {
    if (k->name == name) return *k;
  }
  throw std::invalid_argument("unknown cooling kind \"" + std::string(name) + "\"");
}

}  // namespace dcsim::facility
