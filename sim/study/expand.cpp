#include "sim/study/expand.hpp"

#include <cstdio>

#include "sim/core/echo.hpp"

namespace dcsim::study {

std::string file_safe(const std::string& s, std::size_t max) {
  std::string out;
  for (const char c : s) {
    if (out.size() >= max) break;
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '+' || c == '-';
    out += keep ? c : '_';
  }
  return out;
}

namespace {

std::string padded(std::size_t v, std::size_t last) {
  const std::size_t width = std::to_string(last).size();
  std::string s = std::to_string(v);
  return std::string(width > s.size() ? width - s.size() : 0, '0') + s;
}

struct Group {
  std::vector<std::size_t> axes;
  std::size_t length = 0;
};

}  // namespace

std::string value_text(const ConfigValue& v) {
  char buf[40];
  switch (v.type()) {
    case ConfigValue::Type::string: return v.as_string();
    case ConfigValue::Type::integer: return std::to_string(v.as_integer());
    case ConfigValue::Type::floating: std::snprintf(buf, sizeof buf, "%.6g", v.as_number()); return buf;
    case ConfigValue::Type::boolean: return v.as_bool() ? "true" : "false";
    default: return v.render();
  }
}

Expansion expand(const SweepSpec& spec, std::uint64_t base_run_index) {
  // The lhs axes form one group, at the place of the first of them; every other axis is a group.
  std::vector<Group> groups;
  std::size_t lhs_group = SIZE_MAX;
  for (std::size_t i = 0; i < spec.axes.size(); ++i) {
    const Axis& a = spec.axes[i];
    if (a.lhs && lhs_group != SIZE_MAX) {
      groups[lhs_group].axes.push_back(i);
      continue;
    }
    if (a.lhs) lhs_group = groups.size();
    groups.push_back(Group{{i}, a.values.size()});
  }
  Expansion e;
  double points = 1;
  if (spec.combine == Combine::zip && !groups.empty()) {
    for (const Group& g : groups) {
      if (g.length != groups.front().length) {
        const Axis& a = spec.axes[g.axes.front()];
        const Axis& first = spec.axes[groups.front().axes.front()];
        throw ConfigError(a.loc, "sweep.axes", "axes of one length in a zip (axis " + echo(first.key) + " has " +
                                                   std::to_string(groups.front().length) + " values)",
                          "axis " + echo(a.key) + " with " + std::to_string(g.length) + " values");
      }
    }
    points = static_cast<double>(groups.front().length);
  } else {
    for (const Group& g : groups) points *= static_cast<double>(g.length);
  }
  const double runs = points * static_cast<double>(spec.replicas);
  if (runs > static_cast<double>(kMaxSweepRuns)) {
    throw ConfigError(spec.loc, "sweep", "at most " + echo_number(static_cast<double>(kMaxSweepRuns)) + " runs",
                      echo_number(runs) + " runs (" + echo_number(points) + " points x " +
                          std::to_string(spec.replicas) + " replicas)");
  }
  e.points = static_cast<std::size_t>(points);
  if (static_cast<std::size_t>(spec.baseline) >= e.points) {
    throw ConfigError(spec.loc, "sweep.baseline", "the index of a point, below " + std::to_string(e.points),
                      std::to_string(spec.baseline));
  }
  const auto replicas = static_cast<std::size_t>(spec.replicas);
  e.runs.reserve(e.points * replicas);
  std::vector<std::size_t> value(spec.axes.size(), 0);
  for (std::size_t p = 0; p < e.points; ++p) {
    // Grid: the digits of p in the mixed radix of the groups' lengths, the first group the most significant.
    std::size_t rest = p;
    for (std::size_t gi = groups.size(); gi-- > 0;) {
      const Group& g = groups[gi];
      const std::size_t v = spec.combine == Combine::zip ? p : rest % g.length;
      if (spec.combine == Combine::grid) rest /= g.length;
      for (const std::size_t a : g.axes) value[a] = v;
    }
    std::string point_name = "p" + padded(p, e.points - 1);
    for (std::size_t a = 0; a < spec.axes.size(); ++a) {
      point_name += "_" + file_safe(spec.axes[a].label, 24) + "-" + file_safe(value_text(spec.axes[a].values[value[a]]), 24);
    }
    for (std::size_t k = 0; k < replicas; ++k) {
      SweepRun r;
      r.index = e.runs.size();
      r.point = p;
      r.replica = k;
      r.run_index = base_run_index + (spec.streams == Streams::common ? k : r.index);
      r.value = value;
      r.name = replicas > 1 ? point_name + "_r" + padded(k, replicas - 1) : point_name;
      e.runs.push_back(std::move(r));
    }
  }
  return e;
}

std::vector<io::Override> overrides_of(const SweepSpec& spec, const SweepRun& run) {
  std::vector<io::Override> o;
  o.reserve(spec.axes.size() + 1);
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    const Axis& axis = spec.axes[a];
    const ConfigValue& v = axis.values[run.value[a]];
    o.push_back(io::Override{axis.key, v, axis.loc});
  }
  o.push_back(io::Override{"simulation.run_index",
                           ConfigValue::make_integer(static_cast<std::int64_t>(run.run_index), spec.replicas_loc),
                           spec.replicas_loc});
  return o;
}

}  // namespace dcsim::study
