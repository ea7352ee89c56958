// Params: reading one table of the scenario through the parameter tables (lookup, the table-driven readers,
// tables and arrays of tables).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include "sim/core/calendar.hpp"
#include "sim/core/config.hpp"
#include "sim/core/echo.hpp"
#include "sim/core/input_file.hpp"
#include "sim/core/param_table.hpp"
#include "sim/core/params_text.hpp"

namespace dcsim {

using namespace params_text;

namespace {

// "sites[2].clusters[0]" -> "sites[].clusters[]".
std::string strip_indices(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    out += path[i];
    if (path[i] == '[') {
      while (i + 1 < path.size() && path[i + 1] != ']') ++i;
    }
  }
  return out;
}

[[noreturn]] void not_declared(std::string_view pattern, std::string_view key, std::string_view why) {
  throw std::logic_error("scenario key '" + std::string(pattern.empty() ? key : std::string(pattern) + "." + std::string(key)) +
                         "' " + std::string(why));
}

}  // namespace

Params::Params(const ConfigValue& table, std::string path) : table_(&table), path_(std::move(path)) {
  pattern_ = strip_indices(path_);
  table.mark_used();
}

Params::Params(const ConfigValue& table, std::string path, const ParamSchema& schema)
    : table_(&table), path_(std::move(path)), schema_(&schema), files_(std::make_shared<std::vector<std::string>>()) {
  pattern_ = strip_indices(path_);
  table.mark_used();
}

Params::Params(const ConfigValue& table, std::string path, std::string pattern, const ParamSchema* schema)
    : table_(&table), path_(std::move(path)), pattern_(std::move(pattern)), schema_(schema) {
  table.mark_used();
}

std::string Params::key_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

SourceLoc Params::loc(std::string_view key) const {
  const ConfigValue* v = table_->find(key);
  return v ? v->loc() : table_->loc();
}

const ParamDef* Params::decl(std::string_view key) const {
  if (!schema_) return nullptr;  // a distribution's own keys
  const ParamDef* d = schema_->resolve(pattern_, key);
  if (!d) not_declared(pattern_, key, "is read but declared in no parameter table");
  return d;
}

const ParamDef& Params::declared(std::string_view key) const {
  const ParamDef* d = decl(key);
  if (!d) not_declared(pattern_, key, "is read through the parameter tables by a reader without a schema");
  return *d;
}

bool Params::has(std::string_view key) const {
  (void)decl(key);
  table_->note_asked(key);
  return table_->find(key) != nullptr;
}

bool Params::is_table(std::string_view key) const {
  (void)decl(key);
  table_->note_asked(key);
  const ConfigValue* v = table_->find(key);
  return v && v->is_table();
}

std::optional<std::string> Params::string_value(std::string_view key) const {
  (void)decl(key);
  const ConfigValue* v = get(key);
  if (!v || !v->is_string() || v->is_datetime()) return std::nullopt;
  return v->as_string();
}

void Params::acknowledge(std::string_view key) const {
  (void)decl(key);
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

const ConfigValue* Params::value_or_default(std::string_view key, const ParamDef& d, ConfigValue& store) const {
  if (const ConfigValue* v = get(key)) return v;
  if (d.def.empty()) return nullptr;
  store = default_value(d);
  return &store;
}

Params Params::child(const ConfigValue& v, std::string path, const ParamDef* d, std::string_view suffix) const {
  // A declared table's pattern; without a schema (a distribution's own table) the path without indices.
  std::string pat = d ? normalize_pattern(d->key) : strip_indices(path);
  pat += suffix;
  Params c(v, std::move(path), std::move(pat), schema_);
  c.files_ = files_;
  return c;
}

// ---- reads driven by the parameter table ------------------------------------------------------------------

namespace {
[[noreturn]] void wrong_reader(const ParamDef& d, std::string_view how) {
  throw std::logic_error("scenario key '" + d.key + "' " + std::string(how));
}
void expect_basis(const ParamDef& d, Basis b, std::string_view reader) {
  if (d.basis != b) wrong_reader(d, "is read with " + std::string(reader) + " but its basis does not allow it");
}
const QuantityKind& kind_of(const ParamDef& d) {
  if (!d.kind) wrong_reader(d, "is read as a quantity but declares no kind");
  return *d.kind;
}
}  // namespace

double Params::quantity(std::string_view key) const {
  const ParamDef& d = declared(key);
  const QuantityKind& kind = kind_of(d);
  ConfigValue store;
  const ConfigValue* v = value_or_default(key, d, store);
  if (!v) fail(key, a_kind(kind) + " such as " + std::string(kind.example));
  return to_quantity(*v, key_path(key), kind, d.range);
}

// The *_or readers: the scenario's value, or the default the caller derived from other keys.
template <class T, class Convert>
T Params::or_derived(std::string_view key, std::string_view reader, T derived, Convert convert) const {
  const ParamDef& d = declared(key);
  expect_basis(d, Basis::derived, reader);
  const ConfigValue* v = get(key);
  return v ? convert(*v, d) : derived;
}

double Params::quantity_or(std::string_view key, double derived) const {
  return or_derived<double>(key, "quantity_or", std::move(derived), [&](const ConfigValue& v, const ParamDef& d) {
    return to_quantity(v, key_path(key), kind_of(d), d.range);
  });
}

std::optional<double> Params::optional_quantity(std::string_view key) const {
  const ParamDef& d = declared(key);
  expect_basis(d, Basis::optional, "optional_quantity");
  const ConfigValue* v = get(key);
  if (!v) return std::nullopt;
  return to_quantity(*v, key_path(key), kind_of(d), d.range);
}

std::vector<double> Params::quantities(std::string_view key) const {
  const ParamDef& d = declared(key);
  const QuantityKind& kind = kind_of(d);
  ConfigValue store;
  const ConfigValue* v = value_or_default(key, d, store);
  if (!v) fail(key, "an array of " + std::string(kind.name) + " values");
  return to_quantities(*v, key_path(key), kind, d.range);
}

SimTime Params::duration(std::string_view key) const {
  const ParamDef& d = declared(key);
  ConfigValue store;
  const ConfigValue* v = value_or_default(key, d, store);
  if (!v) fail(key, "a time such as " + std::string(qty::time.example));
  return to_duration(*v, key_path(key), d.range);
}

SimTime Params::duration_or(std::string_view key, SimTime derived) const {
  return or_derived<SimTime>(key, "duration_or", std::move(derived), [&](const ConfigValue& v, const ParamDef& d) {
    return to_duration(v, key_path(key), d.range);
  });
}

std::optional<SimTime> Params::optional_duration(std::string_view key) const {
  const ParamDef& d = declared(key);
  expect_basis(d, Basis::optional, "optional_duration");
  const ConfigValue* v = get(key);
  if (!v) return std::nullopt;
  return to_duration(*v, key_path(key), d.range);
}

std::int64_t Params::integer(std::string_view key) const {
  const ParamDef& d = declared(key);
  ConfigValue store;
  const ConfigValue* v = value_or_default(key, d, store);
  if (!v) {
    const std::string r = d.range.describe("");
    fail(key, "an integer" + (r.empty() ? std::string() : " " + r));
  }
  return to_integer(*v, key_path(key), d.range);
}

std::int64_t Params::integer_or(std::string_view key, std::int64_t derived) const {
  return or_derived<std::int64_t>(key, "integer_or", std::move(derived), [&](const ConfigValue& v, const ParamDef& d) {
    return to_integer(v, key_path(key), d.range);
  });
}

bool Params::boolean(std::string_view key) const {
  ConfigValue store;
  const ConfigValue* v = value_or_default(key, declared(key), store);
  if (!v) fail(key, "true or false");
  return to_boolean(*v, key_path(key));
}

std::string Params::text(std::string_view key) const {
  ConfigValue store;
  const ConfigValue* v = value_or_default(key, declared(key), store);
  if (!v || !v->is_string()) fail(key, "a string");
  return v->as_string();
}

std::string Params::name(std::string_view key) const {
  std::string n = text(key);
  // Characters, not bytes: UTF-8 continuation bytes do not count.
  const auto chars = static_cast<std::size_t>(
      std::count_if(n.begin(), n.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  if (chars == 0 || chars > kMaxNameChars) {
    fail(key, "a name of 1 to " + std::to_string(kMaxNameChars) + " characters",
         chars == 0 ? std::string() : "this one has " + std::to_string(chars));
  }
  return n;
}

std::vector<std::string> Params::texts(std::string_view key) const {
  (void)decl(key);
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

std::string Params::choice(std::string_view key) const {
  const ParamDef& d = declared(key);
  if (d.choices.empty()) wrong_reader(d, "is read as a choice but declares no choices");
  ConfigValue store;
  const ConfigValue* v = value_or_default(key, d, store);
  if (!v) fail(key, "one of " + quoted_list(d.choices));
  return to_choice(*v, key_path(key), d.choices);
}

std::string Params::choice_or(std::string_view key, std::string derived) const {
  return or_derived<std::string>(key, "choice_or", std::move(derived), [&](const ConfigValue& v, const ParamDef& d) {
    return to_choice(v, key_path(key), d.choices);
  });
}

std::int64_t Params::datetime(std::string_view key) const {
  const ParamDef& d = declared(key);
  ConfigValue store;
  const ConfigValue* v = value_or_default(key, d, store);
  if (!v) fail(key, "a UTC date-time such as 2025-03-25T00:00:00Z");
  return to_datetime(*v, key_path(key));
}

std::string Params::file_path(std::string_view key) const {
  (void)decl(key);
  const ConfigValue& v = require(key, "a string");
  if (!v.is_string()) fail(key, "a string");
  const std::string p = v.as_string();
  if (p.empty()) fail(key, "a file path");
  const std::filesystem::path fp(p);
  const SourceLoc l = loc(key);
  std::string resolved = p;
  // Relative to the scenario file's directory; an override from the command line is relative to the
  // working directory.
  if (!fp.is_absolute() && l.line != 0) {
    resolved = (std::filesystem::path(l.file).parent_path() / fp).lexically_normal().string();
  }
  // Missing, a directory, a device or FIFO, unreadable: each says which.
  if (const std::string why = input_file_problem(resolved); !why.empty()) fail(key, "a readable file", echo(resolved, kEchoFileChars) + " " + why);
  if (files_) files_->push_back(resolved);
  return resolved;
}

Distribution Params::distribution(std::string_view key) const {
  const ParamDef& d = declared(key);
  const QuantityKind& kind = kind_of(d);
  ConfigValue store;
  const ConfigValue* v = value_or_default(key, d, store);
  if (!v) fail(key, a_kind(kind) + " or a distribution table such as { kind = \"exponential\", mean = " +
                        std::string(kind.example) + " }");
  return read_distribution(*v, key_path(key), kind, d.range);
}

Distribution Params::distribution_or(std::string_view key, const Distribution& derived) const {
  return or_derived<Distribution>(key, "distribution_or", std::move(derived), [&](const ConfigValue& v, const ParamDef& d) {
    return read_distribution(v, key_path(key), kind_of(d), d.range);
  });
}

// ---- tables -----------------------------------------------------------------------------------------------

Params Params::table(std::string_view key) const {
  const ParamDef* d = decl(key);
  const ConfigValue& v = require(key, "a table");
  if (!v.is_table()) fail(key, "a table");
  return child(v, key_path(key), d, "");
}

std::optional<Params> Params::optional_table(std::string_view key) const {
  const ParamDef* d = decl(key);
  const ConfigValue* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_table()) fail(key, "a table");
  return child(*v, key_path(key), d, "");
}

std::vector<Params> Params::tables(std::string_view key) const {
  const ParamDef* d = decl(key);
  const ConfigValue* v = get(key);
  std::vector<Params> out;
  if (!v) return out;
  if (v->is_table()) {
    // A single table where an array of tables is expected: accept it as one element.
    out.push_back(child(*v, key_path(key), d, "[]"));
    return out;
  }
  if (!v->is_array()) fail(key, "an array of tables ([[" + key_path(key) + "]])");
  for (std::size_t i = 0; i < v->items().size(); ++i) {
    const ConfigValue& e = v->items()[i];
    const std::string kp = key_path(key) + "[" + std::to_string(i) + "]";
    if (!e.is_table()) fail_value(e, kp, "a table");
    out.push_back(child(e, kp, d, "[]"));
  }
  return out;
}

std::vector<std::string> Params::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, _] : table_->entries()) out.push_back(k);
  return out;
}

}  // namespace dcsim
