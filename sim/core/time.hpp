// Simulation time: a strong type over int64 nanoseconds (range ±292 years).
//
// The clock never accumulates floating-point error: all arithmetic on SimTime is integer arithmetic.
// Conversion to double seconds happens only at the physics boundary (rates, temperatures) through
// to_seconds(); conversion from seconds rounds to the nearest nanosecond and rejects values out of range.
// One type serves as both an instant and a duration, as in OMNeT++'s simtime_t.
#pragma once

#include <cmath>
#include <cstdio>
#include <compare>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace dcsim {

class SimTime {
 public:
  constexpr SimTime() noexcept = default;

  static constexpr SimTime from_ns(std::int64_t ns) noexcept { return SimTime(ns); }
  static constexpr SimTime nanoseconds(std::int64_t n) noexcept { return SimTime(n); }
  static constexpr SimTime microseconds(std::int64_t n) noexcept { return SimTime(n * 1'000); }
  static constexpr SimTime milliseconds(std::int64_t n) noexcept { return SimTime(n * 1'000'000); }
  static constexpr SimTime seconds(std::int64_t n) noexcept { return SimTime(n * kNsPerSecond); }
  static constexpr SimTime minutes(std::int64_t n) noexcept { return SimTime(n * 60 * kNsPerSecond); }
  static constexpr SimTime hours(std::int64_t n) noexcept { return SimTime(n * 3'600 * kNsPerSecond); }
  static constexpr SimTime days(std::int64_t n) noexcept { return SimTime(n * 86'400 * kNsPerSecond); }

  // Rounds to the nearest nanosecond. Throws std::out_of_range for NaN or values beyond ±292 years.
  static SimTime from_seconds(double s) {
    const double ns = std::nearbyint(s * 1e9);
    if (!(ns > -9.2e18 && ns < 9.2e18)) {
      char buf[48];
      std::snprintf(buf, sizeof buf, "%.10g", s);
      throw std::out_of_range(std::string("time of ") + buf + " s is outside the simulation range (±292 years)");
    }
    return SimTime(static_cast<std::int64_t>(ns));
  }

  static constexpr SimTime zero() noexcept { return SimTime(0); }
  static constexpr SimTime max() noexcept { return SimTime(std::numeric_limits<std::int64_t>::max()); }

  constexpr std::int64_t ns() const noexcept { return ns_; }
  // Division (not multiplication by 1e-9) so that whole seconds convert exactly.
  constexpr double to_seconds() const noexcept { return static_cast<double>(ns_) / 1e9; }

  constexpr auto operator<=>(const SimTime&) const noexcept = default;

  constexpr SimTime operator+(SimTime o) const noexcept { return SimTime(ns_ + o.ns_); }
  constexpr SimTime operator-(SimTime o) const noexcept { return SimTime(ns_ - o.ns_); }
  constexpr SimTime operator-() const noexcept { return SimTime(-ns_); }
  constexpr SimTime& operator+=(SimTime o) noexcept { ns_ += o.ns_; return *this; }
  constexpr SimTime& operator-=(SimTime o) noexcept { ns_ -= o.ns_; return *this; }
  constexpr SimTime operator*(std::int64_t k) const noexcept { return SimTime(ns_ * k); }
  constexpr SimTime operator/(std::int64_t k) const noexcept { return SimTime(ns_ / k); }
  // Ratio of two durations (how many periods fit, floored toward zero).
  constexpr std::int64_t operator/(SimTime o) const noexcept { return ns_ / o.ns_; }
  constexpr SimTime operator%(SimTime o) const noexcept { return SimTime(ns_ % o.ns_); }

  static constexpr std::int64_t kNsPerSecond = 1'000'000'000;

 private:
  constexpr explicit SimTime(std::int64_t ns) noexcept : ns_(ns) {}
  std::int64_t ns_ = 0;
};

constexpr SimTime operator*(std::int64_t k, SimTime t) noexcept { return t * k; }

// Human-readable rendering, e.g. "1d 02:03:04.5" or "12.5 ms"; for logs and the progress bar only.
std::string format_time(SimTime t);

namespace literals {
constexpr SimTime operator""_ns(unsigned long long n) { return SimTime::nanoseconds(static_cast<std::int64_t>(n)); }
constexpr SimTime operator""_us(unsigned long long n) { return SimTime::microseconds(static_cast<std::int64_t>(n)); }
constexpr SimTime operator""_ms(unsigned long long n) { return SimTime::milliseconds(static_cast<std::int64_t>(n)); }
constexpr SimTime operator""_s(unsigned long long n) { return SimTime::seconds(static_cast<std::int64_t>(n)); }
constexpr SimTime operator""_min(unsigned long long n) { return SimTime::minutes(static_cast<std::int64_t>(n)); }
constexpr SimTime operator""_h(unsigned long long n) { return SimTime::hours(static_cast<std::int64_t>(n)); }
constexpr SimTime operator""_d(unsigned long long n) { return SimTime::days(static_cast<std::int64_t>(n)); }
}  // namespace literals

}  // namespace dcsim
