// Reading CSV input files (request traces, rate profiles, weather series) with errors that point at the
// file, line and column. Comma-separated; fields may be double-quoted ("" inside quotes is a quote);
// blank lines and lines starting with '#' are skipped; spaces around fields are trimmed. A UTF-8 byte-order
// mark at the start of the file and CRLF or lone CR line ends are accepted. A line is at most 1 MiB and a
// file at most 1e8 lines (input_limits.hpp). Messages echo fields bounded (echo.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/config.hpp"

namespace dcsim {

class CsvRow {
 public:
  std::size_t size() const noexcept { return fields_.size(); }
  const std::string& text(std::size_t i) const;
  // The field as a message shows it: bounded, control characters escaped.
  std::string shown(std::size_t i) const;
  // A finite number; throws ConfigError naming the column `what` if the field is not one.
  double number(std::size_t i, std::string_view what) const;
  SourceLoc loc(std::size_t i) const { return SourceLoc{*file_, line_, i < cols_.size() ? cols_[i] : 1}; }
  std::uint32_t line() const noexcept { return line_; }
  [[noreturn]] void fail(std::size_t i, const std::string& message) const;

 private:
  friend void read_csv(const std::string&, const std::function<void(const CsvRow&)>&);
  const std::string* file_ = nullptr;
  std::uint32_t line_ = 0;
  std::vector<std::string> fields_;
  std::vector<std::uint32_t> cols_;
};

// Calls `row` for each data line (including a header line: the caller decides). Throws ConfigError if
// the file cannot be read or a quote is not closed.
void read_csv(const std::string& path, const std::function<void(const CsvRow&)>& row);

}  // namespace dcsim
