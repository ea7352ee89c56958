// A sweep: the [sweep] table of a scenario, read through its parameter table into axes of values.
//
//   [sweep]
//   combine = "grid"          # or "zip"
//   replicas = 5
//   [[sweep.axes]]
//   key = "sites[0].cooling[0].kind"
//   values = ["air", "liquid"]
//   [[sweep.axes]]
//   key = "sites[0].clusters[0].gpus"
//   range = "4000:16000:4000"   # start:stop:step; logrange = "start:stop:count"; lhs = "low:high"
//
// An axis names a key path as --set writes it (array elements included) and gives its values as a list,
// a range, a log range or a Latin-hypercube interval (all the lhs axes share one design of sweep.samples
// points). The values are located where they are written, so that a value a model refuses is reported at
// its place in the file. The study layer knows the scenario only as a tree: what the values mean is for
// the models, which check every point before any run starts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/config.hpp"
#include "sim/core/param_table.hpp"

namespace dcsim::study {

enum class Combine { grid, zip };
enum class Streams { common, independent };

struct Axis {
  std::string key;                  // the key path, as --set writes it
  std::string label;                // in run names: the axis's `name`, or the key's last name
  std::vector<ConfigValue> values;  // each located where it is written (or at the key that generates it)
  SourceLoc loc;                    // of the axis's `key`
  bool lhs = false;                 // one of the Latin-hypercube axes
};

struct SweepSpec {
  Combine combine = Combine::grid;
  std::int64_t replicas = 1;
  Streams streams = Streams::common;
  std::int64_t baseline = 0;        // the point paired differences are taken against
  std::int64_t samples = 0;         // points of the Latin-hypercube design (0: no lhs axis)
  std::uint64_t seed = 1;           // of the Latin-hypercube design
  std::vector<Axis> axes;
  SourceLoc loc;                    // of the [sweep] table
  SourceLoc replicas_loc;           // where the replicas are set (the location of the run-index overrides)
};

// The keys of [sweep], for the program's schema (dcsim keys sweep).
const std::vector<ParamDef>& parameter_table();

// Reads the [sweep] table (`sweep` reads it through a schema holding parameter_table(); `raw` is the same
// table as a tree, for the axes' lists of values, which may hold any value). Throws ConfigError.
SweepSpec read_sweep(const Params& sweep, const ConfigValue& raw);

// At most this many runs in one sweep, and values on one axis.
inline constexpr std::size_t kMaxSweepRuns = 1'000'000;
inline constexpr std::size_t kMaxAxisValues = 100'000;

}  // namespace dcsim::study
