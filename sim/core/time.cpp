#include "sim/core/time.hpp"

#include <cstdio>
#include <cstdlib>

namespace dcsim {

std::string format_time(SimTime t) {
  char buf[64];
  std::int64_t ns = t.ns();
  const char* sign = "";
  if (ns < 0) {
    sign = "-";
    ns = -ns;
  }
  const double s = static_cast<double>(ns) * 1e-9;
  if (ns < 1'000) {
    std::snprintf(buf, sizeof buf, "%s%lld ns", sign, static_cast<long long>(ns));
  } else if (ns < 1'000'000) {
    std::snprintf(buf, sizeof buf, "%s%.3g us", sign, s * 1e6);
  } else if (ns < 1'000'000'000) {
    std::snprintf(buf, sizeof buf, "%s%.3g ms", sign, s * 1e3);
  } else if (s < 60) {
    std::snprintf(buf, sizeof buf, "%s%.3g s", sign, s);
  } else {
    const std::int64_t total = ns / SimTime::kNsPerSecond;
    const std::int64_t d = total / 86'400, h = (total / 3'600) % 24, m = (total / 60) % 60, sec = total % 60;
    if (d > 0) {
      std::snprintf(buf, sizeof buf, "%s%lldd %02lld:%02lld:%02lld", sign, static_cast<long long>(d),
                    static_cast<long long>(h), static_cast<long long>(m), static_cast<long long>(sec));
    } else {
      std::snprintf(buf, sizeof buf, "%s%02lld:%02lld:%02lld", sign, static_cast<long long>(h),
                    static_cast<long long>(m), static_cast<long long>(sec));
    }
  }
  return buf;
}

}  // namespace dcsim
