// The expansion of a sweep into runs: points (one value per axis) times replicas, each with a stable
// index, a readable name and the overrides that make it from the scenario.
//
// The same sweep always expands the same way: points in the order of the axes' values (grid: the first
// axis varies slowest; the lhs axes move together, as one axis, at the place of the first of them; zip: the
// i-th value of every axis), then the replicas of each point. With common random numbers replica k of
// every point has run index (scenario run index + k), so that the points' differences are paired;
// with independent streams run r of the sweep has run index (scenario run index + r).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/io/scenario.hpp"
#include "sim/study/sweep_spec.hpp"

namespace dcsim::study {

struct SweepRun {
  std::size_t index = 0;           // 0 .. runs - 1, in expansion order
  std::size_t point = 0;           // 0 .. points - 1
  std::size_t replica = 0;
  std::uint64_t run_index = 0;     // simulation.run_index of the run
  std::vector<std::size_t> value;  // per axis, the index of its value
  std::string name;                // "p03_kind-liquid_gpus-8000_r1": file-name safe, unique in the sweep
};

struct Expansion {
  std::size_t points = 0;
  std::vector<SweepRun> runs;
};

// Expands the spec; `base_run_index` is the scenario's simulation.run_index. Throws ConfigError for a zip
// of axes of different lengths, a sweep of more than kMaxSweepRuns runs or a baseline past the last point.
Expansion expand(const SweepSpec& spec, std::uint64_t base_run_index);

// The overrides that make the run from the scenario: one per axis (located where its value is written)
// and the run index (located at sweep.replicas).
std::vector<io::Override> overrides_of(const SweepSpec& spec, const SweepRun& run);

// Letters, digits and . + - as they are; anything else (spaces, slashes, quotes) as '_'; at most `max`
// characters: a part of a run's file name.
std::string file_safe(const std::string& s, std::size_t max);

// A value as it appears in a run name or a listing: strings as they are, numbers briefly.
std::string value_text(const ConfigValue& v);

}  // namespace dcsim::study
