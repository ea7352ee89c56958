#include "sim/core/param_table.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace dcsim {

namespace {

[[noreturn]] void bad_def(const ParamDef& d, const std::string& why) {
  throw std::logic_error("parameter table: key '" + d.key + "': " + why);
}

std::string trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

bool is_number(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

bool is_int(const std::string& s, std::int64_t& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtoll(s.c_str(), &end, 10);
  return end == s.c_str() + s.size();
}

ConfigValue scalar(const std::string& text, const SourceLoc& loc) {
  double x = 0;
  if (is_number(text, x)) return ConfigValue::make_float(x, loc);
  return ConfigValue::make_string(text, loc);
}

std::string unit_of(const ParamDef& d) {
  if (d.type == ParamType::duration) return "s";
  return d.kind ? std::string(d.kind->unit) : std::string();
}

std::string cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

}  // namespace

std::string normalize_pattern(std::string_view pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '<') {
      out += "<>";
      while (i < pattern.size() && pattern[i] != '>') ++i;
      continue;
    }
    out += pattern[i];
  }
  return out;
}

void ParamSchema::add(const std::vector<ParamDef>& defs) {
  for (const auto& d : defs) {
    if (d.key.empty()) bad_def(d, "empty key");
    if (d.help.empty()) bad_def(d, "no help");
    const bool has_default = !d.def.empty();
    const bool wants_default = d.basis == Basis::sourced || d.basis == Basis::assumption;
    if (has_default != wants_default) {
      bad_def(d, wants_default ? "a sourced or assumed basis needs a default"
                               : "only a sourced or assumed default is written in the table");
    }
    if ((d.basis == Basis::sourced || d.basis == Basis::derived) && d.source.empty()) {
      bad_def(d, d.basis == Basis::sourced ? "a sourced default needs its source" : "a derived default needs its derivation");
    }
    const bool needs_kind = d.type == ParamType::quantity || d.type == ParamType::quantities ||
                            d.type == ParamType::distribution;
    if (needs_kind && !d.kind) bad_def(d, "a quantity needs a kind");
    if (d.type == ParamType::choice && d.choices.empty()) bad_def(d, "a choice needs its choices");
    const std::string n = normalize_pattern(d.key);
    if (index_.count(n)) bad_def(d, "declared twice");
    index_.emplace(n, defs_.size());
    defs_.push_back(d);
  }
}

const ParamDef* ParamSchema::find(std::string_view pattern) const {
  const auto it = index_.find(normalize_pattern(pattern));
  return it == index_.end() ? nullptr : &defs_[it->second];
}

const ParamDef* ParamSchema::resolve(std::string_view parent, std::string_view key) const {
  const std::string base = parent.empty() ? std::string() : std::string(parent) + ".";
  if (const auto it = index_.find(base + std::string(key)); it != index_.end()) return &defs_[it->second];
  if (const auto it = index_.find(base + "<>"); it != index_.end()) return &defs_[it->second];
  return nullptr;
}

std::string ParamSchema::section_of(std::string_view key) {
  const auto e = key.find_first_of(".[");
  return std::string(key.substr(0, e));
}

std::vector<std::string> ParamSchema::sections() const {
  std::vector<std::string> out;
  for (const auto& d : defs_) {
    const std::string s = section_of(d.key);
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

// ---- renderings ---------------------------------------------------------------------------------------------

std::string describe_type(const ParamDef& d) {
  if (!d.accepts.empty()) return d.accepts;
  const auto q = [&] { return std::string(d.kind->name) + (d.kind->unit == "1" ? "" : " (" + std::string(d.kind->unit) + ")"); };
  switch (d.type) {
    case ParamType::quantity: return q();
    case ParamType::quantities: return "array of " + q();
    case ParamType::duration: return "time (s)";
    case ParamType::integer: return "integer";
    case ParamType::boolean: return "true or false";
    case ParamType::text: return "string";
    case ParamType::texts: return "array of strings";
    case ParamType::choice: {
      std::string s = "one of ";
      for (std::size_t i = 0; i < d.choices.size(); ++i) s += (i ? ", " : "") + d.choices[i];
      return s;
    }
    case ParamType::datetime: return "UTC date-time";
    case ParamType::file: return "file path";
    case ParamType::distribution: return "distribution of " + q();
    case ParamType::table: return "table";
    case ParamType::tables: return "array of tables";
  }
  return "";
}

std::string describe_range(const ParamDef& d) {
  switch (d.type) {
    case ParamType::quantity:
    case ParamType::quantities:
    case ParamType::duration:
    case ParamType::integer:
    case ParamType::distribution: return d.range.describe(unit_of(d));
    default: return "";
  }
}

std::string describe_basis(const ParamDef& d) {
  switch (d.basis) {
    case Basis::required: return "required";
    case Basis::optional: return d.source.empty() ? "optional" : "optional: " + d.source;
    case Basis::sourced: return "sourced: " + d.source;
    case Basis::assumption: return d.source.empty() ? "assumption" : "assumption: " + d.source;
    case Basis::derived: return "derived: " + d.source;
  }
  return "";
}

// ---- defaults ------------------------------------------------------------------------------------------------

ConfigValue default_value(const ParamDef& d) {
  const SourceLoc loc{"the parameter table's default of '" + d.key + "'", 0, 0};
  const std::string t = trim(d.def);
  switch (d.type) {
    case ParamType::boolean:
      if (t == "true" || t == "false") return ConfigValue::make_bool(t == "true", loc);
      return ConfigValue::make_string(t, loc);
    case ParamType::integer: {
      std::int64_t i = 0;
      if (is_int(t, i)) return ConfigValue::make_integer(i, loc);
      return ConfigValue::make_string(t, loc);
    }
    case ParamType::quantities:
    case ParamType::texts: {
      if (t.size() < 2 || t.front() != '[' || t.back() != ']') return ConfigValue::make_string(t, loc);
      ConfigValue a = ConfigValue::make_array(loc);
      std::string_view body(t);
      body = body.substr(1, body.size() - 2);
      while (!trim(body).empty()) {
        const auto c = body.find(',');
        const std::string item = trim(body.substr(0, c));
        a.items().push_back(d.type == ParamType::texts ? ConfigValue::make_string(item, loc) : scalar(item, loc));
        if (c == std::string_view::npos) break;
        body.remove_prefix(c + 1);
      }
      return a;
    }
    case ParamType::distribution: {
      // "exponential(mean = 60 s)" -> { kind = "exponential", mean = "60 s" }
      const auto open = t.find('(');
      if (open == std::string::npos || t.back() != ')') return scalar(t, loc);
      ConfigValue tbl = ConfigValue::make_table(loc);
      tbl.set("kind", ConfigValue::make_string(trim(std::string_view(t).substr(0, open)), loc));
      std::string_view body = std::string_view(t).substr(open + 1, t.size() - open - 2);
      while (!trim(body).empty()) {
        const auto c = body.find(',');
        const std::string_view kv = body.substr(0, c);
        const auto eq = kv.find('=');
        if (eq == std::string_view::npos) bad_def(d, "a distribution default is kind(name = value, ...)");
        tbl.set(trim(kv.substr(0, eq)), scalar(trim(kv.substr(eq + 1)), loc));
        if (c == std::string_view::npos) break;
        body.remove_prefix(c + 1);
      }
      return tbl;
    }
    case ParamType::text:
    case ParamType::choice:
    case ParamType::datetime:
    case ParamType::file: return ConfigValue::make_string(t, loc);
    default: return scalar(t, loc);
  }
}

void check_defaults(const ParamSchema& s) {
  for (const auto& d : s.defs()) {
    if (d.def.empty()) continue;
    ConfigValue holder = ConfigValue::make_table({});
    const ConfigValue& v = holder.set("x", default_value(d));
    const Params p(holder, "");
    const std::string kp = d.key + " (default)";
    switch (d.type) {
      case ParamType::quantity: (void)p.to_quantity(v, kp, *d.kind, d.range); break;
      case ParamType::quantities: (void)p.to_quantities(v, kp, *d.kind, d.range); break;
      case ParamType::duration: (void)p.to_duration(v, kp, d.range); break;
      case ParamType::integer: (void)p.to_integer(v, kp, d.range); break;
      case ParamType::boolean: (void)p.to_boolean(v, kp); break;
      case ParamType::choice: (void)p.to_choice(v, kp, d.choices); break;
      case ParamType::datetime: (void)p.to_datetime(v, kp); break;
      case ParamType::distribution: (void)p.read_distribution(v, kp, *d.kind, d.range); break;
      case ParamType::text:
      case ParamType::texts:
      case ParamType::file: break;
      case ParamType::table:
      case ParamType::tables: bad_def(d, "a table has no default");
    }
  }
}

std::string render_keys(const ParamSchema& s, std::string_view section, bool markdown) {
  std::string out;
  for (const auto& sec : s.sections()) {
    if (!section.empty() && sec != section) continue;
    if (markdown) {
      out += "## " + sec + "\n\n| key | type | default | valid | basis | what it is |\n|---|---|---|---|---|---|\n";
    } else {
      out += "[" + sec + "]\n";
    }
    for (const auto& d : s.defs()) {
      if (ParamSchema::section_of(d.key) != sec) continue;
      const std::string type = describe_type(d), range = describe_range(d), basis = describe_basis(d);
      const std::string help = d.capacity ? d.help + " Capacity: dcsim plan --vary can size it." : d.help;
      if (markdown) {
        out += "| `" + cell(d.key) + "` | " + cell(type) + " | " + (d.def.empty() ? "" : "`" + cell(d.def) + "`") +
               " | " + cell(range) + " | " + cell(basis) + " | " + cell(help) + " |\n";
      } else {
        out += "  " + d.key + "  " + type + (range.empty() ? "" : ", " + range) +
               (d.def.empty() ? "" : ", default " + d.def) + "\n      " + help + "\n      (" + basis + ")\n";
      }
    }
    out += "\n";
  }
  return out;
}

namespace {

void walk(const ParamSchema& s, const ConfigValue& t, const std::string& pattern, const std::string& path,
          std::vector<std::string>& out) {
  for (const auto& [k, v] : t.entries()) {
    const std::string kp = path.empty() ? k : path + "." + k;
    const ParamDef* d = s.resolve(pattern, k);
    if (!d) {
      out.push_back(kp);
      continue;
    }
    const std::string p = normalize_pattern(d->key);
    if (d->type == ParamType::distribution) continue;
    if (v.is_table()) {
      walk(s, v, d->type == ParamType::tables ? p + "[]" : p, kp, out);
    } else if (v.is_array() && d->type == ParamType::tables) {
      for (std::size_t i = 0; i < v.items().size(); ++i) {
        if (v.items()[i].is_table()) walk(s, v.items()[i], p + "[]", kp + "[" + std::to_string(i) + "]", out);
      }
    }
  }
}

}  // namespace

std::vector<std::string> undeclared_keys(const ParamSchema& s, const ConfigValue& root) {
  std::vector<std::string> out;
  walk(s, root, "", "", out);
  return out;
}

}  // namespace dcsim
