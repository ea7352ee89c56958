// A guard run over TOML text before toml++ parses it: toml++ and the converter recurse once per level
// of nesting, so thousands of nested arrays, inline tables or dotted-key segments would overflow the
// stack. This scanner is iterative and stops at the first place nested deeper than limits::kMaxDepth.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dcsim::io {

// Where the text first nests tables, arrays, inline tables and dotted keys deeper than limits::kMaxDepth
// levels: {line, column}, or {0, 0} when it does not. Strings and comments are skipped; syntax errors are
// left to the parser.
struct TextPos {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};
TextPos find_too_deep(std::string_view text);

// The message for that: "nesting deeper than 64 levels (...)".
std::string too_deep_message();

// Throws ConfigError at source_name:line:col if find_too_deep finds a place.
void check_toml_nesting(std::string_view text, const std::string& source_name);

}  // namespace dcsim::io
