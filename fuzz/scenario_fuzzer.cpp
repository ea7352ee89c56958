// Fuzz target: the scenario loader. The input is a scenario file's text; it goes through everything
// `dcsim validate` does (TOML with its depth and size limits, units, every model's parameter table and
// checks, the files it names, the pre-run estimate). It must load or be refused with one well-formed
// ConfigError; and a scenario that loads must load again from its resolved text (what the output file
// stores to reproduce the run), resolving to the same text.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz/harness.hpp"
#include "sim/cli/job.hpp"

namespace {
// Named as a file among the test data, so that the relative paths of the seed scenarios (../csv/...) resolve.
const std::string kName = DCSIM_SOURCE_DIR "/tests/data/bad/fuzz.toml";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string resolved;
  const bool ok = dcsim::fuzz::loads([&] {
    dcsim::cli::Job job = dcsim::cli::prepare_job_from_text(text, kName, {});
    resolved = job.scenario.resolved_text;
  });
  if (ok) {
    dcsim::cli::Job again = dcsim::cli::prepare_job_from_text(resolved, kName, {});
    if (again.scenario.resolved_text != resolved) {
      std::fprintf(stderr, "dcsim fuzz: the resolved scenario does not resolve to itself:\n%s\n---\n%s\n",
                   resolved.c_str(), again.scenario.resolved_text.c_str());
      std::abort();
    }
  }
  return 0;
}
