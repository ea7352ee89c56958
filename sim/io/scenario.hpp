// Scenario files: TOML read with toml++ into the format-neutral ConfigValue tree (keys in file order, every
// value with its file, line and column), command-line overrides applied on top, and the resolved scenario
// written back as TOML text for the output file.
#pragma once

#include <string>
#include <vector>

#include "sim/core/config.hpp"

namespace dcsim::io {

struct Scenario {
  std::string path;           // as given
  ConfigValue root;           // after overrides
  std::string resolved_text;  // TOML text of `root`, reproducing the run when read back
};

// Reads a scenario file and applies overrides "key.path=value" in order. A value is parsed as a TOML value
// (42, 1.5, true, "text", [1, 2], {a = 1}); anything that does not parse as one is taken as a string, so
// `--set simulation.duration=2h` works without shell quoting. Array elements are addressed as
// `sites[0].gpus`. Throws ConfigError with file, line and column.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});
// The same for a scenario's text already in memory; `path` names it in messages and anchors relative paths.
Scenario scenario_from_text(const std::string& text, const std::string& path, const std::vector<std::string>& overrides = {});

// Parses TOML text (for tests and tools); `source_name` appears in error locations.
ConfigValue parse_toml(const std::string& text, const std::string& source_name);

// One override: a key path as --set writes it ("sites[0].clusters[0].gpus"), its value, and where the
// override is written ("--set k=v", or a sweep axis in the scenario file), which messages name.
struct Override {
  std::string key;
  ConfigValue value;
  SourceLoc loc;
};

// Parses "key.path=value" (the value as for load_scenario), located at "--set key.path=value".
Override parse_override(const std::string& assignment);

// Applies overrides in order and returns the resolved text (to_toml of the result), refusing an override
// that makes the written scenario nest too deep to read back. On a throw, `root` is unspecified.
std::string apply_overrides(ConfigValue& root, const std::vector<Override>& overrides);
std::string apply_overrides(ConfigValue& root, const std::vector<std::string>& overrides);
// Applies one "key.path=value"; "--set key.path=value" is the location given to the new value.
void apply_override(ConfigValue& root, const std::string& assignment);

// Renders a tree as TOML: scalars first, then [tables] and [[arrays of tables]], keys in tree order.
std::string to_toml(const ConfigValue& root);

}  // namespace dcsim::io
