// Fuzz target: the request-trace CSV (time_s,class,tier[,size]). The input is the trace file, loaded for a
// workload of two classes and two tiers as the workload model loads it before t = 0. It must load, with
// every record valid, or be refused with one well-formed ConfigError naming the file, line and column.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz/harness.hpp"
#include "models/workload/workload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<std::string> classes = {"image", "text"}, tiers = {"free", "plus"};
  const std::string path = dcsim::fuzz::write_scratch("trace.csv", data, size);
  std::vector<dcsim::workload::TraceRecord> records;
  if (dcsim::fuzz::loads([&] { records = dcsim::workload::load_trace(path, classes, tiers); })) {
    for (std::size_t i = 0; i < records.size(); ++i) {
      const auto& r = records[i];
      const bool ok = r.t >= 0 && r.t <= 9.2e9 && (i == 0 || r.t >= records[i - 1].t) && r.cls < classes.size() &&
                      r.tier < tiers.size() && (std::isnan(r.size) || (r.size > 0 && std::isfinite(r.size)));
      if (!ok) {
        std::fprintf(stderr, "dcsim fuzz: trace record %zu accepted but invalid: t %g, class %u, tier %u, size %g\n", i,
                     r.t, unsigned{r.cls}, unsigned{r.tier}, r.size);
        std::abort();
      }
    }
  }
  return 0;
}
