#include "sim/core/config.hpp"

#include "sim/core/calendar.hpp"
#include "sim/core/echo.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <tuple>
#include <utility>

namespace dcsim {

namespace {

std::string fmt(double v) { return echo_number(v); }

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment (Damerau–Levenshtein with adjacent transpositions).
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

}  // namespace

std::string SourceLoc::to_string() const {
  // A file name is shown escaped and bounded like any echoed text, with room for long absolute paths.
  const std::string f = echo(file, kEchoFileChars);
  if (line == 0) return f;
  return f + ":" + std::to_string(line) + ":" + std::to_string(column);
}

ConfigError::ConfigError(SourceLoc loc, std::string key_path, std::string expected, std::string found,
                         std::string hint)
    : std::runtime_error(loc.to_string() + ": error: " +
                         (key_path.empty() ? std::string() : "key '" + echo(key_path, kEchoPathChars) + "': ") + "expected " + expected +
                         ", found " + found + (hint.empty() ? std::string() : " (" + hint + ")")),
      loc_(std::move(loc)),
      key_path_(std::move(key_path)) {}

ConfigError::ConfigError(SourceLoc loc, std::string message)
    : std::runtime_error(loc.to_string() + ": error: " + message), loc_(std::move(loc)) {}

SourceLoc locate(const ConfigValue& root, std::string_view key_path) {
  const ConfigValue* cur = &root;
  while (!key_path.empty()) {
    const std::size_t dot = key_path.find('.');
    std::string_view seg = key_path.substr(0, dot);
    key_path = dot == std::string_view::npos ? std::string_view{} : key_path.substr(dot + 1);
    std::size_t index = 0;
    bool indexed = false;
    if (const std::size_t br = seg.find('['); br != std::string_view::npos && seg.back() == ']') {
      indexed = true;
      for (const char c : seg.substr(br + 1, seg.size() - br - 2)) index = index * 10 + static_cast<std::size_t>(c - '0');
      seg = seg.substr(0, br);
    }
    if (!cur->is_table()) break;
    const ConfigValue* next = cur->find(seg);
    if (!next) break;
    if (indexed) {
      if (!next->is_array() || index >= next->items().size()) {
        cur = next;
        break;
      }
      next = &next->items()[index];
    }
    cur = next;
  }
  return cur->loc();
}

// ---- ConfigValue ----------------------------------------------------------------------------------------

ConfigValue ConfigValue::make_table(SourceLoc loc) {
  ConfigValue v;
  v.type_ = Type::table;
  v.loc_ = std::move(loc);
  return v;
}
ConfigValue ConfigValue::make_array(SourceLoc loc) {
  ConfigValue v;
  v.type_ = Type::array;
  v.loc_ = std::move(loc);
  return v;
}
ConfigValue ConfigValue::make_string(std::string s, SourceLoc loc) {
  ConfigValue v;
  v.type_ = Type::string;
  v.s_ = std::move(s);
  v.loc_ = std::move(loc);
  return v;
}
ConfigValue ConfigValue::make_integer(std::int64_t i, SourceLoc loc) {
  ConfigValue v;
  v.type_ = Type::integer;
  v.i_ = i;
  v.loc_ = std::move(loc);
  return v;
}
ConfigValue ConfigValue::make_float(double d, SourceLoc loc) {
  ConfigValue v;
  v.type_ = Type::floating;
  v.d_ = d;
  v.loc_ = std::move(loc);
  return v;
}
ConfigValue ConfigValue::make_bool(bool b, SourceLoc loc) {
  ConfigValue v;
  v.type_ = Type::boolean;
  v.b_ = b;
  v.loc_ = std::move(loc);
  return v;
}

ConfigValue ConfigValue::make_datetime(std::string iso, SourceLoc loc) {
  ConfigValue v = make_string(std::move(iso), std::move(loc));
  v.datetime_ = true;
  return v;
}

namespace {
// Below this many keys a linear scan is quicker than hashing.
constexpr std::size_t kIndexFrom = 16;
}  // namespace

const ConfigValue* ConfigValue::find(std::string_view key) const noexcept {
  if (!index_.empty()) {
    const auto it = index_.find(std::string(key));
    return it == index_.end() ? nullptr : &table_[it->second].second;
  }
  for (const auto& [k, v] : table_) {
    if (k == key) return &v;
  }
  return nullptr;
}

ConfigValue* ConfigValue::find(std::string_view key) noexcept {
  return const_cast<ConfigValue*>(std::as_const(*this).find(key));
}

ConfigValue& ConfigValue::set(std::string key, ConfigValue v) {
  if (ConfigValue* e = find(key)) {
    *e = std::move(v);
    return *e;
  }
  table_.emplace_back(std::move(key), std::move(v));
  if (!index_.empty()) {
    index_.emplace(table_.back().first, table_.size() - 1);
  } else if (table_.size() > kIndexFrom) {
    index_.reserve(table_.size() * 2);
    for (std::size_t i = 0; i < table_.size(); ++i) index_.emplace(table_[i].first, i);
  }
  return table_.back().second;
}

std::string ConfigValue::type_name() const {
  switch (type_) {
    case Type::table: return "a table";
    case Type::array: return "an array";
    case Type::string: return "a string";
    case Type::integer: return "an integer";
    case Type::floating: return "a number";
    case Type::boolean: return "a boolean";
  }
  return "a value";
}

std::string ConfigValue::render() const {
  switch (type_) {
    case Type::table: return "a table";
    case Type::array: return "an array of " + std::to_string(array_.size());
    case Type::string: {
      if (datetime_) return echo(s_);
      return "\"" + echo(s_) + "\"";
    }
    case Type::integer: return std::to_string(i_);
    case Type::floating: return fmt(d_);
    case Type::boolean: return b_ ? "true" : "false";
  }
  return "?";
}

void ConfigValue::note_asked(std::string_view key) const {
  if (!asked_index_.empty()) {
    if (asked_index_.emplace(key).second) asked_.emplace_back(key);
    return;
  }
  if (std::find(asked_.begin(), asked_.end(), key) != asked_.end()) return;
  asked_.emplace_back(key);
  if (asked_.size() > kIndexFrom) asked_index_.insert(asked_.begin(), asked_.end());
}

// ---- Range, did_you_mean --------------------------------------------------------------------------------

std::string Range::describe(std::string_view unit) const {
  // "1/s" reads as "/s" after a number ("> 0 /s").
  if (unit.size() > 2 && unit.substr(0, 2) == "1/") unit.remove_prefix(1);
  const std::string u = (unit.empty() || unit == "1") ? std::string() : " " + std::string(unit);
  const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
  if (has_lo && has_hi) {
    return std::string("in ") + (lo_open ? "(" : "[") + fmt(lo) + ", " + fmt(hi) + (hi_open ? ")" : "]") + u;
  }
  if (has_lo) return std::string(lo_open ? "> " : ">= ") + fmt(lo) + u;
  if (has_hi) return std::string(hi_open ? "< " : "<= ") + fmt(hi) + u;
  return "";
}

std::string did_you_mean_hint(std::string_view word, const std::vector<std::string>& candidates, char quote) {
  const auto m = did_you_mean(word, candidates);
  return m ? "did you mean " + std::string(1, quote) + echo(*m) + std::string(1, quote) + "?" : std::string();
}

std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string w = lower(word);
  std::optional<std::string> best;
  std::size_t best_d = std::max<std::size_t>(2, w.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::string lc = lower(c);
    // An abbreviation ("sim" for "simulation") counts as a near miss.
    const bool prefix = w.size() >= 3 && lc.size() > w.size() && lc.compare(0, w.size(), w) == 0;
    const std::size_t d = prefix ? 0 : edit_distance(w, lc);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

// ---- unknown keys ---------------------------------------------------------------------------------------

namespace {

struct Unknown {
  SourceLoc loc;
  std::string path;
  std::string key;
  const ConfigValue* parent;
};

void collect_unknown(const ConfigValue& t, const std::string& path, std::vector<Unknown>& out) {
  for (const auto& [k, v] : t.entries()) {
    const std::string kp = path.empty() ? k : path + "." + k;
    if (!v.used()) {
      out.push_back(Unknown{v.key_loc(), kp, k, &t});
      continue;
    }
    if (v.is_table()) {
      collect_unknown(v, kp, out);
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.items().size(); ++i) {
        const auto& e = v.items()[i];
        if (e.is_table() && e.used()) collect_unknown(e, kp + "[" + std::to_string(i) + "]", out);
      }
    }
  }
}

}  // namespace

void check_unknown_keys(const ConfigValue& root) {
  std::vector<Unknown> unknown;
  collect_unknown(root, "", unknown);
  if (unknown.empty()) return;
  // Report the first in file order; overrides (--set) after file positions.
  const auto first = std::min_element(unknown.begin(), unknown.end(), [](const Unknown& a, const Unknown& b) {
    const bool ao = a.loc.line == 0 || a.loc.file.rfind("--set", 0) == 0;
    const bool bo = b.loc.line == 0 || b.loc.file.rfind("--set", 0) == 0;
    return std::tie(ao, a.loc.line, a.loc.column) < std::tie(bo, b.loc.line, b.loc.column);
  });
  const auto& asked = first->parent->asked();
  std::string hint = did_you_mean_hint(first->key, asked, '\'');
  if (hint.empty() && !asked.empty()) {
    std::vector<std::string> sorted = asked;
    std::sort(sorted.begin(), sorted.end());
    hint = "known keys here: ";
    for (std::size_t i = 0; i < sorted.size(); ++i) hint += (i ? ", " : "") + echo(sorted[i]);
  } else if (hint.empty()) {
    hint = "this table takes no keys";
  }
  throw ConfigError(first->loc, "unknown key '" + echo(first->path, kEchoPathChars) + "' (" + hint + ")");
}

}  // namespace dcsim
