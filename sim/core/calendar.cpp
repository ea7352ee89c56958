#include "sim/core/calendar.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace dcsim {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace {

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool read_int(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  const auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return ec == std::errc() && p == s.data() + pos + len;
}

}  // namespace

std::optional<EpochSeconds> parse_utc(std::string_view s, std::string* why) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!read_int(s, 0, 4, y) || !read_int(s, 5, 2, mo) || !read_int(s, 8, 2, d)) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  std::size_t i = 10;
  if (i == s.size()) {
    if (why) *why = "a date alone names no instant (write e.g. " + std::string(s) + "T00:00:00Z for UTC midnight)";
    return std::nullopt;
  }
  if (s[i] != 'T' && s[i] != ' ') return std::nullopt;
  if (!read_int(s, i + 1, 2, h) || i + 3 >= s.size() || s[i + 3] != ':' || !read_int(s, i + 4, 2, mi)) {
    return std::nullopt;
  }
  i += 6;
  if (i < s.size() && s[i] == ':') {
    if (!read_int(s, i + 1, 2, se)) return std::nullopt;
    i += 3;
    if (i < s.size() && s[i] == '.') {  // fractional seconds: ignored beyond the second
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
  }
  if (h > 23 || mi > 59 || se > 60) return std::nullopt;
  if (i == s.size()) {
    if (why) {
      *why = "a local date-time has no time zone (add Z for UTC, e.g. " + std::string(s) +
             "Z, or an offset such as +01:00)";
    }
    return std::nullopt;
  }
  std::int64_t offset = 0;
  if (s[i] == 'Z' && i + 1 == s.size()) {
    ++i;
  } else if ((s[i] == '+' || s[i] == '-') && s.size() == i + 6 && s[i + 3] == ':') {
    int oh = 0, om = 0;
    if (!read_int(s, i + 1, 2, oh) || !read_int(s, i + 4, 2, om)) return std::nullopt;
    offset = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    i = s.size();
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return days * 86400 + h * 3600 + mi * 60 + se - offset;
}

std::string format_utc(EpochSeconds t) {
  const std::int64_t days = (t >= 0 ? t : t - 86399) / 86400;
  const std::int64_t sec = t - days * 86400;
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(sec / 3600), static_cast<long long>((sec / 60) % 60),
                static_cast<long long>(sec % 60));
  return buf;
}

double Calendar::hour_utc(double t) const noexcept {
  const double x = start_sod_ + t;
  return (x - std::floor(x / 86400.0) * 86400.0) / 3600.0;
}

int Calendar::weekday(double t) const noexcept {
  const std::int64_t days = start_day_ + static_cast<std::int64_t>(std::floor((start_sod_ + t) / 86400.0));
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  return static_cast<int>(((days + 3) % 7 + 7) % 7);
}

double Calendar::day_of_year(double t) const noexcept {
  const double x = start_sod_ + t;
  const double whole = std::floor(x / 86400.0);
  const std::int64_t days = start_day_ + static_cast<std::int64_t>(whole);
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  const std::int64_t jan1 = days_from_civil(y, 1, 1);
  return static_cast<double>(days - jan1) + (x - whole * 86400.0) / 86400.0;
}

double Calendar::next_midnight(double t) const noexcept {
  return (std::floor((start_sod_ + t) / 86400.0) + 1.0) * 86400.0 - start_sod_;
}

}  // namespace dcsim
