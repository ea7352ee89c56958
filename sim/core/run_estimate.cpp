#include "sim/core/run_estimate.hpp"

#include <cmath>
#include <cstdio>

#include <unistd.h>

#include "sim/core/echo.hpp"

namespace dcsim {

namespace {

// The engine's throughput the messages convert events into wall time with: the order of what the
// benchmarks measure on one core (README, Performance), deliberately round.
constexpr double kNominalEventsPerWallSecond = 5e6;

std::string wall_time(double seconds) {
  char buf[64];
  if (seconds < 120) std::snprintf(buf, sizeof buf, "%.0f s", seconds);
  else if (seconds < 7200) std::snprintf(buf, sizeof buf, "%.0f min", seconds / 60);
  else if (seconds < 2 * 86400) std::snprintf(buf, sizeof buf, "%.0f h", seconds / 3600);
  else if (seconds < 730 * 86400) std::snprintf(buf, sizeof buf, "%.0f days", seconds / 86400);
  else std::snprintf(buf, sizeof buf, "%.0f years", seconds / (365.25 * 86400));
  return buf;
}

}  // namespace

double RunEstimate::events(SimTime duration) const {
  double rate = 0;
  for (const auto& d : demands_) rate += d.events_per_s;
  return rate * duration.to_seconds();
}

double RunEstimate::bytes() const {
  double b = 0;
  for (const auto& d : demands_) b += d.bytes;
  return b;
}

const Demand* RunEstimate::most_events() const {
  const Demand* best = nullptr;
  for (const auto& d : demands_) {
    if (d.events_per_s > 0 && (!best || d.events_per_s > best->events_per_s)) best = &d;
  }
  return best;
}

const Demand* RunEstimate::most_memory() const {
  const Demand* best = nullptr;
  for (const auto& d : demands_) {
    if (d.bytes > 0 && (!best || d.bytes > best->bytes)) best = &d;
  }
  return best;
}

std::string over_budget(const RunEstimate& e, const RunBudget& b, SimTime duration, std::string& key) {
  const double events = e.events(duration);
  if (!(events <= b.max_events)) {
    const Demand* d = e.most_events();
    key = d ? d->key : "simulation.duration";
    std::string msg = "the run would take about " + echo_number(events) + " events (" +
                      wall_time(events / kNominalEventsPerWallSecond) + " at " +
                      echo_number(kNominalEventsPerWallSecond) + " events/s), more than simulation.max_events = " +
                      echo_number(b.max_events);
    if (d) {
      msg += "; most of them from " + d->what + " (" + echo_number(d->events_per_s) +
             " events per simulated second over " + echo_number(duration.to_seconds()) + " s)";
    }
    return msg + ": lower the rate, shorten simulation.duration, or raise simulation.max_events";
  }
  const double bytes = e.bytes();
  if (b.max_bytes > 0 && !(bytes <= b.max_bytes)) {
    const Demand* d = e.most_memory();
    key = d ? d->key : "simulation";
    std::string msg = "the run would need about " + format_bytes(bytes) + " of memory, more than simulation.max_memory = " +
                      format_bytes(b.max_bytes);
    if (d) msg += "; the most for " + d->what + " (" + format_bytes(d->bytes) + ")";
    return msg + ": make the model coarser or smaller, or raise simulation.max_memory";
  }
  return "";
}

double physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 0.0;
}

std::string format_bytes(double bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  double v = bytes;
  while (v >= 1024 && u < 6) {
    v /= 1024;
    ++u;
  }
  char buf[64];
  if (!std::isfinite(bytes)) std::snprintf(buf, sizeof buf, "an unbounded amount");
  else if (u == 0) std::snprintf(buf, sizeof buf, "%.0f B", v);
  else std::snprintf(buf, sizeof buf, v < 10 ? "%.1f %s" : "%.0f %s", v, kUnits[u]);
  return buf;
}

}  // namespace dcsim
