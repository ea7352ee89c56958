// Fuzz target: the `--set KEY=VALUE` parser. Each line of the input is one assignment, applied in order to
// the parsed tree of a small scenario with the shapes of a real one (set_base.toml), as `dcsim run --set ...`
// applies them: key paths with array indices, values parsed as TOML
// or taken as text, new tables and replaced values, the depth and size limits. Applying must succeed or be
// refused with one well-formed ConfigError; and the resolved text written to the output file must read
// back to the same tree (the resolved scenario reproduces the run). What the models make of the values is
// the scenario target's concern.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/harness.hpp"
#include "sim/io/scenario.hpp"

namespace {

const std::string kBasePath = DCSIM_SOURCE_DIR "/fuzz/set_base.toml";

const dcsim::ConfigValue& base_tree() {
  static const dcsim::ConfigValue tree = [] {
    std::ifstream in(kBasePath);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in || ss.str().empty()) std::abort();
    return dcsim::io::parse_toml(ss.str(), kBasePath);
  }();
  return tree;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  std::size_t start = 0;
  while (start <= input.size() && overrides.size() < 16) {
    const std::size_t end = std::min(input.find('\n', start), input.size());
    overrides.push_back(input.substr(start, end - start));
    start = end + 1;
  }
  dcsim::ConfigValue root = base_tree();
  std::string resolved;
  if (dcsim::fuzz::loads([&] {
        resolved = dcsim::io::apply_overrides(root, overrides);
      })) {
    // Not caught: a resolved text that does not read back is a finding.
    const std::string again = dcsim::io::to_toml(dcsim::io::parse_toml(resolved, "resolved.toml"));
    if (again != resolved) {
      std::fprintf(stderr, "dcsim fuzz: the resolved scenario does not read back to itself:\n%s\n---\n%s\n",
                   resolved.c_str(), again.c_str());
      std::abort();
    }
  }
  return 0;
}
