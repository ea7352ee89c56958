// GPU thermal throttling, as a pure function of the current state and die temperature.
//
// Hopper-like thresholds (nvidia-smi -q -d TEMPERATURE, DOMAIN.md §4): above the max operating
// temperature (87 °C; 85 °C on A100) a proportional software controller lowers the clock factor,
// f = max(floor, 1 − k (T − T_max)); at the hardware slowdown temperature (89 °C) the clock drops to a fixed
// factor (0.5, unverified) and stays there until T falls back below T_max (hysteresis); at the shutdown
// temperature (92 °C) the GPU stops until T falls below the restart temperature (an assumption: 80 °C).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace dcsim::facility {

struct Limits {
  double max_operating_c = 87, slowdown_c = 89, shutdown_c = 92, restart_c = 80;
  double hw_factor = 0.5, sw_gain_per_k = 0.1, sw_floor = 0.3;
};

enum ThrottleState : std::uint8_t { kNormal, kSoftware, kHardware, kDown };

// Why a running GPU is below full clock: its own temperature (the software controller above T_max, or the
// hardware slowdown), or the site's power envelope capping the clock below what the temperature allows.
enum ThrottleCause : std::uint8_t { kCauseThermalSoftware, kCauseThermalHardware, kCausePower };
inline constexpr std::size_t kThrottleCauses = 3;
inline constexpr const char* kThrottleCauseNames[kThrottleCauses] = {"thermal_software", "thermal_hardware", "power"};

// The cause of a reduced clock (call only when the GPU runs below full clock: state != kDown, applied < 1).
// The binding limit is the cause: the power cap when it is below the thermal clock, the thermal state
// otherwise (a tie goes to temperature, which would throttle the GPU on its own).
inline ThrottleCause throttle_cause(ThrottleState s, double f_thermal, double power_cap) {
  if (power_cap < f_thermal) return kCausePower;
  return s == kHardware ? kCauseThermalHardware : kCauseThermalSoftware;
}

struct ThrottleDecision {
  ThrottleState state;
  double clock;  // thermal clock factor (irrelevant when down)
};

inline ThrottleDecision throttle(ThrottleState s, double t_c, const Limits& L) {
  if (s == kDown) return t_c < L.restart_c ? ThrottleDecision{kNormal, 1.0} : ThrottleDecision{kDown, 0.0};
  if (t_c >= L.shutdown_c) return {kDown, 0.0};
  if (t_c >= L.slowdown_c || (s == kHardware && t_c >= L.max_operating_c)) return {kHardware, L.hw_factor};
  if (t_c > L.max_operating_c) {
    return {kSoftware, std::clamp(1.0 - L.sw_gain_per_k * (t_c - L.max_operating_c), L.sw_floor, 1.0)};
  }
  return {kNormal, 1.0};
}

}  // namespace dcsim::facility
