// Parameter tables: every scenario key declared once, beside the model that reads it.
//
// A ParamDef states a key's path, what it holds (kind and unit), its default, its valid range, one line of
// help and the basis of the default: taken from a source (cited), an assumption (with the reason), derived
// from other keys (with how), required (no default) or optional (absence means "none"). Each model offers
// its table as a function returning its defs; a ParamSchema is the union of the tables of one program. The
// schema drives reading (Params takes kind, range, default and choices from it), validation (a scenario key
// that no def matches is unknown) and documentation (`dcsim keys`, docs/scenario-keys.md).
//
// Key paths name array elements with "[]" and user-chosen names with "<what>":
//   "sites[].clusters[].gpus"   "workload.classes[].requests_per_user_day.<tier>"
// Defaults are written as a scenario would write them ("60 s", "1.5 kW", "true", "round_robin",
// "exponential(mean = 60 s)") and read by the same code that reads the scenario, so a default is checked
// against its own kind and range (a test does that for every def).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/config.hpp"

namespace dcsim {

enum class ParamType {
  quantity,      // a number with a unit of `kind`
  quantities,    // an array of such numbers
  duration,      // a time, held as SimTime
  integer,
  boolean,
  text,
  texts,         // an array of strings
  choice,        // one of `choices`
  datetime,      // a UTC instant
  file,          // a path to an existing file, relative to the scenario file
  distribution,  // a quantity (deterministic) or a distribution table of `kind`
  table,         // a table of further keys
  tables,        // an array of tables ([[key]])
};

enum class Basis {
  required,    // no default: the scenario must give it
  optional,    // no default: absent means the feature is off or the value is unused
  sourced,     // the default comes from `source`
  assumption,  // the default is a modelling assumption; `source` says why it is reasonable
  derived,     // the default is computed from other keys; `source` says how
};

// Fields in the order designated initializers must follow.
struct ParamDef {
  std::string key;                     // full path pattern, e.g. "sites[].cooling[].units"
  ParamType type = ParamType::quantity;
  const QuantityKind* kind = nullptr;  // for quantity, quantities, distribution
  std::vector<std::string> choices{};  // for choice
  Range range{};                       // valid values (integers too), in the kind's canonical unit
  std::string def{};                   // the default as scenario text; empty unless sourced or assumption
  Basis basis = Basis::required;
  std::string source{};                // citation (sourced), reason (assumption), derivation (derived)
  std::string help{};                  // one line
  std::string accepts{};               // overrides the rendered type when a key accepts alternatives
  bool capacity = false;               // a capacity the planner may size (dcsim plan --vary): more of it never hurts
};

// The normalized lookup form of a path pattern: "<tier>" becomes "<>".
std::string normalize_pattern(std::string_view pattern);

class ParamSchema {
 public:
  ParamSchema() = default;
  // Adds a model's table; a key declared twice, a malformed def (a sourced default without a source, a
  // quantity without a kind, ...) is a std::logic_error.
  void add(const std::vector<ParamDef>& defs);

  // The def for a key path pattern ("sites[].gpus"), or nullptr.
  const ParamDef* find(std::string_view pattern) const;
  // Resolves `key` under the table whose pattern is `parent`: the exact key, or the parent's "<name>" entry.
  const ParamDef* resolve(std::string_view parent, std::string_view key) const;
  const std::vector<ParamDef>& defs() const noexcept { return defs_; }

  // The section of a def: its first path segment ("sites", "workload", "simulation").
  static std::string section_of(std::string_view key);
  std::vector<std::string> sections() const;

 private:
  std::vector<ParamDef> defs_;
  std::unordered_map<std::string, std::size_t> index_;
};

// Text renderings for messages and the reference.
std::string describe_type(const ParamDef& d);
std::string describe_range(const ParamDef& d);
std::string describe_basis(const ParamDef& d);

// The default of a def as a configuration value, ready for the reader that reads scenario values.
ConfigValue default_value(const ParamDef& d);

// Reads every default (and checks range and choices) through the same readers as scenario values; throws
// ConfigError for the first that does not read, std::logic_error for a def whose basis and default disagree.
void check_defaults(const ParamSchema& s);

// The reference of the keys of one section (or all when empty): plain text or Markdown.
std::string render_keys(const ParamSchema& s, std::string_view section, bool markdown);

// Every key present in `root` that no def matches, as "path" strings (for the test that every key a shipped
// scenario holds is declared).
std::vector<std::string> undeclared_keys(const ParamSchema& s, const ConfigValue& root);

}  // namespace dcsim
