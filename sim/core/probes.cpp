#include "sim/core/probes.hpp"

#include <stdexcept>

namespace dcsim {

const char* to_string(Sampling s) noexcept {
  switch (s) {
    case Sampling::instant: return "instant";
    case Sampling::interval_mean: return "interval_mean";
    case Sampling::interval_count: return "interval_count";
    case Sampling::interval_rate: return "interval_rate";
    case Sampling::interval_max: return "interval_max";
    case Sampling::interval_stat: return "interval_stat";
  }
  return "instant";
}

void ProbeRegistry::check_path(const std::string& path) const {
  if (path.empty() || path.front() == '/' || path.back() == '/' || path.find("//") != std::string::npos) {
    throw std::invalid_argument("series path '" + path + "' must be non-empty names separated by single '/'");
  }
  for (const char c : path) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '/' || c == '-' || c == '.';
    if (!ok) throw std::invalid_argument("series path '" + path + "' has a character outside [A-Za-z0-9_./-]");
  }
  if (path == "time") throw std::invalid_argument("series path 'time' is reserved for the sample times");
  for (const auto& c : columns_) {
    if (c.path == path) throw std::invalid_argument("series path '" + path + "' is registered twice");
    // A series may not also be a group of another series.
    if (c.path.size() > path.size() && c.path.compare(0, path.size(), path) == 0 && c.path[path.size()] == '/') {
      throw std::invalid_argument("series path '" + path + "' is already a group ('" + c.path + "')");
    }
    if (path.size() > c.path.size() && path.compare(0, c.path.size(), c.path) == 0 && path[c.path.size()] == '/') {
      throw std::invalid_argument("series path '" + path + "' lies under series '" + c.path + "'");
    }
  }
}

void ProbeRegistry::add_group(std::vector<SeriesInfo> columns, GroupFn fill) {
  for (const auto& c : columns) check_path(c.path);
  groups_.push_back(Group{columns_.size(), columns.size(), std::move(fill)});
  for (auto& c : columns) columns_.push_back(std::move(c));
}

void ProbeRegistry::add(SeriesInfo column, ValueFn value) {
  add_group({std::move(column)}, [f = std::move(value)](SimTime now, std::span<double> out) { out[0] = f(now); });
}

void ProbeRegistry::sample(SimTime now, std::span<double> out) const {
  for (const auto& g : groups_) g.fill(now, out.subspan(g.first, g.count));
}

void Summary::push(Entry e) {
  if (find(e.name)) throw std::invalid_argument("summary value '" + e.name + "' reported twice");
  entries_.push_back(std::move(e));
}

void Summary::add(std::string name, double value, std::string unit, std::string description) {
  push(Entry{std::move(name), value, std::move(unit), std::move(description)});
}

void Summary::add_count(std::string name, std::int64_t value, std::string description) {
  push(Entry{std::move(name), value, "1", std::move(description)});
}

void Summary::add_text(std::string name, std::string value, std::string description) {
  push(Entry{std::move(name), std::move(value), "", std::move(description)});
}

const Summary::Entry* Summary::find(std::string_view name) const noexcept {
  for (const auto& e : entries_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

double Summary::number(std::string_view name) const {
  const Entry* e = find(name);
  if (!e) throw std::out_of_range("no summary value '" + std::string(name) + "'");
  if (const auto* d = std::get_if<double>(&e->value)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&e->value)) return static_cast<double>(*i);
  throw std::invalid_argument("summary value '" + std::string(name) + "' is not a number");
}

}  // namespace dcsim
