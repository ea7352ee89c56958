#include "sim/core/csv.hpp"

#include <charconv>
#include <cmath>

#include "sim/core/echo.hpp"
#include "sim/core/input_file.hpp"
#include "sim/core/input_limits.hpp"

namespace dcsim {

const std::string& CsvRow::text(std::size_t i) const {
  if (i >= fields_.size()) {
    throw ConfigError(SourceLoc{*file_, line_, cols_.empty() ? 1 : cols_.back()},
                      "expected at least " + std::to_string(i + 1) + " columns, found " +
                          std::to_string(fields_.size()));
  }
  return fields_[i];
}

std::string CsvRow::shown(std::size_t i) const { return echo(text(i)); }

void CsvRow::fail(std::size_t i, const std::string& message) const { throw ConfigError(loc(i), message); }

double CsvRow::number(std::size_t i, std::string_view what) const {
  const std::string& s = text(i);
  double v = 0;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (b != e && *b == '+') ++b;
  const auto [p, ec] = std::from_chars(b, e, v);
  if (s.empty() || ec != std::errc() || p != e || !std::isfinite(v)) {
    fail(i, "column '" + echo(what) + "': expected a number, found \"" + echo(s) + "\"");
  }
  return v;
}

void read_csv(const std::string& path, const std::function<void(const CsvRow&)>& row) {
  // Opened once with its kind checked: a directory, a device or a FIFO is refused (a FIFO would block, a
  // device not end); lines and their number are bounded (a binary file is not read into memory whole).
  InputLines in(path, "file");
  CsvRow r;
  r.file_ = &path;
  std::string line;
  while (in.next(line, limits::kMaxCsvLineBytes)) {
    if (in.line_number() > limits::kMaxCsvLines) {
      throw ConfigError(SourceLoc{path, static_cast<std::uint32_t>(in.line_number()), 1},
                        "more lines than the limit of " + std::to_string(limits::kMaxCsvLines));
    }
    const auto n = static_cast<std::uint32_t>(in.line_number());
    if (n == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // a UTF-8 byte-order mark
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    r.line_ = n;
    r.fields_.clear();
    r.cols_.clear();
    std::size_t i = 0;
    while (true) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      r.cols_.push_back(static_cast<std::uint32_t>(i + 1));
      std::string f;
      if (i < line.size() && line[i] == '"') {
        const std::size_t open = i++;
        bool closed = false;
        while (i < line.size()) {
          if (line[i] == '"') {
            if (i + 1 < line.size() && line[i + 1] == '"') {
              f += '"';
              i += 2;
              continue;
            }
            closed = true;
            ++i;
            break;
          }
          f += line[i++];
        }
        if (!closed) throw ConfigError(SourceLoc{path, n, static_cast<std::uint32_t>(open + 1)}, "unclosed quote");
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i < line.size() && line[i] != ',') {
          throw ConfigError(SourceLoc{path, n, static_cast<std::uint32_t>(i + 1)}, "expected ',' after a quoted field");
        }
      } else {
        const std::size_t start = i;
        while (i < line.size() && line[i] != ',') ++i;
        std::size_t end = i;
        while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
        f = line.substr(start, end - start);
      }
      r.fields_.push_back(std::move(f));
      if (i >= line.size()) break;
      ++i;  // the comma
    }
    row(r);
  }
}

}  // namespace dcsim
