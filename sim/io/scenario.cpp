#include "sim/io/scenario.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "sim/core/echo.hpp"
#include "sim/core/input_file.hpp"
#include "sim/core/input_limits.hpp"
#include "sim/io/toml_depth.hpp"

namespace dcsim::io {

namespace {

SourceLoc loc_of(const toml::source_region& r, const std::string& fallback_file) {
  SourceLoc l;
  l.file = r.path ? *r.path : fallback_file;
  if (l.file.rfind("--set ", 0) == 0) return SourceLoc{l.file, 0, 0};  // an override: the label says it all
  l.line = r.begin.line;
  l.column = r.begin.column;
  return l;
}

ConfigValue convert(const toml::node& n, const std::string& file, const std::string& key_path, std::size_t depth);

// A key path in a message, shortened when it is long.

std::string count_text(std::size_t n) { return std::to_string(n); }

ConfigValue convert_table(const toml::table& t, const SourceLoc& loc, const std::string& file,
                          const std::string& key_path, std::size_t depth) {
  if (t.size() > limits::kMaxKeysPerTable) {
    throw ConfigError(loc, echo(key_path, kEchoPathChars), "a table of at most " + count_text(limits::kMaxKeysPerTable) + " keys",
                      count_text(t.size()) + " keys");
  }
  ConfigValue out = ConfigValue::make_table(loc);
  // toml++ keeps keys sorted; restore file order from the keys' source positions.
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  entries.reserve(t.size());
  for (auto&& [k, v] : t) entries.emplace_back(&k, &v);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto& ra = a.first->source().begin;
    const auto& rb = b.first->source().begin;
    return std::tie(ra.line, ra.column) < std::tie(rb.line, rb.column);
  });
  for (const auto& [k, v] : entries) {
    const SourceLoc kl = loc_of(k->source(), file);
    if (k->str().size() > limits::kMaxKeyLength) {
      // Echoed: a quoted key can hold any character (fuzz finding: a key of tabs was quoted raw).
      throw ConfigError(kl, "a key of " + count_text(k->str().size()) + " characters ('" + echo(k->str(), 40) +
                                "'); keys are at most " +
                                count_text(limits::kMaxKeyLength) + " characters");
    }
    const std::string kp = key_path.empty() ? std::string(k->str()) : key_path + "." + std::string(k->str());
    if (kp.size() > limits::kMaxKeyPathLength) {
      throw ConfigError(kl, "the key path '" + echo(kp, kEchoPathChars) + "' is " + count_text(kp.size()) +
                                " characters long; key paths are at most " + count_text(limits::kMaxKeyPathLength));
    }
    ConfigValue& child = out.set(std::string(k->str()), convert(*v, file, kp, depth + 1));
    child.set_key_loc(kl);
  }
  return out;
}

ConfigValue convert(const toml::node& n, const std::string& file, const std::string& key_path, std::size_t depth) {
  const SourceLoc loc = loc_of(n.source(), file);
  if (depth > limits::kMaxDepth) {
    throw ConfigError(loc, "key '" + echo(key_path, kEchoPathChars) + "': " + too_deep_message());
  }
  if (const auto* t = n.as_table()) return convert_table(*t, loc, file, key_path, depth);
  if (const auto* a = n.as_array()) {
    if (a->size() > limits::kMaxArrayLength) {
      throw ConfigError(loc, echo(key_path, kEchoPathChars), "an array of at most " + count_text(limits::kMaxArrayLength) + " elements",
                        "an array of " + count_text(a->size()));
    }
    ConfigValue out = ConfigValue::make_array(loc);
    out.items().reserve(a->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
      out.items().push_back(convert(*a->get(i), file, key_path + "[" + std::to_string(i) + "]", depth + 1));
    }
    return out;
  }
  if (const auto* s = n.as_string()) {
    if (s->get().size() > limits::kMaxStringBytes) {
      throw ConfigError(loc, echo(key_path, kEchoPathChars), "a string of at most " + count_text(limits::kMaxStringBytes) + " bytes",
                        "a string of " + count_text(s->get().size()) + " bytes");
    }
    return ConfigValue::make_string(s->get(), loc);
  }
  if (const auto* i = n.as_integer()) return ConfigValue::make_integer(i->get(), loc);
  if (const auto* d = n.as_floating_point()) return ConfigValue::make_float(d->get(), loc);
  if (const auto* b = n.as_boolean()) return ConfigValue::make_bool(b->get(), loc);
  // Dates and date-times are kept as ISO 8601 text; keys that want an instant parse it.
  std::ostringstream iso;
  if (const auto* dt = n.as_date_time()) {
    iso << dt->get();
  } else if (const auto* d = n.as_date()) {
    iso << d->get();
  } else if (const auto* t = n.as_time()) {
    iso << t->get();
  }
  return ConfigValue::make_datetime(iso.str(), loc);
}

ConfigValue parse_document(const std::string& text, const std::string& source_name) {
  if (text.size() > limits::kMaxScenarioBytes) {
    throw ConfigError(SourceLoc{source_name, 0, 0}, "the scenario is larger than the limit of " +
                                                       count_text(limits::kMaxScenarioBytes >> 20) + " MiB");
  }
  check_toml_nesting(text, source_name);  // before toml++, which recurses per level
  try {
    toml::table t = toml::parse(text, source_name);
    return convert_table(t, SourceLoc{source_name, 1, 1}, source_name, "", 0);
  } catch (const toml::parse_error& e) {
    const SourceLoc loc = loc_of(e.source(), source_name);
    // toml++ quotes what it saw verbatim: control characters are escaped and the text bounded (echo.hpp).
    throw ConfigError(loc, "TOML syntax: " + echo(e.description(), 4 * kEchoChars));
  }
}

struct Segment {
  std::string name;
  long index = -1;
};

std::vector<Segment> parse_key_path(const std::string& key, const SourceLoc& loc) {
  std::vector<Segment> out;
  std::size_t i = 0;
  auto bad = [&](const std::string& why) -> ConfigError {
    return ConfigError(loc, "bad override key '" + echo(key) + "': " + why +
                                                   " (write key.path=value, e.g. mmc.servers=32 or sites[0].gpus=8)");
  };
  if (key.size() > limits::kMaxKeyPathLength) {
    throw bad("it is " + count_text(key.size()) + " characters long; key paths are at most " +
              count_text(limits::kMaxKeyPathLength));
  }
  while (i <= key.size()) {
    std::size_t j = i;
    while (j < key.size() && key[j] != '.' && key[j] != '[') ++j;
    Segment s{key.substr(i, j - i), -1};
    if (s.name.empty()) throw bad("empty name");
    if (s.name.size() > limits::kMaxKeyLength) {
      throw bad("a key of " + count_text(s.name.size()) + " characters; keys are at most " +
                count_text(limits::kMaxKeyLength) + " characters");
    }
    if (out.size() >= limits::kMaxDepth) {
      throw bad(too_deep_message());
    }
    for (const char c : s.name) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) {
        throw bad("'" + echo(s.name) + "' is not a bare key");
      }
    }
    if (j < key.size() && key[j] == '[') {
      const std::size_t close = key.find(']', j);
      if (close == std::string::npos) throw bad("missing ']'");
      long idx = -1;
      const auto [p, ec] = std::from_chars(key.data() + j + 1, key.data() + close, idx);
      if (ec != std::errc() || p != key.data() + close || idx < 0) throw bad("index must be a non-negative integer");
      s.index = idx;
      j = close + 1;
    }
    out.push_back(s);
    if (j >= key.size()) break;
    if (key[j] != '.') throw bad("expected '.' after ']'");
    i = j + 1;
    if (i >= key.size()) throw bad("ends with '.'");
  }
  return out;
}

void relabel(ConfigValue& v, const SourceLoc& loc);

}  // namespace

ConfigValue parse_toml(const std::string& text, const std::string& source_name) {
  return parse_document(text, source_name);
}

namespace {
void place(ConfigValue& root, const Override& o);
}  // namespace

std::string apply_overrides(ConfigValue& root, const std::vector<Override>& overrides) {
  if (overrides.empty()) return to_toml(root);
  const ConfigValue original = root;
  for (const auto& o : overrides) place(root, o);
  // The resolved scenario must read back: overrides can give a shape that the writer has to put inline
  // (an array of a table and a string), which nests deeper in text than the key path alone. One check of
  // the written text; only when it fails are the overrides applied again one by one, to name the first
  // that makes it too deep.
  std::string text = to_toml(root);
  if (find_too_deep(text).line == 0) return text;
  root = original;
  for (const auto& o : overrides) {
    place(root, o);
    if (find_too_deep(to_toml(root)).line != 0) {
      throw ConfigError(o.loc, "with this override the scenario would be written " + too_deep_message());
    }
  }
  throw ConfigError(overrides.front().loc, "the overrides make the scenario " + too_deep_message());
}

std::string apply_overrides(ConfigValue& root, const std::vector<std::string>& overrides) {
  std::vector<Override> parsed;
  parsed.reserve(overrides.size());
  for (const auto& o : overrides) parsed.push_back(parse_override(o));
  return apply_overrides(root, parsed);
}

void apply_override(ConfigValue& root, const std::string& assignment) { apply_overrides(root, {assignment}); }

namespace {
std::string hex_byte(char c) {
  char code[8];
  std::snprintf(code, sizeof code, "0x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
  return code;
}

// The levels a value at this key path sits at: an array element is two (the array and its table), so a
// path of few segments with indices can nest as deep as many without.
std::size_t path_depth(const std::vector<Segment>& path) {
  std::size_t depth = 0;
  for (const Segment& s : path) depth += s.index >= 0 ? 2 : 1;
  return depth;
}
}  // namespace

Override parse_override(const std::string& assignment) {
  const SourceLoc loc{"--set " + echo(assignment), 0, 0};
  // A newline (or any control character) would let the TOML parser read more than one value, of which
  // only the first would be kept: refuse them all.
  const auto ctl = std::find_if(assignment.begin(), assignment.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (ctl != assignment.end()) {
    throw ConfigError(loc, "a control character (" + echo(std::string_view(&*ctl, 1)) + ", " + hex_byte(*ctl) +
                               ") at character " + std::to_string(ctl - assignment.begin() + 1) +
                               " of the override: write one key.path=value per --set, on one line");
  }
  // The resolved scenario is TOML, which is UTF-8: a byte that is not would make it unreadable.
  if (const std::size_t bad = invalid_utf8_at(assignment); bad != std::string_view::npos) {
    throw ConfigError(loc, "a byte that is not UTF-8 (" + hex_byte(assignment[bad]) + ") at byte " +
                               std::to_string(bad + 1) + " of the override: write keys and values as UTF-8 text");
  }
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ConfigError(loc, "expected key.path=value, e.g. --set mmc.servers=32");
  }
  Override o;
  o.key = assignment.substr(0, eq);
  o.loc = loc;
  const std::string text = assignment.substr(eq + 1);
  const std::size_t depth = path_depth(parse_key_path(o.key, loc));
  if (depth >= limits::kMaxDepth) throw ConfigError(loc, "the key path: " + too_deep_message());
  const std::string doc = "v = " + text;
  // Before toml++, which recurses per level; an override has no line and column.
  if (find_too_deep(doc).line != 0) throw ConfigError(loc, "the value: " + too_deep_message());
  try {
    toml::table t = toml::parse(doc, loc.file);
    o.value = convert(*t.get("v"), loc.file, o.key, depth);
  } catch (const toml::parse_error&) {
    o.value = ConfigValue::make_string(text, loc);
  }
  relabel(o.value, loc);
  return o;
}

namespace {
void place(ConfigValue& root, const Override& o) {
  const SourceLoc& loc = o.loc;
  const auto path = parse_key_path(o.key, loc);
  if (path_depth(path) >= limits::kMaxDepth) throw ConfigError(loc, "the key path: " + too_deep_message());
  ConfigValue value = o.value;
  value.set_key_loc(loc);  // an unknown key is reported where the override names it
  ConfigValue* cur = &root;
  std::string walked;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const Segment& s = path[i];
    const bool last = i + 1 == path.size();
    walked += (walked.empty() ? "" : ".") + s.name;
    if (!cur->is_table()) throw ConfigError(loc, "'" + walked + "' lies inside a value that is not a table");
    ConfigValue* next = cur->find(s.name);
    if (s.index >= 0) {
      if (!next || !next->is_array()) throw ConfigError(loc, "'" + walked + "' is not an array in the scenario");
      if (static_cast<std::size_t>(s.index) >= next->items().size()) {
        throw ConfigError(loc, "'" + walked + "' has " + std::to_string(next->items().size()) +
                                   " elements; index " + std::to_string(s.index) + " is out of range");
      }
      walked += "[" + std::to_string(s.index) + "]";
      ConfigValue& elem = next->items()[static_cast<std::size_t>(s.index)];
      if (last) {
        elem = std::move(value);
        return;
      }
      cur = &elem;
      continue;
    }
    if (last) {
      cur->set(s.name, std::move(value));
      return;
    }
    if (!next) next = &cur->set(s.name, ConfigValue::make_table(loc));
    cur = next;
  }
}
}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  // Refuses a directory, a device, a FIFO, ... and reads at most the size limit.
  return scenario_from_text(read_input_file(path, limits::kMaxScenarioBytes, "scenario file"), path, overrides);
}

Scenario scenario_from_text(const std::string& text, const std::string& path, const std::vector<std::string>& overrides) {
  Scenario s;
  s.path = path;
  s.root = parse_document(text, path);
  s.resolved_text = apply_overrides(s.root, overrides);
  return s;
}

// ---- TOML writer ----------------------------------------------------------------------------------------

namespace {

void relabel(ConfigValue& v, const SourceLoc& loc) {
  ConfigValue copy = v;
  switch (v.type()) {
    case ConfigValue::Type::table: {
      ConfigValue t = ConfigValue::make_table(loc);
      for (const auto& [k, e] : v.entries()) {
        ConfigValue r = e;
        relabel(r, loc);
        t.set(k, std::move(r));
      }
      v = std::move(t);
      return;
    }
    case ConfigValue::Type::array: {
      ConfigValue a = ConfigValue::make_array(loc);
      for (auto& e : v.items()) {
        relabel(e, loc);
        a.items().push_back(e);
      }
      v = std::move(a);
      return;
    }
    case ConfigValue::Type::string:
      v = copy.is_datetime() ? ConfigValue::make_datetime(copy.as_string(), loc) : ConfigValue::make_string(copy.as_string(), loc);
      return;
    case ConfigValue::Type::integer: v = ConfigValue::make_integer(copy.as_integer(), loc); return;
    case ConfigValue::Type::floating: v = ConfigValue::make_float(copy.as_number(), loc); return;
    case ConfigValue::Type::boolean: v = ConfigValue::make_bool(copy.as_bool(), loc); return;
  }
}

bool bare_key(const std::string& k) {
  if (k.empty()) return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string quote(const std::string& s) {
  std::string o = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\t': o += "\\t"; break;
      case '\r': o += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          o += buf;
        } else {
          o += c;
        }
    }
  }
  return o + "\"";
}

std::string key_text(const std::string& k) { return bare_key(k) ? k : quote(k); }

std::string float_text(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, d);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

bool is_table_array(const ConfigValue& v) {
  return v.is_array() && !v.items().empty() &&
         std::all_of(v.items().begin(), v.items().end(), [](const ConfigValue& e) { return e.is_table(); });
}

std::string inline_value(const ConfigValue& v) {
  switch (v.type()) {
    case ConfigValue::Type::string: return v.is_datetime() ? v.as_string() : quote(v.as_string());
    case ConfigValue::Type::integer: return std::to_string(v.as_integer());
    case ConfigValue::Type::floating: return float_text(v.as_number());
    case ConfigValue::Type::boolean: return v.as_bool() ? "true" : "false";
    case ConfigValue::Type::array: {
      std::string s = "[";
      for (std::size_t i = 0; i < v.items().size(); ++i) s += (i ? ", " : "") + inline_value(v.items()[i]);
      return s + "]";
    }
    case ConfigValue::Type::table: {
      std::string s = "{";
      bool first = true;
      for (const auto& [k, e] : v.entries()) {
        s += (first ? " " : ", ") + key_text(k) + " = " + inline_value(e);
        first = false;
      }
      return s + (first ? "}" : " }");
    }
  }
  return "";
}

void write_table(const ConfigValue& t, const std::string& path, std::string& out) {
  for (const auto& [k, v] : t.entries()) {
    if (v.is_table() || is_table_array(v)) continue;
    out += key_text(k) + " = " + inline_value(v) + "\n";
  }
  for (const auto& [k, v] : t.entries()) {
    const std::string p = path.empty() ? key_text(k) : path + "." + key_text(k);
    if (v.is_table()) {
      out += "\n[" + p + "]\n";
      write_table(v, p, out);
    } else if (is_table_array(v)) {
      for (const auto& e : v.items()) {
        out += "\n[[" + p + "]]\n";
        write_table(e, p, out);
      }
    }
  }
}

}  // namespace

std::string to_toml(const ConfigValue& root) {
  std::string out;
  write_table(root, "", out);
  if (!out.empty() && out.front() == '\n') out.erase(0, 1);
  return out;
}

}  // namespace dcsim::io
