// Bounding what error messages echo back (see echo.hpp).
#include "sim/core/echo.hpp"

#include <cstdio>

namespace dcsim {

namespace {

void escape_into(std::string& out, unsigned char c) {
  switch (c) {
    case '\n': out += "\\n"; return;
    case '\t': out += "\\t"; return;
    case '\r': out += "\\r"; return;
    default:
      if (c < 0x20 || c == 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
  }
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view t, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(t[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  for (std::size_t k = 1; k <= n; ++k) {
    if (i + k >= t.size()) return 0;
    const unsigned char b = byte(i + k);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return n + 1;
}

std::string echo(std::string_view text, std::size_t max) {
  const std::size_t limit = max < 4 ? 4 : max;
  // Escape character by character, counting characters shown (a UTF-8 sequence is one; an escape is as
  // many as it prints), until past the limit. A byte that does not begin a well-formed UTF-8 sequence is
  // escaped, so that a message is always valid UTF-8.
  std::string out;
  std::size_t width = 0;
  std::size_t keep = 0;  // bytes of `out` that end on a whole character within limit - 3 characters
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t before = out.size();
    const std::size_t n = c < 0x80 ? 1 : utf8_sequence_length(text, i);
    if (n == 0) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
      out += buf;
      width += out.size() - before;
      i += 1;
    } else if (n == 1) {
      escape_into(out, c);
      width += out.size() - before;
      i += 1;
    } else {
      out.append(text.substr(i, n));
      width += 1;
      i += n;
    }
    if (width <= limit - 3) keep = out.size();
    if (width > limit) {
      out.resize(keep);
      return out + "...";
    }
  }
  return out;
}

std::string echo_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::size_t invalid_utf8_at(std::string_view t) noexcept {
  for (std::size_t i = 0; i < t.size();) {
    const std::size_t n = utf8_sequence_length(t, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

}  // namespace dcsim
