// Calendar time: the UTC instant at which a run's t = 0 falls, and the civil-time questions models ask of a
// simulated instant (hour of day, day of week, day of year). Proleptic Gregorian calendar, UTC, no leap
// seconds; the date algorithms are Howard Hinnant's (chrono-Compatible Low-Level Date Algorithms).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dcsim {

// Seconds since 1970-01-01T00:00:00Z.
using EpochSeconds = std::int64_t;

// Parses "2025-03-25T06:00:00Z", "2025-03-25 06:00:00+01:00", "2025-03-25T06:00Z": a date, a time and a
// zone (Z for UTC, or a "+hh:mm"/"-hh:mm" offset). Returns nullopt if the text is not such a date-time: a
// date alone or a local date-time (no zone) names no instant.
// `why` (optional) receives the reason when the text is a date or a local date-time without a zone.
std::optional<EpochSeconds> parse_utc(std::string_view text, std::string* why = nullptr);
std::string format_utc(EpochSeconds t);  // "2025-03-25T06:00:00Z"

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept;

class Calendar {
 public:
  explicit Calendar(EpochSeconds start = 1742860800 /* 2025-03-25T00:00:00Z */) noexcept
      : start_(start),
        start_day_((start >= 0 ? start : start - 86399) / 86400),
        start_sod_(static_cast<double>(start - start_day_ * 86400)) {}
  EpochSeconds start() const noexcept { return start_; }
  // Seconds since the epoch of simulated time t (seconds since t = 0).
  double epoch(double t) const noexcept { return static_cast<double>(start_) + t; }
  // Hour of day in UTC, in [0, 24).
  double hour_utc(double t) const noexcept;
  // Day of week, 0 = Monday ... 6 = Sunday, and the fraction of that day elapsed.
  int weekday(double t) const noexcept;
  // Day of year in [0, 365 or 366): 0 at 1 January 00:00 UTC; fractional.
  double day_of_year(double t) const noexcept;
  // Simulated time (seconds since t = 0) of the next UTC midnight strictly after t.
  double next_midnight(double t) const noexcept;

 private:
  // Day number and seconds of day of t = 0, so that hot paths work on small numbers (fmod of an epoch in
  // seconds is slow and loses nothing here: floor divisions on values below 1e9 are exact enough).
  EpochSeconds start_;
  std::int64_t start_day_;
  double start_sod_;
};

}  // namespace dcsim
