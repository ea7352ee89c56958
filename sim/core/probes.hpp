// Probes: how models publish time series and summary values without knowing who records them.
//
// A model registers columns (path, unit, description, sampling) with a function that fills their values at
// a sample instant. The run's sampler calls every probe at each sample time and hands the row to the
// SampleSinks attached to the run (the HDF5 recorder, a CSV writer, a test); models never see a sink.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/time.hpp"

namespace dcsim {

// How a column's value relates to the sample instant t and the interval (t - Δ, t] that ends there.
enum class Sampling {
  instant,        // the value at t
  interval_mean,  // time-average over the interval
  interval_count, // number of occurrences in the interval
  interval_rate,  // occurrences per second over the interval
  interval_max,   // largest value in the interval
  interval_stat,  // a statistic (quantile, mean) of the observations that completed in the interval
};
const char* to_string(Sampling s) noexcept;

struct SeriesInfo {
  std::string path;         // "group/sub/name": groups separated by '/'
  std::string unit;         // UCUM-like unit text: "1", "s", "W", "degC", "1/s"
  std::string description;  // one sentence
  Sampling sampling = Sampling::instant;
};

class ProbeRegistry {
 public:
  using GroupFn = std::function<void(SimTime now, std::span<double> out)>;
  using ValueFn = std::function<double(SimTime now)>;

  // A group of columns filled by one call (e.g. several quantiles of one histogram, then reset).
  void add_group(std::vector<SeriesInfo> columns, GroupFn fill);
  void add(SeriesInfo column, ValueFn value);

  const std::vector<SeriesInfo>& columns() const noexcept { return columns_; }
  std::size_t size() const noexcept { return columns_.size(); }
  void sample(SimTime now, std::span<double> out) const;

 private:
  struct Group {
    std::size_t first, count;
    GroupFn fill;
  };
  void check_path(const std::string& path) const;
  std::vector<SeriesInfo> columns_;
  std::vector<Group> groups_;
};

class SampleSink {
 public:
  virtual ~SampleSink() = default;
  virtual void begin(std::span<const SeriesInfo> columns) = 0;
  virtual void row(SimTime t, std::span<const double> values) = 0;
};

// A run's scalar results, in the order models report them.
class Summary {
 public:
  using Value = std::variant<double, std::int64_t, std::string>;
  struct Entry {
    std::string name;  // "group.name_unit", e.g. "mmc.mean_wait_s"
    Value value;
    std::string unit;
    std::string description;
  };
  void add(std::string name, double value, std::string unit, std::string description);
  void add_count(std::string name, std::int64_t value, std::string description);
  void add_text(std::string name, std::string value, std::string description);
  const std::vector<Entry>& entries() const noexcept { return entries_; }
  const Entry* find(std::string_view name) const noexcept;
  double number(std::string_view name) const;  // throws if absent or not numeric

 private:
  void push(Entry e);
  std::vector<Entry> entries_;
};

}  // namespace dcsim
