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

std::string echo(std::string_view text, std::size_t max) {
  const std::size_t limit = max < 4 ? 4 : max;
  // Escape character by character, counting characters shown (a UTF-8 sequence is one; an escape is as
  // many as it prints), until past the limit.
  std::string out;
  std::size_t width = 0;
  std::size_t keep = 0;  // bytes of `out` that end on a whole character within limit - 3 characters
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t before = out.size();
    escape_into(out, c);
    if ((c & 0xC0) != 0x80) width += out.size() - before;
    const bool char_ends = i + 1 == text.size() || (static_cast<unsigned char>(text[i + 1]) & 0xC0) != 0x80;
    if (char_ends && width <= limit - 3) keep = out.size();
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

}  // namespace dcsim
