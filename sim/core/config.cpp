#include "sim/core/config.hpp"

#include "sim/core/calendar.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <tuple>

namespace dcsim {

namespace {

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string join_words(std::initializer_list<std::string_view> options) {
  std::string s;
  for (const auto o : options) {
    if (!s.empty()) s += ", ";
    s += "\"" + std::string(o) + "\"";
  }
  return s;
}

// "a power", "an energy".
std::string a_kind(const QuantityKind& k) {
  const bool vowel = std::string_view("aeiou").find(k.name.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(k.name);
}

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
  if (line == 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

ConfigError::ConfigError(SourceLoc loc, std::string key_path, std::string expected, std::string found,
                         std::string hint)
    : std::runtime_error(loc.to_string() + ": error: " +
                         (key_path.empty() ? std::string() : "key '" + key_path + "': ") + "expected " + expected +
                         ", found " + found + (hint.empty() ? std::string() : " (" + hint + ")")),
      loc_(std::move(loc)),
      key_path_(std::move(key_path)) {}

ConfigError::ConfigError(SourceLoc loc, std::string message)
    : std::runtime_error(loc.to_string() + ": error: " + message), loc_(std::move(loc)) {}

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

const ConfigValue* ConfigValue::find(std::string_view key) const noexcept {
  for (const auto& [k, v] : table_) {
    if (k == key) return &v;
  }
  return nullptr;
}

ConfigValue* ConfigValue::find(std::string_view key) noexcept {
  for (auto& [k, v] : table_) {
    if (k == key) return &v;
  }
  return nullptr;
}

ConfigValue& ConfigValue::set(std::string key, ConfigValue v) {
  if (ConfigValue* e = find(key)) {
    *e = std::move(v);
    return *e;
  }
  table_.emplace_back(std::move(key), std::move(v));
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
      if (datetime_) return s_;
      std::string s = s_.size() > 60 ? s_.substr(0, 57) + "..." : s_;
      return "\"" + s + "\"";
    }
    case Type::integer: return std::to_string(i_);
    case Type::floating: return fmt(d_);
    case Type::boolean: return b_ ? "true" : "false";
  }
  return "?";
}

void ConfigValue::note_asked(std::string_view key) const {
  if (std::find(asked_.begin(), asked_.end(), key) == asked_.end()) asked_.emplace_back(key);
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
  return m ? "did you mean " + std::string(1, quote) + *m + std::string(1, quote) + "?" : std::string();
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

// ---- Params ---------------------------------------------------------------------------------------------

Params::Params(const ConfigValue& table, std::string path) : table_(&table), path_(std::move(path)) {
  table.mark_used();
}

std::string Params::key_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

SourceLoc Params::loc(std::string_view key) const {
  const ConfigValue* v = table_->find(key);
  return v ? v->loc() : table_->loc();
}

bool Params::has(std::string_view key) const {
  table_->note_asked(key);
  return table_->find(key) != nullptr;
}

bool Params::is_table(std::string_view key) const {
  table_->note_asked(key);
  const ConfigValue* v = table_->find(key);
  return v && v->is_table();
}

std::optional<std::string> Params::string_value(std::string_view key) const {
  const ConfigValue* v = get(key);
  if (!v || !v->is_string() || v->is_datetime()) return std::nullopt;
  return v->as_string();
}

void Params::acknowledge(std::string_view key) const {
  table_->note_asked(key);
  if (const ConfigValue* v = table_->find(key)) v->mark_used();
}

const ConfigValue* Params::get(std::string_view key) const {
  table_->note_asked(key);
  const ConfigValue* v = table_->find(key);
  if (v) v->mark_used();
  return v;
}

void Params::fail(std::string_view key, std::string expected, std::string hint) const {
  const ConfigValue* v = table_->find(key);
  if (v) throw ConfigError(v->loc(), key_path(key), std::move(expected), v->render(), std::move(hint));
  // A missing key: point at the table, and suggest a present key that looks like a typo of it.
  if (hint.empty()) {
    std::vector<std::string> present;
    for (const auto& [k, _] : table_->entries()) present.push_back(k);
    hint = did_you_mean_hint(key, present, '\'');
  }
  throw ConfigError(table_->loc(), key_path(key), std::move(expected), "nothing (the key is missing)",
                    std::move(hint));
}

void Params::fail_value(const ConfigValue& v, std::string_view kp, std::string expected, std::string hint) const {
  throw ConfigError(v.loc(), std::string(kp), std::move(expected), v.render(), std::move(hint));
}

const ConfigValue& Params::require(std::string_view key, std::string_view expected) const {
  const ConfigValue* v = get(key);
  if (!v) fail(key, std::string(expected));
  return *v;
}

double Params::to_quantity(const ConfigValue& v, std::string_view kp, const QuantityKind& kind, Range r) const {
  const std::string unit(kind.unit);
  const std::string expected = a_kind(kind) +
                               (r.describe(unit).empty() ? "" : " " + r.describe(unit)) + " such as " +
                               std::string(kind.example);
  double x = 0;
  if (v.is_number()) {
    x = v.as_number();
    if (kind.absolute_temperature && x < -273.15) fail_value(v, kp, expected, "below absolute zero");
  } else if (v.is_datetime()) {
    fail_value(v, kp, expected, "a date or time is not a quantity");
  } else if (v.is_string()) {
    try {
      x = parse_quantity(v.as_string(), kind);
    } catch (const UnitError& e) {
      fail_value(v, kp, expected, e.what());
    }
  } else {
    fail_value(v, kp, expected, v.type_name() + " cannot hold a quantity");
  }
  if (!std::isfinite(x)) fail_value(v, kp, expected, "not a finite number");
  if (!r.contains(x)) fail_value(v, kp, expected, "out of range: " + fmt(x) + " " + unit);
  return x;
}

double Params::quantity(std::string_view key, const QuantityKind& kind, Range r) const {
  const ConfigValue* v = get(key);
  if (!v) {
    fail(key, a_kind(kind) + " such as " + std::string(kind.example));
  }
  return to_quantity(*v, key_path(key), kind, r);
}

double Params::quantity(std::string_view key, const QuantityKind& kind, double def, Range r) const {
  const ConfigValue* v = get(key);
  return v ? to_quantity(*v, key_path(key), kind, r) : def;
}

std::optional<double> Params::optional_quantity(std::string_view key, const QuantityKind& kind, Range r) const {
  const ConfigValue* v = get(key);
  if (!v) return std::nullopt;
  return to_quantity(*v, key_path(key), kind, r);
}

std::vector<double> Params::quantities(std::string_view key, const QuantityKind& kind, Range r) const {
  const ConfigValue& v = require(key, "an array of " + std::string(kind.name) + " values");
  if (!v.is_array()) fail(key, "an array of " + std::string(kind.name) + " values such as [" +
                                   std::string(kind.example) + ", ...]");
  std::vector<double> out;
  out.reserve(v.items().size());
  for (std::size_t i = 0; i < v.items().size(); ++i) {
    out.push_back(to_quantity(v.items()[i], key_path(key) + "[" + std::to_string(i) + "]", kind, r));
  }
  return out;
}

SimTime Params::duration(std::string_view key, Range r) const {
  const double s = quantity(key, qty::time, r);
  try {
    return SimTime::from_seconds(s);
  } catch (const std::out_of_range& e) {
    fail(key, "a time within ±292 years", e.what());
  }
}

SimTime Params::duration(std::string_view key, SimTime def, Range r) const {
  if (!has(key)) return def;
  return duration(key, r);
}

std::int64_t Params::integer(std::string_view key, std::int64_t lo, std::int64_t hi) const {
  std::string expected = "an integer";
  if (lo > std::numeric_limits<std::int64_t>::min() && hi < std::numeric_limits<std::int64_t>::max()) {
    expected += " in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  } else if (lo > std::numeric_limits<std::int64_t>::min()) {
    expected += " >= " + std::to_string(lo);
  } else if (hi < std::numeric_limits<std::int64_t>::max()) {
    expected += " <= " + std::to_string(hi);
  }
  const ConfigValue& v = require(key, expected);
  if (v.type() != ConfigValue::Type::integer) fail(key, expected);
  if (v.as_integer() < lo || v.as_integer() > hi) fail(key, expected);
  return v.as_integer();
}

std::int64_t Params::integer(std::string_view key, std::int64_t def, std::int64_t lo, std::int64_t hi) const {
  if (!has(key)) return def;
  return integer(key, lo, hi);
}

bool Params::boolean(std::string_view key) const {
  const ConfigValue& v = require(key, "true or false");
  if (v.type() != ConfigValue::Type::boolean) fail(key, "true or false");
  return v.as_bool();
}

bool Params::boolean(std::string_view key, bool def) const {
  if (!has(key)) return def;
  return boolean(key);
}

std::string Params::text(std::string_view key) const {
  const ConfigValue& v = require(key, "a string");
  if (!v.is_string()) fail(key, "a string");
  return v.as_string();
}

std::string Params::text(std::string_view key, std::string def) const {
  if (!has(key)) return def;
  return text(key);
}

std::vector<std::string> Params::texts(std::string_view key) const {
  const ConfigValue& v = require(key, "an array of strings");
  if (!v.is_array()) fail(key, "an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.items().size(); ++i) {
    const auto& e = v.items()[i];
    if (!e.is_string()) fail_value(e, key_path(key) + "[" + std::to_string(i) + "]", "a string");
    out.push_back(e.as_string());
  }
  return out;
}

std::int64_t Params::datetime(std::string_view key, std::int64_t def) const {
  const ConfigValue* v = get(key);
  if (!v) return def;
  const std::string expected = "a UTC date-time such as 2025-03-25T00:00:00Z";
  if (!v->is_string()) fail(key, expected);
  const auto t = parse_utc(v->as_string());
  if (!t) fail(key, expected);
  return *t;
}

std::string Params::file_path(std::string_view key) const {
  const std::string p = text(key);
  if (p.empty()) fail(key, "a file path");
  const std::filesystem::path fp(p);
  const SourceLoc l = loc(key);
  std::string resolved = p;
  // Relative to the scenario file's directory; an override from the command line is relative to the
  // working directory.
  if (!fp.is_absolute() && l.line != 0) {
    resolved = (std::filesystem::path(l.file).parent_path() / fp).lexically_normal().string();
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(resolved, ec)) {
    fail(key, "a readable file", "no such file: " + resolved);
  }
  return resolved;
}

std::string Params::choice(std::string_view key, std::initializer_list<std::string_view> options) const {
  const std::string expected = "one of " + join_words(options);
  const ConfigValue& v = require(key, expected);
  if (!v.is_string()) fail(key, expected);
  for (const auto o : options) {
    if (v.as_string() == o) return v.as_string();
  }
  std::vector<std::string> opts(options.begin(), options.end());
  std::string hint = did_you_mean_hint(v.as_string(), opts);
  fail(key, expected, hint);
}

std::string Params::choice(std::string_view key, std::initializer_list<std::string_view> options,
                           std::string def) const {
  if (!has(key)) return def;
  return choice(key, options);
}

Params Params::table(std::string_view key) const {
  const ConfigValue& v = require(key, "a table");
  if (!v.is_table()) fail(key, "a table");
  return Params(v, key_path(key));
}

std::optional<Params> Params::optional_table(std::string_view key) const {
  const ConfigValue* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_table()) fail(key, "a table");
  return Params(*v, key_path(key));
}

std::vector<Params> Params::tables(std::string_view key) const {
  const ConfigValue* v = get(key);
  std::vector<Params> out;
  if (!v) return out;
  if (v->is_table()) {
    // A single table where an array of tables is expected: accept it as one element.
    out.emplace_back(*v, key_path(key));
    return out;
  }
  if (!v->is_array()) fail(key, "an array of tables ([[" + key_path(key) + "]])");
  for (std::size_t i = 0; i < v->items().size(); ++i) {
    const ConfigValue& e = v->items()[i];
    const std::string kp = key_path(key) + "[" + std::to_string(i) + "]";
    if (!e.is_table()) fail_value(e, kp, "a table");
    out.emplace_back(e, kp);
  }
  return out;
}

std::vector<std::string> Params::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, _] : table_->entries()) out.push_back(k);
  return out;
}

Distribution Params::distribution(std::string_view key, const QuantityKind& kind, Range values) const {
  const ConfigValue* v = get(key);
  if (!v) fail(key, a_kind(kind) + " or a distribution table such as { kind = \"exponential\", mean = " +
                        std::string(kind.example) + " }");
  return read_distribution(*v, key, kind, values);
}

Distribution Params::distribution(std::string_view key, const QuantityKind& kind, const Distribution& def,
                                  Range values) const {
  const ConfigValue* v = get(key);
  return v ? read_distribution(*v, key, kind, values) : def;
}

Distribution Params::read_distribution(const ConfigValue& v, std::string_view key, const QuantityKind& kind,
                                       Range values) const {
  if (!v.is_table()) return Distribution::deterministic(to_quantity(v, key_path(key), kind, values));
  const Params d(v, key_path(key));
  const std::string k = d.choice("kind", {"deterministic", "exponential", "lognormal", "gamma", "uniform", "empirical", "table"});
  const Range pos = Range::positive();
  try {
    if (k == "deterministic") return Distribution::deterministic(d.quantity("value", kind, values));
    if (k == "exponential") return Distribution::exponential(d.quantity("mean", kind, pos));
    if (k == "lognormal") return Distribution::lognormal(d.quantity("mean", kind, pos), d.quantity("cv", qty::dimensionless, Range::non_negative()));
    if (k == "gamma") return Distribution::gamma(d.quantity("mean", kind, pos), d.quantity("cv", qty::dimensionless, Range::non_negative()));
    if (k == "uniform") {
      const double lo = d.quantity("min", kind, values);
      const double hi = d.quantity("max", kind, values);
      if (hi < lo) d.fail("max", "a value >= min");
      return Distribution::uniform(lo, hi);
    }
    if (k == "empirical") {
      auto vals = d.quantities("values", kind, values);
      auto w = d.has("weights") ? d.quantities("weights", qty::dimensionless, Range::non_negative())
                                : std::vector<double>(vals.size(), 1.0);
      if (w.size() != vals.size()) d.fail("weights", "one weight per value (" + std::to_string(vals.size()) + ")");
      return Distribution::empirical(std::move(vals), std::move(w));
    }
    auto x = d.quantities("x", kind, values);
    auto c = d.quantities("cdf", qty::fraction, Range::unit_interval());
    if (c.size() != x.size()) d.fail("cdf", "one cdf value per x (" + std::to_string(x.size()) + ")");
    return Distribution::table(std::move(x), std::move(c));
  } catch (const std::invalid_argument& e) {
    if (dynamic_cast<const UnitError*>(&e)) throw;
    fail(key, "a valid " + k + " distribution", e.what());
  }
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
    for (std::size_t i = 0; i < sorted.size(); ++i) hint += (i ? ", " : "") + sorted[i];
  } else if (hint.empty()) {
    hint = "this table takes no keys";
  }
  throw ConfigError(first->loc, "unknown key '" + first->path + "' (" + hint + ")");
}

}  // namespace dcsim
