// Scenario parameters: a format-neutral tree of values with their source locations, and the reader
// through which models declare and read their parameters.
//
// The io layer turns a TOML file (plus --set overrides) into a ConfigValue tree; models read it through
// Params, naming each key with the kind of quantity, the valid range and a default. Every read marks the
// key as known, so that after the world is built check_unknown_keys() can report any key nobody asked for,
// with a "did you mean" among the keys that were asked for in the same table. Every error is a ConfigError
// naming file, line, column, key path, what was expected and what was found.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sim/core/distribution.hpp"
#include "sim/core/time.hpp"
#include "sim/core/units.hpp"

namespace dcsim {

struct SourceLoc {
  std::string file;  // a path, or "--set k=v" for a command-line override
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string to_string() const;  // "file:line:col" (or "file" when the position is unknown)
};

class ConfigError : public std::runtime_error {
 public:
  ConfigError(SourceLoc loc, std::string key_path, std::string expected, std::string found, std::string hint = {});
  // A file-level error without a key (a syntax error, an unreadable file).
  ConfigError(SourceLoc loc, std::string message);
  const SourceLoc& loc() const noexcept { return loc_; }
  const std::string& key_path() const noexcept { return key_path_; }

 private:
  SourceLoc loc_;
  std::string key_path_;
};

class ConfigValue {
 public:
  enum class Type { table, array, string, integer, floating, boolean };
  using Entry = std::pair<std::string, ConfigValue>;

  ConfigValue() = default;  // an empty table
  static ConfigValue make_table(SourceLoc loc);
  static ConfigValue make_array(SourceLoc loc);
  static ConfigValue make_string(std::string v, SourceLoc loc);
  static ConfigValue make_integer(std::int64_t v, SourceLoc loc);
  static ConfigValue make_float(double v, SourceLoc loc);
  static ConfigValue make_bool(bool v, SourceLoc loc);
  // A TOML date or date-time, kept as its ISO 8601 text.
  static ConfigValue make_datetime(std::string iso, SourceLoc loc);

  Type type() const noexcept { return type_; }
  bool is_table() const noexcept { return type_ == Type::table; }
  bool is_array() const noexcept { return type_ == Type::array; }
  bool is_string() const noexcept { return type_ == Type::string; }
  bool is_number() const noexcept { return type_ == Type::integer || type_ == Type::floating; }
  bool is_datetime() const noexcept { return datetime_; }
  const SourceLoc& loc() const noexcept { return loc_; }
  // Where the key naming this value is written (its value's location when unknown).
  const SourceLoc& key_loc() const noexcept { return key_loc_.line ? key_loc_ : loc_; }
  void set_key_loc(SourceLoc l) { key_loc_ = std::move(l); }

  const std::string& as_string() const noexcept { return s_; }
  std::int64_t as_integer() const noexcept { return i_; }
  double as_number() const noexcept { return type_ == Type::integer ? static_cast<double>(i_) : d_; }
  bool as_bool() const noexcept { return b_; }

  // Tables keep their keys in file order, and an index of them once they hold more than a few, so that
  // find and set take constant time and reading a table of n keys takes O(n), not O(n²). Entries are
  // added or replaced only through set(), which keeps the index up to date.
  const std::vector<Entry>& entries() const noexcept { return table_; }
  const ConfigValue* find(std::string_view key) const noexcept;
  ConfigValue* find(std::string_view key) noexcept;
  ConfigValue& set(std::string key, ConfigValue v);  // insert or replace
  // Whether find uses the index (tables of more than a few keys); for the tests of the complexity.
  bool indexed() const noexcept { return !index_.empty(); }
  const std::vector<ConfigValue>& items() const noexcept { return array_; }
  std::vector<ConfigValue>& items() noexcept { return array_; }

  // "a table", "an integer", ...
  std::string type_name() const;
  // The value as written, shortened for messages: "\"15 min\"", "42", "[3 items]", "{...}".
  std::string render() const;

  // Bookkeeping for unknown-key detection (tables only).
  void note_asked(std::string_view key) const;
  const std::vector<std::string>& asked() const noexcept { return asked_; }
  void mark_used() const noexcept { used_ = true; }
  bool used() const noexcept { return used_; }

 private:
  Type type_ = Type::table;
  SourceLoc loc_;
  SourceLoc key_loc_;
  std::string s_;
  std::int64_t i_ = 0;
  double d_ = 0;
  bool b_ = false;
  bool datetime_ = false;
  std::vector<Entry> table_;
  std::unordered_map<std::string, std::size_t> index_;  // key -> position in table_; empty for small tables
  std::vector<ConfigValue> array_;
  mutable std::vector<std::string> asked_;
  mutable std::unordered_set<std::string> asked_index_;  // the same keys, once there are more than a few
  mutable bool used_ = false;
};

// A numeric range for validation, with its own rendering for messages (">= 0", "in (0, 1]").
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool hi_open = false;

  static Range any() { return {}; }
  static Range positive() { return {0, std::numeric_limits<double>::infinity(), true, false}; }
  static Range non_negative() { return {0, std::numeric_limits<double>::infinity(), false, false}; }
  static Range at_least(double v) { return {v, std::numeric_limits<double>::infinity(), false, false}; }
  static Range closed(double a, double b) { return {a, b, false, false}; }
  static Range unit_interval() { return {0, 1, false, false}; }
  bool contains(double v) const noexcept {
    return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  }
  std::string describe(std::string_view unit) const;
};

// The string among `candidates` closest to `word` (Damerau–Levenshtein, case-insensitive), if close enough.
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
// The hint for an error: `did you mean "x"?` (values) or `did you mean 'x'?` (keys, quote '\''), or "".
std::string did_you_mean_hint(std::string_view word, const std::vector<std::string>& candidates, char quote = '"');

struct ParamDef;
class ParamSchema;

// A reader of one table of the scenario. With a schema (the program's parameter tables, param_table.hpp) a
// key's kind, range, default and choices come from its declaration: `p.quantity("gpus")`. Reading a key
// that no table declares is a std::logic_error (a programming error, caught by the tests), so every key a
// model reads is documented and has exactly one default.
class Params {
 public:
  // The table at `path` ("sites[2].cooling[0]") of a scenario read through `schema`; its pattern is the
  // path with indices dropped.
  Params(const ConfigValue& table, std::string path, const ParamSchema& schema);

  const std::string& path() const noexcept { return path_; }
  // The path pattern of this table in the schema ("sites[].cooling[]").
  const std::string& pattern() const noexcept { return pattern_; }
  const ParamSchema* schema() const noexcept { return schema_; }
  const SourceLoc& loc() const noexcept { return table_->loc(); }
  // Location of a key's value, or of the table when the key is absent.
  SourceLoc loc(std::string_view key) const;
  bool has(std::string_view key) const;
  // Whether the key is present and holds a table (keys that take a value or a table of values).
  bool is_table(std::string_view key) const;
  // The key's text if it holds a string (for keys that take a quantity or a keyword such as "infinite").
  std::optional<std::string> string_value(std::string_view key) const;
  std::string key_path(std::string_view key) const;

  // ---- reads driven by the parameter table ----
  // Quantities in the kind's canonical unit (see units.hpp). Absent: the declared default, or an error
  // when the key is required.
  double quantity(std::string_view key) const;
  // For keys whose default is derived from other keys: `derived` when absent.
  double quantity_or(std::string_view key, double derived) const;
  // For optional keys: nothing when absent.
  std::optional<double> optional_quantity(std::string_view key) const;
  std::vector<double> quantities(std::string_view key) const;
  SimTime duration(std::string_view key) const;
  SimTime duration_or(std::string_view key, SimTime derived) const;
  std::optional<SimTime> optional_duration(std::string_view key) const;
  std::int64_t integer(std::string_view key) const;
  std::int64_t integer_or(std::string_view key, std::int64_t derived) const;
  bool boolean(std::string_view key) const;
  std::string text(std::string_view key) const;
  // A name (of a site, cluster, class, tier, loop, ...): a non-empty string of at most 64 characters.
  std::string name(std::string_view key) const;
  std::vector<std::string> texts(std::string_view key) const;
  std::string choice(std::string_view key) const;
  std::string choice_or(std::string_view key, std::string derived) const;
  // A UTC instant written as a TOML date-time (2025-03-25T00:00:00Z) or an ISO 8601 string.
  std::int64_t datetime(std::string_view key) const;
  // An existing file; a relative path is taken relative to the directory of the file that contains the key.
  std::string file_path(std::string_view key) const;
  // Every path file_path() has returned, through this reader or any table read from it (the run's input
  // files, which its output must not overwrite).
  std::vector<std::string> files_read() const { return files_ ? *files_ : std::vector<std::string>{}; }
  // A distribution of values of the key's kind, written as a quantity (deterministic) or a table:
  //   { kind = "exponential", mean = "60 s" }   { kind = "lognormal", mean = "11.6 s", cv = 0.1 }
  //   { kind = "gamma", mean = ..., cv = ... }  { kind = "deterministic", value = ... }
  //   { kind = "uniform", min = ..., max = ... }
  //   { kind = "empirical", values = [...], weights = [...] }   { kind = "table", x = [...], cdf = [...] }
  Distribution distribution(std::string_view key) const;
  Distribution distribution_or(std::string_view key, const Distribution& derived) const;

  Params table(std::string_view key) const;
  std::optional<Params> optional_table(std::string_view key) const;
  // An array of tables ([[key]] in TOML); empty when absent.
  std::vector<Params> tables(std::string_view key) const;
  // Names of the keys present in this table, in file order (for tables whose keys are names).
  std::vector<std::string> keys() const;
  // Marks a key as known without reading it (a key handled elsewhere).
  void acknowledge(std::string_view key) const;

  [[noreturn]] void fail(std::string_view key, std::string expected, std::string hint = {}) const;
  [[noreturn]] void fail_value(const ConfigValue& v, std::string_view key_path, std::string expected,
                               std::string hint = {}) const;

 private:
  // A reader of a distribution's own keys (kind, mean, cv, ...), which are part of one declared value: the
  // kind, range and default are the declared key's, given explicitly.
  Params(const ConfigValue& table, std::string path);
  double quantity(std::string_view key, const QuantityKind& kind, Range r = {}) const;
  std::vector<double> quantities(std::string_view key, const QuantityKind& kind, Range r = {}) const;
  std::string choice(std::string_view key, std::initializer_list<std::string_view> options) const;

  Params(const ConfigValue& table, std::string path, std::string pattern, const ParamSchema* schema);
  const ConfigValue* get(std::string_view key) const;       // marks asked + used; nullptr if absent
  const ConfigValue& require(std::string_view key, std::string_view expected) const;
  // The key's declaration (std::logic_error when it has none); nullptr only for a distribution's own keys.
  const ParamDef* decl(std::string_view key) const;
  const ParamDef& declared(std::string_view key) const;  // for the table-driven readers
  template <class T, class Convert>
  T or_derived(std::string_view key, std::string_view reader, T derived, Convert convert) const;
  // The key's value, or its declared default (nullptr when absent without one). `def_store` holds a default.
  const ConfigValue* value_or_default(std::string_view key, const ParamDef& d, ConfigValue& def_store) const;
  Params child(const ConfigValue& v, std::string path, const ParamDef* d, std::string_view suffix) const;
  double to_quantity(const ConfigValue& v, std::string_view kp, const QuantityKind& kind, Range r) const;
  SimTime to_duration(const ConfigValue& v, std::string_view kp, Range r) const;
  std::int64_t to_integer(const ConfigValue& v, std::string_view kp, Range r) const;
  bool to_boolean(const ConfigValue& v, std::string_view kp) const;
  std::string to_choice(const ConfigValue& v, std::string_view kp, const std::vector<std::string>& options) const;
  std::vector<double> to_quantities(const ConfigValue& v, std::string_view kp, const QuantityKind& kind,
                                    Range r) const;
  std::int64_t to_datetime(const ConfigValue& v, std::string_view kp) const;
  Distribution read_distribution(const ConfigValue& v, std::string_view kp, const QuantityKind& kind,
                                 Range values) const;

  const ConfigValue* table_;
  std::string path_;
  std::string pattern_;
  const ParamSchema* schema_ = nullptr;
  std::shared_ptr<std::vector<std::string>> files_;  // shared by a reader and its tables

  friend ConfigValue default_value(const ParamDef& d);
  friend void check_defaults(const ParamSchema& s);
};

// Where the value at `key_path` ("sites[0].clusters[1].gpus") is written; when it is absent (a default),
// where its deepest present ancestor is.
SourceLoc locate(const ConfigValue& root, std::string_view key_path);

// Throws ConfigError for the first key (in file order) that no model asked for.
void check_unknown_keys(const ConfigValue& root);

}  // namespace dcsim
