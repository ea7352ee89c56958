// The cooling kinds, one file each; plants/kinds.cpp lists them.
#pragma once

#include "models/facility/plant.hpp"

namespace dcsim::facility::plants {

// A kind's constructor for its PlantKind row.
template <class P>
std::unique_ptr<Plant> make(const PlantSpec& spec) {
  return std::make_unique<P>(spec);
}

extern const PlantKind kAirChiller;       // air_chiller.cpp
extern const PlantKind kLiquidDryCooler;  // liquid_dry_cooler.cpp
extern const PlantKind kUnderwater;       // underwater.cpp
extern const PlantKind kFreeAir;          // free_air.cpp
extern const PlantKind kSeawater;         // seawater.cpp

}  // namespace dcsim::facility::plants
