// The Azure LLM inference trace format (azure_trace.hpp).
#include "models/workload/azure_trace.hpp"

#include <charconv>
#include <cmath>

#include "sim/core/calendar.hpp"

namespace dcsim::workload {

namespace {

// Reads exactly n digits at text[i..] into v; advances i.
bool digits(std::string_view text, std::size_t& i, std::size_t n, int& v) {
  if (i + n > text.size()) return false;
  v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const char c = text[i + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  i += n;
  return true;
}

bool whole_number(const std::string& s, std::uint32_t& v) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::optional<TraceInstant> parse_trace_instant(std::string_view t) {
  std::size_t i = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  const auto lit = [&](char c) { return i < t.size() && t[i] == c ? (++i, true) : false; };
  if (!digits(t, i, 4, y) || !lit('-') || !digits(t, i, 2, mo) || !lit('-') || !digits(t, i, 2, d)) return std::nullopt;
  if (!(lit(' ') || lit('T'))) return std::nullopt;
  if (!digits(t, i, 2, h) || !lit(':') || !digits(t, i, 2, mi) || !lit(':') || !digits(t, i, 2, se)) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[mo - 1] || (mo == 2 && d == 29 && !leap)) return std::nullopt;
  double frac = 0;
  if (lit('.')) {
    double scale = 0.1;
    const std::size_t from = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      frac += (t[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == from) return std::nullopt;
  }
  std::int64_t offset_s = 0;
  if (lit('Z')) {
  } else if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
    const int sign = t[i] == '+' ? 1 : -1;
    ++i;
    int oh = 0, om = 0;
    if (!digits(t, i, 2, oh) || !lit(':') || !digits(t, i, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offset_s = sign * (oh * 3600 + om * 60);
  }
  if (i != t.size()) return std::nullopt;
  TraceInstant out;
  out.s = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + se -
          offset_s;
  out.frac = std::min(frac, std::nextafter(1.0, 0.0));
  return out;
}

bool is_azure_header(const CsvRow& r) {
  return r.size() == 3 && r.text(0) == "TIMESTAMP" && r.text(1) == "ContextTokens" && r.text(2) == "GeneratedTokens";
}

AzureRow parse_azure_row(const CsvRow& r, const AzureRow* previous) {
  if (r.size() != 3) {
    r.fail(r.size() < 3 ? r.size() - 1 : 3,
           "expected 3 columns (TIMESTAMP,ContextTokens,GeneratedTokens), found " + std::to_string(r.size()));
  }
  AzureRow row;
  const auto at = parse_trace_instant(r.text(0));
  if (!at) {
    r.fail(0, "column 'TIMESTAMP': expected a UTC date and time such as 2023-11-16 18:15:46.6805900, found \"" +
                  r.shown(0) + "\"");
  }
  row.at = *at;
  if (!whole_number(r.text(1), row.context_tokens)) {
    r.fail(1, "column 'ContextTokens': expected a whole number of tokens >= 0, found \"" + r.shown(1) + "\"");
  }
  if (!whole_number(r.text(2), row.generated_tokens) || row.generated_tokens == 0) {
    r.fail(2, "column 'GeneratedTokens': expected a whole number of tokens >= 1, found \"" + r.shown(2) + "\"");
  }
  if (previous && (row.at.s < previous->at.s || (row.at.s == previous->at.s && row.at.frac < previous->at.frac))) {
    r.fail(0, "timestamps out of order: " + r.shown(0) + " comes before the row above (the trace must be sorted by time)");
  }
  return row;
}

}  // namespace dcsim::workload
